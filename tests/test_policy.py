"""The policy file (severities, thresholds, vocabularies) and per-record waivers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import (
    AS_OF,
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
from generator.core.model import FAILURE_MODES
from generator.core.policy import DEFAULT_TECHNOLOGY_TERMS, Policy


def severities(findings: list[Finding]) -> list[tuple[str, str]]:
    """Return (rule, severity) of each finding, sorted."""
    return sorted((f.rule, f.severity.value) for f in findings)


def failing_pilot(project_id: str = "invoice-matching") -> Draft:
    """Return a pilot that fails G201 and G202 (50/99 samples) and G204 (review pending)."""
    draft = passing("pilot", project_id=project_id)
    date = draft.entries["pilot"] - dt.timedelta(days=2)
    draft.item(
        "evidence",
        "quality",
        f"{{kind: quality, date: {date}, metric: accuracy, samples: 99, successes: 50, "
        "sampling: random}",
    )
    draft.item("checks", "security-review", check_item("security-review", date, "pending"))
    return draft


# --- severities -------------------------------------------------------------------------


def test_failing_pilot_fails_three_gates_by_default(tmp_path: Path) -> None:
    assert severities(validate(tmp_path, failing_pilot())) == [
        ("G201", "error"),
        ("G202", "error"),
        ("G204", "error"),
    ]


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ("{G: warning}", [("G201", "warning"), ("G202", "warning"), ("G204", "warning")]),
        ("{G2: off, G202: error}", [("G202", "error")]),
        ("{G202: error, G2: off}", [("G202", "error")]),  # the order of keys does not matter
        (
            "{G: off, G20: warning, G201: error}",
            [("G201", "error"), ("G202", "warning"), ("G204", "warning")],
        ),
        ("{G: warning, G204: off}", [("G201", "warning"), ("G202", "warning")]),
        ("{G201: off}", [("G202", "error"), ("G204", "error")]),
        ("{S: off}", [("G201", "error"), ("G202", "error"), ("G204", "error")]),
        ("{R: error}", [("G201", "error"), ("G202", "error"), ("G204", "error")]),
    ],
)
def test_severity_by_code_or_prefix_longest_wins(
    tmp_path: Path, rules: str, expected: list[tuple[str, str]]
) -> None:
    found = validate(tmp_path, failing_pilot(), policy=f"rules: {rules}\n")
    assert severities(found) == expected


def test_policy_severity_lookup() -> None:
    policy = Policy.model_validate({"rules": {"G": "warning", "G2": "off", "G202": "error"}})
    assert policy.severity("G101") is Severity.WARNING
    assert policy.severity("G204") is Severity.OFF
    assert policy.severity("G202") is Severity.ERROR
    assert policy.severity("S006") is Severity.ERROR  # the catalogue's default
    assert policy.severity("S001") is Severity.WARNING


def test_prefix_g_does_not_touch_signals(tmp_path: Path) -> None:
    draft = passing("poc").item("checks", "data-access", None)
    draft.item("sponsors", "a", None).item("sponsors", "b", None)
    found = validate(tmp_path, draft, policy="rules: {G: warning}\n")
    assert severities(found) == [("G103", "warning"), ("G104", "warning"), ("S006", "error")]


@pytest.mark.parametrize("off", ["off", '"off"', "'off'"])
def test_switch_a_signal_off(tmp_path: Path, off: str) -> None:
    # Unquoted `off` is YAML's boolean false; the policy reads it as the severity off.
    draft = passing("optimize", entered=days_ago(90))
    assert codes(validate(tmp_path / "before", draft)) == ["S010"]
    assert validate(tmp_path / "after", draft, policy=f"rules:\n  S010: {off}\n") == []


def test_raise_a_signal_to_an_error(tmp_path: Path) -> None:
    draft = passing("pilot")
    draft.item(
        "evidence", "bill", f"{{kind: cost, date: {days_ago(1)}, monthly: 5000, actual: true}}"
    )
    assert severities(validate(tmp_path, draft, policy="rules: {S009: error}\n")) == [
        ("S009", "error")
    ]


# --- thresholds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("samples", "successes", "expected"),
    # 40/50 and 40/49 clear the 0.70 bar only on the point estimate, hence S004.
    [(50, 40, ["S004"]), (49, 40, ["G201", "S004"]), (99, 79, [])],
)
def test_min_samples_threshold(
    tmp_path: Path, samples: int, successes: int, expected: list[str]
) -> None:
    draft = passing("pilot")
    date = draft.entries["pilot"] - dt.timedelta(days=2)
    draft.item(
        "evidence",
        "quality",
        f"{{kind: quality, date: {date}, metric: accuracy, samples: {samples}, "
        f"successes: {successes}, sampling: random}}",
    )
    found = validate(tmp_path, draft, policy="thresholds: {min_samples: 50}\n")
    assert codes(found) == expected
    if "G201" in expected:
        assert only(found, "G201").message.startswith("Quality measured on 50+ real samples:")


@pytest.mark.parametrize(
    ("policy", "draft", "expected"),
    [
        (
            "thresholds: {stage_max_days: {poc: 40}}",
            lambda: passing("poc", entered=days_ago(40)),
            [],
        ),
        (
            "thresholds: {stage_max_days: {poc: 40}}",
            lambda: passing("poc", entered=days_ago(41)),
            ["S013"],
        ),
        (
            "thresholds: {stage_max_days: {poc: 10}}",
            lambda: passing("poc", entered=days_ago(11)),
            ["S013"],
        ),
        (
            "thresholds: {neglect_days: 30}",
            lambda: passing("optimize", entered=days_ago(30)),
            ["S010"],
        ),
        ("thresholds: {neglect_days: 30}", lambda: passing("optimize", entered=days_ago(29)), []),
        ("thresholds: {sla_days: 31}", lambda: passing("optimize"), ["G401"]),
        ("thresholds: {pilot_min_users: 6}", lambda: passing("scale"), ["G301"]),
        ("thresholds: {pilot_min_days: 26}", lambda: passing("scale"), ["G301"]),
        ("thresholds: {satisfaction_min: 0.8}", lambda: passing("scale"), ["G302"]),
        ("thresholds: {satisfaction_min: 0.79}", lambda: passing("scale"), []),
        ("thresholds: {cost_multiple_max: 2}", lambda: passing("pilot"), ["G203"]),
        ("thresholds: {cost_overrun_max: 1.1}", lambda: passing("optimize"), []),
        ("thresholds: {cost_overrun_max: 1.05}", lambda: passing("optimize"), ["G404"]),
        ("thresholds: {cost_explosion: 1.1}", lambda: passing("optimize"), ["S009"]),
        ("thresholds: {pilot_decision_days: 4}", lambda: passing("pilot"), ["S011"]),
    ],
)
def test_thresholds_move_the_boundaries(
    tmp_path: Path, policy: str, draft: Callable[[], Draft], expected: list[str]
) -> None:
    built = draft()
    default = ["S013"] if "poc: 40" in policy else []  # 40 days at poc is beyond 28 by default
    assert codes(validate(tmp_path / "default", built)) == default
    assert codes(validate(tmp_path / "policy", built, policy=policy + "\n")) == expected


def test_pilot_adoption_thresholds(tmp_path: Path) -> None:
    draft = passing("pilot", entered=days_ago(6))
    draft.item(
        "evidence", "usage", f"{{kind: adoption, date: {days_ago(1)}, users: 5, daily_active: 3}}"
    )
    assert validate(tmp_path / "default", draft) == []
    policy = "thresholds:\n  pilot_adoption_days: 5\n  pilot_min_daily_active: 4\n"
    found = validate(tmp_path / "policy", draft, policy=policy)
    assert codes(found) == ["S012"]
    assert found[0].message == (
        "3 daily active users after 6 days of pilot (need 4); fix the workflow integration"
    )


def test_drift_thresholds(tmp_path: Path) -> None:
    draft = passing("optimize")
    for label, date, successes in (("then", days_ago(40), 90), ("now", days_ago(1), 87)):
        draft.item(
            "evidence",
            label,
            f"{{kind: quality, date: {date}, metric: accuracy, samples: 100, "
            f"successes: {successes}, sampling: random}}",
        )
    assert validate(tmp_path / "default", draft) == []
    policy = "thresholds: {drift_points: 0.03, drift_window_days: 45}\n"
    assert codes(validate(tmp_path / "policy", draft, policy=policy)) == ["S008"]


def test_similarity_threshold(tmp_path: Path) -> None:
    a = passing("poc", project_id="invoice-matching", title="Supplier invoice matching")
    b = passing(
        "poc",
        project_id="invoice-coding",
        title="Supplier invoice coding",
        problem="Finance clerks code supplier invoices to cost centres by hand.",
    )
    # 4 shared stems of 9 and 8: cosine 0.47, below the default 0.6.
    assert validate(tmp_path / "default", a, b) == []
    found = validate(tmp_path / "policy", a, b, policy="thresholds: {similarity: 0.45}\n")
    assert sorted((f.project, f.rule) for f in found) == [
        ("invoice-coding", "S016"),
        ("invoice-matching", "S016"),
    ]


# --- vocabularies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "problem", "expected"),
    [
        (None, "Clerks want an LLM to match invoices.", ["S001"]),
        ("technology_terms: [blockchain]", "Clerks want an LLM to match invoices.", []),
        (
            "technology_terms: [blockchain]",
            "Clerks want a blockchain ledger of invoices.",
            ["S001"],
        ),
        (
            "technology_terms: [vector database]",
            "Clerks want a vector  database of invoices.",
            ["S001"],
        ),
        ("technology_terms: []", "Clerks want an LLM to match invoices.", []),
    ],
)
def test_technology_terms_replace_the_default_list(
    tmp_path: Path, policy: str | None, problem: str, expected: list[str]
) -> None:
    draft = passing("discovery").set("problem", problem)
    policy_text = None if policy is None else policy + "\n"
    assert codes(validate(tmp_path, draft, policy=policy_text)) == expected


def test_default_technology_terms() -> None:
    assert Policy().technology_terms == list(DEFAULT_TECHNOLOGY_TERMS)
    assert {"gpt", "llm", "rag", "machine learning"} <= set(DEFAULT_TECHNOLOGY_TERMS)


def test_failure_modes_extend_the_taxonomy() -> None:
    policy = Policy.model_validate({"failure_modes": ["vendor-lock-in", "latency"]})
    assert policy.all_failure_modes == (*FAILURE_MODES, "vendor-lock-in")
    assert Policy().all_failure_modes == FAILURE_MODES


def _lock_in(draft: Draft) -> Draft:
    return draft.item(
        "failures", "lock-in", f"{{mode: vendor-lock-in, date: {days_ago(3)}, stage: poc}}"
    )


def test_a_failure_mode_added_by_the_policy_is_accepted(tmp_path: Path) -> None:
    draft = _lock_in(passing("poc"))
    assert validate(tmp_path, draft, policy="failure_modes: [vendor-lock-in]\n") == []


def test_a_failure_mode_outside_the_taxonomy_is_an_error(tmp_path: Path) -> None:
    draft = _lock_in(passing("poc"))
    text = draft.text()
    found = validate(tmp_path, draft)
    assert [(f.rule, f.line) for f in found] == [("R004", line_of(text, "mode: vendor-lock-in"))]


# --- a broken policy file ---------------------------------------------------------------


def _policy_findings(found: list[Finding]) -> list[tuple[str, str, int, int, str | None]]:
    return [
        (Path(f.file).name, f.rule, f.line, f.column, f.project)
        for f in found
        if Path(f.file).name == "policy.yaml"
    ]


@pytest.mark.parametrize(
    ("policy", "line", "column", "message"),
    [
        (
            "# Portfolio policy\nrules: {S010: warning}\nthreshold: {min_samples: 50}\n",
            3,
            1,
            "unknown field 'threshold'; did you mean 'thresholds'?",
        ),
        (
            "thresholds:\n  min_samples: 50\n  min_sample: 40\n",
            3,
            3,
            "unknown field 'min_sample' in thresholds; did you mean 'min_samples'?",
        ),
        (
            "thresholds:\n  stage_max_days:\n    discovery: 30\n    pilots: 60\n",
            4,
            5,
            "unknown field 'pilots' in thresholds.stage_max_days; did you mean 'pilot'?",
        ),
    ],
)
def test_unknown_policy_key_is_r003_at_its_line(
    tmp_path: Path, policy: str, line: int, column: int, message: str
) -> None:
    found = validate(tmp_path, passing("poc"), policy=policy)
    assert _policy_findings(found) == [("policy.yaml", "R003", line, column, None)]
    assert found[0].message == message
    assert found[0].severity is Severity.ERROR


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("{G999: off}", "rules.G999: unknown rule code or prefix 'G999'"),
        ("{X: off}", "rules.X: unknown rule code or prefix 'X'"),
        ("{R003: warning}", "rules.R003: record rules are always errors; 'R003' cannot be changed"),
        ("{R: off}", "rules.R: record rules are always errors; 'R' cannot be changed"),
    ],
)
def test_unknown_code_or_softened_record_rule_is_r004(
    tmp_path: Path, rules: str, message: str
) -> None:
    found = validate(tmp_path, passing("poc"), policy=f"rules: {rules}\n")
    assert _policy_findings(found) == [("policy.yaml", "R004", 1, 9, None)]
    assert found[0].message == message


def test_unknown_code_points_at_its_own_line(tmp_path: Path) -> None:
    policy = "# Portfolio policy\nrules:\n  S010: warning\n  G999: off\n"
    found = validate(tmp_path, passing("poc"), policy=policy)
    assert _policy_findings(found) == [("policy.yaml", "R004", 4, 3, None)]


@pytest.mark.parametrize(
    ("policy", "line", "column"),
    [
        ("rules: {G: warn}\n", 1, 9),
        ("thresholds:\n  min_samples: many\n", 2, 3),
        ("thresholds:\n  similarity: 1.5\n", 2, 3),
        ("failure_modes: [Vendor Lock-in]\n", 1, 17),
    ],
)
def test_invalid_policy_values_are_r004_at_their_key(
    tmp_path: Path, policy: str, line: int, column: int
) -> None:
    found = validate(tmp_path, passing("poc"), policy=policy)
    assert _policy_findings(found) == [("policy.yaml", "R004", line, column, None)]


def test_a_broken_policy_softens_nothing(tmp_path: Path) -> None:
    # `G: warning` would soften the gates, but the file also tries to soften R003:
    # the whole policy is rejected and the defaults apply.
    found = validate(tmp_path, failing_pilot(), policy="rules: {G: warning, R003: warning}\n")
    assert severities(found) == [
        ("G201", "error"),
        ("G202", "error"),
        ("G204", "error"),
        ("R004", "error"),
    ]


@pytest.mark.parametrize("policy", ["", "# nothing decided yet\n"])
def test_an_empty_policy_file_means_the_defaults(tmp_path: Path, policy: str) -> None:
    assert severities(validate(tmp_path, failing_pilot(), policy=policy)) == [
        ("G201", "error"),
        ("G202", "error"),
        ("G204", "error"),
    ]


# --- waivers ----------------------------------------------------------------------------


def _waive(draft: Draft, rule: str, expires: dt.date = AS_OF + dt.timedelta(days=30)) -> Draft:
    return draft.item(
        "waivers",
        rule,
        f"{{rule: {rule}, reason: Internal users only, approved_by: CTO, expires: {expires}}}",
    )


def _by_project(found: list[Finding]) -> list[tuple[str | None, str]]:
    return sorted((f.project, f.rule) for f in found)


def test_a_waiver_removes_exactly_its_rule_for_that_record_only(tmp_path: Path) -> None:
    waived = _waive(failing_pilot("invoice-matching"), "G204")
    other = failing_pilot("invoice-coding")
    other.set("title", "Invoice coding").set(
        "problem", "Clerks spend a week a month coding receipts to cost centres."
    )
    assert _by_project(validate(tmp_path, waived, other)) == [
        ("invoice-coding", "G201"),
        ("invoice-coding", "G202"),
        ("invoice-coding", "G204"),
        ("invoice-matching", "G201"),
        ("invoice-matching", "G202"),
    ]


def test_an_expired_waiver_does_not_remove_its_rule(tmp_path: Path) -> None:
    draft = _waive(failing_pilot(), "G204", days_ago(1))
    assert codes(validate(tmp_path, draft)) == ["G201", "G202", "G204", "S015"]


def test_a_waiver_outlasts_a_policy_severity(tmp_path: Path) -> None:
    draft = _waive(failing_pilot(), "G201")
    found = validate(tmp_path, draft, policy="rules: {G201: error, G: warning}\n")
    assert severities(found) == [("G202", "warning"), ("G204", "warning")]


def test_a_signal_can_be_waived(tmp_path: Path) -> None:
    draft = passing("pilot", entered=days_ago(30))
    draft.item(
        "evidence", "usage", f"{{kind: adoption, date: {days_ago(1)}, users: 5, daily_active: 4}}"
    )
    assert codes(validate(tmp_path / "plain", draft)) == ["S011"]
    assert validate(tmp_path / "waived", _waive(draft, "S011")) == []


def test_a_similarity_waiver_silences_only_its_record(tmp_path: Path) -> None:
    title = "Supplier invoice matching"
    a = _waive(passing("poc", project_id="invoice-matching", title=title), "S016")
    b = passing("poc", project_id="invoice-matching-2", title=title)
    assert _by_project(validate(tmp_path, a, b)) == [("invoice-matching-2", "S016")]


def test_a_record_rule_cannot_be_waived(tmp_path: Path) -> None:
    draft = _waive(passing("poc"), "R014")
    early = draft.entries["discovery"] - dt.timedelta(days=1)
    draft.item("checks", "early", check_item("x-kickoff", early))
    assert codes(validate(tmp_path, draft)) == ["R014", "S015"]
