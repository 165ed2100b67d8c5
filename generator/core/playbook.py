"""The stage gates as executable conditions.

`evaluate(record, gate, cutoff, policy)` judges one gate on the checks and
evidence dated on or before `cutoff`: the gate's advance decision for a stage
already entered, or the as-of date for the gate ahead (its readiness).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .findings import KeyPath
from .model import (
    STAGES,
    AdoptionEvidence,
    CostEvidence,
    OutcomeEvidence,
    QualityEvidence,
    Record,
    SatisfactionEvidence,
    SlaEvidence,
)
from .policy import Policy, Thresholds
from .record_log import (
    actual_costs,
    advance_into,
    dated,
    distinct_sponsors,
    latest,
    latest_check,
    meets,
    quality_interval,
    quality_series,
)
from .stats import Interval

# Ratios of decimal money amounts are inexact in binary: 0.009 / 0.003 < 3.
EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Condition:
    """One gate condition, judged: met or not, what was measured, where to fix it."""

    code: str
    label: str
    met: bool
    detail: str
    path: KeyPath
    check: str | None = None  # the check it asks for, when a readiness check is the condition


Evaluator = Callable[[Record, dt.date, Thresholds], list[Condition]]


@dataclass(frozen=True, slots=True)
class Gate:
    """A gate between two stages, who decides it, and its conditions."""

    source: str
    target: str
    decider: str
    evaluate: Evaluator


def _check(record: Record, code: str, name: str, label: str, cutoff: dt.date) -> Condition:
    found = latest_check(record, name, cutoff)
    if found is None:
        return Condition(code, label, False, f"no `{name}` check recorded", (), name)
    i, check = found
    met = check.status == "passed"
    detail = f"`{name}` {check.status} on {check.date}"
    return Condition(code, label, met, detail, ("checks", i), name)


_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|approx|incl|no|dr|mr|ms|st)\.", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]*\s+\S|\n\s*\S")


def sentence_count(text: str) -> int:
    """Count sentences, ignoring common abbreviations and decimal points."""
    text = text.strip()
    if not any(mark in text[:-1] for mark in ".!?\n"):
        return 1  # no mark before the end, so no break (most problems: one plain sentence)
    cleaned = _ABBREVIATIONS.sub("abbr", text)
    return 1 + len(_SENTENCE_BREAK.findall(cleaned))


def _discovery(record: Record, cutoff: dt.date, _t: Thresholds) -> list[Condition]:
    sentences = sentence_count(record.problem)
    metric = record.success_metric
    sponsors = distinct_sponsors(record, cutoff)
    return [
        Condition(
            "G101",
            "Problem stated in one sentence",
            sentences == 1,
            f"problem has {sentences} sentence{'s' * (sentences != 1)}",
            ("problem",),
        ),
        Condition(
            "G102",
            "Success metric with a target",
            metric is not None and metric.target is not None,
            "no success metric"
            if metric is None
            else (
                f"{metric.name}: target {metric.target:g}"
                if metric.target is not None
                else f"{metric.name}: no target"
            ),
            ("success_metric",),
        ),
        Condition(
            "G103",
            "Executive sponsor confirmed",
            bool(sponsors),
            ", ".join(s.name for _, s in sponsors) or "no sponsor in office",
            ("sponsors",),
        ),
        _check(record, "G104", "data-access", "Data access verified", cutoff),
    ]


def describe_quality(ev: QualityEvidence, interval: Interval) -> str:
    """Describe a measurement: `accuracy 0.62 [0.53-0.70] on 120 random samples`."""
    span = (
        f" [{interval.low:.2f}–{interval.high:.2f}]"
        if interval.low is not None and interval.high is not None
        else ""
    )
    size = f" on {ev.samples} {ev.sampling} samples" if ev.samples else f" ({ev.sampling} sample)"
    return f"{ev.metric} {interval.point:.2f}{span}{size}"


def deciding_quality(
    record: Record, cutoff: dt.date, min_samples: int
) -> tuple[int, QualityEvidence] | None:
    """Return the newest quality evidence with enough samples, else the largest one."""
    series = quality_series(record, cutoff)
    if not series:
        return None
    enough = [(i, e) for i, e in series if (e.samples or 0) >= min_samples]
    if enough:
        return enough[-1]
    return max(reversed(series), key=lambda pair: pair[1].samples or 0)


def _poc(record: Record, cutoff: dt.date, t: Thresholds) -> list[Condition]:
    return [
        *_quality(record, cutoff, t),
        _cost(record, cutoff, t),
        _check(record, "G204", "security-review", "Security review passed", cutoff),
        _check(record, "G205", "data-gaps", "No blocking data gaps", cutoff),
    ]


def _quality(record: Record, cutoff: dt.date, t: Thresholds) -> list[Condition]:
    found = deciding_quality(record, cutoff, t.min_samples)
    label_n = f"Quality measured on {t.min_samples}+ real samples"
    if found is None:
        none = "no quality evidence"
        return [
            Condition("G201", label_n, False, none, ()),
            Condition("G202", "Quality meets the bar", False, none, ()),
        ]
    i, ev = found
    where: KeyPath = ("evidence", i)
    interval = quality_interval(ev)
    text = describe_quality(ev, interval)
    n = ev.samples or 0
    target = record.quality_target
    if target is None:
        bar_met, bar = False, f"{text}; no quality_target set"
    else:
        sign = "≥" if target.direction == "higher" else "≤"
        bar_met = meets(interval.point, target.threshold, target.direction)
        bar = f"{text} vs bar {sign} {target.threshold:g}"
    return [
        Condition(
            "G201",
            label_n,
            n >= t.min_samples,
            text if n else f"{text}: sample size not stated",
            where,
        ),
        Condition(
            "G202", "Quality meets the bar", bar_met, bar, where if target else ("quality_target",)
        ),
    ]


def _cost(record: Record, cutoff: dt.date, t: Thresholds) -> Condition:
    label = f"Cost per inference under {t.cost_multiple_max:g}× target"
    target = record.budget.cost_per_inference if record.budget else None
    estimates = [(i, e) for i, e in dated(record.evidence, CostEvidence, cutoff) if e.per_inference]
    if not estimates:
        return Condition("G203", label, False, "no cost estimate per inference", ())
    i, ev = estimates[-1]
    assert ev.per_inference is not None
    if target is None:
        detail = f"${ev.per_inference:g} per inference; no budget.cost_per_inference target"
        return Condition("G203", label, False, detail, ("budget",))
    multiple = ev.per_inference / target if target else float("inf")
    detail = f"${ev.per_inference:g} per inference = {multiple:.1f}× target ${target:g}"
    return Condition("G203", label, multiple < t.cost_multiple_max - EPS, detail, ("evidence", i))


E = TypeVar("E", AdoptionEvidence, SatisfactionEvidence, SlaEvidence)


def _measured(
    record: Record,
    kind: type[E],
    cutoff: dt.date,
    code: str,
    label: str,
    missing: str,
    judge: Callable[[E], tuple[bool, str]],
) -> Condition:
    """Judge the newest evidence of one kind, or fail when there is none."""
    found = latest(record.evidence, kind, cutoff)
    if found is None:
        return Condition(code, label, False, missing, ())
    i, ev = found
    met, detail = judge(ev)
    return Condition(code, label, met, detail, ("evidence", i))


def _pilot(record: Record, cutoff: dt.date, t: Thresholds) -> list[Condition]:
    use = _measured(
        record, AdoptionEvidence, cutoff, "G301",
        f"{t.pilot_min_users}+ users for {t.pilot_min_days}+ days", "no adoption evidence",
        lambda ev: (
            ev.users >= t.pilot_min_users and (ev.days or 0) >= t.pilot_min_days,
            f"{ev.users} users over {ev.days or 0} days",
        ),
    )  # fmt: skip
    happy = _measured(
        record, SatisfactionEvidence, cutoff, "G302",
        f"Satisfaction above {t.satisfaction_min:.0%}", "no satisfaction evidence",
        lambda ev: (ev.score > t.satisfaction_min, f"satisfaction {ev.score:.0%}"),
    )  # fmt: skip
    return [
        use,
        happy,
        _check(record, "G303", "integration-test", "Integration tested", cutoff),
        _check(record, "G304", "rollback-plan", "Rollback plan documented", cutoff),
        _check(record, "G305", "sla-draft", "SLA draft approved", cutoff),
        _impact(record, cutoff),
    ]


def better(value: float, baseline: float, direction: str) -> bool:
    """Return whether a measured outcome is strictly better than the baseline."""
    eps = 1e-9  # a value written like the baseline is equal to it, not better
    return value > baseline + eps if direction == "higher" else value < baseline - eps


def _impact(record: Record, cutoff: dt.date) -> Condition:
    """G306: an outcome measured during the pilot, better than the baseline."""
    label = "Measurable business impact"
    found = advance_into(record, "pilot")
    began = found[1] if found else record.started
    during = [(i, e) for i, e in dated(record.evidence, OutcomeEvidence, cutoff) if e.date > began]
    metric = record.success_metric
    if not during:
        detail = f"no outcome measured after the pilot began on {began}"
        return Condition("G306", label, False, detail, ())
    name = metric.name if metric else "outcome"
    baseline = metric.baseline if metric else None
    direction = metric.direction if metric else "higher"
    if baseline is None:
        i, ev = during[-1]
        return Condition("G306", label, True, f"{name} {ev.value:g} on {ev.date}", ("evidence", i))
    wins = [(i, e) for i, e in during if better(e.value, baseline, direction)]
    i, ev = (wins or during)[-1]
    verdict = "better than" if wins else "not better than"
    detail = f"{name} {ev.value:g} on {ev.date}, {verdict} the baseline {baseline:g} "
    detail += f"({direction} is better)"
    return Condition("G306", label, bool(wins), detail, ("evidence", i))


def _scale(record: Record, cutoff: dt.date, t: Thresholds) -> list[Condition]:
    reliable = _measured(
        record, SlaEvidence, cutoff, "G401",
        f"SLA met {t.sla_days} consecutive days", "no SLA evidence",
        lambda ev: (
            ev.consecutive_days_met >= t.sla_days,
            f"{ev.consecutive_days_met} consecutive days met",
        ),
    )  # fmt: skip
    return [
        reliable,
        _check(record, "G402", "monitoring-dashboards", "Monitoring dashboards live", cutoff),
        _check(record, "G403", "on-call", "On-call rotation established", cutoff),
        _overrun(record, cutoff, t),
    ]


def _overrun(record: Record, cutoff: dt.date, t: Thresholds) -> Condition:
    label = f"Actual cost within {t.cost_overrun_max:.0%} of forecast"
    forecast = record.budget.monthly_forecast if record.budget else None
    costs = actual_costs(record, cutoff)
    if not costs:
        return Condition("G404", label, False, "no actual monthly cost recorded", ())
    i, ev = costs[-1]
    assert ev.monthly is not None
    if not forecast:
        return Condition(
            "G404",
            label,
            False,
            f"${ev.monthly:,.0f}/month; no budget.monthly_forecast",
            ("budget",),
        )
    ratio = ev.monthly / forecast
    detail = f"${ev.monthly:,.0f}/month = {ratio:.0%} of forecast ${forecast:,.0f}"
    return Condition("G404", label, ratio <= t.cost_overrun_max + EPS, detail, ("evidence", i))


GATES: tuple[Gate, ...] = (
    Gate("discovery", "poc", "Product owner", _discovery),
    Gate("poc", "pilot", "Engineering lead and sponsor", _poc),
    Gate("pilot", "scale", "Steering committee", _pilot),
    Gate("scale", "optimize", "CTO or VP Engineering", _scale),
)


def gate_into(stage: str) -> Gate | None:
    """Return the gate that leads into `stage` (None for discovery)."""
    return next((g for g in GATES if g.target == stage), None)


def gate_out_of(stage: str) -> Gate | None:
    """Return the gate that leads out of `stage` (None for optimize)."""
    return next((g for g in GATES if g.source == stage), None)


def evaluate(record: Record, gate: Gate, cutoff: dt.date, policy: Policy) -> list[Condition]:
    """Judge every condition of a gate on what the record shows up to `cutoff`."""
    return gate.evaluate(record, cutoff, policy.thresholds)


@dataclass(frozen=True, slots=True)
class Judged:
    """A gate the record crossed, judged on what it showed at its advance decision."""

    gate: Gate
    decision: int | None  # index of the advance decision; None when the log lacks it (R013)
    date: dt.date | None  # that decision's date
    conditions: tuple[Condition, ...]


def judge_crossed(
    record: Record, policy: Policy, as_of: dt.date, since: str = "discovery"
) -> list[Judged]:
    """Judge each gate from `since` up to the record's stage at its own advance decision.

    This is the playbook's one question about the past, asked by the gate rules, the
    project pages and `portfolio diff` alike. A gate whose advance decision the log lacks
    is judged as of `as_of`.
    """
    judged = []
    for gate in GATES[STAGES.index(since) : STAGES.index(record.stage)]:
        found = advance_into(record, gate.target)
        index, cutoff = found if found else (None, None)
        conditions = tuple(evaluate(record, gate, cutoff or as_of, policy))
        judged.append(Judged(gate, index, cutoff, conditions))
    return judged
