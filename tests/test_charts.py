"""Charts: accessible, byte-stable SVG with a text alternative and a table of the numbers."""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta

import matplotlib
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from generator.core.policy import Thresholds
from generator.site.charts import draw as kinds
from generator.site.charts import history, style
from generator.site.charts import spec as charts
from generator.site.charts.types import Chart, ForestRow, Margin, StageCount, TimelineRow

SVG = "{http://www.w3.org/2000/svg}"
# The default policy's G404 overrun and S009 explosion multiples: 1.2 and 4.
MULTIPLES = (Thresholds().cost_overrun_max, Thresholds().cost_explosion)
NASTY = "<script>$x$ & y"


def _funnel() -> Chart:
    return charts.funnel(
        [
            StageCount("discovery", 20, 4, 5),
            StageCount("poc", 11, 3, 6),
            StageCount("pilot", 2, 1, 1),
            StageCount("scale", 0, 0, 0),
            StageCount("optimize", 0, 0, 0),
        ]
    )


def _status() -> Chart:
    return charts.status_by_stage([("discovery", 4, 3, 2), ("poc", 3, 6, 0), ("pilot", 1, 1, 0)])


def _time() -> Chart:
    return charts.time_in_stage(
        [
            ("contact-search", "pilot", 70, 56),
            ("invoice-match", "poc", 10, 28),
            ("erp-bot", "optimize", 200, None),
        ]
    )


def _deaths() -> Chart:
    return charts.deaths(
        [
            ("poc", "cherry-picked-evaluation", 4),
            ("poc", "scope-creep", 1),
            ("pilot", "low-adoption", 2),
        ]
    )


def _forest() -> Chart:
    return charts.quality_forest(
        [
            ForestRow("contact-search", 0.62, 0.53, 0.70, 0.85, "higher", False),
            ForestRow("invoice-match", 0.91, 0.86, 0.95, 0.85, "higher", True),
            # An error rate, lower is better: 0.083 against 0.10 meets its bar by 0.017.
            ForestRow("forecast-error", 0.083, 0.071, 0.097, 0.10, "lower", True),
        ]
    )


def _cost() -> Chart:
    return charts.cost_vs_forecast(
        [
            ("contact-search", 6400.0, 1200.0),
            ("invoice-match", 900.0, 1000.0),
            ("erp-bot", 1500.0, 1000.0),
        ],
        *MULTIPLES,
    )


def _timeline() -> Chart:
    d = date(2026, 1, 5)
    return charts.timeline(
        [
            TimelineRow(
                "contact-search",
                [("discovery", d, date(2026, 1, 19)), ("poc", date(2026, 1, 19), date(2026, 3, 1))],
                "active",
            ),
            TimelineRow(
                "old-email-bot", [("discovery", date(2025, 10, 1), date(2025, 11, 2))], "killed"
            ),
            TimelineRow(
                "invoice-match", [("discovery", date(2025, 12, 1), date(2026, 2, 1))], "shelved"
            ),
        ]
    )


def _evidence() -> Chart:
    return history.evidence_history(
        [
            (
                "accuracy",
                [(date(2026, 3, 1), 0.74, 0.66, 0.81), (date(2026, 2, 14), 0.62, 0.53, 0.70)],
            ),
            ("f1", [(date(2026, 3, 1), 0.70, None, None)]),
        ],
        0.85,
        "higher",
    )


FOREST_HEADER = (
    "initiative",
    "point",
    "95% low",
    "95% high",
    "bar",
    "direction",
    "margin to bar",
    "meets bar",
)

# name -> (build, labels shown, phrases the alt must state, table)
CASES: dict[str, tuple[Callable[[], Chart], list[str], list[str], list[tuple[str, ...]]]] = {
    "funnel": (
        _funnel,
        ["discovery", "poc", "optimize"],
        [
            "discovery 20",
            "poc 11",
            "pilot 2",
            "Active now: 8",
            "killed or shelved: 12",
            "most at poc (6)",
        ],
        [
            ("stage", "reached", "active", "died"),
            ("discovery", "20", "4", "5"),
            ("poc", "11", "3", "6"),
            ("pilot", "2", "1", "1"),
            ("scale", "0", "0", "0"),
            ("optimize", "0", "0", "0"),
        ],
    ),
    "status": (
        _status,
        ["discovery", "poc", "pilot"],
        ["20 initiatives", "8 active", "10 killed", "2 shelved", "poc 3/6/0"],
        [
            ("stage", "active", "killed", "shelved"),
            ("discovery", "4", "3", "2"),
            ("poc", "3", "6", "0"),
            ("pilot", "1", "1", "0"),
        ],
    ),
    "time": (
        _time,
        ["contact-search · pilot", "invoice-match · poc", "erp-bot · optimize"],
        ["3 active initiatives", "1 past", "contact-search, 70 days in pilot (bound 56)"],
        [
            ("project", "stage", "days", "bound"),
            ("contact-search", "pilot", "70", "56"),
            ("invoice-match", "poc", "10", "28"),
            ("erp-bot", "optimize", "200", "—"),
        ],
    ),
    "deaths": (
        _deaths,
        ["cherry-picked-evaluation", "scope-creep", "low-adoption", "poc", "pilot", "4", "2"],
        ["7 failure-mode hits", "cherry-picked-evaluation (4)", "poc (5)"],
        [
            ("stage", "failure mode", "count"),
            ("poc", "cherry-picked-evaluation", "4"),
            ("poc", "scope-creep", "1"),
            ("pilot", "low-adoption", "2"),
        ],
    ),
    "forest": (
        _forest,
        [
            "contact-search",
            "invoice-match",
            "forecast-error",
            "0.62 · bar ≥ 0.85",
            "0.08 · bar ≤ 0.10",
            "0.00",  # the bar, where every row's margin is measured from
        ],
        [
            "3 initiatives",
            "each against its own bar",
            "2 meet",
            "1 miss",
            "contact-search at 0.62 against ≥ 0.85 (margin −0.23)",
        ],
        [
            FOREST_HEADER,
            ("contact-search", "0.62", "0.53", "0.70", "0.85", "higher", "−0.23", "no"),
            ("forecast-error", "0.08", "0.07", "0.10", "0.10", "lower", "+0.02", "yes"),
            ("invoice-match", "0.91", "0.86", "0.95", "0.85", "higher", "+0.06", "yes"),
        ],
    ),
    "cost": (
        _cost,
        ["contact-search", "invoice-match", "erp-bot"],
        [
            "3 initiatives",
            "2 above 1.2×",
            "1 at 4× or more",
            "contact-search at 5.3×",
            "6,400 against 1,200",
        ],
        [
            ("project", "actual USD/month", "forecast USD/month", "actual/forecast"),
            ("contact-search", "6,400", "1,200", "5.3×"),
            ("erp-bot", "1,500", "1,000", "1.5×"),
            ("invoice-match", "900", "1,000", "0.9×"),
        ],
    ),
    "timeline": (
        _timeline,
        ["contact-search", "old-email-bot", "invoice-match"],
        ["3 initiatives", "2025-10-01", "2026-03-01", "1 active", "1 killed", "1 shelved"],
        [
            ("initiative", "stage", "start", "end", "status"),
            ("old-email-bot", "discovery", "2025-10-01", "2025-11-02", "killed"),
            ("invoice-match", "discovery", "2025-12-01", "2026-02-01", "shelved"),
            ("contact-search", "discovery", "2026-01-05", "2026-01-19", "active"),
            ("contact-search", "poc", "2026-01-19", "2026-03-01", "active"),
        ],
    ),
    "evidence": (
        _evidence,
        ["accuracy", "f1", "bar ≥ 0.85"],
        [
            "2 metrics",
            "bar of ≥ 0.85",
            "accuracy 0.74 (95% 0.66–0.81) on 2026-03-01",
            "f1 0.70 on 2026-03-01",
        ],
        [
            ("metric", "date", "point", "95% low", "95% high"),
            ("accuracy", "2026-02-14", "0.62", "0.53", "0.70"),
            ("accuracy", "2026-03-01", "0.74", "0.66", "0.81"),
            ("f1", "2026-03-01", "0.70", "—", "—"),
        ],
    ),
}

EMPTY: dict[str, Callable[[], Chart]] = {
    "funnel": lambda: charts.funnel([]),
    "status": lambda: charts.status_by_stage([]),
    "time": lambda: charts.time_in_stage([]),
    "deaths": lambda: charts.deaths([]),
    "deaths-zero": lambda: charts.deaths([("poc", "scope-creep", 0)]),
    "forest": lambda: charts.quality_forest([]),
    "cost": lambda: charts.cost_vs_forecast([], *MULTIPLES),
    "timeline": lambda: charts.timeline([]),
    "timeline-no-segments": lambda: charts.timeline([TimelineRow("x", [], "active")]),
    "evidence": lambda: history.evidence_history([], None),
    "evidence-no-points": lambda: history.evidence_history([("accuracy", [])], 0.9),
}


def _root(chart: Chart) -> ET.Element:
    """Parse a chart's SVG and return the root element."""
    return ET.fromstring(chart.svg)


def _texts(chart: Chart) -> list[str]:
    """Return the content of every <text> element, as a reader would see it."""
    return ["".join(t.itertext()) for t in _root(chart).iter(f"{SVG}text")]


def _check_accessible(chart: Chart) -> None:
    """Assert the SVG is a bare, parseable, labelled <svg> document that can be inlined."""
    assert chart.svg.startswith("<svg ")
    assert "<?xml" not in chart.svg and "<!DOCTYPE" not in chart.svg
    assert "\n\n" not in chart.svg  # a blank line would end a Markdown HTML block
    root = _root(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == chart.alt
    assert root[0].tag == f"{SVG}title" and root[0].text == chart.alt
    assert chart.alt.count(". ") + 1 <= 3  # one to three sentences


@pytest.mark.parametrize("name", CASES)
def test_chart_is_accessible_svg(name: str) -> None:
    chart = CASES[name][0]()
    _check_accessible(chart)
    ids = [e.get("id") for e in _root(chart).iter() if e.get("id")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", CASES)
def test_chart_shows_its_labels(name: str) -> None:
    build, labels, _, _ = CASES[name]
    texts = _texts(build())
    for label in labels:
        assert label in texts


@pytest.mark.parametrize("name", CASES)
def test_alt_states_key_numbers(name: str) -> None:
    build, _, phrases, _ = CASES[name]
    alt = build().alt
    for phrase in phrases:
        assert phrase in alt


@pytest.mark.parametrize("name", CASES)
def test_table_holds_the_numbers(name: str) -> None:
    build, _, _, table = CASES[name]
    assert build().table == table


@pytest.mark.parametrize("name", CASES)
def test_output_is_byte_stable(name: str) -> None:
    build = CASES[name][0]
    first, second = build(), build()
    assert first.svg == second.svg
    assert not re.search(r"dc:date|<metadata|Matplotlib v|/tmp/|/home/|/work/", first.svg)
    assert re.search(r'\bid="c[0-9a-f]{8}-', first.svg)


def test_charts_on_one_page_do_not_share_ids() -> None:
    ids = [
        {e.get("id") for e in _root(build()).iter() if e.get("id")} for build, *_ in CASES.values()
    ]
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            assert not a & b


@pytest.mark.parametrize("name", EMPTY)
def test_empty_input_says_no_data(name: str) -> None:
    chart = EMPTY[name]()
    _check_accessible(chart)
    assert _texts(chart) == ["No data yet"]
    assert chart.alt.startswith("No data yet")
    assert len(chart.table) == 1


def test_charts_leave_global_rc_params_alone() -> None:
    before = dict(matplotlib.rcParams)
    _funnel()
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.time_in_stage([(NASTY, "poc", 40, 28)]),
        lambda: charts.quality_forest([ForestRow(NASTY, 0.5, 0.4, 0.6, 0.8, "higher", False)]),
        lambda: charts.cost_vs_forecast([(NASTY, 5.0, 1.0)], *MULTIPLES),
        lambda: charts.deaths([("poc", NASTY, 3)]),
        lambda: charts.timeline(
            [TimelineRow(NASTY, [("poc", date(2026, 1, 1), date(2026, 2, 1))], "killed")]
        ),
        lambda: history.evidence_history([(NASTY, [(date(2026, 1, 1), 0.5, 0.4, 0.6)])], None),
    ],
)
def test_labels_are_escaped_text_not_markup_or_math(build: Callable[[], Chart]) -> None:
    chart = build()
    assert "<script" not in chart.svg
    assert "&lt;script&gt;$x$ &amp; y" in chart.svg
    assert any(t.startswith(NASTY) for t in _texts(chart))  # the dollars survive: no mathtext
    _check_accessible(chart)


def test_long_labels_are_cut_in_the_chart_but_whole_in_the_table() -> None:
    title = "An initiative whose title runs on well past what the row axis can hold"
    chart = charts.quality_forest([ForestRow(title, 0.9, 0.8, 0.95, 0.85, "higher", True)])
    assert title not in _texts(chart)
    assert any(t.endswith("…") and title.startswith(t[:-1]) for t in _texts(chart))
    assert chart.table[1][0] == title


def _time_rows(n: int) -> list[tuple[str, str, int, int | None]]:
    return [(f"p{i}", "pilot", i + 1, 56) for i in range(n)]


def _forest_rows(n: int) -> list[ForestRow]:
    return [
        ForestRow(f"p{i}", 0.5 + i / (2 * n), None, None, 0.75, "higher", 0.5 + i / (2 * n) >= 0.75)
        for i in range(n)
    ]


def _cost_rows(n: int) -> list[tuple[str, float, float]]:
    return [(f"p{i}", 100.0 * (i + 1), 1000.0) for i in range(n)]


def _timeline_rows(n: int) -> list[TimelineRow]:
    start = date(2026, 1, 1)
    return [
        TimelineRow(f"p{i}", [("poc", start, start + timedelta(days=i + 1))], "active")
        for i in range(n)
    ]


# name -> (build from n rows, a label that must be shown, one that must be left out)
CAPPED: dict[str, tuple[Callable[[int], Chart], str, str]] = {
    "time": (lambda n: charts.time_in_stage(_time_rows(n)), "p99 · pilot", "p59 · pilot"),
    "forest": (lambda n: charts.quality_forest(_forest_rows(n)), "p0", "p40"),
    "cost": (lambda n: charts.cost_vs_forecast(_cost_rows(n), *MULTIPLES), "p99", "p59"),
    "timeline": (lambda n: charts.timeline(_timeline_rows(n)), "p99", "p59"),
}


@pytest.mark.parametrize("name", CAPPED)
def test_long_portfolios_show_forty_rows_and_say_so(name: str) -> None:
    build, kept, dropped = CAPPED[name]
    chart = build(100)
    assert "40 of 100" in chart.alt
    assert any("Showing 40 of 100" in t for t in _texts(chart))
    assert kept in _texts(chart) and dropped not in _texts(chart)
    shown = {row[0] for row in chart.table[1:]}
    assert len(shown) == 40
    assert len(chart.svg) < 150_000
    assert "Showing" not in build(40).alt


def test_time_in_stage_handles_thousands_of_rows() -> None:
    chart = charts.time_in_stage(_time_rows(3000))
    assert "40 of 3,000" in chart.alt
    assert len(chart.table) == 41
    assert len(chart.svg) < 150_000


def test_time_in_stage_ranks_by_days_relative_to_bound() -> None:
    chart = charts.time_in_stage(
        [("a", "discovery", 20, 14), ("b", "scale", 120, 112), ("c", "optimize", 400, None)]
    )
    assert [row[0] for row in chart.table[1:]] == ["a", "b", "c"]


def test_wide_cost_range_uses_a_log_scale_without_mathtext() -> None:
    chart = charts.cost_vs_forecast(
        [("big", 250_000.0, 60_000.0), ("small", 90.0, 100.0)], *MULTIPLES
    )
    assert any("log scale" in t for t in _texts(chart))
    assert "mathdefault" not in chart.svg and "$" not in "".join(_texts(chart))
    assert "100,000" in _texts(chart)


def test_cost_without_forecast_is_not_a_number() -> None:
    chart = charts.cost_vs_forecast([("new", 500.0, 0.0)], *MULTIPLES)
    assert chart.table[1] == ("new", "500", "0", "n/a")
    _check_accessible(chart)


def test_text_stays_text_in_a_generic_sans_serif_and_background_is_transparent() -> None:
    chart = _status()
    assert "font-family:" in chart.svg and "sans-serif" in chart.svg
    assert 'style="fill: none; opacity: 0"' in chart.svg or 'style="fill: none"' in chart.svg
    assert "#ffffff; opacity: 1" not in chart.svg


def _axes(
    draw: Callable[[Axes], None], height: float = 4.0, subtitle: str | None = None
) -> tuple[Figure, Axes]:
    """Draw into a house-style figure, lay it out as for saving, and return it."""
    with matplotlib.rc_context(style.style()):
        fig = style.figure(draw, height, subtitle)
        FigureCanvasAgg(fig).draw()
    return fig, fig.axes[0]


def test_legend_sits_below_the_subtitle_and_above_the_plot() -> None:
    rows = [(f"p{i}", "pilot", i + 1, 56) for i in range(5)]
    fig, ax = _axes(lambda ax: kinds.draw_time_in_stage(ax, rows), 3.0, "Showing 5 of 9: x.")
    renderer = FigureCanvasAgg(fig).get_renderer()
    legend = ax.get_legend()
    (title,) = [t for t in fig.texts if t.get_text() == "Showing 5 of 9: x."]
    assert legend is not None
    box = legend.get_window_extent(renderer)
    assert box.y1 <= title.get_window_extent(renderer).y0
    assert box.y0 >= ax.get_window_extent(renderer).y1 - 1


def test_day_count_goes_after_the_bar_or_the_tick_whichever_is_further_right() -> None:
    assert kinds.count_x(26, 28) == 28  # tick just past the bar's end: after the tick
    assert kinds.count_x(70, 56) == 70  # over the bound: after the bar
    assert kinds.count_x(56, 56) == 56
    assert kinds.count_x(200, None) == 200


def test_day_counts_never_overlap_the_bound_ticks() -> None:
    # The reviewer's collisions (26 of 28, 9 of 14, 44 of 56) and the edges around them.
    rows = [
        ("a", "poc", 26, 28),
        ("b", "discovery", 9, 14),
        ("c", "pilot", 44, 56),
        ("d", "pilot", 56, 56),
        ("e", "pilot", 57, 56),
        ("f", "discovery", 72, 14),
        ("g", "optimize", 380, None),
    ]
    fig, ax = _axes(lambda ax: kinds.draw_time_in_stage(ax, rows))
    renderer = FigureCanvasAgg(fig).get_renderer()
    half_tick = style.TICK_WIDTH / 2 * fig.dpi / 72
    texts = {t.get_text(): t.get_window_extent(renderer) for t in ax.texts}
    for i, (_, _, days, bound) in enumerate(rows):
        box = texts[str(days)]
        bar_end, y = ax.transData.transform((days, i))
        assert box.x0 > bar_end and box.y0 < y < box.y1  # on its row, right of its bar
        if bound is not None:
            tick = ax.transData.transform((bound, i))[0]
            assert box.x0 > tick + half_tick or box.x1 < tick - half_tick


@pytest.mark.parametrize(
    "chart",
    [
        lambda: charts.funnel([StageCount("discovery", 3, 1, 1), StageCount("poc", 1, 1, 0)]),
        lambda: charts.status_by_stage([("discovery", 1, 1, 0), ("poc", 2, 0, 1)]),
        lambda: charts.time_in_stage([("a", "poc", 3, 4), ("b", "poc", 1, None)]),
    ],
)
def test_counts_have_whole_number_ticks(chart: Callable[[], Chart]) -> None:
    texts = _texts(chart())
    assert not [t for t in texts if re.fullmatch(r"\d+\.\d+", t)]
    assert {"0", "1", "2", "3"} <= set(texts)


def test_funnel_integer_locator() -> None:
    stages = [StageCount("discovery", 3, 1, 1), StageCount("poc", 1, 1, 0)]
    _, ax = _axes(lambda ax: kinds.draw_funnel(ax, stages))
    assert all(float(x).is_integer() for x in ax.get_xticks())


def test_funnel_totals_are_bold_and_full_size() -> None:
    stages = [StageCount("discovery", 3, 1, 1), StageCount("poc", 1, 1, 0)]
    _, ax = _axes(lambda ax: kinds.draw_funnel(ax, stages))
    totals = [t for t in ax.texts if t.get_text() in {"3", "1"} and t.get_color() == style.INK]
    assert len(totals) == 2
    assert all(t.get_fontweight() == "bold" and t.get_fontsize() >= 10 for t in totals)


def _tuple(margin: Margin | None) -> tuple[float | None, ...]:
    assert margin is not None
    return (margin.point, margin.low, margin.high)


def test_margin_puts_the_good_side_of_the_bar_on_the_right() -> None:
    higher = charts.margin(ForestRow("acc", 0.91, 0.86, 0.95, 0.85, "higher", True))
    assert _tuple(higher) == pytest.approx((0.06, 0.01, 0.10))
    # Lower is better: bar − value, so the interval's ends swap.
    lower = charts.margin(ForestRow("err", 0.083, 0.071, 0.097, 0.10, "lower", True))
    assert _tuple(lower) == pytest.approx((0.017, 0.003, 0.029))
    missed = charts.margin(ForestRow("err", 0.12, 0.11, 0.13, 0.10, "lower", False))
    assert missed is not None and missed.point == pytest.approx(-0.02)
    assert missed.low == pytest.approx(-0.03) and missed.high == pytest.approx(-0.01)
    bare = charts.margin(ForestRow("x", 0.8, None, None, 0.75, "higher", True))
    assert _tuple(bare) == pytest.approx((0.05, None, None))
    assert charts.margin(ForestRow("x", 0.8, 0.7, 0.9, None, "higher", False)) is None


def test_margin_relative_to_the_bar_for_other_units() -> None:
    latency = ForestRow("latency", 1.8, 1.5, 2.2, 2.0, "lower", True)
    assert _tuple(charts.margin(latency, relative=True)) == pytest.approx((0.1, -0.1, 0.25))
    zero = ForestRow("x", 0.5, None, None, 0.0, "lower", False)
    assert charts.margin(zero, relative=True) is None


def test_forest_draws_margins_not_raw_values() -> None:
    rows = [
        ForestRow("acc", 0.91, 0.86, 0.95, 0.85, "higher", True),
        ForestRow("err", 0.083, 0.071, 0.097, 0.10, "lower", True),
    ]
    margins = [charts.margin(r) for r in rows]
    _, ax = _axes(
        lambda ax: kinds.draw_forest(ax, ["acc", "err"], ["a", "b"], margins, [True, True], False)
    )
    points = ax.collections[-1].get_offsets()
    assert [p[0] for p in points] == pytest.approx([0.06, 0.017])
    lo, hi = ax.get_xlim()
    assert lo < 0 < hi  # the bar, 0, is always in view


def test_forest_with_other_units_uses_percent_of_the_bar() -> None:
    chart = charts.quality_forest(
        [
            ForestRow("ticket-latency", 1.8, 1.5, 2.2, 2.0, "lower", True),
            ForestRow("invoice-match", 0.91, 0.86, 0.95, 0.85, "higher", True),
            ForestRow("no-bar", 0.5, None, None, None, "higher", False),
        ]
    )
    assert chart.table[0][6] == "margin, % of bar"
    assert chart.table[1:] == [
        ("no-bar", "0.50", "—", "—", "—", "higher", "—", "no"),
        ("invoice-match", "0.91", "0.86", "0.95", "0.85", "higher", "+7.1%", "yes"),
        ("ticket-latency", "1.80", "1.50", "2.20", "2.00", "lower", "+10.0%", "yes"),
    ]
    assert "0.50 · no bar" in _texts(chart)
    assert any(t.endswith("%") for t in _texts(chart))  # the margin axis
    _check_accessible(chart)


def test_an_interval_past_one_keeps_ratios_in_their_own_units() -> None:
    chart = charts.quality_forest([ForestRow("a", 0.98, 0.95, 1.01, 0.95, "higher", True)])
    assert chart.table[0][6] == "margin to bar" and chart.table[1][6] == "+0.03"


@pytest.mark.parametrize("name", ["forest", "evidence"])
def test_quality_values_have_two_decimals_as_on_the_site(name: str) -> None:
    chart = CASES[name][0]()
    numbers = re.findall(r"\d+\.\d+", chart.alt + " ".join(c for r in chart.table for c in r))
    assert numbers and all(len(n.split(".")[1]) == 2 for n in numbers)
    decimals = [t for t in _texts(chart) if re.fullmatch(r"[−+]?\d+\.\d+%?", t)]
    assert decimals and all(re.fullmatch(r"[−+]?\d+\.\d\d", t) for t in decimals)


def test_evidence_alt_matches_the_site_text() -> None:
    # The site writes this measurement as "0.94 [0.91–0.95]".
    chart = history.evidence_history(
        [
            (
                "accuracy",
                [(date(2026, 1, 1), 0.9, 0.88, 0.92), (date(2026, 2, 1), 0.935, 0.912, 0.952)],
            )
        ],
        0.9,
    )
    assert "accuracy 0.94 (95% 0.91–0.95) on 2026-02-01" in chart.alt
    assert "against a bar of 0.90" in chart.alt
    assert "bar 0.90" in _texts(chart)


def _min_font_px(chart: Chart, display_px: float) -> float:
    """Return the smallest text size in CSS px when the chart is shown `display_px` wide
    (never scaled up: the page sets max-width: 100%)."""
    root = _root(chart)
    width_px = float(root.get("width", "0pt").removesuffix("pt")) * 96 / 72
    sizes = [float(x) for x in re.findall(r"font-size: ([\d.]+)px", chart.svg)]
    return min(sizes) * 96 / 72 * min(1.0, display_px / width_px)


@pytest.mark.parametrize("name", [n for n in CASES if n != "evidence"])
def test_overview_text_is_legible_at_the_content_width(name: str) -> None:
    chart = CASES[name][0]()
    assert _min_font_px(chart, 700) >= 11


def test_evidence_history_is_narrow_so_its_text_stays_legible() -> None:
    chart = _evidence()
    assert float(_root(chart).get("width", "").removesuffix("pt")) <= 5.5 * 72
    assert _min_font_px(chart, 480) >= 11  # a narrow column beside the table of contents


def test_long_legend_entries_wrap_and_the_legend_fits_the_figure() -> None:
    name = "Share of documents with every mandatory declaration field correct"
    chart = history.evidence_history(
        [(name, [(date(2026, 1, 1), 0.9, 0.88, 0.92), (date(2026, 2, 1), 0.87, 0.84, 0.9)])],
        0.9,
        "higher",
    )
    assert name not in _texts(chart)
    assert "declaration field correct" in " ".join(_texts(chart))
    assert name in chart.alt
    fig, ax = _axes(
        lambda ax: kinds.draw_cost(ax, [(f"p{i}", 1.0, 1.0) for i in range(3)], False, MULTIPLES)
    )
    renderer = FigureCanvasAgg(fig).get_renderer()
    legend = ax.get_legend()
    assert legend is not None and legend.get_window_extent(renderer).x1 <= fig.bbox.width


def test_a_very_long_legend_entry_is_cut_and_the_plot_keeps_its_room() -> None:
    """A 600-character metric name wrapped onto 15 lines and collapsed the plot to nothing."""
    name = "Share of drafts sent with no or minor edits, " * 13
    points = [(date(2026, 1, 1), 0.5, 0.4, 0.6), (date(2026, 2, 1), 0.6, 0.5, 0.7)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "constrained_layout not applied ... collapsed"
        chart = history.evidence_history([(name, points)], 0.8, "higher")
    shown = [t for t in _texts(chart) if "Share of" in t]
    assert len(shown) == 2 and shown[1].endswith(" …")  # two lines, the second one cut
    assert chart.table[1][0] == name


def test_text_in_any_script_draws_without_a_warning() -> None:
    """Builds printed a 'Glyph ... missing from font' warning per CJK or hieroglyph character."""
    name = "請求書の正確さ 𓀀"
    points = [(date(2026, 1, 1), 0.5, 0.4, 0.6), (date(2026, 2, 1), 0.6, 0.5, 0.7)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart = history.evidence_history([(name, points)], 0.8, "higher")
    assert name in _texts(chart)  # text stays text: the browser draws it in its own fonts
    with pytest.warns(UserWarning, match="missing from font"):  # filters are put back
        warnings.warn("Glyph 1 missing from font(s) DejaVu Sans.", UserWarning, stacklevel=1)


def test_a_chart_with_no_room_for_its_axes_is_saved_with_fixed_margins() -> None:
    """Constrained layout gives up (and warns) when labels leave the axes no room; the
    chart is then saved with fixed margins, without a warning, still a well-formed SVG."""

    def draw(ax: Axes) -> None:
        ax.plot([0, 1], [0, 1])
        ax.set_ylabel("\n".join(["a label"] * 10))
        ax.set_xlabel("\n".join(["a label"] * 10))

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fig = style.figure(draw, 1.0, subtitle="\n".join(["a subtitle"] * 10))
        svg = style.svg_text(fig)
    assert [str(w.message) for w in seen] == []
    assert ET.fromstring(svg).tag.endswith("svg")
    assert fig.axes[0].get_position().bounds == pytest.approx((0.35, 0.2, 0.62, 0.68))
