"""A record's outcome chart: the success metric measured over time, against baseline and target."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from .history import EVIDENCE_FONT, EVIDENCE_WIDTH
from .style import BLUE, GREEN, INK, chart, date_axis, day, legend_above
from .types import Chart
from .words import fmt

if TYPE_CHECKING:
    from matplotlib.axes import Axes


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
    table = [("date", "measured", "baseline", "target")] + [
        (d.isoformat(), fmt(v), fmt(baseline), fmt(target)) for d, v in rows
    ]
    first, last = rows[0], rows[-1]
    alt = f"{name}: {fmt(len(rows))} measurements from {fmt(first[1])} on {first[0].isoformat()} "
    alt += f"to {fmt(last[1])} on {last[0].isoformat()}"
    alt += f", baseline {fmt(baseline)}" if baseline is not None else ""
    alt += f", target {fmt(target)}" if target is not None else ""
    return chart(
        lambda ax: _draw(ax, rows, baseline, target, name),
        0,
        alt + ".",
        table,
        height=3.4,
        width=EVIDENCE_WIDTH,
        font_size=EVIDENCE_FONT,
    )


def _draw(
    ax: Axes,
    rows: Sequence[tuple[date, float]],
    baseline: float | None,
    target: float | None,
    name: str,
) -> None:
    """Draw the measurements, the baseline (grey) and the target (green)."""
    ax.grid(axis="y", color=INK, alpha=0.25, linewidth=0.6)
    ax.plot([day(d) for d, _ in rows], [v for _, v in rows], marker="o", markersize=6,
            color=BLUE, label=name)  # fmt: skip
    date_axis(ax)
    if baseline is not None:
        ax.axhline(
            baseline, color=INK, linestyle="--", linewidth=1.5, label=f"baseline {fmt(baseline)}"
        )
    if target is not None:
        ax.axhline(
            target, color=GREEN, linestyle="--", linewidth=1.5, label=f"target {fmt(target)}"
        )
    legend_above(ax, ax.get_legend_handles_labels()[0])
