"""Portfolio charts: plain data in, an accessible, byte-stable SVG document out.

Every function returns a `Chart`: the SVG text (ready to inline into HTML or Markdown),
a text alternative stating the key numbers, and the numbers as a table to show beside it.

Styling, and why:

- The figure and axes backgrounds are transparent, so a chart sits on the page's own
  background in Material's light (white) and dark (slate, about #1e2129) schemes.
- Text, spines, ticks and reference marks are one mid-grey, #7F7F7F. No grey reaches
  4.5:1 on both backgrounds; #7F7F7F gets 4.0:1 on each, the best a single colour can
  do, and the numbers are repeated as text in the alternative and the table anyway.
  Text is 10.5 pt on a 7.2 in figure, which the overview shows at about its own size.
- Data colours come from the Okabe–Ito palette, which stays distinguishable with the
  common colour-vision deficiencies and has mid lightness, so it reads on both schemes.
  Stages: discovery sky blue, poc blue, pilot green, scale orange, optimize purple.
  Status: active blue, killed vermillion, shelved purple. Warnings are vermillion.
- Text stays text (`svg.fonttype: none`) in a generic sans-serif stack, so it is
  searchable and the browser draws it in a system sans-serif (an <img> cannot use the
  site's web font; layout is measured in DejaVu Sans, as wide as or wider than those);
  mathtext is off, so `$` in a title is a dollar.
- Quality values (ratios such as accuracy) have two decimals everywhere, in the alt
  text, the tables and on the axes, as the rest of the site writes them: 0.87 (95%
  0.84–0.90). Counts and costs have separators; cost multiples one decimal (1.3×).
- Output is byte-stable: no date or creator metadata, a fixed `svg.hashsalt`, and element
  ids prefixed with a hash of the chart so several charts can share one page.

This module decides what each chart shows and says; `chart_kinds` draws it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ...core.model import STAGES
from . import draw as kinds
from .types import Chart, EvidencePoint, ForestRow, Margin, StageCount, TimelineRow

if TYPE_CHECKING:
    from matplotlib.axes import Axes

FOREST_HEADER = (
    *("initiative", "point", "95% low", "95% high", "bar", "direction"),
    *("margin to bar", "meets bar"),
)
MAX_ROWS = 40
ROW_HEIGHT = 0.3  # inches per row: 10.5 pt labels with air between them
EVIDENCE_WIDTH, EVIDENCE_FONT = 5.4, 11.0  # inches, points: a narrow column, scaled less
NO_DATA = "No data yet"


def funnel(stages: Sequence[StageCount]) -> Chart:
    """Draw how many initiatives reached each stage, split into active there and died there.

    Args:
        stages: one count per stage, in stage order.

    Returns:
        Horizontal stacked bars: active here, killed or shelved here, moved on.
    """
    header = ("stage", "reached", "active", "died")
    if not stages:
        return _empty("funnel", header)
    table = [header, *((s.stage, _fmt(s.reached), _fmt(s.active), _fmt(s.died)) for s in stages)]
    reached = ", ".join(f"{s.stage} {_fmt(s.reached)}" for s in stages)
    worst = max(stages, key=lambda s: s.died)
    died = sum(s.died for s in stages)
    alt = f"Initiatives that reached each stage: {reached}. Active now: "
    alt += f"{_fmt(sum(s.active for s in stages))}; killed or shelved: {_fmt(died)}"
    alt += f", most at {worst.stage} ({_fmt(worst.died)})." if died else "."
    return _render(lambda ax: kinds.draw_funnel(ax, stages), len(stages), alt, table)


def status_by_stage(rows: Sequence[tuple[str, int, int, int]]) -> Chart:
    """Draw initiatives per stage as stacked bars of active, killed and shelved.

    Args:
        rows: (stage, active, killed, shelved), in stage order.

    Returns:
        Horizontal stacked bars, one per stage.
    """
    header = ("stage", "active", "killed", "shelved")
    if not rows:
        return _empty("status by stage", header)
    table = [header, *((s, _fmt(a), _fmt(k), _fmt(h)) for s, a, k, h in rows)]
    active = sum(r[1] for r in rows)
    killed = sum(r[2] for r in rows)
    shelved = sum(r[3] for r in rows)
    alt = f"{_fmt(active + killed + shelved)} initiatives: {_fmt(active)} active, "
    alt += f"{_fmt(killed)} killed, {_fmt(shelved)} shelved. By stage (active/killed/shelved): "
    alt += ", ".join(f"{s} {a}/{k}/{h}" for s, a, k, h in rows) + "."
    return _render(lambda ax: kinds.draw_status(ax, rows), len(rows), alt, table)


def time_in_stage(rows: Sequence[tuple[str, str, int, int | None]]) -> Chart:
    """Draw days in the current stage per active initiative against the playbook's bound.

    Args:
        rows: (project id, stage, days in stage, bound in days or None).

    Returns:
        Horizontal bars, longest relative to the bound first, at most 40; bars over the
        bound in vermillion, the bound as a tick.
    """
    header = ("project", "stage", "days", "bound")
    if not rows:
        return _empty("time in stage", header)
    shown = sorted(rows, key=_overrun, reverse=True)[:MAX_ROWS]
    table = [header, *((p, s, _fmt(d), _fmt(b)) for p, s, d, b in shown)]
    over = sum(1 for _, _, d, b in rows if b is not None and d > b)
    pid, stage, days, bound = shown[0]
    alt = f"{_fmt(len(rows))} active initiatives by days in their current stage; {_fmt(over)} "
    alt += f"past the playbook's bound. Longest relative to its bound: {pid}, {days} days in "
    alt += f"{stage} ({'no bound' if bound is None else f'bound {bound}'})."
    subtitle = _capped(len(shown), len(rows), "the longest relative to their bound")
    return _render(lambda ax: kinds.draw_time_in_stage(ax, shown), len(shown), alt, table, subtitle)


def deaths(rows: Sequence[tuple[str, str, int]]) -> Chart:
    """Draw failure modes hit by killed or shelved initiatives, per stage, as a heatmap.

    Args:
        rows: (stage, failure mode, count); repeated pairs are added up.

    Returns:
        A failure mode x stage grid with the count in each cell, commonest mode first.
    """
    header = ("stage", "failure mode", "count")
    if not any(n > 0 for _, _, n in rows):
        return _empty("failure modes", header)
    table = [header, *((s, m, _fmt(n)) for s, m, n in rows)]
    cells: dict[tuple[str, str], int] = {}
    for stage, mode, n in rows:
        cells[stage, mode] = cells.get((stage, mode), 0) + n
    stages = [s for s in STAGES if any(s == st for st, _ in cells)]
    stages += sorted({st for st, _ in cells} - set(STAGES))
    by_stage = {st: sum(n for (s, _), n in cells.items() if s == st) for st in stages}
    by_mode: dict[str, int] = {}
    for (_, mode), n in cells.items():
        by_mode[mode] = by_mode.get(mode, 0) + n
    modes = sorted(by_mode, key=lambda m: (-by_mode[m], m))
    grid = [[cells.get((st, mode), 0) for st in stages] for mode in modes]
    worst = max(stages, key=lambda s: by_stage[s])
    alt = f"{_fmt(sum(by_mode.values()))} failure-mode hits by killed or shelved initiatives. "
    alt += f"Commonest: {modes[0]} ({_fmt(by_mode[modes[0]])}); "
    alt += f"the stage with the most: {worst} ({_fmt(by_stage[worst])})."
    return _render(lambda ax: kinds.draw_deaths(ax, stages, modes, grid), len(modes), alt, table)


def quality_forest(rows: Sequence[ForestRow]) -> Chart:
    """Draw each initiative's quality as its margin to its own bar, with the 95% interval.

    Metrics differ (an accuracy near 0.9, an error rate near 0.1, where lower is better),
    so each point is drawn as its distance from its own bar, signed so right of 0 always
    meets it, and the value and bar are written beside the row. Ratios give the distance
    in the metric's own units; when any point or bar lies outside 0–1 (other units), all
    rows give it as a percentage of the bar instead, so that they stay comparable.

    Args:
        rows: one per initiative; `met` says whether the point meets the bar.

    Returns:
        A forest plot, misses first, then the closest to their bar, at most 40 rows.
    """
    if not rows:
        return _empty("quality", FOREST_HEADER)
    # Points and bars decide: an interval may poke past 1 (a normal approximation) and
    # must not turn a chart of accuracies into one of percentages.
    relative = not all(0 <= v <= 1 for r in rows for v in (r.point, r.bar) if v is not None)
    shown = sorted(rows, key=lambda r: _margin_key(r, relative))[:MAX_ROWS]
    margins = [margin(r, relative) for r in shown]
    header = (*FOREST_HEADER[:6], "margin, % of bar", "meets bar") if relative else FOREST_HEADER
    table = [header] + [
        (
            r.label,
            *map(_q, (r.point, r.low, r.high, r.bar)),
            r.direction,
            "—" if m is None else kinds.signed(m.point, relative, 1 if relative else 2),
            "yes" if r.met else "no",
        )
        for r, m in zip(shown, margins, strict=True)
    ]
    met = sum(1 for r in rows if r.met)
    alt = f"Quality of {_fmt(len(rows))} initiatives, each against its own bar: {_fmt(met)} meet "
    alt += f"it, {_fmt(len(rows) - met)} miss it."
    first, gap = shown[0], margins[0]
    if first.bar is not None and gap is not None:
        alt += f" {'Closest to its bar' if first.met else 'Furthest short'}: {first.label} at "
        alt += f"{_q(first.point)} against {_bar(first.bar, first.direction)} "
        alt += f"(margin {kinds.signed(gap.point, relative, 1 if relative else 2)})."
    subtitle = _capped(len(shown), len(rows), "misses first, then the closest to their bar")
    notes = [
        f"{_q(r.point)} · {'no bar' if r.bar is None else 'bar ' + _bar(r.bar, r.direction)}"
        for r in shown
    ]
    return _render(
        lambda ax: kinds.draw_forest(
            ax, [r.label for r in shown], notes, margins, [r.met for r in shown], relative
        ),
        len(shown),
        alt,
        table,
        subtitle,
    )


def margin(row: ForestRow, relative: bool = False) -> Margin | None:
    """Return where a row's point and interval sit from its bar, right (positive) good.

    Higher is better: value − bar. Lower is better: bar − value, which also swaps the
    interval's ends. Relative: divided by the bar's size. None without a bar (or with a
    zero bar in relative mode).
    """
    bar = row.bar
    if bar is None or (relative and bar == 0):
        return None
    sign = 1.0 if row.direction == "higher" else -1.0
    scale = abs(bar) if relative else 1.0

    def distance(value: float) -> float:
        return sign * (value - bar) / scale

    if row.low is None or row.high is None:
        return Margin(distance(row.point), None, None)
    low, high = sorted((distance(row.low), distance(row.high)))
    return Margin(distance(row.point), low, high)


def cost_vs_forecast(
    rows: Sequence[tuple[str, float, float]], overrun: float, explosion: float
) -> Chart:
    """Draw actual against forecast monthly cost per initiative, with the policy's multiples.

    Args:
        rows: (project id, actual monthly USD, forecast monthly USD).
        overrun: the multiple of forecast that G404 allows (`cost_overrun_max`).
        explosion: the multiple at which S009 fires (`cost_explosion`).

    Returns:
        A dot plot from forecast to actual, furthest over forecast first, at most 40 rows;
        a log scale when the costs span more than a factor of 20.
    """
    header = ("project", "actual USD/month", "forecast USD/month", "actual/forecast")
    if not rows:
        return _empty("cost", header)
    shown = sorted(rows, key=lambda r: _ratio(r[1], r[2]), reverse=True)[:MAX_ROWS]
    table = [header, *((p, _fmt(a), _fmt(f), _times(_ratio(a, f))) for p, a, f in shown)]
    over = sum(1 for _, a, f in rows if _ratio(a, f) > overrun)
    exploded = sum(1 for _, a, f in rows if _ratio(a, f) >= explosion)
    pid, actual, forecast = shown[0]
    alt = f"Actual against forecast monthly cost for {_fmt(len(rows))} initiatives: "
    alt += f"{_fmt(over)} above {overrun:g}× forecast, {_fmt(exploded)} at {explosion:g}× or "
    alt += f"more. Furthest over: {pid} at {_times(_ratio(actual, forecast))} "
    alt += f"({_fmt(actual)} against {_fmt(forecast)} USD a month)."
    subtitle = _capped(len(shown), len(rows), "the furthest over forecast")
    values = [v for _, a, f in shown for v in (a, f, f * explosion)]
    log = min(values) > 0 and max(values) > 20 * min(values)
    multiples = (overrun, explosion)
    return _render(
        lambda ax: kinds.draw_cost(ax, shown, log, multiples), len(shown), alt, table, subtitle
    )


def timeline(rows: Sequence[TimelineRow]) -> Chart:
    """Draw a portfolio timeline: a row per initiative, a bar per stage, a mark where it died.

    Args:
        rows: one per initiative, its (stage, start, end) segments in any order.

    Returns:
        A Gantt-like chart of the 40 most recently active initiatives, earliest start first.
    """
    header = ("initiative", "stage", "start", "end", "status")
    rows = [r for r in rows if r.segments]
    if not rows:
        return _empty("timeline", header)
    recent = sorted(rows, key=lambda r: max(s[2] for s in r.segments), reverse=True)[:MAX_ROWS]
    shown = sorted(recent, key=lambda r: min(s[1] for s in r.segments))
    table = [header] + [
        (r.label, stage, start.isoformat(), end.isoformat(), r.status)
        for r in shown
        for stage, start, end in sorted(r.segments, key=lambda seg: seg[1])
    ]
    first = min(s[1] for r in rows for s in r.segments)
    last = max(s[2] for r in rows for s in r.segments)
    counts = {k: sum(1 for r in rows if r.status == k) for k in ("active", "killed", "shelved")}
    alt = f"{_fmt(len(rows))} initiatives between {first.isoformat()} and {last.isoformat()}: "
    alt += ", ".join(f"{_fmt(n)} {k}" for k, n in counts.items()) + "."
    subtitle = _capped(len(shown), len(rows), "the most recent")
    return _render(lambda ax: kinds.draw_timeline(ax, shown), len(shown), alt, table, subtitle)


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
    header = ("metric", "date", "point", "95% low", "95% high")
    series = [(name, sorted(points, key=lambda p: p[0])) for name, points in series if points]
    if not series:
        return _empty("evidence history", header)
    table = [header] + [
        (name, day.isoformat(), _q(point), _q(low), _q(high))
        for name, points in series
        for day, point, low, high in points
    ]
    against = "" if bar is None else _bar(bar, direction)
    alt = f"Evidence history of {_fmt(len(series))} metric{'s' * (len(series) > 1)}"
    alt += f" against a bar of {against}" if against else ""
    alt += ". Latest: " + "; ".join(_latest(name, points[-1]) for name, points in series) + "."
    ratio = all(
        0 <= v <= 1 for _, ps in series for v in (*(p[1] for p in ps), bar) if v is not None
    )
    return _render(
        lambda ax: kinds.draw_evidence(ax, series, bar, f"bar {against}", ratio),
        0,
        alt,
        table,
        height=3.4,
        width=EVIDENCE_WIDTH,
        font_size=EVIDENCE_FONT,
    )


def _render(
    draw: Callable[[Axes], None],
    rows: int,
    alt: str,
    table: Sequence[tuple[str, ...]],
    subtitle: str | None = None,
    height: float | None = None,
    width: float = kinds.WIDTH,
    font_size: float = kinds.FONT_SIZE,
) -> Chart:
    """Draw a chart, one row's height per row, and wrap it with its words and numbers."""
    height = height or max(2.2, 1.3 + ROW_HEIGHT * rows)
    alt = f"{alt} {subtitle}" if subtitle else alt
    svg = kinds.render(draw, height, alt, subtitle, width, font_size)
    return Chart(svg=svg, alt=alt, table=list(table))


def _empty(what: str, header: tuple[str, ...]) -> Chart:
    """Return a small chart that says there is no data yet, and a header-only table."""
    alt = f"{NO_DATA}: {what}."
    return Chart(svg=kinds.render_message(NO_DATA, alt), alt=alt, table=[header])


def _overrun(row: tuple[str, str, int, int | None]) -> tuple[int, float, int]:
    """Order key: bounded rows by days relative to the bound, then unbounded rows by days."""
    _, _, days, bound = row
    return (1, days / bound, days) if bound else (0, 0.0, days)


def _margin_key(row: ForestRow, relative: bool) -> tuple[bool, float]:
    """Order key: misses first, then by how far the point sits on the good side of its bar."""
    gap = margin(row, relative)
    return (row.met, float("inf") if gap is None else gap.point)


def _capped(shown: int, total: int, which: str) -> str | None:
    """Return a subtitle saying rows were left out, or None when none were."""
    return f"Showing {shown} of {total:,}: {which}." if shown < total else None


def _ratio(actual: float, forecast: float) -> float:
    """Return actual / forecast, infinite when there is no forecast."""
    return actual / forecast if forecast > 0 else float("inf")


def _latest(name: str, point: EvidencePoint) -> str:
    """Describe a metric's latest measurement in words."""
    day, value, low, high = point
    interval = "" if low is None or high is None else f" (95% {_q(low)}–{_q(high)})"
    return f"{name} {_q(value)}{interval} on {day.isoformat()}"


def _q(x: float | None) -> str:
    """Format a quality value as the site does, with two decimals (0.87); a dash for none."""
    return "—" if x is None else f"{x:,.2f}"


def _bar(bar: float, direction: str | None) -> str:
    """Format a bar with the side that meets it: ≥ 0.90 where higher is better."""
    side = {"higher": "≥ ", "lower": "≤ "}.get(direction or "", "")
    return f"{side}{_q(bar)}"


def _fmt(x: float | None) -> str:
    """Format a number for people: separators, three significant digits, a dash for none."""
    if x is None:
        return "—"
    if isinstance(x, int) or abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _times(ratio: float) -> str:
    """Format a multiple such as 1.3×; n/a without a forecast."""
    return "n/a" if ratio == float("inf") else f"{ratio:.1f}×"
