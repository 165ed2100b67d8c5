"""The portfolio charts: what each shows and says, from plain rows to a `Chart`.

Every function returns a `Chart`: the SVG text (ready to inline into HTML or Markdown),
a text alternative stating the key numbers, and the numbers as a table to show beside it.
This module picks the rows, their order and the words; `draw` draws them in the house
style of `style`, and `words` writes the numbers. A record's own chart is in `history`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...core.model import STAGES
from . import draw as kinds
from .style import chart, no_data
from .types import Chart, CostRow, ForestRow, Margin, StageCount, TimelineRow
from .words import bar_text, fmt, q, signed, times

FOREST_HEADER = (
    *("initiative", "point", "95% low", "95% high", "bar", "direction"),
    *("margin to bar", "meets bar"),
)
MAX_ROWS = 40


def funnel(stages: Sequence[StageCount]) -> Chart:
    """Draw how many initiatives reached each stage, split into active there and died there.

    Args:
        stages: one count per stage, in stage order.

    Returns:
        Horizontal stacked bars: active here, killed or shelved here, moved on.
    """
    header = ("stage", "reached", "active", "died")
    if not stages:
        return no_data("funnel", header)
    table = [header, *((s.stage, fmt(s.reached), fmt(s.active), fmt(s.died)) for s in stages)]
    reached = ", ".join(f"{s.stage} {fmt(s.reached)}" for s in stages)
    worst = max(stages, key=lambda s: s.died)
    died = sum(s.died for s in stages)
    alt = f"Initiatives that reached each stage: {reached}. Active now: "
    alt += f"{fmt(sum(s.active for s in stages))}; killed or shelved: {fmt(died)}"
    alt += f", most at {worst.stage} ({fmt(worst.died)})." if died else "."
    return chart(lambda ax: kinds.draw_funnel(ax, stages), len(stages), alt, table)


def status_by_stage(rows: Sequence[tuple[str, int, int, int]]) -> Chart:
    """Draw initiatives per stage as stacked bars of active, killed and shelved.

    Args:
        rows: (stage, active, killed, shelved), in stage order.

    Returns:
        Horizontal stacked bars, one per stage.
    """
    header = ("stage", "active", "killed", "shelved")
    if not rows:
        return no_data("status by stage", header)
    table = [header, *((s, fmt(a), fmt(k), fmt(h)) for s, a, k, h in rows)]
    active = sum(r[1] for r in rows)
    killed = sum(r[2] for r in rows)
    shelved = sum(r[3] for r in rows)
    alt = f"{fmt(active + killed + shelved)} initiatives: {fmt(active)} active, "
    alt += f"{fmt(killed)} killed, {fmt(shelved)} shelved. By stage (active/killed/shelved): "
    alt += ", ".join(f"{s} {a}/{k}/{h}" for s, a, k, h in rows) + "."
    return chart(lambda ax: kinds.draw_status(ax, rows), len(rows), alt, table)


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
        return no_data("time in stage", header)
    shown = sorted(rows, key=_overrun, reverse=True)[:MAX_ROWS]
    table = [header, *((p, s, fmt(d), fmt(b)) for p, s, d, b in shown)]
    over = sum(1 for _, _, d, b in rows if b is not None and d > b)
    pid, stage, days, bound = shown[0]
    alt = f"{fmt(len(rows))} active initiatives by days in their current stage; {fmt(over)} "
    alt += f"past the playbook's bound. Longest relative to its bound: {pid}, {days} days in "
    alt += f"{stage} ({'no bound' if bound is None else f'bound {bound}'})."
    subtitle = _capped(len(shown), len(rows), "the longest relative to their bound")
    return chart(lambda ax: kinds.draw_time_in_stage(ax, shown), len(shown), alt, table, subtitle)


def deaths(rows: Sequence[tuple[str, str, int]]) -> Chart:
    """Draw failure modes hit by killed or shelved initiatives, per stage, as a heatmap.

    Args:
        rows: (stage, failure mode, count); repeated pairs are added up.

    Returns:
        A failure mode x stage grid with the count in each cell, commonest mode first.
    """
    header = ("stage", "failure mode", "count")
    if not any(n > 0 for _, _, n in rows):
        return no_data("failure modes", header)
    table = [header, *((s, m, fmt(n)) for s, m, n in rows)]
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
    alt = f"{fmt(sum(by_mode.values()))} failure-mode hits by killed or shelved initiatives. "
    alt += f"Commonest: {modes[0]} ({fmt(by_mode[modes[0]])}); "
    alt += f"the stage with the most: {worst} ({fmt(by_stage[worst])})."
    return chart(lambda ax: kinds.draw_deaths(ax, stages, modes, grid), len(modes), alt, table)


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
        return no_data("quality", FOREST_HEADER)
    # Points and bars decide: an interval may poke past 1 (a normal approximation) and
    # must not turn a chart of accuracies into one of percentages.
    relative = not all(0 <= v <= 1 for r in rows for v in (r.point, r.bar) if v is not None)
    shown = sorted(rows, key=lambda r: _margin_key(r, relative))[:MAX_ROWS]
    margins = [margin(r, relative) for r in shown]
    header = (*FOREST_HEADER[:6], "margin, % of bar", "meets bar") if relative else FOREST_HEADER
    table = [header] + [
        (
            r.label,
            *map(q, (r.point, r.low, r.high, r.bar)),
            r.direction,
            "—" if m is None else signed(m.point, relative, 1 if relative else 2),
            "yes" if r.met else "no",
        )
        for r, m in zip(shown, margins, strict=True)
    ]
    met = sum(1 for r in rows if r.met)
    alt = f"Quality of {fmt(len(rows))} initiatives, each against its own bar: {fmt(met)} meet "
    alt += f"it, {fmt(len(rows) - met)} miss it."
    first, gap = shown[0], margins[0]
    if first.bar is not None and gap is not None:
        alt += f" {'Closest to its bar' if first.met else 'Furthest short'}: {first.label} at "
        alt += f"{q(first.point)} against {bar_text(first.bar, first.direction)} "
        alt += f"(margin {signed(gap.point, relative, 1 if relative else 2)})."
    subtitle = _capped(len(shown), len(rows), "misses first, then the closest to their bar")
    notes = [
        f"{q(r.point)} · {'no bar' if r.bar is None else 'bar ' + bar_text(r.bar, r.direction)}"
        for r in shown
    ]
    return chart(
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


def cost_vs_forecast(rows: Sequence[CostRow], overrun: float, explosion: float) -> Chart:
    """Draw actual against forecast monthly cost per initiative, with the policy's multiples.

    Args:
        rows: (project id, actual monthly USD or None, forecast monthly USD or None), each
            with at least one of the two.
        overrun: the multiple of forecast that G404 allows (`cost_overrun_max`).
        explosion: the multiple at which S009 fires (`cost_explosion`).

    Returns:
        A dot plot from forecast to actual, furthest over forecast first, at most 40 rows;
        a log scale when the costs span more than a factor of 20.
    """
    header = ("project", "actual USD/month", "forecast USD/month", "actual/forecast")
    if not rows:
        return no_data("cost", header)
    shown = sorted(rows, key=_cost_key, reverse=True)[:MAX_ROWS]
    table = [header, *((p, fmt(a), fmt(f), _times(a, f)) for p, a, f in shown)]
    pairs = [(a, f) for _, a, f in rows if a is not None and f is not None]
    over = sum(1 for a, f in pairs if _ratio(a, f) > overrun)
    exploded = sum(1 for a, f in pairs if _ratio(a, f) >= explosion)
    pid, actual, forecast = shown[0]
    alt = (
        f"Monthly cost of {fmt(len(rows))} initiatives (active only), {fmt(len(pairs))} with both "
    )
    alt += f"an actual and a forecast: {fmt(over)} above {overrun:g}× forecast, {fmt(exploded)} "
    alt += f"at {explosion:g}× or more. "
    if actual is not None and forecast is not None:
        alt += f"Furthest over: {pid} at {times(_ratio(actual, forecast))} "
        alt += f"({fmt(actual)} against {fmt(forecast)} USD a month)."
    subtitle = _capped(len(shown), len(rows), "the furthest over forecast")
    values = [v for _, a, f in shown for v in (a, f, None if f is None else f * explosion) if v]
    log = bool(values) and max(values) > 20 * min(values)
    multiples = (overrun, explosion)
    return chart(
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
        return no_data("timeline", header)
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
    alt = f"{fmt(len(rows))} initiatives between {first.isoformat()} and {last.isoformat()}: "
    alt += ", ".join(f"{fmt(n)} {k}" for k, n in counts.items()) + "."
    subtitle = _capped(len(shown), len(rows), "the most recent")
    return chart(lambda ax: kinds.draw_timeline(ax, shown), len(shown), alt, table, subtitle)


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


def _cost_key(row: CostRow) -> tuple[int, float]:
    """Order key: rows with both figures by actual/forecast, then the others by size."""
    _, actual, forecast = row
    if actual is not None and forecast is not None:
        return (1, _ratio(actual, forecast))
    return (0, actual if actual is not None else forecast or 0.0)


def _times(actual: float | None, forecast: float | None) -> str:
    """Return actual/forecast as "1.2×", or a dash when either is missing."""
    return times(_ratio(actual, forecast)) if actual is not None and forecast is not None else "—"


def _ratio(actual: float, forecast: float) -> float:
    """Return actual / forecast, infinite when there is no forecast."""
    return actual / forecast if forecast > 0 else float("inf")
