"""A fixed layout for the small per-record charts: the axes placed by hand, measured once.

Constrained layout measures every artist of a figure and draws it twice to save it,
which was most of the time of a record's evidence-history chart. That chart has one
axes, a legend above it, numeric tick labels on the left and dates below, so its
margins follow from a few text measurements: the legend's height, the widest y tick
label and two lines of date labels (the ticks and the year under them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import FontProperties

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PAD = 4.0  # points of air at each edge of the figure, and between the legend and the plot
TICK_SPACE = 7.0  # points: matplotlib's default tick length (3.5) plus its label pad (3.5)
LINE = 1.25  # a line of text is this many times the font size tall
RIGHT = 14.0  # points: room for the last date label, centred on its tick, to overhang


def place(fig: Figure, ax: Axes, font_size: float) -> None:
    """Put the axes where its legend (above), y tick labels (left) and two lines of date
    labels (below) fit inside the figure, with `PAD` points of air around them."""
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    width, height = fig.get_size_inches() * 72.0  # points
    legend = ax.get_legend()
    above = 0.0
    if legend is not None:
        above = legend.get_window_extent(renderer).height * 72.0 / fig.dpi + PAD
    bottom = TICK_SPACE + 2 * LINE * font_size + PAD
    top = height - PAD - above
    # The y ticks depend on the axes' height (the locator fits its bins to it): set it first.
    ax.set_position((0.0, bottom / height, 1.0, max(top - bottom, 1.0) / height))
    left = TICK_SPACE + _widest_y_label(ax, renderer, font_size) + PAD
    right = width - RIGHT
    ax.set_position(
        (
            left / width,
            bottom / height,
            max(right - left, 1.0) / width,
            max(top - bottom, 1.0) / height,
        )
    )


def _widest_y_label(ax: Axes, renderer: object, font_size: float) -> float:
    """Return the width in points of the widest y tick label inside the view limits."""
    low, high = sorted(ax.get_ylim())
    locs = [v for v in ax.yaxis.get_majorticklocs() if low <= v <= high]
    labels = ax.yaxis.get_major_formatter().format_ticks(locs)
    prop = FontProperties(size=font_size)
    measure = renderer.get_text_width_height_descent  # type: ignore[attr-defined]
    dpi = ax.get_figure(root=True).dpi  # type: ignore[union-attr]
    widths = [measure(text, prop, ismath=False)[0] * 72.0 / dpi for text in labels if text]
    return max(widths, default=0.0)
