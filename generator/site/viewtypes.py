"""What a record's page, the initiatives table and the exports receive: frozen rows of data.

Templates read fields by name (`p.row.title`), so a misspelt field fails the build under
`StrictUndefined`, and mypy checks that every builder fills every field. Sequences are
tuples: a view cannot change once built. Nothing here has behaviour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..core.money import Money


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One finding as a page and the JSON export show it."""

    rule: str
    severity: str
    message: str
    line: int
    column: int
    file: str
    title: str  # the rule's short name in the catalogue, linked to its entry on /policy/
    project: str | None  # the record's id, when the file was read as a record


@dataclass(frozen=True, slots=True)
class ConditionRow:
    """One gate condition: met or not, what was measured, whether a waiver in force covers it."""

    code: str
    label: str
    met: bool
    detail: str
    waived: bool


@dataclass(frozen=True, slots=True)
class NextGate:
    """The checklist of an active record's next gate, judged as of today."""

    source: str
    target: str
    decider: str
    ready: bool
    met: int
    conditions: tuple[ConditionRow, ...]


@dataclass(frozen=True, slots=True)
class GatePassed:
    """A gate the record crossed, judged on what was known at its decision."""

    source: str
    target: str
    date: dt.date
    met: int
    conditions: tuple[ConditionRow, ...]


@dataclass(frozen=True, slots=True)
class Quality:
    """The newest quality measurement with its 95% interval and the bar."""

    text: str
    point: float
    low: float | None
    high: float | None
    bar: float | None
    direction: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Pilot:
    """The 1-5-25 figures of an active pilot."""

    began: dt.date
    day: int
    due: dt.date
    overdue: bool
    users: int | None
    daily_active: int | None
    use_cases: int
    impact: bool  # an outcome better than the baseline measured during the pilot (G306)
    impact_detail: str


@dataclass(frozen=True, slots=True)
class SponsorRow:
    """A sponsor of the record and whether they are in office."""

    name: str
    role: str | None
    since: dt.date | None
    until: dt.date | None
    active: bool


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One gate decision of the record's log."""

    date: dt.date
    outcome: str
    from_: str | None  # `from` in the record; a keyword in Python
    to: str | None
    by: tuple[str, ...]
    rationale: str | None


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One readiness check (security review, rollback plan, ...)."""

    name: str
    status: str
    date: dt.date
    link: str | None


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One evidence item described in a line."""

    date: dt.date
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class FailureRow:
    """A failure mode the record hit."""

    mode: str
    date: dt.date | None
    stage: str | None
    description: str | None
    mitigation: str | None


@dataclass(frozen=True, slots=True)
class LearningRow:
    """One learning with its tags."""

    text: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WaiverRow:
    """One waiver and whether it is in force."""

    rule: str
    reason: str
    approved_by: str
    expires: dt.date
    active: bool


@dataclass(frozen=True, slots=True)
class SimilarRow:
    """Another record whose title and problem read alike, with the similarity."""

    id: str
    score: float


@dataclass(frozen=True, slots=True)
class SuccessMetric:
    """The metric that decides whether the initiative worked."""

    name: str
    baseline: float | None
    target: float | None
    unit: str | None
    direction: str


@dataclass(frozen=True, slots=True)
class QualityBar:
    """The quality the initiative must reach."""

    metric: str
    threshold: float
    direction: str


@dataclass(frozen=True, slots=True)
class Budget:
    """The cost forecast."""

    cost_per_inference: float | None
    monthly_forecast: float | None


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """One measurement of the success metric, and the USD a month it delivers."""

    date: dt.date
    value: float
    monthly_value: float | None
    better: bool | None  # than the baseline, in the metric's direction (None: no baseline)


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One commit that changed the record's file."""

    date: dt.date
    sha: str  # abbreviated
    subject: str
    url: str | None


@dataclass(frozen=True, slots=True)
class RecordRow:
    """The summary of one record: the initiatives table, the exports, the section pages."""

    id: str
    title: str
    team: str
    owner: str
    stage: str
    status: str
    started: dt.date
    stage_since: dt.date
    days_in_stage: int  # a killed or shelved record's count stops at its decision
    sponsors: tuple[str, ...]  # in office
    tags: tuple[str, ...]
    health: str | None  # "ok", "warning" or "error"; None once killed or shelved: no verdict
    errors: int
    warnings: int
    ended: dt.date | None  # the last decision of a dead record
    file: str


@dataclass(frozen=True, slots=True)
class RecordView:
    """Everything a record's page shows: its summary row and the details."""

    row: RecordRow
    problem: str
    owner_email: str | None
    success_metric: SuccessMetric | None
    quality_target: QualityBar | None
    use_cases: tuple[str, ...]
    budget: Budget | None
    sponsor_rows: tuple[SponsorRow, ...]
    next_gate: NextGate | None
    gates: tuple[GatePassed, ...]
    quality: Quality | None
    actual_cost: float | None
    money: Money  # monthly cost (actual, else forecast), value and their ratio
    outcomes: tuple[OutcomeRow, ...]  # oldest first
    pilot: Pilot | None
    decisions: tuple[DecisionRow, ...]
    end: DecisionRow | None  # the kill or shelve decision of a dead record
    checks: tuple[CheckRow, ...]  # oldest first
    evidence: tuple[EvidenceRow, ...]  # oldest first
    failures: tuple[FailureRow, ...]
    learnings: tuple[LearningRow, ...]
    waivers: tuple[WaiverRow, ...]
    related: tuple[str, ...]
    supersedes: str | None
    similar: tuple[SimilarRow, ...]
    links: Mapping[str, str]
    findings: tuple[FindingRow, ...]
    edit_url: str | None
    history: tuple[HistoryRow, ...]  # newest first
