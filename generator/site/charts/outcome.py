"""A record's outcome chart: the success metric measured over time, against baseline and target."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from .history import EVIDENCE_FONT, EVIDENCE_HEIGHT, EVIDENCE_WIDTH
from .style import BLUE, GREEN, INK
from .svg import Rule, Series, line_chart
from .types import Chart
from .words import fmt


@lru_cache(maxsize=4096)
def outcome_history(
    points: tuple[tuple[date, float], ...],
    baseline: float | None,
    target: float | None,
    name: str,
) -> Chart:
    """Draw the success metric's measurements as a line, baseline and target as dashed lines.

    Args:
        points: (date, measured value), at least two, in any order.
        baseline: the metric before the initiative, or None.
        target: the value the initiative aims for, or None.
        name: the success metric's name.

    Returns:
        A small line chart; the table lists every measurement, oldest first.
    """
    rows = sorted(points)
    table: list[tuple[str, ...]] = [("date", "measured", "baseline", "target")]
    table += [(d.isoformat(), fmt(v), fmt(baseline), fmt(target)) for d, v in rows]
    first, last = rows[0], rows[-1]
    alt = f"{name}: {fmt(len(rows))} measurements from {fmt(first[1])} on {first[0].isoformat()} "
    alt += f"to {fmt(last[1])} on {last[0].isoformat()}"
    alt += f", baseline {fmt(baseline)}" if baseline is not None else ""
    alt += f", target {fmt(target)}." if target is not None else "."
    return Chart(svg=outcome_svg(rows, baseline, target, name, alt), alt=alt, table=table)


def outcome_svg(
    rows: Sequence[tuple[date, float]],
    baseline: float | None,
    target: float | None,
    name: str,
    alt: str,
) -> str:
    """Draw the measurements (blue), the baseline (grey) and the target (green) over time."""
    line = Series(name, BLUE, tuple((d, v, None, None) for d, v in rows))
    rules = [Rule(f"baseline {fmt(baseline)}", INK, baseline)] if baseline is not None else []
    rules += [Rule(f"target {fmt(target)}", GREEN, target)] if target is not None else []
    return line_chart([line], rules, False, alt, EVIDENCE_WIDTH, EVIDENCE_HEIGHT, EVIDENCE_FONT)
