"""Money and business impact on a built site: the overview's totals, the exports, a project
page's value beside its cost, the pilot board's impact column and the cost chart.

One registry, written to disk and built by `portfolio build`: an initiative over its
forecast (actual cost) that records value, a pilot with a forecast only that measured its
outcome twice, a poc with an actual cost, a discovery without any figure and a killed
initiative whose last actual cost must count as spend stopped, never as current spend.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from builders import Draft, days_ago, passing
from test_site import article, make_project, portfolio_build, run, source

OVER = 2500.0  # actual, against a forecast of 1,000
FORECAST_ONLY = 1000.0  # the builder's budget.monthly_forecast
POC_ACTUAL = 300.0
KILLED_LAST = 4000.0
VALUE = 6000.0


def _drafts() -> list[Draft]:
    over = passing("optimize", project_id="freight-audit", title="Freight audit")
    over.set("problem", "Carriers overbill about two percent of freight invoices every month.")
    over.item("decisions", "review", f"{{date: {days_ago(3)}, from: optimize, outcome: review, "
              "by: [Kim Ode], rationale: 'Value 2.4x cost; keep.'}")  # fmt: skip
    over.item("evidence", "bill", f"{{kind: cost, date: {days_ago(2)}, monthly: {OVER}, "
              "actual: true}")  # fmt: skip
    over.item("evidence", "worth", f"{{kind: outcome, date: {days_ago(2)}, value: 0.7, "
              f"monthly_value: {VALUE}}}")  # fmt: skip
    pilot = passing("pilot", project_id="reply-drafting", title="Reply drafting",
                    entered=days_ago(12))  # fmt: skip
    pilot.set("problem", "Service agents spend nine minutes writing each customer email reply.")
    pilot.set("success_metric", "{name: Minutes per reply, baseline: 9, target: 4, "
              "direction: lower}")  # fmt: skip
    for n, (ago, value) in enumerate(((8, 7.5), (2, 6.1))):
        pilot.item("evidence", f"o{n}", f"{{kind: outcome, date: {days_ago(ago)}, value: {value}}}")
    poc = passing("poc", project_id="tariff-codes", title="Tariff codes")
    poc.set("problem", "Customs brokers look up tariff codes for every new product by hand.")
    poc.item("evidence", "bill", f"{{kind: cost, date: {days_ago(1)}, monthly: {POC_ACTUAL}, "
             "actual: true}")  # fmt: skip
    poc.item("evidence", "early", f"{{kind: outcome, date: {days_ago(1)}, value: 0.5}}")
    idea = passing("discovery", project_id="dock-slots", title="Dock slots")
    idea.set("problem", "Trucks queue at the loading docks because arrivals bunch at dawn.")
    idea.set("budget", None)
    dead = passing("poc", project_id="hr-answers", title="HR answers", entered=days_ago(40))
    dead.set("problem", "HR advisers answer the same leave-policy questions fifty times a week.")
    dead.item("evidence", "bill", f"{{kind: cost, date: {days_ago(30)}, monthly: {KILLED_LAST}, "
              "actual: true}")  # fmt: skip
    dead.item("decisions", "kill", f"{{date: {days_ago(20)}, from: poc, outcome: kill, "
              "by: [Kim Ode], rationale: Too costly for the questions it answered.}")  # fmt: skip
    dead.set("status", "killed").set("learnings", "[Price the run cost before the poc.]")
    return [over, pilot, poc, idea, dead]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the site built from the registry above."""
    registry = tmp_path_factory.mktemp("money") / "registry"
    for draft in _drafts():
        draft.write(registry)
    project = make_project(registry.parent / "project", registry)
    [result] = run(portfolio_build(project))
    assert result.returncode == 0, result.stdout + result.stderr  # no errors in this registry
    return project / "site"


def cell(page: str, name: str) -> str:
    """Return the text of the `data-money` cell called `name`."""
    found = re.findall(rf'data-money="{name}">([^<]*)<', page)
    assert len(found) == 1, found
    return html.unescape(found[0])


def test_the_overview_sums_current_spend_without_the_killed_one(built: Path) -> None:
    page = source(built, "")
    spend = OVER + FORECAST_ONLY + POC_ACTUAL
    assert cell(page, "spend") == f"${spend:,.0f}" == "$3,800"
    assert cell(page, "value") == f"${VALUE:,.0f}"
    assert cell(page, "stopped") == f"${KILLED_LAST:,.0f}"
    text = " ".join(article(built, "").text.split())
    assert f"$2,800 actual, ${FORECAST_ONLY:,.0f} forecast only; 1 without one" in text
    assert "value 2.4× cost" in text
    # The money block is a headline figure: after the decisions due, before the rest.
    body = page[page.index("<article") :]
    assert body.index("Decisions due") < body.index('data-money="spend"')
    assert body.index('data-money="spend"') < body.index("Needs attention")
    assert body.index('data-money="spend"') < body.index('class="pf-chart"')


def test_the_json_export_carries_the_same_totals(built: Path) -> None:
    doc = json.loads(
        (built / "portfolio.json").read_text(encoding="utf-8"),
        parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}"),
    )
    money = doc["money"]
    assert money["monthly_spend"] == OVER + FORECAST_ONLY + POC_ACTUAL
    assert (money["spend_actual"], money["spend_forecast"]) == (OVER + POC_ACTUAL, FORECAST_ONLY)
    assert (money["costed"], money["uncosted"], money["over_forecast"]) == (3, 1, 1)
    assert (money["monthly_value"], money["value_ratio"]) == (VALUE, VALUE / OVER)
    assert (money["spend_stopped"], money["stopped"]) == (KILLED_LAST, 1)
    by_id = {r["id"]: r["computed"]["money"] for r in doc["records"]}
    assert by_id["hr-answers"]["current"] is False
    assert by_id["reply-drafting"]["cost_basis"] == "forecast"
    assert by_id["freight-audit"]["overrun"] == OVER / FORECAST_ONLY


def test_the_csv_columns_sum_to_the_totals(built: Path) -> None:
    text = (built / "portfolio.csv").read_text(encoding="utf-8")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert len(rows) == 5  # one row per record, no totals row to trip a reader

    def total(column: str) -> float:
        return sum(float(r[column]) for r in rows.values() if r[column])

    assert total("current_monthly_spend") == OVER + FORECAST_ONLY + POC_ACTUAL
    assert total("spend_stopped") == KILLED_LAST
    assert rows["hr-answers"]["current_monthly_spend"] == ""
    assert rows["freight-audit"]["value_ratio"] == str(VALUE / OVER)


def test_a_project_page_shows_value_beside_cost(built: Path) -> None:
    page = source(built, "projects/freight-audit/")
    assert cell(page, "cost") == "$2,500"
    assert cell(page, "value") == "$6,000"
    text = " ".join(article(built, "projects/freight-audit/").text.split())
    assert "actual is 2.50× forecast" in text and "2.40× the cost" in text


def test_a_killed_page_shows_spend_stopped_not_cost(built: Path) -> None:
    page = source(built, "projects/hr-answers/")
    assert cell(page, "stopped") == "$4,000"
    assert 'data-money="cost"' not in page


def test_outcomes_over_time_with_baseline_target_and_a_chart(built: Path) -> None:
    text = " ".join(article(built, "projects/reply-drafting/").text.split())
    assert "baseline 9, target 4, lower is better" in text
    page = source(built, "projects/reply-drafting/")
    for ago, value in ((8, "7.5"), (2, "6.1")):
        day = f'<span class="pf-date">{days_ago(ago)}</span>'  # dates never wrap
        assert f"<td>{day}</td><td>{value}</td><td>better</td>" in page
    chart = built / "charts" / "projects" / "reply-drafting-outcome.svg"
    assert chart.is_file() and "baseline 9" in chart.read_text(encoding="utf-8")
    # One outcome draws no chart.
    assert not (built / "charts" / "projects" / "tariff-codes-outcome.svg").exists()


def test_the_next_gate_checklist_includes_g306(built: Path) -> None:
    text = " ".join(article(built, "projects/reply-drafting/").text.split())
    assert "G306 Measurable business impact" in text
    assert f"Minutes per reply 6.1 on {days_ago(2)}, better than the baseline 9" in text


def test_the_pilot_board_shows_whether_impact_was_measured(built: Path) -> None:
    text = " ".join(article(built, "pilots/").text.split())
    assert "Business impact" in text
    assert "measured: Minutes per reply 6.1" in text


def test_the_cost_chart_covers_active_initiatives_only(built: Path) -> None:
    text = " ".join(article(built, "").text.split())
    assert "Monthly cost of 3 initiatives (active only), 2 with both an actual and a forecast" in (
        text
    )
    assert "hr-answers" not in (built / "charts" / "cost.svg").read_text(encoding="utf-8")
