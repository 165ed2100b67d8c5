"""The committed example registry: valid, and warning exactly where its story says."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.check.engine import Report
from generator.check.run import run_checks
from generator.cli import main
from generator.core.findings import Severity
from generator.core.model import STAGES
from generator.load.registry import Registry

REGISTRY = Path(__file__).resolve().parents[1] / "registry"
AS_OF = dt.date(2026, 11, 25)

# What the portfolio's story implies as of 2026-11-25 (S010 aside: see below).
EXPECTED = {
    # Contracts uploaded to public chat websites: 12 people, then 27.
    ("contract-clause-review", "S007"),
    # A shipper's new invoice layout: fully correct documents fell from 0.94 to 0.87.
    ("customs-doc-extraction", "S008"),
    # 18 of 20 looks like 0.90, but the interval reaches down to 0.70.
    ("customs-tariff-classification", "S004"),
    # The HR pilot is down to one sponsor, past day 25 and barely used.
    ("hr-policy-assistant", "S005"),
    ("hr-policy-assistant", "S011"),
    ("hr-policy-assistant", "S012"),
    # Discovery has run for ten weeks, waiting on data access.
    ("returns-reason-analysis", "S013"),
    # E-commerce starts on parcel questions, unaware that Customer Service's attempt died.
    ("parcel-status-answers", "S016"),
    # Freight audit reached scale on 2026-08-18 and has had no quarterly review since.
    ("carrier-invoice-audit", "S017"),
    # The new shipper layout went to manual entry: value 1,700 USD a month, cost 2,180.
    ("customs-doc-extraction", "S018"),
}
# Outside git, neglect is measured from the newest date written in a record.
NEGLECTED_WITHOUT_GIT = {("returns-reason-analysis", "S010")}


@pytest.fixture(scope="module")
def report() -> Report:
    """Check the registry where it is committed."""
    return run_checks(REGISTRY, AS_OF)


@pytest.fixture(scope="module")
def registry(report: Report) -> Registry:
    """Return the loaded registry."""
    assert report.registry is not None
    return report.registry


def test_every_record_loads(report: Report, registry: Registry) -> None:
    assert report.records == len(registry.entries) == 18
    assert all(entry.record is not None and not entry.problems for entry in registry.entries)
    assert registry.policy_entry is not None and not registry.policy_entry.problems


def test_no_errors(report: Report) -> None:
    assert report.errors == 0
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []


def test_warnings_are_exactly_the_story(report: Report) -> None:
    # S010 uses the date of the last commit touching each file, which moves with the
    # repository's history; it is checked on a copy outside git below.
    found = {(f.project, f.rule) for f in report.findings if f.rule != "S010"}
    assert found == EXPECTED
    assert all(f.severity is Severity.WARNING for f in report.findings)


def test_outside_git_neglect_comes_from_the_records_dates(tmp_path: Path) -> None:
    copy = tmp_path / "registry"
    shutil.copytree(REGISTRY, copy)
    found = run_checks(copy, AS_OF).findings
    assert {(f.project, f.rule) for f in found} == EXPECTED | NEGLECTED_WITHOUT_GIT
    assert {f.severity for f in found} == {Severity.WARNING}


def test_validate_command_agrees(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["validate", "--format", "json", "--as-of", AS_OF.isoformat(), "--registry", str(REGISTRY)],
        env={"GITHUB_STEP_SUMMARY": None},
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["as_of"], doc["records"], doc["errors"]) == (AS_OF.isoformat(), 18, 0)
    pairs = {(f["project"], f["rule"]) for f in doc["findings"] if f["rule"] != "S010"}
    assert pairs == EXPECTED


def test_every_stage_appears(registry: Registry) -> None:
    stages = Counter(entry.record.stage for entry in registry.entries if entry.record)
    assert set(stages) == set(STAGES)


def test_the_graveyard_has_reasons_and_learnings(registry: Registry) -> None:
    ended = [e.record for e in registry.entries if e.record and e.record.status != "active"]
    assert len(ended) >= 4
    for record in ended:
        assert record.learnings, record.id
        last = record.decisions[-1]
        assert last.outcome in ("kill", "shelve") and last.rationale, record.id
    assert {r.status for r in ended} == {"killed", "shelved"}


def test_most_failure_modes_are_hit(registry: Registry) -> None:
    taxonomy = registry.policy.all_failure_modes
    hit = {
        failure.mode
        for entry in registry.entries
        if entry.record
        for failure in entry.record.failures
    }
    assert hit <= set(taxonomy), "every mode used must be in the taxonomy"
    assert "vendor-lock-in" in hit  # the mode the policy file adds
    built_in = set(taxonomy) - set(registry.policy.failure_modes)
    assert len(hit & built_in) >= 0.75 * len(built_in)
