"""One record as plain data for its page, the table and the exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..core.findings import Finding
from ..core.model import (
    AdoptionEvidence,
    CostEvidence,
    Decision,
    QualityEvidence,
    Record,
    SatisfactionEvidence,
    ShadowAiEvidence,
    SlaEvidence,
    Waiver,
)
from ..core.playbook import describe_quality
from ..core.record_log import (
    active_sponsors,
    quality_interval,
    stage_clock,
    waived_rules,
    waiver_in_force,
)
from ..load.registry import Entry
from .portfolio import (
    Portfolio,
    actual_cost,
    gate_history,
    health,
    latest_quality,
    next_gate,
    pilot_status,
    sponsors_view,
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
    if isinstance(ev, ShadowAiEvidence):
        return f"{ev.users} people using unofficial AI tools instead"
    raise TypeError(type(ev))


def findings_view(findings: Sequence[Finding]) -> list[dict[str, object]]:
    """Return findings as plain rows."""
    return [
        {
            "rule": f.rule,
            "severity": f.severity.value,
            "message": f.message,
            "line": f.line,
            "column": f.column,
            "file": f.file,
        }
        for f in findings
    ]


def record_row(entry: Entry, portfolio: Portfolio) -> dict[str, object]:
    """Return the summary row of one record (table, exports, section pages)."""
    record = entry.record
    assert record is not None
    findings = portfolio.findings_by_file.get(entry.file, [])
    began, _ = stage_clock(record)
    end = record.decisions[-1] if record.status != "active" and record.decisions else None
    return {
        "id": record.id,
        "title": record.title,
        "team": record.team,
        "owner": record.owner.name,
        "stage": record.stage,
        "status": record.status,
        "started": record.started,
        "stage_since": began,
        "days_in_stage": (portfolio.as_of - began).days,
        "sponsors": [s.name for _, s in active_sponsors(record, portfolio.as_of)],
        "tags": list(record.tags),
        "health": health(findings),
        "errors": sum(f.severity.value == "error" for f in findings),
        "warnings": sum(f.severity.value == "warning" for f in findings),
        "ended": end.date if end else None,
        "file": entry.file,
    }


def record_view(
    entry: Entry, portfolio: Portfolio, similar: Sequence[tuple[str, float]]
) -> dict[str, object]:
    """Return everything a record's page shows."""
    record = entry.record
    assert record is not None
    as_of, policy = portfolio.as_of, portfolio.policy
    view = record_row(entry, portfolio)
    waived = waived_rules(record, as_of)
    gates = gate_history(record, policy, as_of)
    ahead = next_gate(record, policy, as_of)
    for gate in [*gates, *([ahead] if ahead else [])]:
        for cond in gate["conditions"]:  # type: ignore[attr-defined]
            cond["waived"] = cond["code"] in waived
    view.update(
        problem=record.problem,
        owner_email=record.owner.email,
        success_metric=record.success_metric.model_dump() if record.success_metric else None,
        quality_target=record.quality_target.model_dump() if record.quality_target else None,
        use_cases=list(record.use_cases),
        budget=record.budget.model_dump() if record.budget else None,
        sponsor_rows=sponsors_view(record, as_of),
        next_gate=ahead,
        gates=gates,
        quality=latest_quality(record, as_of),
        actual_cost=actual_cost(record, as_of),
        pilot=pilot_status(record, policy, as_of) if _is_pilot(record) else None,
        decisions=[_decision(d) for d in record.decisions],
        checks=[c.model_dump() for c in sorted(record.checks, key=lambda c: c.date)],
        evidence=[
            {"date": e.date, "kind": e.kind, "text": evidence_text(e)}
            for e in sorted(record.evidence, key=lambda e: e.date)
        ],
        failures=[f.model_dump() for f in record.failures],
        learnings=[{"text": item.text, "tags": list(item.tags)} for item in record.learnings],
        waivers=[_waiver(w, as_of) for w in record.waivers],
        related=list(record.related),
        supersedes=record.supersedes,
        similar=[{"id": other, "score": score} for other, score in similar],
        links=dict(record.links),
        findings=findings_view(portfolio.findings_by_file.get(entry.file, [])),
    )
    return view


def _is_pilot(record: Record) -> bool:
    return record.stage == "pilot" and record.status == "active"


def _decision(d: Decision) -> dict[str, object]:
    return {
        "date": d.date,
        "outcome": d.outcome,
        "from": d.from_,
        "to": d.to,
        "by": list(d.by),
        "rationale": d.rationale,
    }


def _waiver(w: Waiver, as_of: dt.date) -> dict[str, object]:
    return {
        "rule": w.rule,
        "reason": w.reason,
        "approved_by": w.approved_by,
        "expires": w.expires,
        "active": waiver_in_force(w, as_of),
    }
