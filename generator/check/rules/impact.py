"""Signal rules S017 and S018: the quarterly review, and value against cost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ...core.findings import Hit
from ...core.money import latest_value
from ...core.record_log import REVIEW_STAGES, actual_costs, last_review
from .context import Context


def quarterly_review(ctx: Context) -> Iterator[Hit]:
    """S017: at scale or optimize, no review or advance within `review_days` days."""
    record, limit = ctx.record, ctx.policy.thresholds.review_days
    if record.status != "active" or record.stage not in REVIEW_STAGES:
        return
    found = last_review(record)
    if found is None:
        return  # R013: the log lacks the advance into this stage
    index, last = found
    due = last + dt.timedelta(days=limit)
    late = (ctx.as_of - due).days
    if late > 0:
        kind = "review" if record.decisions[index].outcome == "review" else "advance"
        yield Hit(
            "S017",
            ("decisions", index),
            f"quarterly review {late} day{'s' * (late != 1)} overdue (due {due}, "
            f"{limit} days after the last {kind} on {last}); hold the kill/continue ROI "
            "review and record it as a `review` decision with its rationale",
        )


def value_below_cost(ctx: Context) -> Iterator[Hit]:
    """S018: at optimize, the latest monthly value is below the latest actual cost."""
    record = ctx.record
    if record.status != "active" or record.stage != "optimize":
        return
    found = latest_value(record, ctx.as_of)
    costs = actual_costs(record, ctx.as_of)
    if found is None or not costs:
        return
    i, outcome = found
    cost = costs[-1][1]
    value, monthly = outcome.monthly_value, cost.monthly
    assert value is not None and monthly is not None
    if value < monthly - 1e-9:
        yield Hit(
            "S018",
            ("evidence", i, "monthly_value"),
            f"delivers ${value:,.0f}/month (outcome of {outcome.date}) but costs "
            f"${monthly:,.0f}/month (actual, {cost.date}): {value / monthly:.2f}× its cost; "
            "cut the cost or raise the value, or kill it at the quarterly review",
        )
