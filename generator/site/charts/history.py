"""A record's own chart: its evidence over time, each metric against the record's bar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .store import Drawing
from .style import INK, NO_DATA, SERIES_COLOURS
from .svg import Rule, Series, line_chart, message
from .types import Chart, EvidencePoint
from .words import bar_text, fmt, q

# Inches, points: a narrow column beside the table of contents, so scaled down less.
EVIDENCE_WIDTH, EVIDENCE_HEIGHT, EVIDENCE_FONT = 5.4, 3.4, 11.0


@dataclass(frozen=True, slots=True)
class Planned:
    """A chart's words and numbers, and its drawing, done now or kept by content (`store`)."""

    alt: str
    table: list[tuple[str, ...]]
    drawing: Drawing


def evidence_history(
    series: Sequence[tuple[str, Sequence[EvidencePoint]]],
    bar: float | None,
    direction: str | None = None,
) -> Chart:
    """Draw one record's evidence over time: a line per metric with its 95% band, and the bar.

    Args:
        series: (metric name, [(date, point, low or None, high or None), ...]) per metric.
        bar: the quality threshold, drawn as a dashed line, or None.
        direction: "higher" or "lower", which side of the bar is good, if known.

    Returns:
        A small line chart; the table lists every measurement, oldest first.
    """
    plan = evidence_plan(series, bar, direction)
    return Chart(svg=plan.drawing.svg(), alt=plan.alt, table=plan.table)


def evidence_plan(
    series: Sequence[tuple[str, Sequence[EvidencePoint]]],
    bar: float | None,
    direction: str | None = None,
) -> Planned:
    """Return what `evidence_history` says and shows, with its drawing still to do."""
    header = ("metric", "date", "point", "95% low", "95% high")
    series = [(name, sorted(points, key=lambda p: p[0])) for name, points in series if points]
    if not series:
        alt = f"{NO_DATA}: evidence history."
        return Planned(alt, [header], Drawing(message_svg, (NO_DATA, alt)))
    table: list[tuple[str, ...]] = [header]
    table += [
        (name, day.isoformat(), q(point), q(low), q(high))
        for name, points in series
        for day, point, low, high in points
    ]
    against = "" if bar is None else bar_text(bar, direction)
    alt = f"Evidence history of {fmt(len(series))} metric{'s' * (len(series) > 1)}"
    alt += f" against a bar of {against}" if against else ""
    alt += ". Latest: " + "; ".join(_latest(name, points[-1]) for name, points in series) + "."
    ratio = all(
        0 <= v <= 1 for _, ps in series for v in (*(p[1] for p in ps), bar) if v is not None
    )
    frozen = tuple((name, tuple(points)) for name, points in series)
    return Planned(alt, table, Drawing(evidence_svg, (frozen, bar, f"bar {against}", ratio, alt)))


def evidence_svg(
    series: Sequence[tuple[str, Sequence[EvidencePoint]]],
    bar: float | None,
    bar_label: str,
    ratio: bool,
    alt: str,
) -> str:
    """Draw an evidence history (see `evidence_plan`) and return its SVG text: a line
    per metric with its 95% band, in the series colours, and the bar as a dashed line."""
    lines = [
        Series(name, SERIES_COLOURS[k % len(SERIES_COLOURS)], tuple(points))
        for k, (name, points) in enumerate(series)
    ]
    rules = [] if bar is None else [Rule(bar_label, INK, bar)]
    return line_chart(lines, rules, ratio, alt, EVIDENCE_WIDTH, EVIDENCE_HEIGHT, EVIDENCE_FONT)


def message_svg(words: str, alt: str) -> str:
    """Draw a one-line message chart, such as "No data yet", and return its SVG text."""
    return message(words, alt)


def _latest(name: str, point: EvidencePoint) -> str:
    """Describe a metric's latest measurement in words."""
    day, value, low, high = point
    interval = "" if low is None or high is None else f" (95% {q(low)}–{q(high)})"
    return f"{name} {q(value)}{interval} on {day.isoformat()}"
