"""The matplotlib side of the charts: house style, palette, marks, and SVG text out.

`charts.py` decides what each chart shows and says (rows, order, text alternative, table)
and explains the palette; this module draws it with matplotlib's object API (no pyplot
state) and turns the figure into an accessible, byte-stable SVG document.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal
from xml.sax.saxutils import escape

import matplotlib
from matplotlib import dates as mdates
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import LogLocator, NullFormatter, PercentFormatter, StrMethodFormatter
from matplotlib.transforms import offset_copy

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.axis import XAxis, YAxis
    from matplotlib.typing import RcKeyType

    from .charts import EvidencePoint, ForestRow, StageCount, TimelineRow

# Mid-grey for text, axes and reference marks: about 4:1 on white and on slate alike.
INK = "#808080"
# Okabe–Ito: distinguishable with the common colour-vision deficiencies, mid lightness.
BLUE, SKY, GREEN = "#0072B2", "#56B4E9", "#009E73"
ORANGE, VERMILLION, PURPLE = "#E69F00", "#D55E00", "#CC79A7"
STAGE_COLOURS = {"discovery": SKY, "poc": BLUE, "pilot": GREEN, "scale": ORANGE, "optimize": PURPLE}
STATUS_COLOURS = {"active": BLUE, "killed": VERMILLION, "shelved": PURPLE}
# Where a timeline row ends in a kill or shelve: shape and colour, distinct from stages.
END_MARKS = {"killed": ("X", VERMILLION), "shelved": ("s", INK)}
SERIES_COLOURS = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION)
# One hue from light to dark, so the heatmap reads by lightness alone.
DEATH_MAP = LinearSegmentedColormap.from_list("deaths", ["#FBE0CC", VERMILLION, "#7A3500"])
LABEL_CHARS = 44
CENTRED: dict[str, Any] = {"ha": "center", "va": "center"}
WIDTH = 8.0  # inches
RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "portfolio",
    "svg.fonttype": "none",
    "text.parse_math": False,
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["Roboto", "Helvetica Neue", "Arial", "DejaVu Sans"],
    "font.size": 9.0,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "axes.facecolor": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "figure.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "legend.frameon": False,
    "legend.fontsize": "small",
}


def render(draw: Callable[[Axes], None], height: float, alt: str, subtitle: str | None) -> str:
    """Draw a chart in the house style and return it as accessible SVG text."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH, height), layout="constrained")
        fig.patch.set_alpha(0)
        draw(fig.add_subplot())
        if subtitle:
            fig.suptitle(subtitle, x=0.01, ha="left", fontsize="medium")
        return accessible(svg_text(fig), alt)


def render_message(message: str, alt: str) -> str:
    """Return a small SVG that shows one line of text, such as "No data yet"."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH, 0.8))
        fig.patch.set_alpha(0)
        fig.text(0.5, 0.5, message, ha="center", va="center", fontsize="large")
        return accessible(svg_text(fig), alt)


def svg_text(fig: Figure) -> str:
    """Save a figure as SVG text without the metadata that would change between runs."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def accessible(svg: str, alt: str) -> str:
    """Strip the prolog, make ids unique per chart, and add role, aria-label and title."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    # Several charts can share a page: prefix ids with a hash of this one's content.
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "-"
    svg = re.sub(r'(\bid="|url\(#|href="#)', lambda m: m.group(1) + prefix, svg)
    head, rest = svg.split(">", 1)
    label = escape(alt, {'"': "&quot;"})
    attrs = f' role="img" aria-label="{label}" style="max-width: 100%; height: auto"'
    return f"{head}{attrs}>\n <title>{escape(alt)}</title>{rest}".rstrip() + "\n"


def day(d: date) -> float:
    """Return a date as matplotlib's float day number."""
    return float(mdates.date2num(d))  # type: ignore[no-untyped-call]


def date_axis(ax: Axes) -> None:
    """Make x a date axis with few, whole-period ticks (months rather than half-months)."""
    ax.xaxis_date()
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def percent_axis(axis: XAxis | YAxis, limits: tuple[float, float]) -> None:
    """Label an axis of ratios as percentages, whole ones unless the range is narrow."""
    wide = limits[1] - limits[0] >= 0.1
    axis.set_major_formatter(PercentFormatter(xmax=1, decimals=0 if wide else None))


def short(label: str) -> str:
    """Return a label cut to fit the row axis, with an ellipsis when cut."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def text_on(colour: str | tuple[float, float, float]) -> str:
    """Return black or white, whichever reads better on a fill colour."""
    r, g, b = to_rgb(colour)
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "#ffffff"


def swatch(colour: str, label: str) -> Patch:
    """Return a legend entry for a filled area."""
    return Patch(color=colour, label=label)


def mark(marker: str, colour: str, label: str, **style: Any) -> Line2D:
    """Return a legend entry for a marker."""
    return Line2D([], [], marker=marker, color=colour, linestyle="", label=label, **style)


def ticks(
    ax: Axes, xs: Sequence[float], ys: Sequence[float], colour: str, size: float = 11
) -> None:
    """Draw a short vertical tick at each (x, y): a bar, a bound, a multiple."""
    ax.plot(xs, ys, marker="|", linestyle="", markersize=size, markeredgewidth=2, color=colour)


def rows_axes(ax: Axes, labels: Sequence[str], grid: Literal["x", "y"] | None = "x") -> None:
    """Lay out one row per label, first row at the top, with light grid lines."""
    ax.set_yticks(range(len(labels)), [short(x) for x in labels])
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    if grid:
        ax.grid(axis=grid, color=INK, alpha=0.25, linewidth=0.6)
        ax.set_axisbelow(True)


def legend_above(ax: Axes, handles: Sequence[Artist]) -> None:
    """Put the legend above the plot, where it never covers a mark; two rows if long."""
    one_row = sum(len(str(h.get_label())) + 6 for h in handles) <= 96
    ncols = len(handles) if one_row else -(-len(handles) // 2)
    ax.legend(handles=list(handles), loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=ncols)


def stacked(
    ax: Axes, labels: Sequence[str], parts: Sequence[tuple[str, str, Sequence[int]]]
) -> None:
    """Draw horizontal stacked bars: parts are (legend name, colour, one value per row)."""
    rows_axes(ax, labels)
    lefts = [0] * len(labels)
    top = max(max(sum(values[i] for _, _, values in parts) for i in range(len(labels))), 1)
    for name, colour, values in parts:
        ax.barh(range(len(labels)), values, left=lefts, color=colour, height=0.7, label=name)
        for i, (left, width) in enumerate(zip(lefts, values, strict=True)):
            if width >= max(0.04 * top, 1):  # a number wider than its segment is noise
                label = f"{width:,}"
                ax.text(left + width / 2, i, label, color=text_on(colour), size="small", **CENTRED)
        lefts = [a + b for a, b in zip(lefts, values, strict=True)]
    for i, total in enumerate(lefts):
        ax.text(total, i, f"  {total:,}", va="center", fontsize="small")
    ax.set_xlim(0, top * 1.1)
    legend_above(ax, [swatch(colour, name) for name, colour, _ in parts])


def draw_funnel(ax: Axes, stages: Sequence[StageCount]) -> None:
    """Draw reached-per-stage bars split into active there, died there and moved on."""
    moved = [max(s.reached - s.active - s.died, 0) for s in stages]
    stacked(
        ax,
        [s.stage for s in stages],
        [
            ("active here", BLUE, [s.active for s in stages]),
            ("killed or shelved here", VERMILLION, [s.died for s in stages]),
            ("moved on to a later stage", SKY, moved),
        ],
    )
    ax.set_xlabel("initiatives that reached the stage")


def draw_status(ax: Axes, rows: Sequence[tuple[str, int, int, int]]) -> None:
    """Draw one stacked bar per stage: active, killed, shelved."""
    parts = [
        ("active", BLUE, [r[1] for r in rows]),
        ("killed", VERMILLION, [r[2] for r in rows]),
        ("shelved", PURPLE, [r[3] for r in rows]),
    ]
    stacked(ax, [r[0] for r in rows], parts)
    ax.set_xlabel("initiatives")


def draw_time_in_stage(ax: Axes, rows: Sequence[tuple[str, str, int, int | None]]) -> None:
    """Draw days in the current stage per initiative, the playbook's bound as a tick."""
    rows_axes(ax, [f"{pid} · {stage}" for pid, stage, _, _ in rows])
    colours = [VERMILLION if b is not None and d > b else BLUE for _, _, d, b in rows]
    ax.barh(range(len(rows)), [r[2] for r in rows], height=0.5, color=colours)
    bounded = [(i, b) for i, (_, _, _, b) in enumerate(rows) if b is not None]
    ticks(ax, [b for _, b in bounded], [i for i, _ in bounded], INK, size=15)
    right = max(max(d, b or 0) for _, _, d, b in rows) * 1.1 + 1
    for i, (_, _, days, bound) in enumerate(rows):
        # Write the count past the bound's tick when the tick sits at the bar's end.
        at = bound if bound is not None and 0 <= bound - days < 0.03 * right else days
        ax.text(at, i, f" {days}", va="center", fontsize="small")
    ax.set_xlim(0, right)
    ax.set_xlabel("days in current stage")
    legend_above(
        ax,
        [
            swatch(BLUE, "within bound"),
            swatch(VERMILLION, "over bound"),
            mark("|", INK, "playbook bound", markersize=12, markeredgewidth=2),
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


def draw_forest(ax: Axes, rows: Sequence[ForestRow], percent: bool) -> None:
    """Draw each point with its 95% whiskers and its bar as a tick; colour by met or missed."""
    rows_axes(ax, [r.label for r in rows])
    colours = [GREEN if r.met else VERMILLION for r in rows]
    spans = [
        (i, r.low, r.high) for i, r in enumerate(rows) if r.low is not None and r.high is not None
    ]
    ax.hlines(
        [s[0] for s in spans],
        [s[1] for s in spans],
        [s[2] for s in spans],
        colors=[colours[s[0]] for s in spans],
        linewidth=1.6,
    )
    ax.scatter([r.point for r in rows], range(len(rows)), s=36, c=colours, zorder=3)
    bars = [(i, r.bar) for i, r in enumerate(rows) if r.bar is not None]
    ticks(ax, [b for _, b in bars], [i for i, _ in bars], INK, size=13)
    if percent:
        percent_axis(ax.xaxis, ax.get_xlim())
    ax.set_xlabel("quality: point estimate and 95% interval")
    legend_above(
        ax,
        [
            mark("o", GREEN, "meets its bar"),
            mark("o", VERMILLION, "misses its bar"),
            mark("|", INK, "bar", markersize=10, markeredgewidth=2),
        ],
    )


def draw_cost(
    ax: Axes, rows: Sequence[tuple[str, float, float]], log: bool, multiples: tuple[float, float]
) -> None:
    """Draw forecast (ring) to actual (dot) per initiative, with ticks at the multiples."""
    overrun, explosion = multiples
    rows_axes(ax, [r[0] for r in rows])
    ys = range(len(rows))
    actual, forecast = [r[1] for r in rows], [r[2] for r in rows]
    ax.hlines(ys, forecast, actual, color=INK, linewidth=1, alpha=0.6)
    for multiple, colour in ((overrun, ORANGE), (explosion, VERMILLION)):
        ticks(ax, [f * multiple for f in forecast], ys, colour, size=9)
    ax.plot(forecast, ys, marker="o", linestyle="", color=INK, fillstyle="none")
    ratios = [a / f if f > 0 else float("inf") for a, f in zip(actual, forecast, strict=True)]
    colours = [VERMILLION if q >= explosion else ORANGE if q > overrun else GREEN for q in ratios]
    ax.scatter(actual, ys, s=36, c=colours, zorder=3)
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


def draw_evidence(
    ax: Axes,
    series: Sequence[tuple[str, Sequence[EvidencePoint]]],
    bar: float | None,
    percent: bool,
) -> None:
    """Draw one line per metric with its 95% band, and the bar as a dashed line."""
    ax.grid(axis="y", color=INK, alpha=0.25, linewidth=0.6)
    for k, (name, points) in enumerate(series):
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        days = [day(p[0]) for p in points]
        lows = [float("nan") if p[2] is None else p[2] for p in points]
        highs = [float("nan") if p[3] is None else p[3] for p in points]
        ax.fill_between(days, lows, highs, color=colour, alpha=0.2, linewidth=0)
        ax.vlines(days, lows, highs, color=colour, linewidth=1.2)
        ax.plot(days, [p[1] for p in points], marker="o", markersize=5, color=colour, label=name)
    date_axis(ax)
    if bar is not None:
        label = f"bar {bar * 100:.3g}%" if percent else f"bar {bar:.3g}"
        ax.axhline(bar, color=INK, linestyle="--", linewidth=1.2, label=label)
    if percent:
        percent_axis(ax.yaxis, ax.get_ylim())
    legend_above(ax, ax.get_legend_handles_labels()[0])
