"""One record as frozen rows (`viewtypes`) for its page, the table and the exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..core import model
from ..core.catalog import CATALOG
from ..core.findings import Finding
from ..core.model import (
    AdoptionEvidence,
    Check,
    CostEvidence,
    Decision,
    Evidence,
    Failure,
    OutcomeEvidence,
    QualityEvidence,
    Record,
    SatisfactionEvidence,
    ShadowAiEvidence,
    SlaEvidence,
    Waiver,
)
from ..core.money import outcomes, record_money
from ..core.playbook import better, describe_quality
from ..core.record_log import distinct_sponsors, quality_interval, stage_clock, waiver_in_force
from ..load.registry import Entry
from .portfolio import (
    Portfolio,
    actual_cost,
    gate_history,
    health,
    next_gate,
    pilot_status,
    quality_view,
    sponsors_view,
)
from .viewtypes import (
    Budget,
    CheckRow,
    DecisionRow,
    EvidenceRow,
    FailureRow,
    FindingRow,
    HistoryRow,
    LearningRow,
    OutcomeRow,
    QualityBar,
    RecordRow,
    RecordView,
    SimilarRow,
    SuccessMetric,
    WaiverRow,
)


def evidence_text(ev: object) -> str:
    """Describe one evidence item in a line."""
    if isinstance(ev, QualityEvidence):
        return describe_quality(ev, quality_interval(ev))
    if isinstance(ev, CostEvidence):
        parts = []
        if ev.per_inference is not None:
            parts.append(f"${ev.per_inference:g} per inference")
        if ev.monthly is not None:
            parts.append(f"${ev.monthly:,.0f}/month")
        return ", ".join(parts) + (" (actual)" if ev.actual else " (estimate)")
    if isinstance(ev, AdoptionEvidence):
        daily = f", {ev.daily_active} daily active" if ev.daily_active is not None else ""
        days = f" over {ev.days} days" if ev.days is not None else ""
        return f"{ev.users} users{daily}{days}"
    if isinstance(ev, SatisfactionEvidence):
        who = f" from {ev.respondents} respondents" if ev.respondents is not None else ""
        return f"satisfaction {ev.score:.0%}{who}"
    if isinstance(ev, SlaEvidence):
        target = f" of {ev.target:.2%}" if ev.target is not None else ""
        return f"SLA{target} met {ev.consecutive_days_met} consecutive days"
    if isinstance(ev, OutcomeEvidence):
        worth = f", worth ${ev.monthly_value:,.0f}/month" if ev.monthly_value is not None else ""
        return f"outcome {ev.value:g}{worth}"
    if isinstance(ev, ShadowAiEvidence):
        return f"{ev.users} people using unofficial AI tools instead"
    raise TypeError(type(ev))


def findings_view(findings: Sequence[Finding]) -> tuple[FindingRow, ...]:
    """Return findings as rows, each with its rule's short name."""
    return tuple(
        FindingRow(
            f.rule,
            f.severity.value,
            f.message,
            f.line,
            f.column,
            f.file,
            rule_title(f.rule),
            f.project,
        )
        for f in findings
    )


def rule_title(code: str) -> str:
    """Return a rule's short name from the catalogue (the code itself if it has none)."""
    info = CATALOG.get(code)
    return info.title if info else code


def record_row(entry: Entry, portfolio: Portfolio) -> RecordRow:
    """Return the summary row of one record (table, exports, section pages)."""
    record = entry.record
    assert record is not None
    findings = portfolio.findings_by_file.get(entry.file, [])
    began, _ = stage_clock(record)
    end = _end(record)
    # A dead record's clock stops at its decision, and it gets no health verdict.
    stopped = end.date if end else portfolio.as_of
    return RecordRow(
        id=record.id,
        title=record.title,
        team=record.team,
        owner=record.owner.name,
        stage=record.stage,
        status=record.status,
        started=record.started,
        stage_since=began,
        days_in_stage=(stopped - began).days,
        sponsors=tuple(s.name for _, s in distinct_sponsors(record, portfolio.as_of)),
        tags=tuple(record.tags),
        health=health(findings) if record.status == "active" else None,
        errors=sum(f.severity.value == "error" for f in findings),
        warnings=sum(f.severity.value == "warning" for f in findings),
        ended=end.date if end else None,
        file=entry.file,
    )


def record_view(
    entry: Entry,
    portfolio: Portfolio,
    similar: Sequence[tuple[str, float]],
    *,
    edit_url: str | None,
    history: Sequence[HistoryRow],
) -> RecordView:
    """Return everything a record's page shows."""
    record = entry.record
    assert record is not None
    as_of, policy = portfolio.as_of, portfolio.policy
    return RecordView(
        row=record_row(entry, portfolio),
        problem=record.problem,
        owner_email=record.owner.email,
        success_metric=_metric(record.success_metric),
        quality_target=_bar(record.quality_target),
        use_cases=tuple(record.use_cases),
        budget=_budget(record.budget),
        sponsor_rows=sponsors_view(record, as_of),
        next_gate=next_gate(record, policy, as_of),
        gates=gate_history(record, policy, as_of),
        quality=quality_view(record, as_of),
        actual_cost=actual_cost(record, as_of),
        money=record_money(record, as_of),
        outcomes=_outcomes(record, as_of),
        pilot=pilot_status(record, policy, as_of) if _is_pilot(record) else None,
        decisions=tuple(map(_decision, record.decisions)),
        end=_decision(end) if (end := _end(record)) else None,
        checks=tuple(map(_check, sorted(record.checks, key=lambda c: c.date))),
        evidence=tuple(map(_evidence, sorted(record.evidence, key=lambda e: e.date))),
        failures=tuple(map(_failure, record.failures)),
        learnings=tuple(LearningRow(item.text, tuple(item.tags)) for item in record.learnings),
        waivers=tuple(_waiver(w, as_of) for w in record.waivers),
        related=_related(record),
        supersedes=record.supersedes,
        similar=tuple(
            SimilarRow(other, score)
            for other, score in similar
            if other not in record.related and other != record.supersedes
        ),
        links=dict(record.links),
        findings=findings_view(portfolio.findings_by_file.get(entry.file, [])),
        edit_url=edit_url,
        history=tuple(history),
    )


def _outcomes(record: Record, as_of: dt.date) -> tuple[OutcomeRow, ...]:
    """Return the success metric's measurements, each judged against the baseline."""
    metric = record.success_metric
    baseline = metric.baseline if metric else None
    direction = metric.direction if metric else "higher"
    return tuple(
        OutcomeRow(
            e.date,
            e.value,
            e.monthly_value,
            None if baseline is None else better(e.value, baseline, direction),
        )
        for _, e in outcomes(record, as_of)
    )


def _end(record: Record) -> Decision | None:
    """Return the decision that killed or shelved a dead record (None while active)."""
    if record.status == "active":
        return None
    ends = [d for d in record.decisions if d.outcome in ("kill", "shelve")]
    return ends[-1] if ends else (record.decisions[-1] if record.decisions else None)


def _related(record: Record) -> tuple[str, ...]:
    """Return the related ids once each, without the one the record supersedes."""
    return tuple(dict.fromkeys(r for r in record.related if r != record.supersedes))


def _is_pilot(record: Record) -> bool:
    """Return whether the record is an active pilot."""
    return record.stage == "pilot" and record.status == "active"


def _metric(m: model.SuccessMetric | None) -> SuccessMetric | None:
    """Return the success metric as a row."""
    return SuccessMetric(m.name, m.baseline, m.target, m.unit, m.direction) if m else None


def _bar(q: model.QualityTarget | None) -> QualityBar | None:
    """Return the quality bar as a row."""
    return QualityBar(q.metric, q.threshold, q.direction) if q else None


def _budget(b: model.Budget | None) -> Budget | None:
    """Return the budget as a row."""
    return Budget(b.cost_per_inference, b.monthly_forecast) if b else None


def _evidence(e: Evidence) -> EvidenceRow:
    """Return one evidence item with its description."""
    return EvidenceRow(e.date, e.kind, evidence_text(e))


def _decision(d: Decision) -> DecisionRow:
    """Return one decision as a row."""
    return DecisionRow(d.date, d.outcome, d.from_, d.to, tuple(d.by), d.rationale)


def _check(c: Check) -> CheckRow:
    """Return one check as a row."""
    return CheckRow(c.name, c.status, c.date, c.link)


def _failure(f: Failure) -> FailureRow:
    """Return one failure as a row."""
    return FailureRow(f.mode, f.date, f.stage, f.description, f.mitigation)


def _waiver(w: Waiver, as_of: dt.date) -> WaiverRow:
    """Return one waiver with whether it is in force."""
    return WaiverRow(w.rule, w.reason, w.approved_by, w.expires, waiver_in_force(w, as_of))
