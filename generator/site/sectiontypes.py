"""What the portfolio-wide pages receive: frozen rows of data, built in `sections.py`.

Groups are `(name, rows)` pairs in page order, as the templates loop over them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.money import Totals
from .viewtypes import DecisionRow, FindingRow, LearningRow, RecordRow


@dataclass(frozen=True, slots=True)
class StageRow:
    """How many initiatives reached a stage, are active there, and ended there."""

    stage: str
    reached: int
    active: int
    died: int


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """How many initiatives are active, killed and shelved."""

    active: int
    killed: int
    shelved: int


@dataclass(frozen=True, slots=True)
class RecentDecision:
    """A gate decision with the record it was made on."""

    date: dt.date
    id: str
    title: str
    outcome: str
    from_: str | None
    to: str | None
    rationale: str | None


@dataclass(frozen=True, slots=True)
class DecisionDue:
    """A gate decision that is overdue or due soon, with who makes it and why."""

    id: str
    title: str
    decision: str  # what is to be decided
    due: dt.date
    late: int  # days past due; negative while still due
    when: str  # "N days overdue (due DATE)" or "due in N days (DATE)"
    owner: str
    sponsors: tuple[str, ...]
    reason: str  # the finding's message, or how the clock stands
    rule: str | None  # the finding behind it, if it fired
    rule_title: str | None


@dataclass(frozen=True, slots=True)
class QuarterEnds:
    """How many initiatives were killed and shelved in the as-of date's quarter."""

    label: str  # "Q4 2026"
    killed: int
    shelved: int


@dataclass(frozen=True, slots=True)
class Overview:
    """Decisions due, the headline figures, what needs attention and the recent decisions."""

    total: int
    by_status: StatusCounts
    due: tuple[DecisionDue, ...]  # the most overdue first
    ended: QuarterEnds
    stages: tuple[StageRow, ...]
    attention: tuple[RecordRow, ...]  # the most serious first, at most 25
    attention_total: int
    recent: tuple[RecentDecision, ...]
    unreadable: int
    money: Totals  # current monthly spend, value where recorded, spend stopped


@dataclass(frozen=True, slots=True)
class Grave:
    """A killed or shelved initiative: how it ended and what it taught."""

    id: str
    title: str
    team: str
    stage: str
    status: str
    ended: dt.date | None
    end: DecisionRow | None  # its last kill or shelve decision
    modes: tuple[str, ...]
    learnings: tuple[LearningRow, ...]


@dataclass(frozen=True, slots=True)
class LearningLink:
    """A learning with the initiative it came from."""

    text: str
    id: str
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class Learnings:
    """Every learning grouped by tag and by failure mode."""

    by_tag: tuple[tuple[str, tuple[LearningLink, ...]], ...]
    by_mode: tuple[tuple[str, tuple[LearningLink, ...]], ...]


@dataclass(frozen=True, slots=True)
class FailureHit:
    """An initiative that hit a failure mode."""

    id: str
    title: str
    stage: str | None
    status: str
    description: str | None
    mitigation: str | None


@dataclass(frozen=True, slots=True)
class FailureMode:
    """A failure mode, whether the taxonomy knows it, and who hit it."""

    mode: str
    count: int
    known: bool
    hits: tuple[FailureHit, ...]


@dataclass(frozen=True, slots=True)
class Sponsorship:
    """An initiative as one sponsor's (current or former)."""

    id: str
    title: str
    stage: str
    status: str
    health: str | None  # None once killed or shelved
    role: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class Sponsors:
    """Initiatives per sponsor and per team."""

    by_sponsor: tuple[tuple[str, tuple[Sponsorship, ...]], ...]
    by_team: tuple[tuple[str, tuple[RecordRow, ...]], ...]


@dataclass(frozen=True, slots=True)
class RuleRow:
    """A rule of the catalogue with the severity in force."""

    code: str
    title: str
    family: str
    default: str
    severity: str
    waivable: bool
    why: str


@dataclass(frozen=True, slots=True)
class GateRule:
    """A gate, who decides it, and the codes of its conditions."""

    source: str
    target: str
    decider: str
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActiveWaiver:
    """A waiver in force with the initiative it belongs to."""

    id: str
    title: str
    rule: str
    reason: str
    approved_by: str
    expires: dt.date


@dataclass(frozen=True, slots=True)
class PolicyView:
    """The rules, thresholds and vocabularies in force, and the active waivers."""

    gates: tuple[GateRule, ...]
    rules: tuple[RuleRow, ...]
    thresholds: tuple[tuple[str, float], ...]  # name, value (stage bounds apart)
    stage_days: tuple[tuple[str, int | None], ...]
    technology_terms: tuple[str, ...]
    failure_modes: tuple[str, ...]
    waivers: tuple[ActiveWaiver, ...]
    policy_file: str | None


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file that could not be read as a record, with why."""

    file: str
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True, slots=True)
class Problems:
    """Unreadable files first, then every other finding."""

    unreadable: tuple[Unreadable, ...]
    findings: tuple[FindingRow, ...]
    errors: int
    warnings: int
