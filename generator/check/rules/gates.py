"""Gate rules G101-G404: a record may only sit at a stage whose gates it passed."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.findings import Hit
from ...core.playbook import Condition, evaluate, judge_crossed
from ...core.record_log import stages_trusted
from .context import Context


def passed_gates(ctx: Context) -> Iterator[Hit]:
    """Judge each gate up to the current stage on what was known at its decision."""
    record = ctx.record
    if not stages_trusted(record):
        return  # R013 says what is wrong with the log; its gates were never decided
    for judged in judge_crossed(record, ctx.policy, ctx.as_of):
        if judged.decision is None or judged.date is None:
            continue  # R013 reports the missing advance decision
        gate, index, cutoff = judged.gate, judged.decision, judged.date
        failed = [c for c in judged.conditions if not c.met]
        if not failed:
            continue
        now = {c.code: c.met for c in evaluate(record, gate, ctx.as_of, ctx.policy)}
        for cond in failed:
            message = (
                f"{cond.label}: not met at the {gate.source}→{gate.target} decision of "
                f"{cutoff}: {cond.detail}"
            )
            if now.get(cond.code):
                message += "; evidence dated after the decision does not justify it retroactively"
            message += _advice(cond, gate.source)
            # Point at what to edit; a key the record lacks is added at the decision.
            known = bool(cond.path) and cond.path in ctx.entry.source.positions
            path = cond.path if known else ("decisions", index)
            yield Hit(cond.code, path, message)


def _advice(cond: Condition, stage: str) -> str:
    """Return what to do about a gate crossed without one of its conditions."""
    if cond.check is not None:
        # A missing check is usually paperwork, not a reason to stop the initiative.
        return (
            f"; if `{cond.check}` passed before the decision, record it with that date; "
            f"if not, get it passed now and waive it with a reason"
        )
    return f"; pivot back to {stage} or kill, or waive it with a reason"
