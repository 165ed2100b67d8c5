"""The house style of the charts, and SVG text out: palette, sizes, rc parameters, the
marks and axes that several charts share, and the accessible, byte-stable SVG document.

Drawing uses matplotlib's object API only (no pyplot state). Styling, and why:

- The figure and axes backgrounds are transparent, so a chart sits on the page's own
  background in Material's light (white) and dark (slate, about #1e2129) schemes.
- Text, spines, ticks and reference marks are one mid-grey, #7F7F7F. No grey reaches
  4.5:1 on both backgrounds; #7F7F7F gets 4.0:1 on each, the best a single colour can
  do, and the numbers are repeated as text in the alternative and the table anyway.
- Data colours come from the Okabe–Ito palette, which stays distinguishable with the
  common colour-vision deficiencies and has mid lightness, so it reads on both schemes.
  Stages: discovery sky blue, poc blue, pilot green, scale orange, optimize purple.
  Status: active violet (#AA44FF, outside Okabe–Ito: no stage or status has it; 4.2:1 on
  white, 3.8:1 on slate, and the colour furthest from all seven others under simulated
  protanopia, deuteranopia and tritanopia), killed vermillion, shelved grey (#6D6D6D,
  3:1 on both schemes, as on the badges). Warnings are vermillion.
- Text stays text (`svg.fonttype: none`) in a generic sans-serif stack, so it is
  searchable and the browser draws it in a system sans-serif (an <img> cannot use the
  site's web font; layout is measured in DejaVu Sans, as wide as or wider than those);
  mathtext is off, so `$` in a title is a dollar.
- Output is byte-stable: no date or creator metadata, a fixed `svg.hashsalt`, and element
  ids prefixed with a hash of the chart so several charts can share one page.

Sizes are set for the page: the overview's content column is about 700 CSS px wide, so
figures are 7.2 in (691 px at 96 dpi) and shown at about their own size, with 10.5 pt text
(14 px; legends 9.5 pt, 12.6 px; the smallest, in-bar numbers, 8.75 pt or 11.7 px). A record's
evidence history sits in a narrower column beside the table of contents: 5.4 in with
11 pt text, so it is scaled down less and its smallest text stays near 12 px.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
import warnings
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal
from xml.sax.saxutils import escape

import matplotlib
from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, StrMethodFormatter
from matplotlib.transforms import blended_transform_factory, offset_copy

from .types import Chart

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.axis import XAxis, YAxis
    from matplotlib.typing import RcKeyType

# Mid-grey for text, axes and reference marks: 4.0:1 on white and on slate (#1e2129) alike.
INK = "#7F7F7F"
# Okabe–Ito: distinguishable with the common colour-vision deficiencies, mid lightness.
BLUE, SKY, GREEN = "#0072B2", "#56B4E9", "#009E73"
ORANGE, VERMILLION, PURPLE = "#E69F00", "#D55E00", "#CC79A7"
# The lines of a chart of several series (a record's metrics), in this order.
SERIES_COLOURS = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION)
STAGE_COLOURS = {"discovery": SKY, "poc": BLUE, "pilot": GREEN, "scale": ORANGE, "optimize": PURPLE}
# One colour per status, none a stage's: active violet (poc is blue), shelved the grey of
# its badge on the pages (purple is optimize), killed vermillion as its badge.
VIOLET, GREY = "#AA44FF", "#6D6D6D"
STATUS_COLOURS = {"active": VIOLET, "killed": VERMILLION, "shelved": GREY}
# A part that is neither a stage nor a status (the funnel's "moved on"): a pale grey, outlined
# in INK so that it stands out from a white page (3.9:1) as from slate; black text, 12:1.
PALE = "#D0D0D0"
LABEL_CHARS = 44
LEGEND_CHARS = 40  # a legend entry longer than this wraps onto a second line
# DejaVu Sans, which measures the layout, has no glyph for CJK, hieroglyphs and other
# scripts; the SVG keeps text as text, which the browser draws in its own fonts, so
# matplotlib's warning (a line per character on every build) says nothing to anyone.
NO_GLYPH = r"Glyph \d+ .*missing from font"
LEGEND_LINES = 2  # and is cut after the second: a long one pushed the plot out of the figure
CENTRED: dict[str, Any] = {"ha": "center", "va": "center"}
WIDTH = 7.2  # inches: about the overview's content width, so charts are not scaled down
FONT_SIZE = 10.5  # points
TICK_WIDTH = 2.0  # points: the line width of bound, bar and multiple ticks
GAP = 5.0  # points between a bar's end (or its tick) and the number written after it
ROW_HEIGHT = 0.3  # inches per row: 10.5 pt labels with air between them
NO_DATA = "No data yet"
# Tick steps that two decimals always show exactly (no 0.025); with at most 8 bins and
# ranges widened to at least 0.05, the step is never under 0.01.
STEPS = [1, 2, 5, 10]
RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "portfolio",
    "svg.fonttype": "none",
    "text.parse_math": False,
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["Roboto", "Helvetica Neue", "Arial", "DejaVu Sans"],
    "font.size": FONT_SIZE,
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
    "legend.fontsize": 0.9 * FONT_SIZE,
}


def chart(
    draw: Callable[[Axes], None],
    rows: int,
    alt: str,
    table: Sequence[tuple[str, ...]],
    subtitle: str | None = None,
    height: float | None = None,
    width: float = WIDTH,
    font_size: float = FONT_SIZE,
) -> Chart:
    """Draw a chart, one row's height per row, and wrap it with its words and numbers."""
    height = height or max(2.2, 1.3 + ROW_HEIGHT * rows)
    alt = f"{alt} {subtitle}" if subtitle else alt
    svg = render(draw, height, alt, subtitle, width, font_size)
    return Chart(svg=svg, alt=alt, table=list(table))


def no_data(what: str, header: tuple[str, ...]) -> Chart:
    """Return a small chart that says there is no data yet, and a header-only table."""
    alt = f"{NO_DATA}: {what}."
    return Chart(svg=render_message(NO_DATA, alt), alt=alt, table=[header])


def render(
    draw: Callable[[Axes], None],
    height: float,
    alt: str,
    subtitle: str | None,
    width: float = WIDTH,
    font_size: float = FONT_SIZE,
) -> str:
    """Draw a chart in the house style and return it as accessible SVG text."""
    with matplotlib.rc_context(style(font_size)), warnings.catch_warnings():
        warnings.filterwarnings("ignore", NO_GLYPH, UserWarning)
        fig = figure(draw, height, subtitle, width, font_size)
        return accessible(svg_text(fig), alt)


def style(font_size: float = FONT_SIZE) -> dict[RcKeyType, Any]:
    """Return the house style's rc parameters for a base font size."""
    return {**RC, "font.size": font_size, "legend.fontsize": 0.9 * font_size}


def figure(
    draw: Callable[[Axes], None],
    height: float,
    subtitle: str | None = None,
    width: float = WIDTH,
    font_size: float = FONT_SIZE,
) -> Figure:
    """Return a figure in the house style with one chart drawn, and a subtitle above it."""
    with matplotlib.rc_context(style(font_size)):
        fig = Figure(figsize=(width, height), layout="constrained")
        fig.patch.set_alpha(0)
        ax = fig.add_subplot()
        draw(ax)
        if subtitle:
            fig.suptitle(subtitle, x=0.01, ha="left", fontsize="medium")
        return fig


def render_message(message: str, alt: str) -> str:
    """Return a small SVG that shows one line of text, such as "No data yet"."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH, 0.8))
        fig.patch.set_alpha(0)
        fig.text(0.5, 0.5, message, ha="center", va="center", fontsize="large")
        return accessible(svg_text(fig), alt)


# What matplotlib says when constrained layout finds no room for the axes (extreme
# labels or legends): the chart is then saved again with fixed margins instead.
COLLAPSED = "constrained_layout not applied"


def svg_text(fig: Figure) -> str:
    """Save a figure as SVG text without the metadata that would change between runs."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.filterwarnings("always", message=COLLAPSED)
        text = _save(fig)
    for w in seen:
        if not str(w.message).startswith(COLLAPSED):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if any(str(w.message).startswith(COLLAPSED) for w in seen):
        fig.set_layout_engine("none")
        for ax in fig.axes:  # fixed margins: room for labels on the left, a legend above
            ax.set_position((0.35, 0.2, 0.62, 0.68))
        text = _save(fig)
    return text


def _save(fig: Figure) -> str:
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


def ratio_axis(axis: XAxis | YAxis) -> None:
    """Label an axis of ratios with two decimals, as the site writes them (0.90, 0.95)."""
    axis.set_major_locator(MaxNLocator(nbins=8, steps=STEPS))
    axis.set_major_formatter(StrMethodFormatter("{x:.2f}"))


def widen(lo: float, hi: float, least: float) -> tuple[float, float]:
    """Return limits at least `least` apart around (lo, hi), so two decimals tell ticks apart."""
    middle, half = (lo + hi) / 2, max(hi - lo, least) / 2
    return middle - half, middle + half


def after(ax: Axes, points: float = GAP) -> Any:
    """Return a data transform shifted right by `points`, for text just past a mark."""
    return offset_copy(ax.transData, fig=ax.get_figure(root=True), x=points, units="points")


def short(label: str) -> str:
    """Return a label cut to fit the row axis, with an ellipsis when cut."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def text_on(colour: str | tuple[float, float, float]) -> str:
    """Return black or white, whichever has the higher WCAG contrast on a fill colour
    (as the badges: black on vermillion 5.4:1 and on the violet 5.0:1, white on blue)."""
    light = luminance(colour)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#ffffff"


def luminance(colour: str | tuple[float, float, float]) -> float:
    """Return a colour's relative luminance (WCAG 2.1)."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def swatch(colour: str, label: str) -> Patch:
    """Return a legend entry for a filled area (`PALE` with its outline)."""
    if colour == PALE:
        return Patch(facecolor=PALE, edgecolor=INK, linewidth=0.8, label=label)
    return Patch(color=colour, label=label)


def mark(marker: str, colour: str, label: str, **style: Any) -> Line2D:
    """Return a legend entry for a marker."""
    return Line2D([], [], marker=marker, color=colour, linestyle="", label=label, **style)


def ticks(
    ax: Axes, xs: Sequence[float], ys: Sequence[float], colour: str, size: float = 11
) -> None:
    """Draw a short vertical tick at each (x, y): a bar, a bound, a multiple."""
    ax.plot(
        xs, ys, marker="|", linestyle="", markersize=size, markeredgewidth=TICK_WIDTH, color=colour
    )


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
    """Put the legend above the plot, across the figure's width, where it never covers a
    mark: in as many columns as fit (measured, in matplotlib's font, which is as wide as
    or wider than the browser's), long entries wrapped onto two lines at most (the
    chart's table holds them whole)."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    for handle in handles:
        label = str(handle.get_label())
        handle.set_label(
            textwrap.fill(label, LEGEND_CHARS, max_lines=LEGEND_LINES, placeholder=" …")
        )
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    # Left edge at the figure's, bottom on the plot's top: below a subtitle, if any.
    anchor = blended_transform_factory(fig.transFigure, ax.transAxes)
    for rows in range(1, len(handles) + 1):
        ncols = -(-len(handles) // rows)  # as few rows as fit, filled evenly
        legend = ax.legend(
            handles=list(handles),
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            bbox_transform=anchor,
            ncols=ncols,
        )
        if ncols == 1 or legend.get_window_extent(renderer).width <= fig.bbox.width:
            return
