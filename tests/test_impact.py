"""Business impact: G306 (an outcome better than the baseline during the pilot), the
`review` decision (R013 before scale), S017 (quarterly review overdue) and S018 (value
below actual cost), each on both sides of its boundary, on record files written to disk."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import (
    AS_OF,
    OWNER,
    SPONSOR_A,
    Draft,
    codes,
    days_ago,
    line_of,
    only,
    passing,
    validate,
)
from click.testing import Result

from generator.core.findings import Finding, Severity

GATE = "pilot→scale"
QUIET = "rules: {S010: 'off'}"  # neglect: a review months ago is also the newest entry


def at_scale(value: float | None, date: dt.date | None = None, *, metric: str) -> Draft:
    """Return a record at scale whose pilot measured `value` (None: no outcome) on `date`."""
    draft = passing("scale")
    draft.set("success_metric", metric)
    draft.item("evidence", "outcome", None)
    if value is not None:
        day = date or draft.entries["scale"] - dt.timedelta(days=2)
        draft.item("evidence", "outcome", f"{{kind: outcome, date: {day}, value: {value}}}")
    return draft


def g306(findings: list[Finding]) -> list[Finding]:
    """Return the G306 findings."""
    return [f for f in findings if f.rule == "G306"]


HIGHER = "{name: Invoices matched without a clerk, baseline: 0.4, target: 0.8}"
LOWER = "{name: Minutes per invoice, baseline: 9, target: 4, direction: lower}"
NO_BASELINE = "{name: Invoices matched without a clerk, target: 0.8}"


# --- G306 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "value", "met"),
    [
        (HIGHER, 0.4, False),  # equal to the baseline is not better
        (HIGHER, 0.41, True),
        (HIGHER, 0.39, False),
        (LOWER, 9, False),
        (LOWER, 8.9, True),
        (LOWER, 9.1, False),  # higher is worse when lower is better
        (NO_BASELINE, 0.1, True),  # no baseline: any outcome in the pilot counts
        (NO_BASELINE, None, False),
        (HIGHER, None, False),
    ],
)
def test_g306_outcome_better_than_the_baseline(
    tmp_path: Path, metric: str, value: float | None, met: bool
) -> None:
    found = validate(tmp_path, at_scale(value, metric=metric))
    assert codes(g306(found)) == ([] if met else ["G306"])
    assert all(f.rule == "G306" for f in found)


def test_g306_message_says_what_was_measured_against_what(tmp_path: Path) -> None:
    draft = at_scale(9, metric=LOWER)
    text = draft.text()
    finding = only(validate(tmp_path, draft), "G306")
    assert finding.severity is Severity.ERROR
    assert finding.line == line_of(text, "kind: outcome")
    assert finding.message == (
        f"Measurable business impact: not met at the {GATE} decision of "
        f"{draft.entries['scale']}: Minutes per invoice 9 on "
        f"{draft.entries['scale'] - dt.timedelta(days=2)}, not better than the baseline 9 "
        "(lower is better); pivot back to pilot or kill, or waive it with a reason"
    )


@pytest.mark.parametrize(
    ("offset", "met"),
    [
        (-1, False),  # before the pilot began
        (0, False),  # on the day of the poc→pilot advance: not yet measured in the pilot
        (1, True),
    ],
)
def test_g306_counts_outcomes_after_the_pilot_began(tmp_path: Path, offset: int, met: bool) -> None:
    draft = passing("scale")
    day = draft.entries["pilot"] + dt.timedelta(days=offset)
    draft = at_scale(0.5, day, metric=HIGHER)
    assert codes(g306(validate(tmp_path, draft))) == ([] if met else ["G306"])


@pytest.mark.parametrize(("offset", "met"), [(0, True), (1, False)])
def test_g306_judges_only_outcomes_up_to_the_scale_decision(
    tmp_path: Path, offset: int, met: bool
) -> None:
    draft = passing("scale")
    day = draft.entries["scale"] + dt.timedelta(days=offset)
    found = g306(validate(tmp_path, at_scale(0.5, day, metric=HIGHER)))
    assert codes(found) == ([] if met else ["G306"])
    if not met:
        assert "does not justify it retroactively" in found[0].message


def test_g306_can_be_waived(tmp_path: Path) -> None:
    draft = at_scale(None, metric=HIGHER)
    draft.item("waivers", "g306", "{rule: G306, reason: Measured after go-live, "
               f"approved_by: CFO, expires: {AS_OF + dt.timedelta(days=30)}}}")  # fmt: skip
    assert validate(tmp_path, draft) == []


def test_g306_is_not_judged_while_the_pilot_runs(
    registry: Path, cli: Callable[..., Result]
) -> None:
    draft = passing("pilot")
    draft.set("id", "invoice-matching")
    draft.write(registry)
    result = cli("validate", "--format", "json", "--as-of", AS_OF.isoformat())
    assert json.loads(result.stdout)["errors"] == 0  # not judged until the pilot→scale decision


# --- the review decision ----------------------------------------------------------------


def review(day: dt.date, stage: str, rationale: str | None = "ROI 3.1x; keep.") -> str:
    """Return a review decision's YAML flow text."""
    why = f", rationale: '{rationale}'" if rationale else ""
    return f"{{date: {day}, from: {stage}, outcome: review, by: [{SPONSOR_A}]{why}}}"


@pytest.mark.parametrize(("stage", "ok"), [("poc", False), ("pilot", False), ("scale", True),
                                           ("optimize", True)])  # fmt: skip
def test_review_is_an_outcome_at_scale_and_optimize_only(
    tmp_path: Path, stage: str, ok: bool
) -> None:
    draft = passing(stage)
    draft.item("decisions", "review", review(days_ago(1), stage))
    text = draft.text()
    found = validate(tmp_path, draft)
    if ok:
        assert found == []
        return
    finding = only(found, "R013")
    assert codes(found) == ["R013"]  # the gates of a log R013 doubts are not judged
    assert finding.line == line_of(text, "outcome: review")
    assert finding.message == (
        f"a review is the quarterly kill/continue decision at scale or optimize; at {stage}, "
        "'continue as-is' is not an outcome: advance, pivot or kill"
    )


def test_review_needs_a_rationale(tmp_path: Path) -> None:
    draft = passing("optimize")
    draft.item("decisions", "review", review(days_ago(1), "optimize", rationale=None))
    finding = only(validate(tmp_path, draft), "R013")
    assert finding.message == (
        "a review needs a rationale: write what the ROI review found and why it continues"
    )


def test_review_has_no_target_stage(tmp_path: Path) -> None:
    draft = passing("optimize")
    draft.item("decisions", "review", f"{{date: {days_ago(1)}, from: optimize, to: optimize, "
               f"outcome: review, by: [{OWNER}], rationale: Keep.}}")  # fmt: skip
    assert only(validate(tmp_path, draft), "R013").message.startswith(
        "a review decision has no `to`"
    )


# --- S017 -------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "fires"), [(91, False), (92, False), (93, True)])
def test_s017_review_due_92_days_after_the_last_review(
    tmp_path: Path, days: int, fires: bool
) -> None:
    draft = passing("optimize", entered=days_ago(400))
    draft.item("decisions", "review", review(days_ago(days), "optimize"))
    text = draft.text()
    found = validate(tmp_path, draft, policy=QUIET)
    assert codes(found) == (["S017"] if fires else [])
    if fires:
        finding = found[0]
        assert finding.severity is Severity.WARNING
        assert finding.line == line_of(text, "outcome: review")
        assert finding.message == (
            f"quarterly review 1 day overdue (due {days_ago(1)}, 92 days after the last review "
            f"on {days_ago(93)}); hold the kill/continue ROI review and record it as a "
            "`review` decision with its rationale"
        )


@pytest.mark.parametrize(("days", "fires"), [(92, False), (93, True)])
def test_s017_counts_from_the_advance_into_the_stage(
    tmp_path: Path, days: int, fires: bool
) -> None:
    found = validate(tmp_path, passing("scale", entered=days_ago(days)), policy=QUIET)
    assert [f.rule for f in found if f.rule == "S017"] == (["S017"] if fires else [])


def test_s017_is_quiet_after_a_recent_advance(tmp_path: Path) -> None:
    draft = passing("optimize", entered=days_ago(10))
    assert validate(tmp_path, draft, policy=QUIET) == []


@pytest.mark.parametrize(("limit", "fires"), [(31, False), (30, True)])
def test_s017_review_days_comes_from_the_policy(tmp_path: Path, limit: int, fires: bool) -> None:
    draft = passing("optimize", entered=days_ago(200))
    draft.item("decisions", "review", review(days_ago(31), "optimize"))
    policy = f"rules: {{S010: 'off'}}\nthresholds: {{review_days: {limit}}}"
    assert codes(validate(tmp_path, draft, policy=policy)) == (["S017"] if fires else [])


def test_s017_watches_only_active_records_at_scale_or_later(tmp_path: Path) -> None:
    pilot = passing("pilot", entered=days_ago(20), project_id="old-pilot")
    pilot.set("title", "Old pilot").set("problem", "Clerks retype customs forms from scans.")
    found = validate(tmp_path, pilot, policy="rules: {S010: 'off', S011: 'off', S013: 'off'}")
    assert "S017" not in codes(found)


def test_s017_can_be_waived(tmp_path: Path) -> None:
    draft = passing("scale", entered=days_ago(100))
    draft.item("waivers", "s017", "{rule: S017, reason: Review set for the board meeting, "
               f"approved_by: CFO, expires: {AS_OF + dt.timedelta(days=10)}}}")  # fmt: skip
    assert validate(tmp_path, draft, policy=QUIET) == []


# --- S018 -------------------------------------------------------------------------------


def valued(stage: str, value: float, *extra: tuple[str, str]) -> Draft:
    """Return a passing record (actual cost 1,100 USD a month) with a monthly value."""
    draft = passing(stage)
    draft.item("evidence", "worth", f"{{kind: outcome, date: {days_ago(1)}, value: 0.7, "
               f"monthly_value: {value}}}")  # fmt: skip
    for label, item in extra:
        draft.item("evidence", label, item)
    return draft


@pytest.mark.parametrize(("value", "fires"), [(1100, False), (1099, True), (5000, False)])
def test_s018_value_below_the_actual_monthly_cost(
    tmp_path: Path, value: float, fires: bool
) -> None:
    draft = valued("optimize", value)
    text = draft.text()
    found = validate(tmp_path, draft)
    assert codes(found) == (["S018"] if fires else [])
    if fires:
        assert found[0].line == line_of(text, "monthly_value")
        assert found[0].message == (
            f"delivers $1,099/month (outcome of {days_ago(1)}) but costs $1,100/month (actual, "
            f"{passing('optimize').entries['optimize'] - dt.timedelta(days=2)}): 1.00× its "
            "cost; cut the cost or raise the value, or kill it at the quarterly review"
        )


def test_s018_ignores_cost_estimates(tmp_path: Path) -> None:
    quote = ("quote", f"{{kind: cost, date: {AS_OF}, monthly: 9000, actual: false}}")
    assert validate(tmp_path, valued("optimize", 2000, quote)) == []


def test_s018_uses_the_latest_actual_cost(tmp_path: Path) -> None:
    bill = ("bill", f"{{kind: cost, date: {AS_OF}, monthly: 9000, actual: true}}")
    found = validate(tmp_path, valued("optimize", 2000, bill), policy="rules: {S009: 'off'}")
    assert codes(found) == ["S018"]


def test_s018_only_at_optimize(tmp_path: Path) -> None:
    draft = valued("scale", 10)
    draft.item("evidence", "actual", f"{{kind: cost, date: {days_ago(2)}, monthly: 1100, "
               "actual: true}")  # fmt: skip
    assert validate(tmp_path, draft) == []


def test_outcome_evidence_is_validated(registry: Path, cli: Callable[..., Result]) -> None:
    draft = passing("pilot")
    draft.item("evidence", "bad", f"{{kind: outcome, date: {days_ago(1)}, value: 3, "
               "monthly_value: -5}")  # fmt: skip
    text = draft.write(registry)
    result = cli("validate", "--format", "json", "--as-of", AS_OF.isoformat())
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["line"]) == ("R004", line_of(text, "monthly_value: -5"))
