"""Axis arithmetic for the charts written as SVG (`svg`): text widths, nice value ticks and
date ticks, with no drawing library.

- Text is measured with DejaVu Sans's advance widths (`_ADVANCE`), the font matplotlib
  measured layouts in: as wide as or wider than the browser's sans-serif, so a layout
  made with these widths errs on the roomy side.
- Value ticks are nice numbers: 1, 2, 2.5 or 5 × 10^k (no 2.5 on a ratio axis, whose
  labels have two decimals as the site writes quality values, 0.85; steps never finer
  than 0.01 there, see `style.STEPS`), and the axis runs from a tick to a tick around
  the data padded by 5%, so both ends are labelled.
- Date ticks are whole days, weeks (the 1st, 8th, 15th and 22nd), months or years: the
  finest interval whose labels do not touch. A label is "Mar", "Mar 15" or "2026", with
  the year under the first tick and wherever it changes, so every date can be read.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from datetime import date

from .style import STEPS, widen

MARGIN = 0.05  # of the data's range, each side (matplotlib's axes.margins)
NICE = (1.0, 2.0, 2.5, 5.0, 10.0)  # tick steps × 10^k off a ratio axis
MAX_X_TICKS = 8
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Date tick intervals, finest first; a day interval's ticks are these days of each month.
INTERVALS = (
    *(("day", n) for n in (1, 2, 7, 14)),
    *(("month", n) for n in (1, 2, 3, 6)),
    *(("year", n) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)),
)
MONTH_DAYS = {1: range(1, 32), 2: range(1, 32, 2), 7: (1, 8, 15, 22), 14: (1, 15)}
UNIT_DAYS = {"day": 1.0, "month": 30.44, "year": 365.25}
# DejaVu Sans advance widths of " " to "~", in thousandths of the font size.
_ADVANCE = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
    770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,
    525, 636, 337, 636, 838,
)  # fmt: skip
OTHER, WIDE = 640, 1000  # any other character: about a letter's width; CJK and the like: 1 em

DateTick = tuple[float, str, str]  # day number (ordinal), label, year line ("" for none)


def text_width(s: str, size: float) -> float:
    """Return the width in points of a line of text at a font size."""
    total = 0
    for ch in s:
        code = ord(ch)
        if 32 <= code < 127:
            total += _ADVANCE[code - 32]
        elif not unicodedata.combining(ch):
            total += WIDE if unicodedata.east_asian_width(ch) in "WF" else OTHER
    return total * size / 1000


def value_limits(values: Sequence[float], ratio: bool) -> tuple[float, float]:
    """Return the range of values to show: the values padded by `MARGIN` each side; on a
    ratio axis at least 0.05 tall (so two decimals tell its ticks apart), within 0 to 1."""
    lo, hi = min(values), max(values)
    if ratio:
        lo, hi = widen(lo, hi, 0.05)
    elif hi == lo:  # all values equal: a range around them
        lo, hi = widen(lo, hi, max(abs(lo) * 0.1, 1.0))
    pad = (hi - lo) * MARGIN
    lo, hi = lo - pad, hi + pad
    return (max(lo, 0.0), min(hi, 1.0)) if ratio else (lo, hi)


def nice_ticks(lo: float, hi: float, bins: int, ratio: bool) -> tuple[list[float], int]:
    """Return ticks from one at or below `lo` to one at or above `hi`, at most `bins`
    steps, with the smallest nice step that does it; and the decimals that write them."""
    steps = [float(s) for s in STEPS] if ratio else NICE
    exponent = math.floor(math.log10((hi - lo) / bins))
    for k in range(exponent, exponent + 3):
        for mantissa in steps:
            step = mantissa * 10.0**k
            first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
            if last - first <= bins:
                if mantissa == 10.0:
                    mantissa, k = 1.0, k + 1
                decimals = 2 if ratio else max(0, -k + int(mantissa == 2.5))
                return [i * step for i in range(first, last + 1)], decimals
    raise AssertionError("unreachable: a step of 10 times the range fits in one bin")


def tick_label(value: float, decimals: int) -> str:
    """Write a value tick with separators, fixed decimals and a true minus sign."""
    return f"{value:,.{decimals}f}".replace("-", "−")


def day_range(days: Sequence[int]) -> tuple[float, float]:
    """Return the day numbers to show: the dates padded by `MARGIN` each side, and by half
    a day at least, so a single date has its tick in the middle of the plot."""
    span = max(days) - min(days)
    pad = max(span * MARGIN, 0.5)
    return min(days) - pad, max(days) + pad


def date_ticks(lo: float, hi: float, scale: float, size: float) -> list[DateTick]:
    """Return the date ticks between day numbers `lo` and `hi` at `scale` points per day:
    those of the finest interval with at most `MAX_X_TICKS` ticks whose labels (at font
    `size`) keep a font size apart."""
    first = date.fromordinal(max(1, math.ceil(lo)))
    last = date.fromordinal(min(date.max.toordinal(), math.floor(hi)))
    for unit, step in INTERVALS:
        if (hi - lo) / (step * UNIT_DAYS[unit]) > 2 * MAX_X_TICKS:
            continue  # far too many ticks: not worth listing them
        days = _tick_days(first, last, unit, step)
        if not days or len(days) > MAX_X_TICKS:
            continue
        ticks: list[DateTick] = []
        year = None
        for d in days:
            label = str(d.year) if unit == "year" else MONTHS[d.month - 1]
            label += f" {d.day}" if unit == "day" else ""
            under = "" if unit == "year" or d.year == year else str(d.year)
            ticks.append((float(d.toordinal()), label, under))
            year = d.year
        if _apart(ticks, scale, size):
            return ticks
    return []


def label_width(tick: DateTick, size: float) -> float:
    """Return the width of a date tick's label, the wider of its two lines."""
    return max(text_width(tick[1], size), text_width(tick[2], size))


def _tick_days(first: date, last: date, unit: str, step: int) -> list[date]:
    """Return the days from first to last on which an interval has a tick."""
    if unit == "day":
        span = range(first.toordinal(), last.toordinal() + 1)
        return [d for d in map(date.fromordinal, span) if d.day in MONTH_DAYS[step]]
    if unit == "month":
        months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
        return [date(m // 12, m % 12 + 1, 1) for m in months
                if m % 12 % step == 0 and first <= date(m // 12, m % 12 + 1, 1)]  # fmt: skip
    years = range(first.year, last.year + 1)
    return [date(y, 1, 1) for y in years if y % step == 0 and first <= date(y, 1, 1)]


def _apart(ticks: Sequence[DateTick], scale: float, size: float) -> bool:
    """Whether neighbouring date labels keep at least one font size between them."""
    widths = [label_width(t, size) for t in ticks]
    return all(
        (ticks[i + 1][0] - ticks[i][0]) * scale >= (widths[i] + widths[i + 1]) / 2 + size
        for i in range(len(ticks) - 1)
    )
