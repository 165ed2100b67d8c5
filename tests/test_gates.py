"""Gate rules G101-G404: conditions, boundaries, lines, and judging at the decision date."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from builders import (
    AS_OF,
    SPONSOR_A,
    SPONSOR_B,
    STAGES,
    Draft,
    check_item,
    codes,
    days_ago,
    line_of,
    only,
    passing,
    validate,
)

from generator.core.findings import Finding, Severity
from generator.core.playbook import GATES, gate_into, gate_out_of, sentence_count

SUFFIX = "; pivot back to {stage} or kill, or waive it with a reason"
CHECK_SUFFIX = (
    "; if `{check}` passed before the decision, record it with that date; "
    "if not, get it passed now and waive it with a reason"
)
# The conditions that are a readiness check: their advice is to record or pass the check.
CHECKS = {"Data access verified": "data-access", "Security review passed": "security-review",
          "No blocking data gaps": "data-gaps", "Integration tested": "integration-test",
          "Rollback plan documented": "rollback-plan", "SLA draft approved": "sla-draft",
          "Monitoring dashboards live": "monitoring-dashboards",
          "On-call rotation established": "on-call"}  # fmt: skip
RETRO = "; evidence dated after the decision does not justify it retroactively"


def located(findings: list[Finding]) -> list[tuple[str, int]]:
    """Return (rule, line) of each finding, sorted."""
    return sorted((f.rule, f.line) for f in findings)


def before(draft: Draft, stage: str, days: int = 2) -> dt.date:
    """Return the date `days` before the advance decision into `stage`."""
    return draft.entries[stage] - dt.timedelta(days=days)


def after(draft: Draft, stage: str, days: int = 1) -> dt.date:
    """Return the date `days` after the advance decision into `stage`."""
    return draft.entries[stage] + dt.timedelta(days=days)


def message(label: str, gate: str, draft: Draft, detail: str, retro: bool = False) -> str:
    """Return the full gate message for a condition not met at the decision into a stage."""
    source, target = gate.split("→")
    text = f"{label}: not met at the {gate} decision of {draft.entries[target]}: {detail}"
    return text + (RETRO if retro else "") + advice(label, source)


def advice(label: str, source: str) -> str:
    """Return the advice a gate message ends with: record the check, or pivot or kill."""
    if label in CHECKS:
        return CHECK_SUFFIX.format(check=CHECKS[label])
    return SUFFIX.format(stage=source)


# --- the builder's baseline -------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_a_record_that_passed_every_gate_has_no_findings(tmp_path: Path, stage: str) -> None:
    assert validate(tmp_path, passing(stage)) == []


def test_gates_lead_from_each_stage_to_the_next() -> None:
    assert [(g.source, g.target) for g in GATES] == list(itertools.pairwise(STAGES))
    assert gate_into("discovery") is None and gate_out_of("optimize") is None
    assert gate_into("pilot") is gate_out_of("poc") is GATES[1]


def test_gates_ahead_of_the_current_stage_are_not_judged(tmp_path: Path) -> None:
    # A discovery record has no data-access check, metric target or sponsor: it has not
    # asked to leave discovery yet.
    draft = passing("discovery").set("success_metric", None).item("sponsors", "a", None)
    draft.item("sponsors", "b", None)
    assert validate(tmp_path, draft) == []


def test_gate_findings_are_errors_by_default(tmp_path: Path) -> None:
    draft = passing("poc").item("checks", "data-access", None)
    assert only(validate(tmp_path, draft), "G104").severity is Severity.ERROR


# --- discovery → poc --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Clerks spend two days a month matching invoices.", 1),
        ("Clerks spend two days a month matching invoices", 1),
        ("Reps spend 40.5% of their week writing emails.", 1),
        ("Reps spend time on admin, e.g. logging calls.", 1),
        ("Reps spend time on admin, i.e. logging calls, etc. in the CRM.", 1),
        ("Costs rose approx. 30% vs. last year.", 1),
        ("Invoices are matched by hand. It takes two days.", 2),
        ("Is matching slow? Yes!", 2),
        ('Invoices pile up ("again"). Clerks stay late.', 2),
        ("Invoices pile up.\nClerks stay late", 2),
        ("One. Two. Three.", 3),
    ],
)
def test_sentence_count(text: str, count: int) -> None:
    assert sentence_count(text) == count


def test_g101_problem_of_two_sentences(tmp_path: Path) -> None:
    draft = passing("poc").set(
        "problem", "Invoices are matched by hand. Clerks spend two days a month on it."
    )
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G101", line_of(text, "problem:"))]
    assert found[0].column == 1
    assert found[0].message == message(
        "Problem stated in one sentence", "discovery→poc", draft, "problem has 2 sentences"
    )


@pytest.mark.parametrize(
    "problem",
    [
        "Clerks spend 40.5% of their week matching invoices by hand.",
        "Clerks spend hours on manual work, e.g. matching invoices by hand.",
        "'Clerks spend two days a month matching invoices, i.e. 10% of their time.'",
    ],
)
def test_g101_abbreviations_and_decimals_are_not_sentence_breaks(
    tmp_path: Path, problem: str
) -> None:
    assert validate(tmp_path, passing("poc").set("problem", problem)) == []


@pytest.mark.parametrize(
    ("metric", "line_needle", "detail"),
    [
        ("{name: Invoices matched without a clerk}", "success_metric:", "no target"),
        ("{name: Invoices matched without a clerk, baseline: 0.1}", "success_metric:", "no target"),
        (None, "to: poc,", None),
    ],
)
def test_g102_success_metric_needs_a_target(
    tmp_path: Path, metric: str | None, line_needle: str, detail: str | None
) -> None:
    draft = passing("poc").set("success_metric", metric)
    text = draft.text()
    found = validate(tmp_path, draft)
    # A missing success_metric points at the gate decision that needed it.
    assert located(found) == [("G102", line_of(text, line_needle))]
    expected = (
        "no success metric" if detail is None else f"Invoices matched without a clerk: {detail}"
    )
    assert found[0].message == message(
        "Success metric with a target", "discovery→poc", draft, expected
    )


def _sponsors(draft: Draft, a: str, b: str | None) -> Draft:
    draft.item("sponsors", "a", f"{{name: {SPONSOR_A}, role: CFO, {a}}}")
    if b is None:
        return draft.item("sponsors", "b", None)
    return draft.item("sponsors", "b", f"{{name: {SPONSOR_B}, role: CIO, {b}}}")


@pytest.mark.parametrize(("left_after_decision_days", "fails"), [(0, True), (-3, True), (1, False)])
def test_g103_sponsor_who_left_before_the_decision_does_not_count(
    tmp_path: Path, left_after_decision_days: int, fails: bool
) -> None:
    # Sponsor A steps away around the decision (`until` is their first day out of office);
    # sponsor B only joins the day after it. On the as-of date B is in office.
    draft = passing("poc")
    decided = draft.entries["poc"]
    until = decided + dt.timedelta(days=left_after_decision_days)
    _sponsors(
        draft,
        f"since: {draft.entries['discovery']}, until: {until}",
        f"since: {after(draft, 'poc')}",
    )
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fails:
        assert found == []
        return
    assert located(found) == [("G103", line_of(text, "sponsors:"))]
    assert found[0].message == message(
        "Executive sponsor confirmed", "discovery→poc", draft, "no sponsor in office", retro=True
    )


def test_g103_no_sponsor_at_all(tmp_path: Path) -> None:
    draft = passing("poc").item("sponsors", "a", None).item("sponsors", "b", None)
    found = validate(tmp_path, draft)
    # G103 points at the gate decision that needed a sponsor; S006 at the record.
    decision = line_of(draft.text(), "to: poc,")
    assert sorted(located(found)) == sorted([("G103", decision), ("S006", 1)])
    assert only(found, "G103").message == message(
        "Executive sponsor confirmed", "discovery→poc", draft, "no sponsor in office"
    )


@pytest.mark.parametrize("status", ["failed", "pending"])
def test_g104_data_access_not_passed_points_at_the_check(tmp_path: Path, status: str) -> None:
    draft = passing("poc")
    draft.item("checks", "data-access", check_item("data-access", before(draft, "poc"), status))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G104", line_of(text, "name: data-access"))]
    assert found[0].message == message(
        "Data access verified",
        "discovery→poc",
        draft,
        f"`data-access` {status} on {before(draft, 'poc')}",
    )


def test_g104_missing_check_points_at_the_decision(tmp_path: Path) -> None:
    draft = passing("poc").item("checks", "data-access", None)
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G104", line_of(text, "to: poc"))]
    assert found[0].message == message(
        "Data access verified", "discovery→poc", draft, "no `data-access` check recorded"
    )


def test_g104_the_newest_check_before_the_decision_counts(tmp_path: Path) -> None:
    draft = passing("poc")
    draft.item("checks", "early", check_item("data-access", before(draft, "poc", 5), "failed"))
    draft.item("checks", "data-access", None)
    draft.item("checks", "retry", check_item("data-access", before(draft, "poc", 1)))
    assert validate(tmp_path, draft) == []


def test_g104_of_two_checks_on_one_day_the_later_entry_counts(tmp_path: Path) -> None:
    """The log is append-only: a check failed and then passed on the same day passed."""
    day = before(draft := passing("poc"), "poc")
    draft.item("checks", "data-access", check_item("data-access", day, "failed"))
    draft.item("checks", "retry", check_item("data-access", day))
    assert validate(tmp_path, draft) == []
    draft.item("checks", "again", check_item("data-access", day, "failed"))
    assert codes(validate(tmp_path, draft)) == ["G104"]


# --- poc → pilot ------------------------------------------------------------------------


def _quality(date: dt.date, samples: int, successes: int, metric: str = "accuracy") -> str:
    return (
        f"{{kind: quality, date: {date}, metric: {metric}, samples: {samples}, "
        f"successes: {successes}, sampling: random}}"
    )


@pytest.mark.parametrize(
    ("samples", "successes", "expected"),
    [(100, 80, []), (99, 79, ["G201"]), (40, 40, ["G201"])],
)
def test_g201_needs_100_samples(
    tmp_path: Path, samples: int, successes: int, expected: list[str]
) -> None:
    draft = passing("pilot")
    draft.item("evidence", "quality", _quality(before(draft, "pilot"), samples, successes))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert codes(found) == expected
    if expected:
        assert located(found) == [("G201", line_of(text, "kind: quality"))]
        assert f"on {samples} random samples" in found[0].message


def test_g201_exact_message(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item("evidence", "quality", _quality(before(draft, "pilot"), 99, 79))
    assert only(validate(tmp_path, draft), "G201").message == message(
        "Quality measured on 100+ real samples",
        "poc→pilot",
        draft,
        "accuracy 0.80 [0.71–0.87] on 99 random samples",
    )


def test_g201_without_enough_samples_judges_the_largest_measurement(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item("evidence", "quality", None)
    draft.item("evidence", "big", _quality(before(draft, "pilot", 9), 99, 90))
    draft.item("evidence", "small", _quality(before(draft, "pilot", 3), 40, 38))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G201", line_of(text, "samples: 99"))]


def test_g201_g202_judge_the_newest_measurement_with_enough_samples(tmp_path: Path) -> None:
    # An older passing measurement does not rescue a newer failing one.
    draft = passing("pilot")
    draft.item("evidence", "old", _quality(before(draft, "pilot", 9), 200, 180))
    draft.item("evidence", "quality", _quality(before(draft, "pilot"), 150, 90))
    text = draft.text()
    found = validate(tmp_path, draft)
    line = line_of(text, "successes: 90")
    assert located(found) == [("G202", line), ("S008", line)]
    assert only(found, "G202").message == message(
        "Quality meets the bar",
        "poc→pilot",
        draft,
        "accuracy 0.60 [0.52–0.67] on 150 random samples vs bar ≥ 0.7",
    )


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        ("0.8", ["S004"]),  # 120/150 is exactly 0.80: the bar is met (the interval is not)
        ("0.72", []),  # and the 95% interval's lower bound, 0.729, clears this bar
        ("0.81", ["G202"]),
        ("0.8001", ["G202"]),
    ],
)
def test_g202_point_estimate_at_the_threshold_passes(
    tmp_path: Path, threshold: str, expected: list[str]
) -> None:
    draft = passing("pilot").set("quality_target", f"{{metric: accuracy, threshold: {threshold}}}")
    text = draft.text()
    found = validate(tmp_path, draft)
    assert codes(found) == expected
    if "G202" in expected:
        assert only(found, "G202").line == line_of(text, "kind: quality")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.19", ["S004"]), ("0.2", ["S004"]), ("0.21", ["G202"])],
)
def test_g202_respects_direction_lower(tmp_path: Path, value: str, expected: list[str]) -> None:
    # An error rate: lower is better, so 0.21 misses a bar of 0.20 and 0.19 clears it.
    draft = passing("pilot").set(
        "quality_target", "{metric: error-rate, threshold: 0.2, direction: lower}"
    )
    draft.item(
        "evidence",
        "quality",
        f"{{kind: quality, date: {before(draft, 'pilot')}, metric: error-rate, samples: 150, "
        f"value: {value}, ci_low: 0.15, ci_high: 0.26, sampling: random}}",
    )
    text = draft.text()
    found = validate(tmp_path, draft)
    assert codes(found) == expected
    if "G202" in expected:
        g202 = only(found, "G202")
        assert g202.line == line_of(text, "kind: quality")
        assert g202.message.endswith(
            "error-rate 0.21 [0.15–0.26] on 150 random samples vs bar ≤ 0.2"
            + SUFFIX.format(stage="poc")
        )


def test_g202_without_quality_target(tmp_path: Path) -> None:
    draft = passing("pilot").set("quality_target", None)
    found = validate(tmp_path, draft)
    assert codes(found) == ["G202"]
    assert found[0].message == message(
        "Quality meets the bar",
        "poc→pilot",
        draft,
        "accuracy 0.80 [0.73–0.86] on 150 random samples; no quality_target set",
    )


def test_g201_g202_without_quality_evidence_point_at_the_decision(tmp_path: Path) -> None:
    draft = passing("pilot").item("evidence", "quality", None)
    text = draft.text()
    found = validate(tmp_path, draft)
    line = line_of(text, "to: pilot")
    assert located(found) == [("G201", line), ("G202", line)]
    assert only(found, "G201").message == message(
        "Quality measured on 100+ real samples", "poc→pilot", draft, "no quality evidence"
    )


def _cost(draft: Draft, per_inference: str, days: int = 2) -> str:
    return f"{{kind: cost, date: {before(draft, 'pilot', days)}, per_inference: {per_inference}}}"


@pytest.mark.parametrize(
    ("target", "per_inference", "fails"),
    [
        ("0.01", "0.02", False),
        ("0.01", "0.0299", False),
        ("0.01", "0.03", True),  # exactly 3× target: the failure starts at 3×
        ("0.01", "0.031", True),
        ("1", "3", True),
        ("1", "2.999", False),
        # Exactly 3× written in decimals: 0.009 / 0.003 is 2.9999999999999996 in binary.
        ("0.003", "0.009", True),
        ("0.05", "0.15", True),
        ("0.0001", "0.0003", True),
    ],
)
def test_g203_cost_per_inference_below_three_times_target(
    tmp_path: Path, target: str, per_inference: str, fails: bool
) -> None:
    draft = passing("pilot").set("budget", f"{{cost_per_inference: {target}}}")
    draft.item("evidence", "cost", _cost(draft, per_inference))
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fails:
        assert found == []
        return
    assert located(found) == [("G203", line_of(text, "kind: cost"))]
    assert f"${per_inference} per inference = " in found[0].message


def test_g203_exact_message(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item("evidence", "cost", _cost(draft, "0.03"))
    assert only(validate(tmp_path, draft), "G203").message == message(
        "Cost per inference under 3× target",
        "poc→pilot",
        draft,
        "$0.03 per inference = 3.0× target $0.01",
    )


def test_g203_judges_the_latest_estimate(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item("evidence", "cost", _cost(draft, "0.02", days=9))
    draft.item("evidence", "newer", _cost(draft, "0.05", days=3))
    text = draft.text()
    assert located(validate(tmp_path, draft)) == [("G203", line_of(text, "per_inference: 0.05"))]


def test_g203_missing_estimate_fails_at_the_decision(tmp_path: Path) -> None:
    draft = passing("pilot").item("evidence", "cost", None)
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G203", line_of(text, "to: pilot"))]
    assert found[0].message == message(
        "Cost per inference under 3× target",
        "poc→pilot",
        draft,
        "no cost estimate per inference",
    )


def test_g203_without_a_target_points_at_the_budget(tmp_path: Path) -> None:
    draft = passing("pilot").set("budget", "{monthly_forecast: 1000}")
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G203", line_of(text, "budget:"))]
    assert "$0.02 per inference; no budget.cost_per_inference target" in found[0].message


@pytest.mark.parametrize(("code", "name"), [("G204", "security-review"), ("G205", "data-gaps")])
@pytest.mark.parametrize("status", ["failed", "pending", None])
def test_poc_checks(tmp_path: Path, code: str, name: str, status: str | None) -> None:
    draft = passing("pilot")
    date = before(draft, "pilot")
    draft.item("checks", name, None if status is None else check_item(name, date, status))
    text = draft.text()
    found = validate(tmp_path, draft)
    needle = "to: pilot" if status is None else f"name: {name}"
    assert located(found) == [(code, line_of(text, needle))]
    detail = f"no `{name}` check recorded" if status is None else f"`{name}` {status} on {date}"
    assert found[0].message.endswith(f"{detail}{CHECK_SUFFIX.format(check=name)}")


# --- pilot → scale ----------------------------------------------------------------------


def _adoption(draft: Draft, users: int, days: int | None, stage: str = "scale") -> str:
    span = "" if days is None else f", days: {days}"
    return (
        f"{{kind: adoption, date: {before(draft, stage)}, users: {users}, daily_active: 4{span}}}"
    )


@pytest.mark.parametrize(
    ("users", "days", "fails"),
    [(5, 25, False), (12, 40, False), (4, 25, True), (5, 24, True), (4, 24, True), (5, None, True)],
)
def test_g301_five_users_for_25_days(
    tmp_path: Path, users: int, days: int | None, fails: bool
) -> None:
    draft = passing("scale")
    draft.item("evidence", "adoption", _adoption(draft, users, days))
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fails:
        assert found == []
        return
    assert located(found) == [("G301", line_of(text, "kind: adoption"))]
    assert found[0].message == message(
        "5+ users for 25+ days", "pilot→scale", draft, f"{users} users over {days or 0} days"
    )


def test_g301_missing_adoption_evidence(tmp_path: Path) -> None:
    draft = passing("scale").item("evidence", "adoption", None)
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G301", line_of(text, "to: scale"))]
    assert found[0].message.endswith(f"no adoption evidence{SUFFIX.format(stage='pilot')}")


@pytest.mark.parametrize(
    ("score", "fails"), [("0.70", True), ("0.7", True), ("0.5", True), ("0.71", False)]
)
def test_g302_satisfaction_must_exceed_70_percent(tmp_path: Path, score: str, fails: bool) -> None:
    draft = passing("scale")
    draft.item(
        "evidence",
        "satisfaction",
        f"{{kind: satisfaction, date: {before(draft, 'scale')}, score: {score}}}",
    )
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fails:
        assert found == []
        return
    assert located(found) == [("G302", line_of(text, "kind: satisfaction"))]
    percent = f"{float(score):.0%}"
    assert found[0].message == message(
        "Satisfaction above 70%", "pilot→scale", draft, f"satisfaction {percent}"
    )


def test_g302_missing_satisfaction_evidence(tmp_path: Path) -> None:
    draft = passing("scale").item("evidence", "satisfaction", None)
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G302", line_of(text, "to: scale"))]
    assert found[0].message.endswith(f"no satisfaction evidence{SUFFIX.format(stage='pilot')}")


@pytest.mark.parametrize(
    ("code", "name"),
    [("G303", "integration-test"), ("G304", "rollback-plan"), ("G305", "sla-draft")],
)
@pytest.mark.parametrize("status", ["failed", "pending", None])
def test_pilot_checks(tmp_path: Path, code: str, name: str, status: str | None) -> None:
    draft = passing("scale")
    date = before(draft, "scale")
    draft.item("checks", name, None if status is None else check_item(name, date, status))
    text = draft.text()
    found = validate(tmp_path, draft)
    needle = "to: scale" if status is None else f"name: {name}"
    assert located(found) == [(code, line_of(text, needle))]
    detail = f"no `{name}` check recorded" if status is None else f"`{name}` {status} on {date}"
    assert found[0].message.endswith(f"{detail}{CHECK_SUFFIX.format(check=name)}")


# --- scale → optimize -------------------------------------------------------------------


@pytest.mark.parametrize(("days", "fails"), [(30, False), (90, False), (29, True), (0, True)])
def test_g401_sla_met_30_consecutive_days(tmp_path: Path, days: int, fails: bool) -> None:
    draft = passing("optimize")
    draft.item(
        "evidence",
        "sla",
        f"{{kind: sla, date: {before(draft, 'optimize')}, consecutive_days_met: {days}}}",
    )
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fails:
        assert found == []
        return
    assert located(found) == [("G401", line_of(text, "kind: sla"))]
    assert found[0].message == message(
        "SLA met 30 consecutive days", "scale→optimize", draft, f"{days} consecutive days met"
    )


def test_g401_missing_sla_evidence(tmp_path: Path) -> None:
    draft = passing("optimize").item("evidence", "sla", None)
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G401", line_of(text, "to: optimize"))]
    assert found[0].message.endswith(f"no SLA evidence{SUFFIX.format(stage='scale')}")


@pytest.mark.parametrize(("code", "name"), [("G402", "monitoring-dashboards"), ("G403", "on-call")])
@pytest.mark.parametrize("status", ["failed", "pending", None])
def test_scale_checks(tmp_path: Path, code: str, name: str, status: str | None) -> None:
    draft = passing("optimize")
    date = before(draft, "optimize")
    draft.item("checks", name, None if status is None else check_item(name, date, status))
    text = draft.text()
    found = validate(tmp_path, draft)
    needle = "to: optimize" if status is None else f"name: {name}"
    assert located(found) == [(code, line_of(text, needle))]
    detail = f"no `{name}` check recorded" if status is None else f"`{name}` {status} on {date}"
    assert found[0].message.endswith(f"{detail}{CHECK_SUFFIX.format(check=name)}")


def _actual(draft: Draft, monthly: str, days: int = 2, actual: str = "true") -> str:
    date = before(draft, "optimize", days)
    return f"{{kind: cost, date: {date}, monthly: {monthly}, actual: {actual}}}"


@pytest.mark.parametrize(
    ("forecast", "monthly", "fails"),
    [
        ("1000", "1100", False),
        ("1000", "1200", False),
        ("1000", "1200.5", True),
        ("1000", "1201", True),
        ("1000", "3000", True),
        # Exactly 1.2× in decimals: 1199.88 / 999.9 is 1.2000000000000002 in binary.
        ("999.9", "1199.88", False),
        ("2500.25", "3000.3", False),
    ],
)
def test_g404_actual_cost_within_120_percent_of_forecast(
    tmp_path: Path, forecast: str, monthly: str, fails: bool
) -> None:
    draft = passing("optimize").set(
        "budget", f"{{cost_per_inference: 0.01, monthly_forecast: {forecast}}}"
    )
    draft.item("evidence", "actual", _actual(draft, monthly))
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fails:
        assert found == []
        return
    assert located(found) == [("G404", line_of(text, "actual: true"))]
    assert "of forecast $1,000" in found[0].message


def test_g404_exact_message(tmp_path: Path) -> None:
    draft = passing("optimize")
    draft.item("evidence", "actual", _actual(draft, "1300"))
    assert only(validate(tmp_path, draft), "G404").message == message(
        "Actual cost within 120% of forecast",
        "scale→optimize",
        draft,
        "$1,300/month = 130% of forecast $1,000",
    )


def test_g404_judges_the_latest_actual_cost_and_ignores_estimates(tmp_path: Path) -> None:
    draft = passing("optimize")
    draft.item("evidence", "actual", _actual(draft, "1500", days=9))
    draft.item("evidence", "newer", _actual(draft, "1100", days=5))
    draft.item("evidence", "estimate", _actual(draft, "9000", days=3, actual="false"))
    assert validate(tmp_path, draft) == []


@pytest.mark.parametrize("actual", [None, "false"])
def test_g404_needs_an_actual_cost(tmp_path: Path, actual: str | None) -> None:
    draft = passing("optimize")
    if actual is None:
        draft.item("evidence", "actual", None)
    else:
        draft.item("evidence", "actual", _actual(draft, "1100", actual=actual))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G404", line_of(text, "to: optimize"))]
    assert found[0].message.endswith(
        f"no actual monthly cost recorded{SUFFIX.format(stage='scale')}"
    )


def test_g404_without_a_forecast_points_at_the_budget(tmp_path: Path) -> None:
    draft = passing("optimize").set("budget", "{cost_per_inference: 0.01}")
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G404", line_of(text, "budget:"))]
    assert "$1,100/month; no budget.monthly_forecast" in found[0].message


# --- judged on what was known at the decision --------------------------------------------


def test_quality_evidence_after_the_decision_does_not_count(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item("evidence", "quality", _quality(after(draft, "pilot"), 150, 120))
    text = draft.text()
    found = validate(tmp_path, draft)
    line = line_of(text, "to: pilot")
    assert located(found) == [("G201", line), ("G202", line)]
    assert only(found, "G202").message == message(
        "Quality meets the bar", "poc→pilot", draft, "no quality evidence", retro=True
    )


def test_check_passed_after_the_decision_does_not_count(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item(
        "checks", "security-review", check_item("security-review", before(draft, "pilot"), "failed")
    )
    draft.item("checks", "later", check_item("security-review", after(draft, "pilot")))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G204", line_of(text, "status: failed"))]
    assert found[0].message == message(
        "Security review passed",
        "poc→pilot",
        draft,
        f"`security-review` failed on {before(draft, 'pilot')}",
        retro=True,
    )


def test_check_passed_only_after_the_decision_points_at_the_decision(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item("checks", "data-gaps", check_item("data-gaps", after(draft, "pilot", 2)))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G205", line_of(text, "to: pilot"))]
    assert found[0].message == message(
        "No blocking data gaps", "poc→pilot", draft, "no `data-gaps` check recorded", retro=True
    )


def test_check_passed_on_the_decision_day_counts(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item("checks", "data-gaps", check_item("data-gaps", draft.entries["pilot"]))
    assert validate(tmp_path, draft) == []


def test_later_sla_evidence_does_not_justify_the_advance(tmp_path: Path) -> None:
    draft = passing("optimize")
    decided = before(draft, "optimize")
    draft.item("evidence", "sla", f"{{kind: sla, date: {decided}, consecutive_days_met: 29}}")
    draft.item("evidence", "later", f"{{kind: sla, date: {AS_OF}, consecutive_days_met: 35}}")
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("G401", line_of(text, "consecutive_days_met: 29"))]
    assert found[0].message.endswith(
        f"29 consecutive days met{RETRO}{SUFFIX.format(stage='scale')}"
    )


def test_no_retroactive_note_when_the_condition_is_still_unmet(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item(
        "checks", "security-review", check_item("security-review", before(draft, "pilot"), "failed")
    )
    found = validate(tmp_path, draft)
    assert codes(found) == ["G204"]
    assert "retroactively" not in found[0].message


def test_worse_evidence_after_the_decision_is_a_signal_not_a_gate_failure(
    tmp_path: Path,
) -> None:
    draft = passing("pilot")
    draft.item("evidence", "later", _quality(after(draft, "pilot"), 150, 60))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("S008", line_of(text, "successes: 60"))]


def test_a_second_advance_is_judged_on_evidence_up_to_it(tmp_path: Path) -> None:
    # poc → pilot, pivot back to poc, then poc → pilot again: the last advance counts,
    # so evidence between the first and second advance justifies the record.
    draft = passing("pilot", entered=days_ago(5))
    first = days_ago(20)
    pivot = days_ago(15)
    draft.item(
        "decisions",
        "pilot",
        f"{{date: {first}, from: poc, to: pilot, outcome: advance, by: [{SPONSOR_A}]}}",
    )
    draft.item(
        "decisions",
        "pivot",
        f"{{date: {pivot}, from: pilot, to: poc, outcome: pivot, by: [{SPONSOR_A}]}}",
    )
    draft.item(
        "decisions",
        "again",
        f"{{date: {days_ago(5)}, from: poc, to: pilot, outcome: advance, by: [{SPONSOR_A}]}}",
    )
    draft.item("evidence", "quality", _quality(days_ago(10), 150, 120))
    assert validate(tmp_path, draft) == []


LITERAL = """\
# yaml-language-server: $schema=../record.schema.json
id: contact-search
title: Contact search and email drafting
problem: Sales reps spend 40% of their week finding contacts and writing first emails.
success_metric: {name: First emails sent without edits, baseline: 0.1, target: 0.6}
quality_target: {metric: accuracy, threshold: 0.85}
team: Sales Operations
owner: {name: Iryna Bondar}
sponsors:
  - {name: Olena Kovalenko, role: VP Sales, since: 2026-10-01}
stage: pilot
status: active
started: 2026-10-20
budget: {cost_per_inference: 0.01}
decisions:
  - {date: 2026-10-25, from: discovery, to: poc, outcome: advance, by: [Olena Kovalenko]}
  - {date: 2026-11-18, from: poc, to: pilot, outcome: advance, by: [Olena Kovalenko]}
checks:
  - {name: data-access, status: passed, date: 2026-10-22}
  - {name: security-review, status: pending, date: 2026-11-10}
  - {name: security-review, status: passed, date: 2026-11-20}
evidence:
  - {kind: quality, date: 2026-11-14, metric: accuracy, samples: 120, successes: 74,
     sampling: random}
  - {kind: cost, date: 2026-11-14, per_inference: 0.004}
"""


def test_findings_on_a_record_written_by_hand(tmp_path: Path) -> None:
    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "contact-search.yaml").write_text(LITERAL, encoding="utf-8")
    found = validate(tmp_path)
    # Sorted by line, as `validate` prints them.
    assert [(f.rule, f.line, f.column, f.severity.value) for f in found] == [
        ("S005", 10, 5, "warning"),  # one sponsor at pilot
        ("G205", 17, 5, "error"),  # no data-gaps check at all: the decision's line
        ("G204", 20, 5, "error"),  # the pending review; it passed only after the decision
        ("G202", 23, 5, "error"),  # 74/120 = 0.62 misses 0.85
    ]
    assert only(found, "G204").message == (
        "Security review passed: not met at the poc→pilot decision of 2026-11-18: "
        "`security-review` pending on 2026-11-10; evidence dated after the decision does not "
        "justify it retroactively; if `security-review` passed before the decision, record it "
        "with that date; if not, get it passed now and waive it with a reason"
    )
