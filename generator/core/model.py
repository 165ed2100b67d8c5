"""Pydantic models of a record (README, "Record format by example").

Models are strict and frozen: unknown keys are errors, vocabularies are
literals, and evidence is a union discriminated by `kind`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import urls

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
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Where records live in a registry, and what a record file is called.
PROJECTS_DIR = "projects"
RECORD_SUFFIXES = (".yaml", ".yml")
POLICY_FILE = "policy.yaml"
# What `portfolio new` writes for the author to replace; left as they are, they are R004.
STARTER_PROBLEM = "Describe in one sentence the business problem this initiative solves."
STARTER_METRIC = "Name the business outcome you will measure"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# What YAML 1.1 does not allow in a file, less tab and line breaks (C0 and C1 controls,
# DEL, U+FFFE, U+FFFF; a "\x03" escape still puts one in), and the direction overrides
# and isolates (U+202A-E, U+2066-9) that make text read otherwise than it is stored: no
# page, chart (SVG is XML) or spreadsheet shows them as written, so text may not hold them.
_UNSHOWN = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff"  # noqa: E501
UNSHOWN = re.compile(f"[{_UNSHOWN}]")
UNSHOWN_PATTERN = f"^[^{_UNSHOWN}]*$"  # the same, for the JSON Schema

Stage = Literal["discovery", "poc", "pilot", "scale", "optimize"]
Status = Literal["active", "killed", "shelved"]
Direction = Literal["higher", "lower"]
Unit = Literal["ratio", "percent", "hours", "minutes", "days", "usd", "count", "score"]
Outcome = Literal["advance", "pivot", "kill", "shelve", "resume"]
CheckStatus = Literal["passed", "failed", "pending"]
Sampling = Literal["random", "curated", "unknown"]


def _iso_date(value: object) -> dt.date:
    return _in_range(_parse_date(value))


def _in_range(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PydanticCustomError(
            "date_type",
            "{value} is out of range: dates are from {first} to {last}",
            {
                "value": day.isoformat(),
                "first": FIRST_DAY.isoformat(),
                "last": LAST_DAY.isoformat(),
            },
        )
    return day


def _parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_type", "a date has no time of day: write YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as err:
            raise PydanticCustomError(
                "date_type", "'{value}' is not a real date ({why})", {"value": value, "why": err}
            ) from None
    raise PydanticCustomError(
        "date_type", "expected a date written YYYY-MM-DD, got {value}", {"value": repr(value)}
    )


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise PydanticCustomError(
            "R006", "'{value}' is not a slug: use lowercase a-z, 0-9 and '-'", {"value": value}
        )
    return value


def _shown(value: str) -> str:
    """Return text a page can show (not blank, no control character), or raise R004."""
    if not value.strip():  # an empty heading, a link with no text to click
        raise PydanticCustomError("blank_text", "is blank; write the text")
    found = UNSHOWN.search(value)
    if found:
        raise PydanticCustomError(
            "control_character",
            "holds the invisible control character U+{code}; delete it",
            {"code": f"{ord(found.group()):04X}"},
        )
    return value


def _url(value: str) -> str:
    """Return the URL parsed and re-serialised (see `urls`), or raise R015 saying why not."""
    try:
        return urls.normalise(value)
    except urls.BadUrl as err:
        raise PydanticCustomError(
            "R015", "URL '{value}' {why}", {"value": value, "why": str(err)}
        ) from None


Date = Annotated[
    dt.date, BeforeValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})
]
Text = Annotated[
    str,
    Field(min_length=1, json_schema_extra={"pattern": UNSHOWN_PATTERN}),
    AfterValidator(_shown),
]
LinkName = Annotated[str, AfterValidator(_shown)]  # the JSON Schema: `links` below
Name = Annotated[str, Field(pattern=SLUG.pattern)]  # a vocabulary word: failure modes
Slug = Annotated[str, AfterValidator(_slug), Field(json_schema_extra={"pattern": SLUG.pattern})]
Url = Annotated[
    str,
    AfterValidator(_url),
    Field(json_schema_extra={"pattern": "^([hH][tT][tT][pP][sS]?://|[mM][aA][iI][lL][tT][oO]:)"}),
]
# Bounds no real figure reaches (a trillion samples or users, 10^15 USD), so arithmetic
# on a record (intervals, ratios, chart axes) cannot overflow; infinity and NaN are
# refused everywhere (the exports are strict JSON).
MAX_COUNT = 10**12
# Dates a record and --as-of may hold: date arithmetic (a pilot's due date, a century of
# stage bounds) never leaves Python's calendar.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
MAX_NUMBER = 1e15
# Lists a person reads on one page: more would be noise, and would slow every build.
MAX_TAGS = 100
MAX_PEOPLE = 100
Number = Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
Ratio = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0, le=MAX_NUMBER)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
CheckName = Annotated[
    str,
    Field(
        pattern=r"^(data-access|data-gaps|security-review|integration-test|rollback-plan|sla-draft|monitoring-dashboards|on-call|x-[a-z0-9-]+)$"
    ),
]
RuleCode = Annotated[str, Field(pattern=r"^[RGS]\d{3}$")]


class Strict(BaseModel):
    """Base of every model: strict types, unknown keys rejected, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class SuccessMetric(Strict):
    name: Text
    baseline: Number | None = None
    target: Number | None = None
    unit: Unit | None = None
    direction: Direction = "higher"


class QualityTarget(Strict):
    metric: Text
    threshold: Number
    direction: Direction = "higher"


class Person(Strict):
    name: Text
    email: Text | None = None


class Sponsor(Strict):
    name: Text
    role: Text | None = None
    since: Date | None = None
    until: Date | None = None


class Budget(Strict):
    cost_per_inference: NonNegative | None = None
    monthly_forecast: NonNegative | None = None


class Decision(Strict):
    date: Date
    from_: Stage | None = Field(default=None, alias="from")
    to: Stage | None = None
    outcome: Outcome
    by: list[Text]
    rationale: Text | None = None

    model_config = ConfigDict(populate_by_name=True)


class Check(Strict):
    name: CheckName
    status: CheckStatus
    date: Date
    link: Url | None = None


class QualityEvidence(Strict):
    kind: Literal["quality"]
    date: Date
    metric: Text
    samples: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
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


class CostEvidence(Strict):
    kind: Literal["cost"]
    date: Date
    per_inference: NonNegative | None = None
    monthly: NonNegative | None = None
    actual: bool = False


class AdoptionEvidence(Strict):
    kind: Literal["adoption"]
    date: Date
    users: Count
    daily_active: Count | None = None
    days: Count | None = None


class SatisfactionEvidence(Strict):
    kind: Literal["satisfaction"]
    date: Date
    score: Ratio
    respondents: Count | None = None


class SlaEvidence(Strict):
    kind: Literal["sla"]
    date: Date
    target: Ratio | None = None
    consecutive_days_met: Count


class ShadowAiEvidence(Strict):
    kind: Literal["shadow-ai"]
    date: Date
    users: Count


Evidence = Annotated[
    QualityEvidence
    | CostEvidence
    | AdoptionEvidence
    | SatisfactionEvidence
    | SlaEvidence
    | ShadowAiEvidence,
    Field(discriminator="kind"),
]


class Failure(Strict):
    mode: Name
    date: Date | None = None
    stage: Stage | None = None
    description: Text | None = None
    mitigation: Text | None = None


class Learning(Strict):
    text: Text
    tags: Annotated[list[Text], Field(max_length=MAX_TAGS)] = []

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


class Waiver(Strict):
    rule: RuleCode
    reason: Text
    approved_by: Text
    expires: Date


class Record(Strict):
    """One AI initiative."""

    id: Slug
    title: Text
    problem: Text
    success_metric: SuccessMetric | None = None
    quality_target: QualityTarget | None = None
    team: Text
    owner: Person
    sponsors: Annotated[list[Sponsor], Field(max_length=MAX_PEOPLE)] = []
    stage: Stage
    status: Status
    started: Date
    use_cases: list[Text] = []
    budget: Budget | None = None
    decisions: list[Decision] = []
    checks: list[Check] = []
    evidence: list[Evidence] = []
    failures: list[Failure] = []
    learnings: list[LearningItem] = []
    waivers: list[Waiver] = []
    tags: Annotated[list[Text], Field(max_length=MAX_TAGS)] = []
    related: list[Slug] = []
    supersedes: Slug | None = None
    links: Annotated[
        dict[LinkName, Url],
        Field(json_schema_extra={"propertyNames": {"pattern": UNSHOWN_PATTERN}}),
    ] = {}
