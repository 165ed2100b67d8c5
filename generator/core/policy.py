"""The policy file (README, "Policy"): thresholds, severities and vocabularies in force."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator

from .catalog import CATALOG
from .fields import MAX_COUNT, MAX_NUMBER, Name, Strict
from .findings import Severity
from .model import FAILURE_MODES, Stage

DEFAULT_TECHNOLOGY_TERMS: tuple[str, ...] = (
    "gpt",
    "llm",
    "chatbot",
    "openai",
    "claude",
    "gemini",
    "copilot",
    "rag",
    "machine learning",
    "neural",
)


def _off(value: object) -> object:
    """Read YAML's unquoted `off` (a boolean false) as the severity "off"."""
    return "off" if value is False else value


Positive = Annotated[float, Field(gt=0, le=MAX_NUMBER)]
Days = Annotated[int, Field(ge=1, le=36_500)]  # a century: date arithmetic stays in range
AtLeastOne = Annotated[int, Field(ge=1, le=MAX_COUNT)]


def rule_key_problem(key: str, severity: object) -> str | None:
    """Say what is wrong with one `rules:` entry of the policy, if anything."""
    if not key or not any(code.startswith(key) for code in CATALOG):
        return f"unknown rule code or prefix '{key}'"
    if key.startswith("R") and severity not in ("error", None):
        return f"record rules are always errors; '{key}' cannot be changed"
    return None


class StageMaxDays(Strict):
    discovery: Days = 14
    poc: Days = 28
    pilot: Days = 56
    scale: Days = 112

    def for_stage(self, stage: Stage) -> int | None:
        """Return the playbook's upper bound for a stage (None for optimize)."""
        return None if stage == "optimize" else int(getattr(self, stage))


class Thresholds(Strict):
    min_samples: AtLeastOne = 100
    cost_multiple_max: Positive = 3
    pilot_min_users: AtLeastOne = 5
    pilot_min_days: Days = 25
    satisfaction_min: Annotated[float, Field(ge=0, le=1)] = 0.70
    sla_days: Days = 30
    cost_overrun_max: Positive = 1.2
    cost_explosion: Positive = 4
    drift_points: Annotated[float, Field(gt=0, le=1)] = 0.05
    drift_window_days: Days = 30
    neglect_days: Days = 60
    pilot_decision_days: Days = 25
    pilot_min_daily_active: AtLeastOne = 3
    pilot_adoption_days: Days = 10
    similarity: Annotated[float, Field(gt=0, le=1)] = 0.6
    review_days: Days = 92
    stage_max_days: StageMaxDays = StageMaxDays()


class Policy(Strict):
    """Severity overrides, thresholds, technology terms, extra failure modes and synonyms."""

    rules: dict[str, Annotated[Literal["error", "warning", "off"], BeforeValidator(_off)]] = {}
    thresholds: Thresholds = Thresholds()
    technology_terms: list[Annotated[str, Field(min_length=1)]] = list(DEFAULT_TECHNOLOGY_TERMS)
    failure_modes: list[Name] = []
    # Added to the similarity measure's domain list (core/similarity_terms.py): a word
    # (any inflection) -> the words it means, e.g. {bol: bill of lading}.
    synonyms: dict[
        Annotated[str, Field(pattern=r"^[^\W\d_]+$", max_length=100)],
        Annotated[str, Field(pattern=r"[^\W\d_]", max_length=1000)],
    ] = {}

    @field_validator("rules")
    @classmethod
    def _known_codes(cls, rules: dict[str, str]) -> dict[str, str]:
        for key, severity in rules.items():
            problem = rule_key_problem(key, severity)
            if problem:
                raise ValueError(problem)
        return rules

    @property
    def all_failure_modes(self) -> tuple[str, ...]:
        """Return the taxonomy: built-in modes plus the policy's own."""
        return FAILURE_MODES + tuple(m for m in self.failure_modes if m not in FAILURE_MODES)

    def severity(self, code: str) -> Severity:
        """Return the severity of a rule: the longest matching override, else its default."""
        best = ""
        for key in self.rules:
            if code.startswith(key) and len(key) > len(best):
                best = key
        return Severity(self.rules[best]) if best else CATALOG[code].severity
