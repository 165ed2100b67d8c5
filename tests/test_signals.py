"""Signal rules S001-S016: the early warnings, each on both sides of its threshold."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from builders import (
    AS_OF,
    OWNER,
    SPONSOR_A,
    SPONSOR_B,
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


def located(findings: list[Finding]) -> list[tuple[str, int]]:
    """Return (rule, line) of each finding, sorted."""
    return sorted((f.rule, f.line) for f in findings)


def touch(draft: Draft, days: int = 1) -> Draft:
    """Add a recent custom check, so an old stage entry does not also look neglected."""
    return draft.item("checks", "touch", check_item("x-steering-review", days_ago(days)))


def end(
    draft: Draft, outcome: str = "kill", rationale: str | None = "Quality stayed low."
) -> Draft:
    """Kill or shelve the record two days before the as-of date."""
    why = "" if rationale is None else f", rationale: {rationale}"
    stage = draft.fields["stage"]
    draft.item(
        "decisions",
        outcome,
        f"{{date: {days_ago(2)}, from: {stage}, outcome: {outcome}, by: [{SPONSOR_A}]{why}}}",
    )
    return draft.set("status", "killed" if outcome == "kill" else "shelved")


def learned(draft: Draft) -> Draft:
    """Add a learning."""
    return draft.set("learnings", "[Measure on random invoices before the demo.]")


def _quality(date: dt.date, samples: int, successes: int, sampling: str = "random") -> str:
    return (
        f"{{kind: quality, date: {date}, metric: accuracy, samples: {samples}, "
        f"successes: {successes}, sampling: {sampling}}}"
    )


# --- S001 solution first ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "term"),
    [
        ("Support agents need an LLM to answer customer emails.", "LLM"),
        ("Support agents want a chatbot for customer emails.", "chatbot"),
        ("Planners need machine learning forecasts of parcel volume.", "machine learning"),
        ('"Planners need machine   learning forecasts of parcel volume."', "machine   learning"),
        ('"Planners need machine\\tlearning forecasts of parcel volume."', "machine\tlearning"),
        ("Agents search manuals slowly; RAG over the manuals would help.", "RAG"),
        ("Lawyers want Claude to summarise contracts.", "Claude"),
        ("Clerks need a Copilot for invoice matching.", "Copilot"),
        ("Support agents need GPT-4 to answer customer emails.", "GPT"),
        ("Support agents need an LLM-based assistant for customer emails.", "LLM"),
        # Ignoring case, a dotless ı is an i: a term in other letters is still found.
        ("Analysts need Gemını to draft replies to customers.", "Gemını"),
    ],
)
def test_s001_problem_names_a_technology(tmp_path: Path, problem: str, term: str) -> None:
    draft = passing("discovery").set("problem", problem)
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("S001", line_of(text, "problem:"))]
    assert found[0].message == (
        f"the problem names a technology ('{term}'); "
        "state the business problem and leave the solution open"
    )
    assert found[0].severity is Severity.WARNING


def test_s001_term_broken_across_lines_of_a_plain_scalar(tmp_path: Path) -> None:
    draft = passing("discovery").set(
        "problem", "Planners cannot tell which machine\n  learning forecasts to trust."
    )
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("S001", line_of(text, "problem:"))]
    assert "('machine learning')" in found[0].message


@pytest.mark.parametrize(
    "problem",
    [
        "Warehouse storage costs rose 30% because pallets are misplaced.",
        "Drivers spend an hour a day dragging paperwork between depots.",
        "Paragraph-long emails from carriers take a day to triage.",
        "Engineers spend weeks tuning neurons of the old rule engine by hand.",
        "Clerks spend two days a month matching invoices by hand.",
    ],
)
def test_s001_quiet_when_a_term_is_only_part_of_a_word(tmp_path: Path, problem: str) -> None:
    assert validate(tmp_path, passing("discovery").set("problem", problem)) == []


def test_s001_title_is_not_judged_and_ended_records_are_quiet(tmp_path: Path) -> None:
    titled = passing("discovery", project_id="llm-pilot", title="LLM invoice matching")
    ended = learned(end(passing("poc", project_id="old-bot")))
    ended.set("problem", "Clerks need a chatbot for invoices.")
    # Unrelated to the other record, so S016 stays out of it.
    ended.set("title", "Dock scheduling").set("use_cases", "[Book dock slots]")
    assert validate(tmp_path, titled, ended) == []


# --- S002 scope creep -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "fires"),
    [("discovery", False), ("poc", True), ("pilot", True), ("scale", False), ("optimize", False)],
)
def test_s002_more_than_one_use_case_at_poc_or_pilot(
    tmp_path: Path, stage: str, fires: bool
) -> None:
    draft = passing(stage).set("use_cases", "[Match invoices, Chase late payers, Flag fraud]")
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fires:
        assert found == []
        return
    assert located(found) == [("S002", line_of(text, "use_cases:"))]
    assert found[0].message == (
        f"3 use cases at {stage}; keep one and park the rest in the backlog"
    )


def test_s002_one_use_case_is_quiet(tmp_path: Path) -> None:
    assert validate(tmp_path, passing("poc").set("use_cases", "[Match invoices]")) == []


# --- S003 sampling, S004 interval -------------------------------------------------------


@pytest.mark.parametrize(
    ("sampling", "needle"), [("curated", "sampling: curated"), ("unknown", "")]
)
def test_s003_latest_quality_evidence_not_random(
    tmp_path: Path, sampling: str, needle: str
) -> None:
    draft = passing("poc")
    item = _quality(days_ago(1), 150, 120, sampling)
    if not needle:  # sampling omitted: `unknown` by default
        item = item.replace(", sampling: unknown", "")
        needle = "kind: quality"
    draft.item("evidence", "quality", item)
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("S003", line_of(text, needle))]
    assert found[0].message.startswith(
        f"latest quality evidence is not randomly sampled ({sampling})"
    )
    assert found[0].message.endswith("; measure on random, unselected samples")


def test_s003_only_the_latest_measurement_counts(tmp_path: Path) -> None:
    draft = passing("poc")
    draft.item("evidence", "demo", _quality(days_ago(3), 10, 8, "curated"))
    draft.item("evidence", "blind", _quality(days_ago(1), 150, 120))
    assert validate(tmp_path, draft) == []


@pytest.mark.parametrize(
    ("samples", "successes", "fires"),
    [(20, 18, True), (100, 95, False), (20, 16, False), (200, 180, False)],
)
def test_s004_point_estimate_passes_but_interval_does_not(
    tmp_path: Path, samples: int, successes: int, fires: bool
) -> None:
    draft = passing("poc").set("quality_target", "{metric: accuracy, threshold: 0.85}")
    draft.item("evidence", "quality", _quality(days_ago(1), samples, successes))
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fires:
        assert found == []
        return
    assert located(found) == [("S004", line_of(text, "kind: quality"))]
    assert found[0].message == (
        "accuracy 0.90 [0.70–0.97] on 20 random samples: the point estimate meets the bar "
        "0.85 but the 95% interval does not; measure on more samples"
    )


def test_s004_single_sample_mean_has_no_interval(tmp_path: Path) -> None:
    draft = passing("poc")
    draft.item(
        "evidence",
        "quality",
        f"{{kind: quality, date: {days_ago(1)}, metric: accuracy, samples: 1, value: 0.9, "
        "stdev: 0, sampling: random}",
    )
    assert codes(validate(tmp_path, draft)) == ["S004"]


# --- S005, S006 sponsors ----------------------------------------------------------------


def _leave(draft: Draft, label: str, name: str, role: str, until: dt.date) -> Draft:
    since = draft.fields["started"]
    return draft.item(
        "sponsors", label, f"{{name: {name}, role: {role}, since: {since}, until: {until}}}"
    )


@pytest.mark.parametrize(
    ("stage", "until", "fires"),
    [
        ("pilot", days_ago(1), True),
        ("pilot", AS_OF, True),  # `until` is the first day out of office
        ("pilot", AS_OF + dt.timedelta(days=1), False),
        ("scale", days_ago(1), True),
        ("optimize", days_ago(1), True),
        ("poc", days_ago(1), False),
    ],
)
def test_s005_one_active_sponsor_from_pilot_on(
    tmp_path: Path, stage: str, until: dt.date, fires: bool
) -> None:
    draft = _leave(passing(stage), "b", SPONSOR_B, "CIO", until)
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fires:
        assert found == []
        return
    assert located(found) == [("S005", line_of(text, f"name: {SPONSOR_A}"))]
    assert found[0].message == f"{SPONSOR_A} is the only sponsor at {stage}; add a second one"


@pytest.mark.parametrize(
    "second",
    [SPONSOR_A, SPONSOR_A.upper(), "Kim  Ode", "K\u0456m Od\u0435", "Kim O\u0064\u0301e"],
    ids=["twice", "case", "spaces", "cyrillic", "accent"],
)
def test_s005_one_person_listed_twice_is_one_sponsor(tmp_path: Path, second: str) -> None:
    draft = passing("pilot")
    since = draft.fields["started"]
    draft.item("sponsors", "b", f'{{name: "{second}", role: CIO, since: {since}}}')
    found = validate(tmp_path, draft)
    assert [f.rule for f in found] == ["S005"]
    assert found[0].message == f"{SPONSOR_A} is the only sponsor at pilot; add a second one"


@pytest.mark.parametrize("stage", ["discovery", "poc", "pilot"])
def test_s006_every_sponsor_left(tmp_path: Path, stage: str) -> None:
    draft = passing(stage)
    _leave(draft, "a", SPONSOR_A, "CFO", days_ago(3))
    _leave(draft, "b", SPONSOR_B, "CIO", days_ago(1))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("S006", line_of(text, "sponsors:"))]
    assert found[0].severity is Severity.ERROR
    assert found[0].message == (
        f"no sponsor in office ({SPONSOR_A}, {SPONSOR_B}); find an executive sponsor or shelve it"
    )


def test_s006_no_sponsor_named_after_discovery(tmp_path: Path) -> None:
    quiet = passing("discovery", project_id="fresh-idea", title="Carrier claims")
    quiet.item("sponsors", "a", None).item("sponsors", "b", None)
    quiet.set("problem", "Carrier claims take a week to file.")
    # At poc the sponsor gate fails too; S006 says what to do now.
    loud = passing("poc").item("sponsors", "a", None).item("sponsors", "b", None)
    found = validate(tmp_path, quiet, loud)
    assert sorted((f.project, f.rule) for f in found) == [
        ("invoice-matching", "G103"),
        ("invoice-matching", "S006"),
    ]
    assert only(found, "S006").message == (
        "no sponsor is named; find an executive sponsor or shelve it"
    )


# --- S007 shadow AI ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "fires"), [(3, 5, True), (0, 1, True), (5, 5, False), (5, 3, False)]
)
def test_s007_shadow_ai_users_grew(tmp_path: Path, first: int, second: int, fires: bool) -> None:
    draft = passing("pilot")
    # Listed newest first on purpose: the rule orders measurements by date.
    draft.item("evidence", "new", f"{{kind: shadow-ai, date: {days_ago(1)}, users: {second}}}")
    draft.item("evidence", "old", f"{{kind: shadow-ai, date: {days_ago(20)}, users: {first}}}")
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fires:
        assert found == []
        return
    assert located(found) == [("S007", line_of(text, f"date: {days_ago(1)}, users"))]
    assert found[0].message == (
        f"shadow-AI users grew from {first} to {second}; the official tool is not meeting the need"
    )


def test_s007_one_measurement_is_quiet(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item("evidence", "one", f"{{kind: shadow-ai, date: {days_ago(1)}, users: 40}}")
    assert validate(tmp_path, draft) == []


# --- S008 drift -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "now", "gap", "fires"),
    [
        (90, 85, 30, True),  # exactly 5 points within exactly 30 days
        (90, 85, 1, True),
        (90, 85, 0, True),
        (90, 80, 12, True),
        (90, 86, 30, False),  # 4 points
        (90, 85, 31, False),  # outside the window
        (85, 90, 10, False),  # improving
    ],
)
def test_s008_quality_fell_within_30_days(
    tmp_path: Path, before: int, now: int, gap: int, fires: bool
) -> None:
    # At optimize, quality evidence after the pilot gate does not touch the gates.
    draft = passing("optimize")
    last = days_ago(1)
    draft.item("evidence", "then", _quality(last - dt.timedelta(days=gap), 100, before))
    draft.item("evidence", "now", _quality(last, 100, now))
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fires:
        assert found == []
        return
    assert located(found) == [("S008", line_of(text, f"successes: {now},"))]
    assert found[0].message == (
        f"quality fell from {before / 100:.2f} to {now / 100:.2f} "
        f"within {gap} days; look for data drift"
    )


@pytest.mark.parametrize(
    ("before", "now", "fires"), [("0.10", "0.15", True), ("0.15", "0.10", False)]
)
def test_s008_lower_is_better_drifts_upwards(
    tmp_path: Path, before: str, now: str, fires: bool
) -> None:
    draft = passing("optimize").set(
        "quality_target", "{metric: error-rate, threshold: 0.2, direction: lower}"
    )
    gate = draft.entries["pilot"] - dt.timedelta(days=2)
    draft.item(
        "evidence",
        "quality",
        f"{{kind: quality, date: {gate}, metric: error-rate, samples: 150, value: 0.1, "
        "ci_low: 0.05, ci_high: 0.15, sampling: random}",
    )
    for label, date, value in (("then", days_ago(20), before), ("now", days_ago(1), now)):
        draft.item(
            "evidence",
            label,
            f"{{kind: quality, date: {date}, metric: error-rate, value: {value}, "
            f"ci_low: 0.05, ci_high: {value}, sampling: random}}",
        )
    assert codes(validate(tmp_path, draft)) == (["S008"] if fires else [])


# --- S009 cost explosion ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("monthly", "fires"), [("4000", True), ("9000", True), ("3900", False), ("3999", False)]
)
def test_s009_actual_cost_four_times_forecast(tmp_path: Path, monthly: str, fires: bool) -> None:
    draft = passing("pilot")
    draft.item(
        "evidence", "bill", f"{{kind: cost, date: {days_ago(1)}, monthly: {monthly}, actual: true}}"
    )
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fires:
        assert found == []
        return
    assert located(found) == [("S009", line_of(text, "actual: true"))]
    multiple = int(monthly) / 1000
    assert found[0].message == (
        f"actual ${int(monthly):,}/month is {multiple:.1f}× the forecast $1,000; "
        "rate-limit, cache or tier models"
    )


def test_s009_ignores_estimates(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item("evidence", "quote", f"{{kind: cost, date: {days_ago(1)}, monthly: 9000}}")
    assert validate(tmp_path, draft) == []


# Months at scale or optimize with no review is S017 too (test_impact.py); off where a
# test is about another signal.
NO_REVIEW_RULE = "rules: {S017: 'off'}"


# --- S010 neglect -----------------------------------------------------------------------


@pytest.mark.parametrize(("idle", "fires"), [(59, False), (60, True), (200, True)])
def test_s010_no_change_for_60_days(tmp_path: Path, idle: int, fires: bool) -> None:
    # Optimize has no stage bound, so only neglect can fire. tmp_path is not in git:
    # the newest date written in the record counts.
    draft = passing("optimize", entered=days_ago(idle))
    found = validate(tmp_path, draft, policy=NO_REVIEW_RULE)
    if not fires:
        assert found == []
        return
    assert located(found) == [("S010", 1)]
    assert found[0].message == (
        f"no change for {idle} days (newest entry {days_ago(idle)}); "
        "review it: advance, pivot or kill"
    )


def test_s010_any_dated_entry_counts_as_a_change(tmp_path: Path) -> None:
    draft = touch(passing("optimize", entered=days_ago(200)), days=59)
    assert validate(tmp_path, draft, policy=NO_REVIEW_RULE) == []


def test_s010_ended_records_are_not_neglected(tmp_path: Path) -> None:
    draft = learned(end(passing("poc", entered=days_ago(300))))
    draft.item(
        "decisions",
        "kill",
        f"{{date: {days_ago(280)}, from: poc, outcome: kill, by: [{OWNER}], rationale: No data.}}",
    )
    assert validate(tmp_path, draft) == []


def test_s010_uses_the_last_git_commit_when_there_is_one(tmp_path: Path) -> None:
    draft = touch(passing("optimize"))  # the record's own dates are recent
    draft.write(tmp_path)
    commit = days_ago(70)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_AUTHOR_DATE": f"{commit}T12:00:00",
        "GIT_COMMITTER_DATE": f"{commit}T12:00:00",
    }
    git = ["git", "-C", str(tmp_path), "-c", "user.name=T", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    subprocess.run([*git, "add", "projects"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "add record"], check=True, env=env)
    found = validate(tmp_path)
    assert located(found) == [("S010", 1)]
    assert found[0].message == (
        f"no change for 70 days (last commit {commit}); review it: advance, pivot or kill"
    )


# --- S011, S012 the pilot clock ---------------------------------------------------------


def _usage(daily_active: int | None, date: dt.date | None = None) -> str:
    active = "" if daily_active is None else f", daily_active: {daily_active}"
    return f"{{kind: adoption, date: {date or days_ago(1)}, users: 5{active}, days: 9}}"


@pytest.mark.parametrize(("day", "fires"), [(24, False), (25, False), (26, True), (40, True)])
def test_s011_pilot_decision_due_by_day_25(tmp_path: Path, day: int, fires: bool) -> None:
    draft = passing("pilot", entered=days_ago(day)).item("evidence", "usage", _usage(4))
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fires:
        assert found == []
        return
    assert located(found) == [("S011", line_of(text, "to: pilot"))]
    assert found[0].message == (
        f"pilot day {day} since {days_ago(day)} and no go/no-go decision: "
        f"{day - 25} day{'s' * (day != 26)} overdue (due {days_ago(day - 25)}) under the "
        "25-day rule; decide now: advance, pivot or kill"
    )


@pytest.mark.parametrize(
    ("day", "daily_active", "fires"),
    [(10, 2, True), (10, 3, False), (9, 2, False), (20, 0, True), (20, 4, False)],
)
def test_s012_low_daily_use_after_10_days(
    tmp_path: Path, day: int, daily_active: int, fires: bool
) -> None:
    draft = passing("pilot", entered=days_ago(day)).item("evidence", "usage", _usage(daily_active))
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fires:
        assert found == []
        return
    assert located(found) == [("S012", line_of(text, "kind: adoption"))]
    assert found[0].message == (
        f"{daily_active} daily active users after {day} days of pilot (need 3); "
        "fix the workflow integration"
    )


@pytest.mark.parametrize("usage", [None, "before-pilot", "no-daily-active"])
def test_s012_without_a_daily_use_measurement_in_the_pilot(
    tmp_path: Path, usage: str | None
) -> None:
    draft = passing("pilot", entered=days_ago(12))
    needle = "to: pilot"
    if usage == "before-pilot":
        draft.item("evidence", "usage", _usage(5, days_ago(13)))
    elif usage == "no-daily-active":
        draft.item("evidence", "usage", _usage(None))
        needle = "kind: adoption"
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("S012", line_of(text, needle))]
    assert found[0].message == (
        "no daily-use measurement after 12 days of pilot (need 3); fix the workflow integration"
    )


# --- S013 time in stage -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "days", "expected"),
    [
        ("discovery", 14, []),
        ("discovery", 15, ["S013"]),
        ("poc", 28, []),
        ("poc", 29, ["S013"]),
        ("pilot", 56, ["S011"]),
        ("pilot", 57, ["S011", "S013"]),
        ("scale", 112, []),
        ("scale", 113, ["S013"]),
        ("optimize", 400, []),
    ],
)
def test_s013_time_in_stage_beyond_the_playbook(
    tmp_path: Path, stage: str, days: int, expected: list[str]
) -> None:
    draft = touch(passing(stage, entered=days_ago(days)))
    if stage == "pilot":
        draft.item("evidence", "usage", _usage(4))
    text = draft.text()
    found = validate(tmp_path, draft, policy=NO_REVIEW_RULE)
    assert codes(found) == expected
    if "S013" in expected:
        s013 = only(found, "S013")
        needle = "stage:" if stage == "discovery" else f"to: {stage}"
        assert s013.line == line_of(text, needle)
        bound = {"discovery": 14, "poc": 28, "pilot": 56, "scale": 112}[stage]
        assert s013.message == (
            f"{days} days at {stage} since {days_ago(days)}: the gate decision is "
            f"{days - bound} day{'s' * (days - bound != 1)} overdue "
            f"(due {days_ago(days - bound)}), "
            f"past the {bound}-day bound; advance, pivot or kill"
        )


# --- a pivot restarts the stage clock ---------------------------------------------------


def _pivot(draft: Draft, stage: str, date: dt.date, to: bool = True) -> Draft:
    target = f", to: {stage}" if to else ""
    return draft.item(
        "decisions",
        "pivot",
        f"{{date: {date}, from: {stage}{target}, outcome: pivot, by: [{SPONSOR_A}], "
        "rationale: Narrow to one supplier.}",
    )


@pytest.mark.parametrize("explicit_to", [True, False])
@pytest.mark.parametrize(("pivoted", "fires"), [(25, False), (26, True)])
def test_pivot_restarts_the_pilot_clock(
    tmp_path: Path, pivoted: int, fires: bool, explicit_to: bool
) -> None:
    draft = passing("pilot", entered=days_ago(50))
    _pivot(draft, "pilot", days_ago(pivoted), explicit_to)
    draft.item("evidence", "usage", _usage(4))
    text = draft.text()
    found = validate(tmp_path, draft)
    if not fires:
        assert found == []
        return
    assert located(found) == [("S011", line_of(text, "outcome: pivot"))]
    assert found[0].message.startswith(
        f"pilot day 26 since {days_ago(26)} and no go/no-go decision: 1 day overdue"
    )


def test_pivot_restarts_the_adoption_window(tmp_path: Path) -> None:
    # Usage measured before the pivot no longer counts; nine days after it, S012 is quiet.
    draft = passing("pilot", entered=days_ago(20))
    draft.item("evidence", "usage", _usage(1, days_ago(12)))
    _pivot(draft, "pilot", days_ago(9))
    assert validate(tmp_path, draft) == []


@pytest.mark.parametrize(("pivoted", "fires"), [(14, False), (15, True)])
def test_pivot_restarts_the_discovery_clock(tmp_path: Path, pivoted: int, fires: bool) -> None:
    draft = _pivot(passing("discovery", entered=days_ago(40)), "discovery", days_ago(pivoted))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == ([("S013", line_of(text, "outcome: pivot"))] if fires else [])


def test_resume_restarts_the_stage_clock(tmp_path: Path) -> None:
    draft = passing("poc", entered=days_ago(100))
    for label, date, outcome in (
        ("shelve", days_ago(90), "shelve"),
        ("resume", days_ago(20), "resume"),
    ):
        draft.item(
            "decisions",
            label,
            f"{{date: {date}, outcome: {outcome}, by: [{SPONSOR_A}], rationale: Budget freeze.}}",
        )
    draft.set("learnings", "[Budget freezes come in Q3.]")
    assert validate(tmp_path, draft) == []


# --- S014 unexplained end ---------------------------------------------------------------


@pytest.mark.parametrize(("outcome", "status"), [("kill", "killed"), ("shelve", "shelved")])
def test_s014_ended_with_rationale_and_learning_is_quiet(
    tmp_path: Path, outcome: str, status: str
) -> None:
    draft = learned(end(passing("poc"), outcome))
    assert draft.fields["status"] == status
    assert validate(tmp_path, draft) == []


@pytest.mark.parametrize(("outcome", "status"), [("kill", "killed"), ("shelve", "shelved")])
def test_s014_ended_without_rationale(tmp_path: Path, outcome: str, status: str) -> None:
    draft = learned(end(passing("poc"), outcome, rationale=None))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("S014", line_of(text, f"outcome: {outcome}"))]
    assert found[0].severity is Severity.ERROR
    assert found[0].message == (
        f"{status} without a rationale; say why, so the next team does not repeat it"
    )


@pytest.mark.parametrize(("outcome", "status"), [("kill", "killed"), ("shelve", "shelved")])
def test_s014_ended_without_learning(tmp_path: Path, outcome: str, status: str) -> None:
    draft = end(passing("poc"), outcome)
    text = draft.text()
    found = validate(tmp_path, draft)
    assert located(found) == [("S014", line_of(text, f"status: {status}"))]
    assert found[0].severity is Severity.ERROR
    assert found[0].message == (
        f"{status} without a learning; write down what this initiative taught"
    )


def test_s014_both_missing(tmp_path: Path) -> None:
    draft = end(passing("pilot"), rationale=None)
    text = draft.text()
    assert located(validate(tmp_path, draft)) == [
        ("S014", line_of(text, "status: killed")),
        ("S014", line_of(text, "outcome: kill")),
    ]


def test_signals_watch_active_initiatives_only(tmp_path: Path) -> None:
    # A killed pilot: old, one sponsor left, scope creep, shadow AI growing, cost exploding.
    draft = learned(end(passing("pilot", entered=days_ago(90))))
    draft.item("decisions", "kill", None)
    draft.item(
        "decisions",
        "kill",
        f"{{date: {days_ago(80)}, from: pilot, outcome: kill, by: [{OWNER}], rationale: Cost.}}",
    )
    _leave(draft, "b", SPONSOR_B, "CIO", days_ago(70))
    draft.set("use_cases", "[Match invoices, Chase late payers]")
    draft.set("problem", "Clerks want a chatbot to match invoices.")
    draft.item("evidence", "s1", f"{{kind: shadow-ai, date: {days_ago(85)}, users: 1}}")
    draft.item("evidence", "s2", f"{{kind: shadow-ai, date: {days_ago(81)}, users: 9}}")
    draft.item(
        "evidence", "bill", f"{{kind: cost, date: {days_ago(81)}, monthly: 9000, actual: true}}"
    )
    assert validate(tmp_path, draft) == []


# --- S015 waivers -----------------------------------------------------------------------


def _waive(draft: Draft, rule: str, expires: dt.date) -> Draft:
    return draft.item(
        "waivers",
        rule,
        f"{{rule: {rule}, reason: Internal users only, approved_by: CTO, expires: {expires}}}",
    )


def _failing_security(draft: Draft) -> Draft:
    date = draft.entries["pilot"] - dt.timedelta(days=2)
    return draft.item("checks", "security-review", check_item("security-review", date, "pending"))


def test_s015_expired_waiver(tmp_path: Path) -> None:
    draft = _waive(_failing_security(passing("pilot")), "G204", days_ago(1))
    text = draft.text()
    found = validate(tmp_path, draft)
    line = line_of(text, "rule: G204")
    assert located(found) == [("G204", line_of(text, "name: security-review")), ("S015", line)]
    s015 = only(found, "S015")
    assert s015.column == text.splitlines()[line - 1].index("expires") + 1
    assert s015.severity is Severity.WARNING
    assert s015.message == (
        f"waiver of G204 expired: renewal 1 day overdue (due {days_ago(1)}); "
        "renew it with a reason or fix the finding"
    )


def test_a_waiver_is_in_force_on_its_expiry_day(tmp_path: Path) -> None:
    draft = _waive(_failing_security(passing("pilot")), "G204", AS_OF)
    assert validate(tmp_path, draft) == []


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("G999", "waiver names unknown rule G999"),
        ("S099", "waiver names unknown rule S099"),
        ("R004", "R004 is a record rule and cannot be waived; fix the record"),
        ("R013", "R013 is a record rule and cannot be waived; fix the record"),
    ],
)
def test_s015_waiver_of_an_unknown_or_record_rule(tmp_path: Path, rule: str, message: str) -> None:
    draft = _waive(passing("pilot"), rule, AS_OF + dt.timedelta(days=30))
    text = draft.text()
    found = validate(tmp_path, draft)
    line = line_of(text, f"rule: {rule}")
    assert [(f.rule, f.line, f.column, f.message) for f in found] == [("S015", line, 6, message)]


# --- S016 similar initiatives -----------------------------------------------------------

TITLE = "Supplier invoice matching"
PROBLEM = "Accounts payable clerks spend two days a month matching supplier invoices by hand."


def _twin(project_id: str, title: str = TITLE, problem: str = PROBLEM, stage: str = "poc") -> Draft:
    return passing(stage, project_id=project_id, title=title, problem=problem)


def test_s016_two_active_lookalikes_warn_on_both(tmp_path: Path) -> None:
    a = _twin("invoice-matching")
    b = _twin(
        "ap-invoice-bot",
        "Supplier invoice matching assistant",
        "Accounts payable clerks spend two days each month matching supplier invoices manually.",
    )
    found = validate(tmp_path, a, b)
    assert sorted((f.project, f.rule, f.line) for f in found) == [
        ("ap-invoice-bot", "S016", 2),
        ("invoice-matching", "S016", 2),
    ]
    by_project = {f.project: f.message for f in found}
    assert by_project["invoice-matching"].startswith(
        "'ap-invoice-bot' (Supplier invoice matching assistant) looks like the same initiative ("
    )
    assert by_project["ap-invoice-bot"].startswith(
        f"'invoice-matching' ({TITLE}) looks like the same initiative ("
    )
    assert by_project["ap-invoice-bot"].endswith("similar); join forces or list it in `related`")


def test_s016_identical_initiatives_are_100_percent_similar(tmp_path: Path) -> None:
    found = validate(tmp_path, _twin("invoice-matching"), _twin("invoice-matching-2"))
    assert [f.rule for f in found] == ["S016", "S016"]
    assert all("looks like the same initiative (100% similar)" in f.message for f in found)


@pytest.mark.parametrize(("outcome", "status"), [("kill", "KILLED"), ("shelve", "SHELVED")])
def test_s016_a_killed_lookalike_is_named_loudly(tmp_path: Path, outcome: str, status: str) -> None:
    dead = learned(end(_twin("old-invoice-bot"), outcome))
    alive = _twin("invoice-matching")
    found = validate(tmp_path, dead, alive)
    assert [(f.project, f.rule, f.line) for f in found] == [("invoice-matching", "S016", 2)]
    assert found[0].message == (
        f"a similar initiative was {status}: 'old-invoice-bot' ({TITLE}, 100% similar), "
        "because: Quality stayed low.; read its learnings before you start, then list it "
        "in `related` or `supersedes`"
    )


PARAPHRASES = [
    ("Vendor bill reconciliation", "Our AP team reconciles vendor bills against POs by hand."),
    (
        "Match bills to POs",
        "The AP team spends days reconciling vendor bills with purchase orders.",
    ),
]


@pytest.mark.parametrize(("title", "problem"), PARAPHRASES)
def test_s016_a_paraphrase_of_a_killed_record_is_found(
    tmp_path: Path, title: str, problem: str
) -> None:
    """Other words for the same problem (abbreviations, synonyms) still match."""
    dead = learned(end(_twin("old-invoice-bot")))
    unrelated = _twin(
        "dock-scheduling", "Dock appointment scheduling",
        "Trucks queue for three hours at the depot gates every morning.",
    ).set("use_cases", "[Book dock slots for carriers]")  # fmt: skip
    fresh = _twin("ap-bill-matching", title, problem).set("use_cases", "[Reconcile AP bills]")
    found = validate(tmp_path, dead, unrelated, fresh)
    assert [(f.project, f.rule) for f in found] == [("ap-bill-matching", "S016")]
    assert found[0].message.startswith("a similar initiative was KILLED: 'old-invoice-bot'")


def test_s016_a_lookalike_copy_in_other_letters_is_found(tmp_path: Path) -> None:
    """Cyrillic а, е, о and с drawn like Latin letters do not hide a copy."""
    dead = learned(end(_twin("old-invoice-bot")))
    copy = TITLE.replace("a", "\u0430").replace("e", "\u0435").replace("o", "\u043e")
    twin = _twin("invoice-matching", copy, PROBLEM.replace("c", "\u0441"))
    found = validate(tmp_path, dead, twin)
    assert [(f.project, f.rule) for f in found] == [("invoice-matching", "S016")]
    assert "100% similar" in found[0].message


def test_s016_related_silences_the_record_that_lists_it(tmp_path: Path) -> None:
    a = _twin("invoice-matching").set("related", "[invoice-matching-2]")
    b = _twin("invoice-matching-2")
    found = validate(tmp_path, a, b)
    assert [(f.project, f.rule) for f in found] == [("invoice-matching-2", "S016")]
    b.set("related", "[invoice-matching]")
    assert validate(tmp_path, a, b) == []


def test_s016_supersedes_silences_it(tmp_path: Path) -> None:
    dead = learned(end(_twin("old-invoice-bot")))
    alive = _twin("invoice-matching").set("supersedes", "old-invoice-bot")
    assert validate(tmp_path, dead, alive) == []


def test_s016_different_initiatives_are_quiet(tmp_path: Path) -> None:
    other = _twin(
        "dock-scheduling",
        "Dock appointment scheduling",
        "Trucks queue for three hours at the depot gates every morning.",
    )
    assert validate(tmp_path, _twin("invoice-matching"), other) == []


def test_s016_names_the_three_closest_and_counts_the_rest(tmp_path: Path) -> None:
    """A record like many others (an imported inventory) gets three findings, not dozens."""
    near = [_twin(f"invoice-matching-{n}") for n in range(1, 5)]
    dead = learned(end(_twin("old-invoice-bot")))
    found = validate(tmp_path, *near, dead)
    mine = [f.message for f in found if f.project == "invoice-matching-1"]
    # The closest two, then the dead one: a killed match is always among those named.
    assert [m.split("'")[1] for m in mine] == [
        "invoice-matching-2", "invoice-matching-3", "old-invoice-bot",
    ]  # fmt: skip
    assert mine[-1].endswith(
        "then list it in `related` or `supersedes` (1 more initiative is over the "
        "threshold: `portfolio similar` lists them)"
    )
    assert "more" not in mine[0] and "more" not in mine[1]
    assert sorted({f.project for f in found}) == [f"invoice-matching-{n}" for n in range(1, 5)]
    assert len(found) == 12
