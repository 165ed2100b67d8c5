"""What needs a decision: every gate decision overdue or due soon, and the quarter's ends.

A decision is due when a clock of the playbook runs out: the pilot's go/no-go day, a
stage's upper bound, the quarterly review at scale and optimize, a waiver's expiry.
Each item carries the finding that fired for it, when one did, so the overview says
why in the rule's own words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..core.findings import Finding
from ..core.model import Record
from ..core.playbook import gate_out_of
from ..core.policy import Policy
from ..core.record_log import (
    REVIEW_STAGES,
    distinct_sponsors,
    last_review,
    pilot_window,
    stage_clock,
    waived_rules,
)
from ..core.timing import days, deadline
from .portfolio import Portfolio
from .sectiontypes import DecisionDue, QuarterEnds
from .views import rule_title

SOON_DAYS = 14  # "due soon": within two weeks of the as-of date


def decisions_due(portfolio: Portfolio) -> tuple[DecisionDue, ...]:
    """Return every decision overdue or due within `SOON_DAYS`, the most overdue first."""
    out = []
    for entry in portfolio.records:
        record = entry.record
        assert record is not None
        if record.status != "active":
            continue
        findings = portfolio.findings_by_file.get(entry.file, [])
        waived = waived_rules(record, portfolio.as_of)
        for decision, due, rule, clock in _clocks(record, portfolio.policy, portfolio.as_of):
            late = (portfolio.as_of - due).days
            if late < -SOON_DAYS or rule in waived:
                continue
            fired = next((f for f in findings if f.rule == rule), None)
            out.append(_item(record, portfolio.as_of, decision, due, clock, fired, rule))
    return tuple(sorted(out, key=lambda d: (-d.late, d.title, d.decision)))


def _clocks(
    record: Record, policy: Policy, as_of: dt.date
) -> Iterator[tuple[str, dt.date, str, str]]:
    """Yield (decision, due date, rule that fires once late, how the clock stands)."""
    gate = gate_out_of(record.stage)
    if gate is not None and record.stage == "pilot":
        window = pilot_window(record, policy.thresholds, as_of)
        yield (
            f"Go/no-go: {gate.source} → {gate.target}",
            window.due,
            "S011",
            f"pilot day {window.day} of {policy.thresholds.pilot_decision_days}",
        )
    elif gate is not None:
        limit = policy.thresholds.stage_max_days.for_stage(record.stage)
        if limit is not None:
            began, _ = stage_clock(record)
            yield (
                f"Gate: {gate.source} → {gate.target}",
                began + dt.timedelta(days=limit),
                "S013",
                f"{days((as_of - began).days)} at {record.stage} of a {limit}-day bound",
            )
    if record.stage in REVIEW_STAGES:
        found = last_review(record)
        if found is not None:
            index, last = found
            kind = "review" if record.decisions[index].outcome == "review" else "advance"
            yield (
                "Quarterly review: kill or continue",
                last + dt.timedelta(days=policy.thresholds.review_days),
                "S017",
                f"last {kind} on {last}, every {policy.thresholds.review_days} days",
            )
    for w in record.waivers:
        yield (
            f"Renew or end waiver of {w.rule}",
            w.expires,
            "S015",
            f"approved by {w.approved_by}",
        )


def _item(
    record: Record,
    as_of: dt.date,
    decision: str,
    due: dt.date,
    clock: str,
    fired: Finding | None,
    rule: str,
) -> DecisionDue:
    """Return one decision due, worded from its finding when one fired."""
    return DecisionDue(
        id=record.id,
        title=record.title,
        decision=decision,
        due=due,
        late=(as_of - due).days,
        when=deadline(due, as_of),
        owner=record.owner.name,
        sponsors=tuple(s.name for _, s in distinct_sponsors(record, as_of)),
        reason=fired.message if fired else clock,
        rule=rule if fired else None,
        rule_title=rule_title(rule) if fired else None,
    )


def quarter_ends(portfolio: Portfolio) -> QuarterEnds:
    """Return the kills and shelvings decided in the as-of date's calendar quarter."""
    as_of = portfolio.as_of
    first_month = 3 * ((as_of.month - 1) // 3) + 1
    start = dt.date(as_of.year, first_month, 1)
    count = {"kill": 0, "shelve": 0}
    for entry in portfolio.records:
        assert entry.record is not None
        for d in entry.record.decisions:
            if d.outcome in count and start <= d.date <= as_of:
                count[d.outcome] += 1
    label = f"Q{(first_month - 1) // 3 + 1} {as_of.year}"
    return QuarterEnds(label, count["kill"], count["shelve"])
