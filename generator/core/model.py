"""The models of a record (README, "Record format by example"): dataclasses pydantic validates.

Models are strict and frozen: unknown keys are errors, vocabularies are
literals, and evidence is a union discriminated by `kind`. The field types they
are built from, and why the models are dataclasses, are in `fields`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, TypeAdapter, WithJsonSchema, model_validator
from pydantic.dataclasses import dataclass
from pydantic_core import PydanticCustomError

from .fields import (
    MAX_COUNT,
    MAX_PEOPLE,
    MAX_TAGS,
    RECORD_CONFIG,
    UNSHOWN_PATTERN,
    CheckName,
    Count,
    Date,
    LinkName,
    Name,
    NonNegative,
    Number,
    Ratio,
    RuleCode,
    Slug,
    Text,
    Url,
    empty_list,
    empty_mapping,
)

STAGES: tuple[str, ...] = ("discovery", "poc", "pilot", "scale", "optimize")
FAILURE_MODES: tuple[str, ...] = (
    "solution-first",
    "scope-creep",
    "cherry-picked-evaluation",
    "champion-departure",
    "shadow-ai",
    "data-drift",
    "cost-explosion",
    "neglect",
    "quality-below-bar",
    "data-not-ready",
    "security-gap",
    "integration-gap",
    "latency",
    "low-adoption",
    "autonomy-regression",
    "other",
)
CHECK_NAMES: tuple[str, ...] = (
    "data-access",
    "data-gaps",
    "security-review",
    "integration-test",
    "rollback-plan",
    "sla-draft",
    "monitoring-dashboards",
    "on-call",
)
# Where records live in a registry, and what a record file is called.
PROJECTS_DIR = "projects"
RECORD_SUFFIXES = (".yaml", ".yml")
POLICY_FILE = "policy.yaml"
# What `portfolio new` writes for the author to replace; left as they are, they are R004.
STARTER_PROBLEM = "Describe in one sentence the business problem this initiative solves."
STARTER_METRIC = "Name the business outcome you will measure"
Stage = Literal["discovery", "poc", "pilot", "scale", "optimize"]
Status = Literal["active", "killed", "shelved"]
Direction = Literal["higher", "lower"]
Unit = Literal["ratio", "percent", "hours", "minutes", "days", "usd", "count", "score"]
Outcome = Literal["advance", "pivot", "kill", "shelve", "resume", "review"]
CheckStatus = Literal["passed", "failed", "pending"]
Sampling = Literal["random", "curated", "unknown"]
# Decision's `from` is a Python keyword: the field is `from_`, and either name is read.
_BY_NAME = ConfigDict(**RECORD_CONFIG, populate_by_name=True)


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class SuccessMetric:
    name: Text
    baseline: Number | None = None
    target: Number | None = None
    unit: Unit | None = None
    direction: Direction = "higher"


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class QualityTarget:
    metric: Text
    threshold: Number
    direction: Direction = "higher"


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class Person:
    name: Text
    email: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class Sponsor:
    name: Text
    role: Text | None = None
    since: Date | None = None
    until: Date | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class Budget:
    cost_per_inference: NonNegative | None = None
    monthly_forecast: NonNegative | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=_BY_NAME)
class Decision:
    date: Date
    from_: Stage | None = Field(default=None, alias="from", kw_only=True)
    to: Stage | None = None
    outcome: Outcome
    by: list[Text]
    rationale: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class Check:
    name: CheckName
    status: CheckStatus
    date: Date
    link: Url | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class QualityEvidence:
    kind: Literal["quality"]
    date: Date
    metric: Text
    samples: Annotated[int, Field(strict=True, ge=1, le=MAX_COUNT)] | None = None
    successes: Count | None = None
    value: Number | None = None
    stdev: NonNegative | None = None
    ci_low: Number | None = None
    ci_high: Number | None = None
    sampling: Sampling = "unknown"
    dataset: Text | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> QualityEvidence:
        if self.successes is not None and self.samples is not None:
            if self.successes > self.samples:
                raise PydanticCustomError("value_error", "successes exceed samples")
            return self
        if self.value is not None and self.stdev is not None and self.samples is not None:
            return self
        if self.value is not None and self.ci_low is not None and self.ci_high is not None:
            if not self.ci_low <= self.value <= self.ci_high:
                raise PydanticCustomError("value_error", "need ci_low <= value <= ci_high")
            return self
        raise PydanticCustomError(
            "value_error",
            "quality evidence needs samples+successes, samples+value+stdev, "
            "or value+ci_low+ci_high",
        )


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class CostEvidence:
    kind: Literal["cost"]
    date: Date
    per_inference: NonNegative | None = None
    monthly: NonNegative | None = None
    actual: Annotated[bool, Field(strict=True)] = False


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class AdoptionEvidence:
    kind: Literal["adoption"]
    date: Date
    users: Count
    daily_active: Count | None = None
    days: Count | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class SatisfactionEvidence:
    kind: Literal["satisfaction"]
    date: Date
    score: Ratio
    respondents: Count | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class SlaEvidence:
    kind: Literal["sla"]
    date: Date
    target: Ratio | None = None
    consecutive_days_met: Count


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class ShadowAiEvidence:
    kind: Literal["shadow-ai"]
    date: Date
    users: Count


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class OutcomeEvidence:
    """The success metric measured (its unit and direction), and the value it delivers."""

    kind: Literal["outcome"]
    date: Date
    value: Number
    monthly_value: NonNegative | None = None  # USD of value delivered per month


Evidence = Annotated[
    QualityEvidence
    | CostEvidence
    | AdoptionEvidence
    | SatisfactionEvidence
    | SlaEvidence
    | ShadowAiEvidence
    | OutcomeEvidence,
    Field(discriminator="kind"),
]


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class Failure:
    mode: Name
    date: Date | None = None
    stage: Stage | None = None
    description: Text | None = None
    mitigation: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class Learning:
    text: Text
    tags: Annotated[list[Text], Field(max_length=MAX_TAGS)] = empty_list()

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


LearningItem = Annotated[
    Learning,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1, "pattern": UNSHOWN_PATTERN},
                {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "minLength": 1, "pattern": UNSHOWN_PATTERN},
                        "tags": {
                            "type": "array",
                            "items": {"type": "string", "minLength": 1, "pattern": UNSHOWN_PATTERN},
                        },
                    },
                    "required": ["text"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class Waiver:
    rule: RuleCode
    reason: Text
    approved_by: Text
    expires: Date


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class Imported:
    """Where an imported record came from: the sheet, its row, the day of the import."""

    source: Text
    row: Annotated[int, Field(strict=True, ge=1, le=MAX_COUNT)]
    date: Date


@dataclass(frozen=True, slots=True, kw_only=True, config=RECORD_CONFIG)
class Record:
    """One AI initiative."""

    id: Slug
    title: Text
    problem: Text
    success_metric: SuccessMetric | None = None
    quality_target: QualityTarget | None = None
    team: Text
    owner: Person
    sponsors: Annotated[list[Sponsor], Field(max_length=MAX_PEOPLE)] = empty_list()
    stage: Stage
    status: Status
    started: Date
    use_cases: list[Text] = empty_list()
    budget: Budget | None = None
    decisions: list[Decision] = empty_list()
    checks: list[Check] = empty_list()
    evidence: list[Evidence] = empty_list()
    failures: list[Failure] = empty_list()
    learnings: list[LearningItem] = empty_list()
    waivers: list[Waiver] = empty_list()
    tags: Annotated[list[Text], Field(max_length=MAX_TAGS)] = empty_list()
    related: list[Slug] = empty_list()
    supersedes: Slug | None = None
    links: Annotated[
        dict[LinkName, Url],
        Field(json_schema_extra={"propertyNames": {"pattern": UNSHOWN_PATTERN}}),
    ] = empty_mapping()
    imported: Imported | None = None


RECORD = TypeAdapter(Record)
"""Validates a record's data (`validate_python`), dumps a record as data and gives the
record's JSON Schema."""
