"""A record's charts written as SVG (`charts.svg`, `charts.ticks`): what they draw, read
back from the SVG itself, and the axis arithmetic behind them.

The contract shared with every chart (accessible root, labels, alt text, table, stable
bytes) is in tests/test_charts.py, whose cases include the evidence history.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.site.charts import history, outcome, svg, ticks
from generator.site.charts.style import GREEN, INK, LEGEND_CHARS, SERIES_COLOURS
from generator.site.charts.types import Chart, EvidencePoint

SVG = "{http://www.w3.org/2000/svg}"
D = date(2026, 1, 1)
ACCURACY: list[EvidencePoint] = [
    (D, 0.5, 0.4, 0.6),
    (date(2026, 2, 1), 0.6, 0.5, 0.7),
    (date(2026, 3, 1), 0.7, 0.6, 0.8),
]
F1: list[EvidencePoint] = [
    (date(2026, 1, 15), 0.55, None, None),
    (date(2026, 2, 15), 0.65, None, None),
]


def _evidence(
    series: list[tuple[str, list[EvidencePoint]]] | None = None, bar: float | None = 0.9
) -> Chart:
    return history.evidence_history(
        series if series is not None else [("accuracy", ACCURACY), ("f1", F1)], bar, "higher"
    )


def _root(chart: Chart | str) -> ET.Element:
    return ET.fromstring(chart if isinstance(chart, str) else chart.svg)


def _all(chart: Chart, tag: str) -> list[ET.Element]:
    return list(_root(chart).iter(f"{SVG}{tag}"))


def _texts(chart: Chart, anchor: str | None = None) -> list[str]:
    """The <text> contents; with an anchor, of its group only (end: y ticks, middle: dates)."""
    if anchor is None:
        return ["".join(t.itertext()) for t in _all(chart, "text")]
    groups = [g for g in _all(chart, "g") if g.get("text-anchor") == anchor]
    return ["".join(t.itertext()) for g in groups for t in g.findall(f"{SVG}text")]


def _plot(chart: Chart) -> tuple[float, float, float, float]:
    """The plot's box (x, y, width, height), from its axis lines (left, then bottom)."""
    spines = next(p for p in _all(chart, "path") if p.get("stroke-width") == str(svg.SPINE))
    found = re.match(r"M([\d.]+) ([\d.]+)V([\d.]+)H([\d.]+)", spines.get("d", ""))
    assert found is not None
    x, top, bottom, right = (float(v) for v in found.groups())
    return x, top, right - x, bottom - top


def _clip(chart: Chart) -> tuple[float, float, float, float]:
    """The clip path's box (x, y, width, height)."""
    rect = next(_root(chart).iter(f"{SVG}rect"))
    x, y, width, height = (float(rect.get(k, "")) for k in ("x", "y", "width", "height"))
    return x, y, width, height


def _dashed(chart: Chart) -> list[tuple[str, float]]:
    """The dashed rules across the plot: (colour, y)."""
    rules = [p for p in _all(chart, "path") if p.get("stroke-dasharray")]
    x = _plot(chart)[0]
    found = []
    for rule in rules:
        start = re.match(r"M([\d.]+) ([\d.]+)H", rule.get("d", ""))
        assert start is not None
        if float(start[1]) == x:  # not a legend handle
            found.append((rule.get("stroke", ""), float(start[2])))
    return found


def _polylines(chart: Chart) -> list[tuple[str, int]]:
    """Each series' line: (colour, number of points)."""
    return [
        (p.get("stroke", ""), len(p.get("points", "").split())) for p in _all(chart, "polyline")
    ]


def _value_y(chart: Chart, value: float) -> float:
    """Where a value should be drawn, from the plot's box and its first and last y ticks."""
    _, top, _, height = _plot(chart)
    labels = [float(t.replace("−", "-").replace(",", "")) for t in _texts(chart, "end")]
    lo, hi = min(labels), max(labels)
    return top + (hi - value) * height / (hi - lo)


def test_a_line_per_metric_with_a_point_per_measurement() -> None:
    chart = _evidence()
    assert _polylines(chart) == [(SERIES_COLOURS[0], 3), (SERIES_COLOURS[1], 2)]
    dots = {g.get("fill"): len(g.findall(f"{SVG}circle")) for g in _all(chart, "g")}
    assert dots[SERIES_COLOURS[0]] == 3 and dots[SERIES_COLOURS[1]] == 2
    bands = _all(chart, "polygon")
    assert len(bands) == 1 and bands[0].get("fill") == SERIES_COLOURS[0]  # f1 has no bounds
    assert len(bands[0].get("points", "").split()) == 6  # 3 highs, then 3 lows back


def test_the_bar_is_a_dashed_line_at_its_value_and_in_the_legend() -> None:
    chart = _evidence()
    assert _texts(chart, "end") == ["0.30", "0.40", "0.50", "0.60", "0.70", "0.80", "0.90", "1.00"]
    [(colour, y)] = _dashed(chart)
    assert colour == INK
    assert y == pytest.approx(_value_y(chart, 0.9), abs=0.01)
    assert y == pytest.approx(_plot(chart)[1] + _plot(chart)[3] / 7, abs=0.01)  # 0.1 of 0.7
    assert "bar ≥ 0.90" in _texts(chart)


def test_a_line_on_the_edge_of_the_plot_is_not_clipped() -> None:
    ones = [(D + timedelta(days=30 * i), 1.0, None, None) for i in range(3)]
    chart = _evidence([("recall", ones)], bar=1.0)
    assert _texts(chart, "end")[-1] == "1.00"  # a ratio axis stops at 1
    [(_, y)] = _dashed(chart)
    assert y == pytest.approx(_plot(chart)[1], abs=0.01)
    assert _clip(chart)[1] <= y - svg.STROKE / 2  # the whole stroke is inside the clip


def test_no_bar_no_dashed_line() -> None:
    chart = _evidence(bar=None)
    assert _dashed(chart) == []
    assert not any(t.startswith("bar") for t in _texts(chart))


def test_markers_sit_on_their_values() -> None:
    chart = _evidence()
    blue = next(g for g in _all(chart, "g") if g.get("fill") == SERIES_COLOURS[0])
    ys = [float(c.get("cy", "")) for c in blue.findall(f"{SVG}circle")]
    assert ys == pytest.approx([_value_y(chart, v) for v in (0.5, 0.6, 0.7)], abs=0.01)


def test_dates_are_labelled_with_the_year_under_the_first() -> None:
    chart = _evidence()
    assert _texts(chart, "middle") == ["Jan 1", "2026", "Jan 15", "Feb 1", "Feb 15", "Mar 1"]


def test_a_point_without_bounds_splits_the_band() -> None:
    points = [(D + timedelta(days=10 * i), 0.5, 0.4, 0.6) for i in range(5)]
    points[2] = (points[2][0], 0.5, None, None)
    chart = _evidence([("accuracy", points)])
    assert len(_all(chart, "polygon")) == 2
    whiskers = [p for p in _all(chart, "path") if p.get("stroke") == SERIES_COLOURS[0]]
    assert [w.get("d", "").count("M") for w in whiskers if not w.get("stroke-dasharray")] == [4, 1]


def test_one_measurement_is_a_marker_on_a_single_date() -> None:
    chart = _evidence([("accuracy", [(date(2026, 3, 1), 0.8, None, None)])], bar=None)
    assert _polylines(chart) == [(SERIES_COLOURS[0], 1)]
    assert _texts(chart, "middle") == ["Mar 1", "2026"]
    ET.fromstring(chart.svg)


def test_equal_values_get_a_range_around_them() -> None:
    chart = _evidence(
        [("accuracy", [(D, 0.5, None, None), (D + timedelta(days=30), 0.5, None, None)])], bar=None
    )
    labels = [float(t) for t in _texts(chart, "end")]
    assert min(labels) < 0.5 < max(labels)
    assert len(set(_texts(chart, "end"))) == len(labels)  # two decimals tell them apart


def test_negative_values_and_a_plain_axis_on_the_outcome_chart() -> None:
    chart = outcome.outcome_history(((D, -5.0), (date(2027, 2, 1), 3.0)), None, 10.0, "score")
    assert _texts(chart, "end") == [
        "−7.5", "−5.0", "−2.5", "0.0", "2.5", "5.0", "7.5", "10.0", "12.5"
    ]  # fmt: skip
    [(colour, y)] = _dashed(chart)
    assert colour == GREEN and y == pytest.approx(_value_y(chart, 10.0), abs=0.01)
    assert _polylines(chart) == [(SERIES_COLOURS[0], 2)]


def test_outcome_chart_shows_baseline_and_target() -> None:
    rows = ((D, 9.0), (date(2026, 2, 1), 7.5), (date(2026, 3, 3), 6.1))
    chart = outcome.outcome_history(rows, 9.0, 4.0, "Minutes per reply")
    assert [t for t in _texts(chart) if not re.fullmatch(r"\d+|[A-Z][a-z]{2}( \d+)?", t)] == [
        "Minutes per reply",
        "baseline 9",
        "target 4",
    ]
    assert [c for c, _ in _dashed(chart)] == [INK, GREEN]
    for (_, y), value in zip(_dashed(chart), (9.0, 4.0), strict=True):
        assert y == pytest.approx(_value_y(chart, value), abs=0.01)
    root = _root(chart)
    assert root.get("aria-label") == chart.alt and root[0].text == chart.alt
    assert chart.alt == (
        "Minutes per reply: 3 measurements from 9 on 2026-01-01 to 6.1 on 2026-03-03, "
        "baseline 9, target 4."
    )


def test_names_are_escaped_and_the_svg_parses() -> None:
    name = "<script>&\"'"
    chart = _evidence([("<script>&\"'", ACCURACY)])
    assert "<script" not in chart.svg
    assert name in _texts(chart)
    assert _root(chart).get("aria-label") == chart.alt and name in chart.alt
    odd = _evidence([("new\nline\x00 and\x1b", ACCURACY)])  # characters XML forbids, dropped
    assert "new line and" in _texts(odd)
    assert _root(odd)[0].text == odd.alt.replace("\x00", "").replace("\x1b", "")


def test_same_input_same_bytes_and_no_float_noise() -> None:
    first, second = _evidence(), _evidence()
    assert first.svg == second.svg
    body = first.svg.split("</title>", 1)[1]
    assert all(len(d) <= 2 for d in re.findall(r"\d\.(\d+)", body))


def test_two_charts_share_no_ids_and_each_uses_its_own() -> None:
    a, b = _evidence(), _evidence(bar=0.8)
    ids = [{e.get("id") for e in _root(c).iter() if e.get("id")} for c in (a, b)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    for chart, own in zip((a, b), ids, strict=True):
        used = set(re.findall(r"url\(#([^)]+)\)", chart.svg))
        assert used and used <= own


def test_many_metrics_wrap_the_legend_onto_rows_within_the_chart() -> None:
    series = [(f"metric number {k}", ACCURACY) for k in range(9)]
    chart = _evidence(series)
    width = float(_root(chart).get("viewBox", "").split()[2])
    legend = next(g for g in _all(chart, "g") if g.get("style") == "font-size: 9.9px")
    texts = legend.findall(f"{SVG}text")
    assert len({t.get("y") for t in texts}) > 1  # more than one row
    for t in texts:
        assert float(t.get("x", "")) + ticks.text_width(t.text or "", 9.9) <= width
    bottom = max(float(t.get("y", "")) for t in texts)
    assert _plot(chart)[1] > bottom  # the plot starts below the legend
    assert _plot(chart)[3] >= svg.MIN_PLOT


def test_long_names_wrap_onto_two_lines_cut_with_an_ellipsis() -> None:
    name = "Share of drafts sent with no or minor edits, " * 13
    chart = _evidence([(name, ACCURACY)])
    shown = [t for t in _texts(chart) if "Share of" in t]
    assert len(shown) == 2 and all(len(t) <= LEGEND_CHARS for t in shown)
    assert shown[1].endswith(" …")


def test_no_data_is_a_message_without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("drawn with matplotlib")

    monkeypatch.setattr("matplotlib.figure.Figure.__init__", refuse)
    empty = history.evidence_history([], None)
    assert _texts(empty) == ["No data yet"]
    assert _root(empty).get("role") == "img"
    _evidence()  # and the charts, neither
    outcome.outcome_history(((D, 1.0), (date(2026, 5, 1), 2.0)), 0.5, 3.0, "no matplotlib")


@pytest.mark.parametrize(
    ("lo", "hi", "bins", "ratio", "expected", "decimals"),
    [
        (0.4825, 0.8675, 8, True, [0.4, 0.5, 0.6, 0.7, 0.8, 0.9], 2),
        (0.4825, 0.8675, 8, False, [0.4, 0.5, 0.6, 0.7, 0.8, 0.9], 1),
        (3.75, 9.25, 8, False, [3, 4, 5, 6, 7, 8, 9, 10], 0),
        (0.0, 12.4, 6, False, [0, 2.5, 5, 7.5, 10, 12.5], 1),
        (-3.6, 1.6, 8, False, [-4, -3, -2, -1, 0, 1, 2], 0),
        (2.3e6, 4.9e6, 8, False, [2e6, 2.5e6, 3e6, 3.5e6, 4e6, 4.5e6, 5e6], 0),
        (0.471, 0.529, 8, True, [0.47, 0.48, 0.49, 0.5, 0.51, 0.52, 0.53], 2),
    ],
)
def test_nice_ticks(
    lo: float, hi: float, bins: int, ratio: bool, expected: list[float], decimals: int
) -> None:
    found, places = ticks.nice_ticks(lo, hi, bins, ratio)
    assert found == pytest.approx(expected) and places == decimals


def test_tick_labels_use_separators_and_a_true_minus() -> None:
    assert ticks.tick_label(-2.0, 0) == "−2"
    assert ticks.tick_label(2.5e6, 0) == "2,500,000"
    assert ticks.tick_label(0.85, 2) == "0.85"


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(1e-3, 1e6, allow_nan=False),
    st.integers(2, 8),
    st.booleans(),
)
def test_ticks_cover_the_range_in_distinct_labels(
    lo: float, span: float, bins: int, ratio: bool
) -> None:
    if ratio:
        lo, span = min(abs(lo) / 1e6, 0.9), max(min(span / 1e6, 0.1), 0.05)
    found, decimals = ticks.nice_ticks(lo, lo + span, bins, ratio)
    assert found[0] <= lo + 1e-9 * span and found[-1] >= lo + span - 1e-9 * span
    assert 2 <= len(found) <= bins + 1
    labels = [ticks.tick_label(v, decimals) for v in found]
    assert len(set(labels)) == len(labels)


def test_value_limits() -> None:
    assert ticks.value_limits([5.0, 5.0], False) == pytest.approx((4.45, 5.55))
    assert ticks.value_limits([0.5], True) == pytest.approx((0.4725, 0.5275))
    assert ticks.value_limits([0.99, 1.0], True)[1] == 1.0  # a ratio axis stops at 1
    assert ticks.value_limits([0.0, 0.01], True)[0] == 0.0  # and at 0


def _date_ticks(first: date, last: date) -> list[tuple[str, str]]:
    lo, hi = ticks.day_range([first.toordinal(), last.toordinal()])
    return [(label, year) for _, label, year in ticks.date_ticks(lo, hi, 330 / (hi - lo), 11)]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 3, 1), date(2026, 3, 1), [("Mar 1", "2026")]),  # a single day
        (date(2026, 3, 1), date(2026, 3, 4),
         [("Mar 1", "2026"), ("Mar 2", ""), ("Mar 3", ""), ("Mar 4", "")]),
        (date(2026, 3, 8), date(2026, 3, 29),  # weekly
         [("Mar 8", "2026"), ("Mar 15", ""), ("Mar 22", "")]),
        (date(2026, 3, 3), date(2026, 4, 20),  # weekly labels would touch: twice a month
         [("Mar 1", "2026"), ("Mar 15", ""), ("Apr 1", ""), ("Apr 15", "")]),
        (date(2025, 11, 1), date(2026, 4, 1),
         [("Nov", "2025"), ("Dec", ""), ("Jan", "2026"), ("Feb", ""), ("Mar", ""),
          ("Apr", "")]),
        (date(2020, 6, 1), date(2030, 6, 1),
         [("2020", ""), ("2022", ""), ("2024", ""), ("2026", ""), ("2028", ""), ("2030", "")]),
        (date(1900, 1, 1), date(2100, 1, 1),
         [("1900", ""), ("1950", ""), ("2000", ""), ("2050", ""), ("2100", "")]),
    ],
)  # fmt: skip
def test_date_ticks(first: date, last: date, expected: list[tuple[str, str]]) -> None:
    assert _date_ticks(first, last) == expected


def test_date_ticks_at_the_ends_of_the_calendar() -> None:
    assert _date_ticks(date(1, 1, 1), date(1, 1, 2))[0] == ("Jan 1", "1")
    assert _date_ticks(date(9999, 12, 30), date(9999, 12, 31))[-1] == ("Dec 31", "")


def test_text_width_follows_the_font() -> None:
    assert ticks.text_width("iii", 10) < ticks.text_width("MMM", 10)
    assert ticks.text_width("請求", 10) == 20  # wide scripts: one em a character
    assert ticks.text_width("e\u0301", 10) == ticks.text_width("e", 10)  # combining: no width
