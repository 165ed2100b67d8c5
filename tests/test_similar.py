"""`portfolio similar`: the closest records to a problem, killed and shelved ones loudly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import days_ago, passing
from click.testing import Result

KILLED = (
    passing(
    "poc",
    project_id="old-invoice-bot",
    title="Supplier invoice matching",
    problem="Accounts payable clerks match supplier invoices to purchase orders by hand.",
    )
    .item("decisions", "kill", f"{{date: {days_ago(2)}, from: poc, outcome: kill, "
          "by: [Sponsor], rationale: Quality stayed low.}")
    .set("status", "killed")
    .set("learnings", "[Measure on random invoices before the demo.]")
)  # fmt: skip
OTHERS = [
    passing("poc", project_id="dock-scheduling", title="Dock appointment scheduling",
            problem="Trucks queue for three hours at the depot gates every morning.")
    .set("use_cases", "[Book dock slots for carriers]"),
    passing("pilot", project_id="hr-leave-answers", title="Answers on leave policy",
            problem="Human resources answers the same leave questions forty times a week.")
    .set("use_cases", "[Answer leave questions]"),
    passing("discovery", project_id="churn-warning", title="Churn early warning",
            problem="Account managers learn that a customer is leaving only when it cancels.")
    .set("use_cases", "[Flag accounts likely to cancel]"),
]  # fmt: skip
QUERIES = [
    "Our AP team reconciles vendor bills against POs",
    "matching bills from vendors with purchase orders",
    "Reconcile supplier invoices automatically",
]


@pytest.fixture
def filled(registry: Path) -> Path:
    """Write a killed invoice-matching record and three unrelated ones."""
    for draft in [KILLED, *OTHERS]:
        draft.write(registry)
    return registry


@pytest.mark.parametrize("query", QUERIES)
def test_a_paraphrase_finds_the_killed_record_first(
    filled: Path, cli: Callable[..., Result], query: str
) -> None:
    done = cli("similar", query, "--format", "json")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.output)
    assert doc["query"] == query
    first = doc["results"][0]
    assert (first["id"], first["status"], first["stage"]) == ("old-invoice-bot", "killed", "poc")
    assert first["rationale"] == "Quality stayed low."
    assert first["learnings"] and all(isinstance(t, str) for t in first["learnings"])
    assert 0.5 < first["score"] <= 1
    assert all(r["score"] < 0.3 for r in doc["results"][1:])
    assert [r["score"] for r in doc["results"]] == sorted(
        (r["score"] for r in doc["results"]), reverse=True
    )


def test_text_output_says_it_loudly(filled: Path, cli: Callable[..., Result]) -> None:
    done = cli("similar", QUERIES[0])
    lines = done.output.splitlines()
    assert "old-invoice-bot" in lines[0]
    assert "KILLED: read this before you start" in lines[0]
    assert lines[1].strip() == "why it ended: Quality stayed low."
    assert lines[2].strip().startswith("learned: ")


def test_an_unrelated_problem_matches_nothing_closely(
    filled: Path, cli: Callable[..., Result]
) -> None:
    doc = json.loads(cli("similar", "Forecast electricity prices for the smelter",
                         "--format", "json").output)  # fmt: skip
    assert all(r["score"] < 0.3 for r in doc["results"])


def test_limit_and_a_query_with_no_shared_word(filled: Path, cli: Callable[..., Result]) -> None:
    doc = json.loads(cli("similar", QUERIES[0], "--limit", "1", "--format", "json").output)
    assert len(doc["results"]) == 1
    done = cli("similar", "zzzz qqqq")
    assert done.output == "no initiative resembles this; you may be the first\n"
    assert cli("similar", "x", "--limit", "0").exit_code == 2


def test_the_policy_extends_the_synonyms(filled: Path, cli: Callable[..., Result]) -> None:
    query = "three-way match of creditor claims"
    before = json.loads(cli("similar", query, "--format", "json").output)["results"]
    (filled / "policy.yaml").write_text("synonyms: {creditor: supplier, claim: invoice}\n")
    after = json.loads(cli("similar", query, "--format", "json").output)["results"]
    assert after[0]["id"] == "old-invoice-bot"
    assert after[0]["score"] > before[0]["score"] + 0.2


def test_the_site_index_holds_every_record_in_strict_json(filled: Path) -> None:
    from generator.check import run_checks
    from generator.site.portfolio import portfolio_of
    from generator.site.similar_index import export_similar_index

    text = export_similar_index(portfolio_of(run_checks(filled)), [])
    doc = json.loads(text, parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}"))
    by_id = {r["id"]: r for r in doc["records"]}
    assert sorted(by_id) == sorted([KILLED.id, *(d.id for d in OTHERS)])
    killed = by_id["old-invoice-bot"]
    assert (killed["status"], killed["url"]) == ("killed", "projects/old-invoice-bot/")
    assert {"account", "payabl", "match", "invoic"} <= set(killed["terms"])
    assert doc["synonyms"]["vendor"] == ["suppli"]


def test_a_page_lists_its_five_closest_records_ties_in_file_order(registry: Path) -> None:
    """Seven copies of one problem tie; each lists the five others that come first."""
    from generator.check import run_checks
    from generator.site.portfolio import portfolio_of, similar_map

    twins = [f"invoice-matching-{n}" for n in range(7)]
    for name in twins:
        passing("poc", project_id=name).write(registry)
    for draft in OTHERS:
        draft.write(registry)
    portfolio = portfolio_of(run_checks(registry, changes={}))
    listed = similar_map(portfolio)
    assert [other for other, _ in listed["invoice-matching-0"]] == twins[1:6]
    assert [other for other, _ in listed["invoice-matching-3"]] == twins[:3] + twins[4:6]
    assert all(len(listed[name]) == 5 for name in twins)
    assert len({score for name in twins for _, score in listed[name]}) == 1
    assert all(
        other not in twins for name in listed if name not in twins for other, _ in listed[name]
    )
