"""The per-record line charts as SVG text written here, without matplotlib.

A record's evidence history and its outcome chart are drawn by the hundred in a large
portfolio; through matplotlib each cost about 64 ms (a figure, a layout, the SVG
backend), most of a cold build's drawing. Both are one simple chart, lines with markers
over a date axis, shaded 95% bands, dashed reference lines and a legend above, so they
are written here directly, in a fraction of a millisecond, looking as they did:

- The house style's colours, font stack and sizes (`style`), matplotlib's line widths,
  dashes and marker size, and the margins the matplotlib charts were laid out with: the
  legend above, y tick labels on the left, two lines of date labels below. Text is
  text, in mid-grey, on a transparent background: the page's light or dark scheme shows
  through, as with every chart (an <img> is not styled by the page's CSS).
- Ticks and text widths come from `ticks`.
- The document keeps the contract of `style.accessible`: a bare <svg> with role="img",
  the alternative as aria-label and as a <title>, all text escaped, ids prefixed with a
  hash of the chart's inputs (several charts share a page), every number written with at
  most two decimals: the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .style import FONT_SIZE, INK, LEGEND_CHARS, LEGEND_LINES, RC, WIDTH
from .ticks import (
    DateTick,
    date_ticks,
    day_range,
    label_width,
    nice_ticks,
    text_width,
    tick_label,
    value_limits,
)
from .types import EvidencePoint

PAD = 4.0  # points of air at each edge of the chart, and between the legend and the plot
TICK_SPACE = 7.0  # points: a tick (3.5) and the gap to its label (3.5), as matplotlib's
LINE = 1.25  # a line of text is this many times the font size tall
RIGHT = 14.0  # points right of the plot: room for the last date label, centred on its tick
FONT = ", ".join(f"'{name}'" for name in RC["font.sans-serif"]) + ", sans-serif"
LEGEND_SCALE = 0.9  # the legend's font size, relative to the chart's (legend.fontsize)
LARGE = 1.2  # matplotlib's "large": a message's font size, relative to FONT_SIZE
STROKE = 1.5  # points: lines, whiskers and dashed rules (matplotlib's default width)
DASH = "5.55 2.4"  # matplotlib's "--" at 1.5 pt: dashes of 3.7 widths, gaps of 1.6
MARKER = "3"  # points: a marker's radius (matplotlib's markersize 6)
SPINE, TICK = 0.8, 3.5  # points: the axis lines' width, a tick's length
BAND_OPACITY, GRID_OPACITY, GRID_WIDTH = 0.2, 0.25, 0.6
# The legend in font sizes, as matplotlib's: handle length, handle to text, between
# columns, between rows.
HANDLE, HANDLE_PAD, COLUMN_GAP, ROW_GAP = 2.0, 0.8, 2.0, 0.5
BASELINE = 0.8  # a line of text's baseline is this many font sizes below its top
MIDDLE = 0.35  # and the middle of its lower-case letters this many above the baseline
MIN_PLOT = 100.0  # points: the plot's least height; a long legend makes the chart taller
MAX_BINS = 8  # value ticks: at most this many steps, and about two font sizes apart
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML forbids


@dataclass(frozen=True, slots=True)
class Series:
    """A line with a marker per point, and a 95% band where points have both bounds."""

    label: str
    colour: str
    points: tuple[EvidencePoint, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class Rule:
    """A dashed horizontal line across the plot: a bar, a baseline, a target."""

    label: str
    colour: str
    value: float


@dataclass(frozen=True, slots=True)
class Frame:
    """The plot's box in points, and the days (ordinals) across it and the values up it."""

    left: float
    right: float
    top: float
    bottom: float
    days: tuple[float, float]
    values: tuple[float, float]

    def x(self, day: float) -> float:
        """Return the x of a day number."""
        d0, d1 = self.days
        return self.left + (day - d0) * (self.right - self.left) / (d1 - d0)

    def y(self, value: float) -> float:
        """Return the y of a value."""
        v0, v1 = self.values
        return self.top + (v1 - value) * (self.bottom - self.top) / (v1 - v0)


def num(x: float) -> str:
    """Write a coordinate with at most two decimals and no trailing zeros (no -0)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def text(s: str) -> str:
    """Escape text for SVG content: markup, characters XML forbids, line breaks."""
    return escape(_CONTROL.sub("", s)).replace("\n", "&#10;")


def attr(s: str) -> str:
    """Escape text for a double-quoted attribute."""
    return text(s).replace('"', "&quot;")


def line_chart(
    series: Sequence[Series],
    rules: Sequence[Rule],
    ratio: bool,
    alt: str,
    width: float,
    height: float,
    font_size: float,
) -> str:
    """Draw series (at least one point in all) and rules over dates, `width` × `height`
    inches, the legend above; return the SVG. `ratio`: a 0–1 axis with two decimals."""
    w, h, size = width * 72, height * 72, font_size
    key = repr((series, rules, ratio, alt, width, height, font_size))
    ids = "c" + hashlib.sha256(key.encode()).hexdigest()[:8] + "-"
    entries, above = legend([*series, *rules], w - 2 * PAD, size * LEGEND_SCALE)
    top = PAD + (above + PAD if entries else 0.0) + size / 2  # the top tick label's upper half
    below = TICK_SPACE + 2 * LINE * size + PAD
    h = max(h, top + MIN_PLOT + below)
    values = [v for s in series for p in s.points for v in p[1:] if v is not None]
    bins = max(2, min(MAX_BINS, int((h - below - top) // (2 * size))))
    yticks, decimals = nice_ticks(*value_limits([*values, *(r.value for r in rules)], ratio),
                                  bins, ratio)  # fmt: skip
    ylabels = [tick_label(v, decimals) for v in yticks]
    left = PAD + max(text_width(s, size) for s in ylabels) + TICK_SPACE
    days = day_range([p[0].toordinal() for s in series for p in s.points])
    frame = Frame(left, w - RIGHT, top, h - below, days, (yticks[0], yticks[-1]))
    xticks = date_ticks(*days, (frame.right - left) / (days[1] - days[0]), size)
    if xticks:  # the last date label sticks out of the chart: narrow the plot to fit it
        out = frame.x(xticks[-1][0]) + label_width(xticks[-1], size) / 2 - (w - PAD / 2)
        if out > 0:
            frame = Frame(left, frame.right - out, top, h - below, days, frame.values)
            xticks = date_ticks(*days, (frame.right - left) / (days[1] - days[0]), size)
    body = [  # clipped to the plot and a stroke's width more, so a line on an edge shows whole
        f'<defs><clipPath id="{ids}plot"><rect x="{num(left - STROKE)}" y="{num(top - STROKE)}" '
        f'width="{num(frame.right - left + 2 * STROKE)}" '
        f'height="{num(frame.bottom - top + 2 * STROKE)}"/></clipPath></defs>',
        f'<g style="font-family: {FONT}; font-size: {num(size)}px" stroke-linejoin="round">',
        *axes(frame, list(zip(yticks, ylabels, strict=True)), xticks, size),
        f'<g clip-path="url(#{ids}plot)">',
        *(part for s in series for part in lines(frame, s)),
        *(
            f'<path d="M{num(left)} {num(frame.y(r.value))}H{num(frame.right)}" '
            f'stroke="{r.colour}" stroke-width="{STROKE}" stroke-dasharray="{DASH}"/>'
            for r in rules
        ),
        "</g>",
        *(markers(frame, s) for s in series),
        *entries,
        "</g>",
    ]
    return document(w, h, alt, body)


def axes(
    frame: Frame, yticks: Sequence[tuple[float, str]], xticks: Sequence[DateTick], size: float
) -> list[str]:
    """Return the grid (a line per value tick), the left and bottom axis lines with their
    ticks, and the tick labels: values right-aligned on the left, dates centred below."""
    left, right, bottom = frame.left, frame.right, frame.bottom
    ys = [(frame.y(v), label) for v, label in yticks]
    xs = [(frame.x(t[0]), t[1], t[2]) for t in xticks]
    grid = "".join(f"M{num(left)} {num(y)}H{num(right)}" for y, _ in ys)
    spines = f"M{num(left)} {num(frame.top)}V{num(bottom)}H{num(right)}"
    spines += "".join(f"M{num(left)} {num(y)}h-{TICK}" for y, _ in ys)
    spines += "".join(f"M{num(x)} {num(bottom)}v{TICK}" for x, _, _ in xs)
    offsets = [BASELINE * size, (BASELINE + LINE) * size]  # a label's two lines, below
    return [
        f'<path d="{grid}" stroke="{INK}" stroke-opacity="{GRID_OPACITY}" '
        f'stroke-width="{GRID_WIDTH}"/>',
        f'<path d="{spines}" fill="none" stroke="{INK}" stroke-width="{SPINE}"/>',
        f'<g fill="{INK}" text-anchor="end">',
        *(
            f'<text x="{num(left - TICK_SPACE)}" y="{num(y + MIDDLE * size)}">{text(s)}</text>'
            for y, s in ys
        ),
        f'</g><g fill="{INK}" text-anchor="middle">',
        *(
            f'<text x="{num(x)}" y="{num(bottom + TICK_SPACE + dy)}">{text(s)}</text>'
            for x, *labels in xs
            for dy, s in zip(offsets, labels, strict=True)
            if s
        ),
        "</g>",
    ]


def lines(frame: Frame, series: Series) -> list[str]:
    """Return a series' band (a polygon per run of points with both bounds, as matplotlib
    leaves a gap at a point without), its whiskers (low to high at each point that has
    both) and its line."""
    parts: list[str] = []
    runs: list[list[tuple[float, float, float]]] = [[]]
    for d, _, low, high in series.points:
        if low is None or high is None:
            runs.append([])
        else:
            runs[-1].append((frame.x(d.toordinal()), frame.y(low), frame.y(high)))
    fill = f'fill="{series.colour}" fill-opacity="{BAND_OPACITY}"'
    for run in runs:
        if len(run) > 1:
            edge = [*((x, hi) for x, _, hi in run), *((x, lo) for x, lo, _ in reversed(run))]
            parts.append(f'<polygon points="{_points(edge)}" {fill}/>')
    whiskers = "".join(f"M{num(x)} {num(lo)}V{num(hi)}" for run in runs for x, lo, hi in run)
    stroke = f'stroke="{series.colour}" stroke-width="{STROKE}"'
    if whiskers:
        parts.append(f'<path d="{whiskers}" {stroke}/>')
    line = [(frame.x(p[0].toordinal()), frame.y(p[1])) for p in series.points]
    return [*parts, f'<polyline points="{_points(line)}" fill="none" {stroke}/>']


def markers(frame: Frame, series: Series) -> str:
    """Return a series' markers, a dot per point, above every line (and unclipped)."""
    dots = "".join(
        f'<circle cx="{num(frame.x(p[0].toordinal()))}" cy="{num(frame.y(p[1]))}" r="{MARKER}"/>'
        for p in series.points
    )
    return f'<g fill="{series.colour}">{dots}</g>'


def _points(xys: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in xys)


def legend(entries: Sequence[Series | Rule], room: float, size: float) -> tuple[list[str], float]:
    """Lay the legend out from the top left in as few rows as fit `room` points across,
    read left to right, then down; each entry wrapped onto two lines at most (the chart's
    table holds it whole). Return its SVG elements and its height."""
    if not entries:
        return [], 0.0
    lines = [
        textwrap.wrap(e.label, LEGEND_CHARS, max_lines=LEGEND_LINES, placeholder=" …") or [""]
        for e in entries
    ]
    widths = [(HANDLE + HANDLE_PAD) * size + max(text_width(s, size) for s in ls) for ls in lines]
    n = len(entries)
    for rows in range(1, n + 1):
        ncols = -(-n // rows)  # as few rows as fit, as full as they can be
        columns = [max(widths[c::ncols]) for c in range(ncols)]
        if ncols == 1 or sum(columns) + COLUMN_GAP * size * (ncols - 1) <= room:
            break
    parts = [f'<g style="font-size: {num(size)}px" fill="{INK}">']
    top, height = PAD, LINE * size
    for first in range(0, n, ncols):
        x = PAD
        for c, i in enumerate(range(first, min(first + ncols, n))):
            baseline = top + BASELINE * size
            middle = baseline + (len(lines[i]) - 1) * height / 2 - MIDDLE * size
            parts += handle(entries[i], x, x + HANDLE * size, middle)
            parts += [
                f'<text x="{num(x + (HANDLE + HANDLE_PAD) * size)}" '
                f'y="{num(baseline + k * height)}">{text(s)}</text>'
                for k, s in enumerate(lines[i])
            ]
            x += columns[c] + COLUMN_GAP * size
        top += max(len(ls) for ls in lines[first : first + ncols]) * height + ROW_GAP * size
    return [*parts, "</g>"], top - ROW_GAP * size - PAD


def handle(entry: Series | Rule, x0: float, x1: float, y: float) -> list[str]:
    """Return a legend entry's handle: a line with a marker, or a dashed line."""
    line = f'<path d="M{num(x0)} {num(y)}H{num(x1)}" stroke="{entry.colour}" '
    line += f'stroke-width="{STROKE}"'
    if isinstance(entry, Rule):
        return [f'{line} stroke-dasharray="{DASH}"/>']
    dot = f'<circle cx="{num((x0 + x1) / 2)}" cy="{num(y)}" r="{MARKER}" fill="{entry.colour}"/>'
    return [f"{line}/>", dot]


def message(words: str, alt: str, width: float = WIDTH, height: float = 0.8) -> str:
    """Return a small chart that shows one line of text, such as "No data yet"."""
    w, h, size = width * 72, height * 72, FONT_SIZE * LARGE
    body = [
        f'<text x="{num(w / 2)}" y="{num(h / 2 + MIDDLE * size)}" text-anchor="middle" '
        f'style="font-family: {FONT}; font-size: {num(size)}px" fill="{INK}">{text(words)}</text>'
    ]
    return document(w, h, alt, body)


def document(width: float, height: float, alt: str, body: Sequence[str]) -> str:
    """Wrap SVG elements in an accessible root, as `style.accessible` does: no prolog,
    role="img", the alternative as aria-label and as the first child, a <title>."""
    w, h = num(width), num(height)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" '
        f'viewBox="0 0 {w} {h}" version="1.1" role="img" aria-label="{attr(alt)}" '
        'style="max-width: 100%; height: auto">'
    )
    return "\n".join([head, f" <title>{text(alt)}</title>", *body, "</svg>"]) + "\n"
