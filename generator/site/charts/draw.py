"""One draw function per chart: matplotlib marks on the axes that `style` laid out.

`spec` decides what each chart shows and says and hands the rows here; the house style,
shared marks and SVG output are in `style`. (A record's own charts, `history` and
`outcome`, are written as SVG by `svg`, without matplotlib.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import (
    FuncFormatter,
    LogLocator,
    MaxNLocator,
    NullFormatter,
    StrMethodFormatter,
)
from matplotlib.transforms import offset_copy

from .style import (
    CENTRED,
    GREEN,
    INK,
    ORANGE,
    PALE,
    STAGE_COLOURS,
    STATUS_COLOURS,
    STEPS,
    TICK_WIDTH,
    VERMILLION,
    after,
    date_axis,
    day,
    legend_above,
    mark,
    rows_axes,
    swatch,
    text_on,
    ticks,
    widen,
)
from .words import signed

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

    from .types import CostRow, Margin, StageCount, TimelineRow

# Where a timeline row ends in a kill or shelve: shape and colour, distinct from stages.
END_MARKS = {"killed": ("X", STATUS_COLOURS["killed"]), "shelved": ("s", STATUS_COLOURS["shelved"])}
# One hue from light to dark, so the heatmap reads by lightness alone.
DEATH_MAP = LinearSegmentedColormap.from_list("deaths", ["#FBE0CC", VERMILLION, "#7A3500"])


def count_x(days: int, bound: int | None) -> int:
    """Return where a day count is written: after the bar's end or its bound's tick,
    whichever is further right, so the number never sits on the tick."""
    return days if bound is None else max(days, bound)


def stacked(
    ax: Axes, labels: Sequence[str], parts: Sequence[tuple[str, str, Sequence[int]]]
) -> None:
    """Draw horizontal stacked bars: parts are (legend name, colour, one value per row)."""
    rows_axes(ax, labels)
    lefts = [0] * len(labels)
    top = max(max(sum(values[i] for _, _, values in parts) for i in range(len(labels))), 1)
    for name, colour, values in parts:
        pale = colour == PALE  # outlined, so that it stands out from a white page
        ax.barh(
            range(len(labels)), values, left=lefts, height=0.7, label=name, color=colour,
            edgecolor=INK if pale else colour, linewidth=0.8 if pale else 0,
        )  # fmt: skip
        ink = text_on(colour)
        for i, (left, width) in enumerate(zip(lefts, values, strict=True)):
            if width >= max(0.04 * top, 1):  # a number wider than its segment is noise
                ax.text(left + width / 2, i, f"{width:,}", color=ink, size="small", **CENTRED)
        lefts = [a + b for a, b in zip(lefts, values, strict=True)]
    past_end = after(ax)
    for i, total in enumerate(lefts):
        ax.text(total, i, f"{total:,}", va="center", fontweight="bold", transform=past_end)
    ax.set_xlim(0, top * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 2.5 initiatives
    legend_above(ax, [swatch(colour, name) for name, colour, _ in parts])


def draw_funnel(ax: Axes, stages: Sequence[StageCount]) -> None:
    """Draw reached-per-stage bars split into active there, died there and moved on."""
    moved = [max(s.reached - s.active - s.died, 0) for s in stages]
    stacked(
        ax,
        [s.stage for s in stages],
        [
            ("active here", STATUS_COLOURS["active"], [s.active for s in stages]),
            ("killed or shelved here", VERMILLION, [s.died for s in stages]),
            ("moved on to a later stage", PALE, moved),
        ],
    )
    ax.set_xlabel("initiatives that reached the stage")


def draw_status(ax: Axes, rows: Sequence[tuple[str, int, int, int]]) -> None:
    """Draw one stacked bar per stage: active, killed, shelved."""
    parts = [
        ("active", STATUS_COLOURS["active"], [r[1] for r in rows]),
        ("killed", STATUS_COLOURS["killed"], [r[2] for r in rows]),
        ("shelved", STATUS_COLOURS["shelved"], [r[3] for r in rows]),
    ]
    stacked(ax, [r[0] for r in rows], parts)
    ax.set_xlabel("initiatives")


def draw_time_in_stage(ax: Axes, rows: Sequence[tuple[str, str, int, int | None]]) -> None:
    """Draw days in the current stage per initiative, the playbook's bound as a tick."""
    rows_axes(ax, [f"{pid} · {stage}" for pid, stage, _, _ in rows])
    within = STATUS_COLOURS["active"]  # active initiatives only; blue would read as poc
    colours = [VERMILLION if b is not None and d > b else within for _, _, d, b in rows]
    ax.barh(range(len(rows)), [r[2] for r in rows], height=0.5, color=colours)
    bounded = [(i, b) for i, (_, _, _, b) in enumerate(rows) if b is not None]
    ticks(ax, [b for _, b in bounded], [i for i, _ in bounded], INK, size=15)
    right = max(count_x(d, b) for _, _, d, b in rows) * 1.12 + 1
    past_end = after(ax)  # GAP points clears the tick's half-width, TICK_WIDTH / 2
    for i, (_, _, days, bound) in enumerate(rows):
        ax.text(count_x(days, bound), i, f"{days:,}", va="center", transform=past_end)
    ax.set_xlim(0, right)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("days in current stage")
    legend_above(
        ax,
        [
            swatch(within, "within bound"),
            swatch(VERMILLION, "over bound"),
            mark("|", INK, "playbook bound", markersize=12, markeredgewidth=TICK_WIDTH),
        ],
    )


def draw_deaths(
    ax: Axes, stages: Sequence[str], modes: Sequence[str], counts: Sequence[Sequence[int]]
) -> None:
    """Draw a failure mode x stage heatmap with the count written in each cell."""
    top = max(max(row) for row in counts)
    rows_axes(ax, modes, grid=None)
    ax.set_xticks(range(len(stages)), list(stages))
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0)
    ax.spines[["top", "bottom", "left"]].set_visible(False)
    ax.set_xlim(-0.5, len(stages) - 0.5)
    for i, row in enumerate(counts):
        for j, n in enumerate(row):
            fill = DEATH_MAP(0.15 + 0.85 * n / top)[:3] if n > 0 else None
            # Empty cells get a faint grey box, so rows and columns stay easy to follow.
            box = {"color": fill} if fill else {"color": INK, "alpha": 0.1}
            ax.add_patch(Rectangle((j - 0.47, i - 0.45), 0.94, 0.9, linewidth=0, **box))
            if fill:
                ax.text(j, i, f"{n:,}", color=text_on(fill), **CENTRED)


def draw_forest(
    ax: Axes,
    labels: Sequence[str],
    notes: Sequence[str],
    margins: Sequence[Margin | None],
    met: Sequence[bool],
    relative: bool,
) -> None:
    """Draw each initiative's margin to its own bar with its 95% interval, right of 0 good.

    Every row is measured against its own bar, so 0 is the bar for all of them: an error
    rate and an accuracy can share the axis. `notes` (the value and the bar) are written
    on the right; a row without a bar has a note and no mark. `relative`: the margins are
    fractions of the bar, labelled as percentages.
    """
    rows_axes(ax, labels)
    right = ax.secondary_yaxis("right")
    right.set_yticks(range(len(notes)), list(notes))
    right.tick_params(length=0)
    right.spines["right"].set_visible(False)
    colours = [GREEN if ok else VERMILLION for ok in met]
    shown = [(i, m) for i, m in enumerate(margins) if m is not None]
    spans = [(i, m.low, m.high) for i, m in shown if m.low is not None and m.high is not None]
    ax.axvline(0, color=INK, linewidth=1.5, zorder=1)
    ax.hlines(
        [i for i, _, _ in spans],
        [lo for _, lo, _ in spans],
        [hi for _, _, hi in spans],
        colors=[colours[i] for i, _, _ in spans],
        linewidth=2,
    )
    ax.scatter(
        [m.point for _, m in shown],
        [i for i, _ in shown],
        s=42,
        c=[colours[i] for i, _ in shown],
        zorder=3,
    )
    ends = [v for _, m in shown for v in (m.point, m.low, m.high) if v is not None]
    lo, hi = widen(min([0.0, *ends]), max([0.0, *ends]), 0.1 if relative else 0.05)
    pad = (hi - lo) * 0.06
    ax.set_xlim(lo - pad, hi + pad)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=STEPS))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _: signed(x, relative, 0 if relative else 2))
    )
    what = ", % of the bar" if relative else ""
    ax.set_xlabel(f"margin to its own bar{what} (right of 0 meets it)")
    legend_above(
        ax,
        [
            mark("o", GREEN, "meets its bar"),
            mark("o", VERMILLION, "misses its bar"),
            Line2D([], [], color=INK, linewidth=2, label="95% interval"),
            mark("|", INK, "the bar (0)", markersize=12, markeredgewidth=1.5),
        ],
    )


def draw_cost(ax: Axes, rows: Sequence[CostRow], log: bool, multiples: tuple[float, float]) -> None:
    """Draw forecast (ring) to actual (dot) per initiative, with ticks at the multiples;
    a row with one figure only shows that one (an actual without a forecast in grey)."""
    overrun, explosion = multiples
    rows_axes(ax, [r[0] for r in rows])
    both = [(y, a, f) for y, (_, a, f) in enumerate(rows) if a is not None and f is not None]
    planned = [(y, f) for y, (_, _, f) in enumerate(rows) if f is not None]
    alone = [(y, a) for y, (_, a, f) in enumerate(rows) if a is not None and f is None]
    ax.hlines([b[0] for b in both], [b[2] for b in both], [b[1] for b in both], color=INK,
              linewidth=1, alpha=0.6)  # fmt: skip
    for multiple, colour in ((overrun, ORANGE), (explosion, VERMILLION)):
        ticks(ax, [f * multiple for _, f in planned], [y for y, _ in planned], colour, size=9)
    ax.plot([f for _, f in planned], [y for y, _ in planned], marker="o", linestyle="",
            color=INK, fillstyle="none")  # fmt: skip
    ratios = [a / f if f > 0 else float("inf") for _, a, f in both]
    colours = [VERMILLION if q >= explosion else ORANGE if q > overrun else GREEN for q in ratios]
    ax.scatter([a for _, a, _ in both], [y for y, _, _ in both], s=36, c=colours, zorder=3)
    if alone:
        ax.scatter([a for _, a in alone], [y for y, _ in alone], s=36, c=INK, zorder=3)
    if log:
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0), numticks=9))
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))  # no mathtext powers of ten
    ax.set_xlabel("monthly cost, USD" + (" (log scale)" if log else ""))
    legend_above(
        ax,
        [
            mark("o", INK, "forecast", fillstyle="none"),
            mark("o", GREEN, f"actual ≤ {overrun:g}×"),
            mark("o", ORANGE, f"actual > {overrun:g}×"),
            mark("o", VERMILLION, f"actual ≥ {explosion:g}×"),
            mark("|", ORANGE, f"{overrun:g}× forecast", markeredgewidth=2),
            mark("|", VERMILLION, f"{explosion:g}× forecast", markeredgewidth=2),
        ],
    )


def draw_timeline(ax: Axes, rows: Sequence[TimelineRow]) -> None:
    """Draw a Gantt row per initiative, a bar per stage, and a marker where one died."""
    rows_axes(ax, [r.label for r in rows])
    date_axis(ax)
    after_end = offset_copy(ax.transData, fig=ax.get_figure(root=True), x=6, units="points")
    for i, row in enumerate(rows):
        for stage, start, end in row.segments:
            width = max(day(end) - day(start), 1.0)
            ax.barh(i, width, left=day(start), height=0.6, color=STAGE_COLOURS.get(stage, INK))
        if row.status in END_MARKS:
            marker, colour = END_MARKS[row.status]
            last = day(max(seg[2] for seg in row.segments))
            ax.plot([last], [i], marker=marker, color=colour, markersize=7, transform=after_end)
    handles: list[Artist] = [swatch(c, s) for s, c in STAGE_COLOURS.items()]
    handles += [mark(m, c, status) for status, (m, c) in END_MARKS.items()]
    legend_above(ax, handles)
