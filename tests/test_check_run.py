"""check.run: `validate` in worker processes finds exactly what `run_checks` finds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import record_text

from generator.check import Report, Summary, run_checks, validate
from generator.check import run as check_run
from generator.check.run import PARALLEL_MIN_FILES

AS_OF = dt.date(2026, 11, 25)


# Workers take batches of files until none is left: each file is checked once, whatever
# the batches and however many workers take them.
@pytest.mark.parametrize(("batch", "jobs"), [(check_run.BATCH, 2), (7, 3), (1000, 2)])
def test_parallel_validate_matches_the_in_process_report(
    batch: int, jobs: int, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_run, "BATCH", batch)  # the forked workers inherit it
    n = PARALLEL_MIN_FILES + 20
    for i in range(n):
        overrides: dict[str, str | None] = {"title": f"Initiative {i}"}
        if i % 7 == 0:
            overrides["status"] = "yes"  # R004 on some records
        if i % 11 == 0:
            overrides["problem"] = "Our chatbot answers questions. It uses an LLM."  # S001
        (registry / "projects" / f"r{i:03d}.yaml").write_text(
            record_text(f"r{i:03d}", **overrides), encoding="utf-8"
        )
    # a duplicate id across files, found by a cross-record rule after the workers finish
    (registry / "projects" / "zz.yaml").write_text(record_text("r001"), encoding="utf-8")
    parallel = validate(registry, AS_OF, jobs=jobs, changes={})
    report = run_checks(registry, AS_OF, changes={})
    assert type(parallel) is Summary and isinstance(report, Report)
    assert parallel.findings == report.findings
    assert [f.message for f in parallel.findings] == [f.message for f in report.findings]
    assert (parallel.records, parallel.files) == (report.records, report.files)
    assert {"R004", "R006", "R007", "S001"} <= {f.rule for f in parallel.findings}
    assert len(report.registry.entries) == n + 1
