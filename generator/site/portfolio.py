"""Portfolio-level figures that pages, charts and exports share.

Everything here turns records and findings into frozen rows of plain data
(`viewtypes`, `sectiontypes`): templates receive no models with behaviour.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..check.engine import Report
from ..core.catalog import CATALOG
from ..core.findings import Finding, Severity
from ..core.model import STAGES, Record
from ..core.playbook import (
    GATES,
    Condition,
    describe_quality,
    evaluate,
    gate_out_of,
    judge_crossed,
)
from ..core.policy import Policy
from ..core.record_log import (
    active_sponsors,
    actual_costs,
    pilot_window,
    quality_interval,
    quality_series,
    waived_rules,
)
from ..core.similarity import SHOWN, Index, compared_text, vocabulary
from ..load.registry import Entry, Registry
from .sectiontypes import RuleRow, StageRow
from .viewtypes import ConditionRow, GatePassed, NextGate, Pilot, Quality, SponsorRow

SIMILAR_SHOWN = SHOWN
SIMILAR_LISTED = 5  # on a record's page


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The loaded registry, its findings by file, and the date it was judged on."""

    registry: Registry
    report: Report
    findings_by_file: dict[str, list[Finding]]

    @property
    def as_of(self) -> dt.date:
        """Return the as-of date of the report."""
        return self.report.as_of

    @property
    def policy(self) -> Policy:
        """Return the policy in force."""
        return self.registry.policy

    @property
    def records(self) -> list[Entry]:
        """Return the entries whose record loaded, sorted by id."""
        return sorted(
            (e for e in self.registry.entries if e.record is not None), key=lambda e: e.raw_id
        )

    @property
    def unreadable(self) -> list[Entry]:
        """Return the entries that could not be read as records."""
        return [e for e in self.registry.entries if e.record is None]


def portfolio_of(report: Report) -> Portfolio:
    """Wrap a report with its findings grouped by file."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.file].append(finding)
    return Portfolio(report.registry, report, dict(by_file))


def health(findings: Sequence[Finding]) -> str:
    """Return 'error', 'warning' or 'ok' for a record's findings."""
    if any(f.severity is Severity.ERROR for f in findings):
        return "error"
    return "warning" if findings else "ok"


def conditions_view(
    conditions: Sequence[Condition], waived: frozenset[str]
) -> tuple[ConditionRow, ...]:
    """Return gate conditions as rows, each saying whether a waiver in force covers it."""
    return tuple(
        ConditionRow(c.code, c.label, c.met, c.detail, waived=c.code in waived) for c in conditions
    )


def next_gate(record: Record, policy: Policy, as_of: dt.date) -> NextGate | None:
    """Return the checklist of an active record's next gate, judged as of today."""
    gate = gate_out_of(record.stage)
    if gate is None or record.status != "active":
        return None
    conditions = evaluate(record, gate, as_of, policy)
    return NextGate(
        source=gate.source,
        target=gate.target,
        decider=gate.decider,
        ready=all(c.met for c in conditions),
        met=sum(c.met for c in conditions),
        conditions=conditions_view(conditions, waived_rules(record, as_of)),
    )


def gate_history(record: Record, policy: Policy, as_of: dt.date) -> tuple[GatePassed, ...]:
    """Return each gate passed, judged on what was known at its decision."""
    # Waivers are those in force today, as on the next gate: the page says what is waived now.
    waived = waived_rules(record, as_of)
    return tuple(
        GatePassed(
            source=j.gate.source,
            target=j.gate.target,
            date=j.date,
            met=sum(c.met for c in j.conditions),
            conditions=conditions_view(j.conditions, waived),
        )
        for j in judge_crossed(record, policy, as_of)
        if j.date is not None
    )


def quality_view(record: Record, as_of: dt.date) -> Quality | None:
    """Return the newest quality measurement with its interval and the bar."""
    series = quality_series(record, as_of)
    if not series:
        return None
    _, ev = series[-1]
    interval = quality_interval(ev)
    target = record.quality_target
    return Quality(
        text=describe_quality(ev, interval),
        point=interval.point,
        low=interval.low,
        high=interval.high,
        bar=target.threshold if target else None,
        direction=target.direction if target else "higher",
        date=ev.date,
    )


def pilot_status(record: Record, policy: Policy, as_of: dt.date) -> Pilot:
    """Return the 1-5-25 figures of an active pilot."""
    window = pilot_window(record, policy.thresholds, as_of)
    last = window.usage[-1][1] if window.usage else None
    pilot_gate = GATES[2]  # pilot→scale
    impact = next(c for c in evaluate(record, pilot_gate, as_of, policy) if c.code == "G306")
    return Pilot(
        began=window.began,
        day=window.day,
        due=window.due,
        overdue=window.overdue,
        users=last.users if last else None,
        daily_active=last.daily_active if last else None,
        use_cases=len(record.use_cases),
        impact=impact.met,
        impact_detail=impact.detail,
    )


def sponsors_view(record: Record, as_of: dt.date) -> tuple[SponsorRow, ...]:
    """Return the sponsors with whether each is in office."""
    active = {i for i, _ in active_sponsors(record, as_of)}
    return tuple(
        SponsorRow(s.name, s.role, s.since, s.until, active=i in active)
        for i, s in enumerate(record.sponsors)
    )


def similar_map(portfolio: Portfolio) -> dict[str, list[tuple[str, float]]]:
    """Return id -> the SIMILAR_LISTED most similar records, most similar first.

    Only records at least loosely similar to another are keys. Of equal scores, the pair
    with the lower (i, j) comes first. A portfolio of look-alike records has millions of
    such pairs, so they are ranked in arrays rather than as Python lists per record.
    """
    entries = portfolio.records
    left, right, scores = similarity_index(portfolio).pair_arrays(SIMILAR_SHOWN)
    if not left.size:
        return {}
    # Each pair twice, as i's neighbour j and j's neighbour i, in the pairs' order.
    owner = np.stack([left, right], axis=1).ravel()
    other = np.stack([right, left], axis=1).ravel()
    score = np.repeat(scores, 2)
    order = np.lexsort((np.arange(owner.size), -score, owner))  # stable: owner, best first
    owner, other, score = owner[order], other[order], score[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    rank = np.arange(owner.size) - np.repeat(starts, np.diff(np.r_[starts, owner.size]))
    shown = rank < SIMILAR_LISTED
    out: dict[str, list[tuple[str, float]]] = {}
    for i, j, value in zip(
        owner[shown].tolist(), other[shown].tolist(), score[shown].tolist(), strict=True
    ):
        out.setdefault(entries[i].raw_id, []).append((entries[j].raw_id, value))
    return out


def similarity_index(portfolio: Portfolio) -> Index:
    """Return the similarity index of the portfolio's records, in `portfolio.records` order."""
    texts = [compared_text(e.record) for e in portfolio.records if e.record]
    return Index(texts, vocabulary(portfolio.policy.synonyms))


def actual_cost(record: Record, as_of: dt.date) -> float | None:
    """Return the newest actual monthly cost, if any."""
    costs = actual_costs(record, as_of)
    return costs[-1][1].monthly if costs else None


def stage_rows(portfolio: Portfolio) -> tuple[StageRow, ...]:
    """Return per stage: how many reached it, are active there, died there."""
    reached: Counter[str] = Counter()
    active: Counter[str] = Counter()
    died: Counter[str] = Counter()
    for entry in portfolio.records:
        record = entry.record
        assert record is not None
        for stage in STAGES[: STAGES.index(record.stage) + 1]:
            reached[stage] += 1
        (active if record.status == "active" else died)[record.stage] += 1
    return tuple(StageRow(s, reached[s], active[s], died[s]) for s in STAGES)


def rule_rows(policy: Policy) -> tuple[RuleRow, ...]:
    """Return the rule catalogue with the severity in force."""
    return tuple(
        RuleRow(
            code=r.code,
            title=r.title,
            family=r.family,
            default=r.severity.value,
            severity=policy.severity(r.code).value,
            waivable=r.waivable,
            why=r.why,
        )
        for r in CATALOG.values()
    )
