"""check.run: `validate` in worker processes finds exactly what `run_checks` finds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import git, record_text

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


def test_parallel_validate_reads_each_files_last_commit(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers load while this process reads git's log, and are sent each file's last
    commit before the record rules: S010 judges neglect on it, as in one process."""
    root = registry.parent
    for i in range(PARALLEL_MIN_FILES + 10):
        (registry / "projects" / f"r{i:03d}.yaml").write_text(
            record_text(f"r{i:03d}", title=f"Initiative {i}"), encoding="utf-8"
        )
    git(root, "init", "-q", "-b", "main", date="2026-01-01T10:00:00")
    git(root, "add", ".", date="2026-01-01T10:00:00")
    git(root, "commit", "-q", "-m", "Add them", date="2026-01-01T10:00:00")
    for i in range(0, 40, 4):  # a few edited since: not neglected
        path = registry / "projects" / f"r{i:03d}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "tags: [edited]\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "Edit some", date="2026-11-20T10:00:00")
    monkeypatch.chdir(root)
    parallel = validate(Path("registry"), AS_OF, jobs=2)
    report = run_checks(Path("registry"), AS_OF)
    assert [(f.file, f.rule, f.message) for f in parallel.findings] == [
        (f.file, f.rule, f.message) for f in report.findings
    ]
    neglected = {f.file for f in parallel.findings if f.rule == "S010"}
    assert "registry/projects/r001.yaml" in neglected
    assert "registry/projects/r000.yaml" not in neglected
    message = next(f.message for f in parallel.findings if f.file.endswith("r001.yaml")
                   and f.rule == "S010")  # fmt: skip
    assert "(last commit 2026-01-01)" in message
