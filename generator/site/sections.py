"""Data of the portfolio-wide pages: overview, graveyard, learnings, pilots and more."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

from ..core.catalog import CATALOG
from ..core.model import STAGES
from ..core.money import Totals, record_money, totals
from ..core.playbook import GATES
from .decisions import decisions_due, quarter_ends
from .portfolio import Portfolio, rule_rows, stage_rows
from .sectiontypes import (
    ActiveWaiver,
    FailureHit,
    FailureMode,
    GateRule,
    Grave,
    LearningLink,
    Learnings,
    Overview,
    PolicyView,
    Problems,
    RecentDecision,
    Sponsors,
    Sponsorship,
    StatusCounts,
    Unreadable,
)
from .views import findings_view
from .viewtypes import RecordRow, RecordView

T = TypeVar("T")


def overview(rows: Sequence[RecordRow], portfolio: Portfolio) -> Overview:
    """Return decisions due, counts, the funnel, what needs attention and recent decisions."""
    count = {s: sum(r.status == s for r in rows) for s in ("active", "killed", "shelved")}
    attention = sorted(
        (r for r in rows if r.health != "ok" and r.status == "active"),
        key=lambda r: (-r.errors, -r.warnings, r.id),
    )
    return Overview(
        total=len(rows),
        by_status=StatusCounts(count["active"], count["killed"], count["shelved"]),
        due=decisions_due(portfolio),
        ended=quarter_ends(portfolio),
        stages=stage_rows(portfolio),
        attention=tuple(attention[:25]),
        attention_total=len(attention),
        recent=recent_decisions(portfolio, 12),
        unreadable=len(portfolio.unreadable),
        money=money_totals(portfolio),
    )


def money_totals(portfolio: Portfolio) -> Totals:
    """Return the portfolio's monthly spend, value and spend stopped as of its date."""
    records = [e.record for e in portfolio.records if e.record is not None]
    return totals(record_money(r, portfolio.as_of) for r in records)


def recent_decisions(portfolio: Portfolio, limit: int) -> tuple[RecentDecision, ...]:
    """Return the newest gate decisions across the portfolio."""
    out = []
    for entry in portfolio.records:
        record = entry.record
        assert record is not None
        for d in record.decisions:
            out.append(
                RecentDecision(
                    date=d.date,
                    id=record.id,
                    title=record.title,
                    outcome=d.outcome,
                    from_=d.from_,
                    to=d.to,
                    rationale=d.rationale,
                )
            )
    out.sort(key=lambda r: (r.date, r.id), reverse=True)
    return tuple(out[:limit])


def graveyard(views: Sequence[RecordView]) -> tuple[Grave, ...]:
    """Return killed and shelved initiatives, most recent end first."""
    dead = []
    for v in views:
        r = v.row
        if r.status == "active":
            continue
        ends = [d for d in v.decisions if d.outcome in ("kill", "shelve")]
        modes = tuple(sorted({f.mode for f in v.failures}))
        dead.append(
            Grave(r.id, r.title, r.team, r.stage, r.status, r.ended,
                  end=ends[-1] if ends else None, modes=modes, learnings=v.learnings)
        )  # fmt: skip
    return tuple(sorted(dead, key=lambda g: (str(g.ended or ""), g.id), reverse=True))


def learnings(views: Sequence[RecordView]) -> Learnings:
    """Return every learning grouped by tag and by failure mode."""
    by_tag: dict[str, list[LearningLink]] = defaultdict(list)
    by_mode: dict[str, list[LearningLink]] = defaultdict(list)
    for v in views:
        modes = sorted({f.mode for f in v.failures})
        for item in v.learnings:
            link = LearningLink(item.text, v.row.id, v.row.title, v.row.status)
            for tag in item.tags or ["untagged"]:
                by_tag[tag].append(link)
            for mode in modes or ["no failure mode recorded"]:
                by_mode[mode].append(link)
    return Learnings(_groups(by_tag), _groups(by_mode))


def _groups(groups: dict[str, list[T]]) -> tuple[tuple[str, tuple[T, ...]], ...]:
    """Return the groups sorted by name, each as a (name, rows) pair."""
    return tuple((name, tuple(rows)) for name, rows in sorted(groups.items()))


def failure_modes(views: Sequence[RecordView], portfolio: Portfolio) -> tuple[FailureMode, ...]:
    """Return the taxonomy with counts and the initiatives that hit each mode."""
    hits: dict[str, list[FailureHit]] = defaultdict(list)
    for v in views:
        for f in v.failures:
            hits[f.mode].append(FailureHit(v.row.id, v.row.title, f.stage, v.row.status,
                                           f.description, f.mitigation))  # fmt: skip
    known = portfolio.policy.all_failure_modes
    modes = list(known)
    modes += sorted(m for m in hits if m not in modes)
    return tuple(FailureMode(m, len(hits[m]), m in known, tuple(hits[m])) for m in modes)


def pilots(views: Sequence[RecordView]) -> tuple[RecordView, ...]:
    """Return the active pilots, the most overdue first."""
    board = [(v.pilot.day, v) for v in views if v.pilot is not None]
    return tuple(v for _, v in sorted(board, key=lambda p: (-p[0], p[1].row.id)))


def sponsors(views: Sequence[RecordView]) -> Sponsors:
    """Return initiatives per sponsor (current and former) and per team."""
    by_sponsor: dict[str, list[Sponsorship]] = defaultdict(list)
    by_team: dict[str, list[RecordRow]] = defaultdict(list)
    for v in views:
        r = v.row
        for s in v.sponsor_rows:
            by_sponsor[s.name].append(
                Sponsorship(r.id, r.title, r.stage, r.status, r.health, s.role, s.active)
            )
        by_team[r.team].append(r)
    return Sponsors(_groups(by_sponsor), _groups(by_team))


def policy(views: Sequence[RecordView], portfolio: Portfolio) -> PolicyView:
    """Return the rules, thresholds and vocabularies in force, and active waivers."""
    waivers = [
        ActiveWaiver(v.row.id, v.row.title, w.rule, w.reason, w.approved_by, w.expires)
        for v in views
        for w in v.waivers
        if w.active
    ]
    thresholds = portfolio.policy.thresholds.model_dump()
    stage_days = thresholds.pop("stage_max_days")
    gates = [
        GateRule(g.source, g.target, g.decider, tuple(c for c in CATALOG if c.startswith(f"G{n}")))
        for n, g in enumerate(GATES, start=1)
    ]
    entry = portfolio.registry.policy_entry
    return PolicyView(
        gates=tuple(gates),
        rules=rule_rows(portfolio.policy),
        thresholds=tuple(sorted(thresholds.items())),
        stage_days=tuple((s, stage_days.get(s)) for s in STAGES),
        technology_terms=tuple(portfolio.policy.technology_terms),
        failure_modes=tuple(portfolio.policy.all_failure_modes),
        waivers=tuple(sorted(waivers, key=lambda w: (w.expires, w.id))),
        policy_file=entry.file if entry else None,
    )


def problems(portfolio: Portfolio) -> Problems:
    """Return unreadable records first, then every other finding by file."""
    unreadable = tuple(
        Unreadable(e.file, findings_view(portfolio.findings_by_file.get(e.file, [])))
        for e in portfolio.unreadable
    )
    bad_files = {e.file for e in portfolio.unreadable}
    others = [f for f in portfolio.report.findings if f.file not in bad_files]
    return Problems(
        unreadable=unreadable,
        findings=findings_view(others),
        errors=portfolio.report.errors,
        warnings=portfolio.report.warnings,
    )
