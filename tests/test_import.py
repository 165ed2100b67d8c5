"""`portfolio import`: the sample inventory (CSV and XLSX) into records, re-imports, --update."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from xlsx_sample import HERE, sample_rows, write_xlsx

from generator.check import run_checks

MAPPING = HERE / "mapping.yaml"
CREATED = {
    2: "finance-fin-001", 3: "finance-fin-002", 5: "customer-service-cs-01",
    6: "customer-service-cs-02", 7: "logistics-log-7", 11: "hr-hr-005", 12: "legal-lgl-1",
    13: "finance-fin-001-row-13",  # the same agency and id twice: the row keeps it stable
}  # fmt: skip
REPORTED = {
    8: "started: '31/31/2024' is not a date written %m/%d/%Y or %Y-%m-%d",
    9: "the id columns are blank",
    10: "title: Field required",
}


def _import(cli: Callable[..., Result], sheet: Path, *flags: str) -> dict[str, object]:
    done = cli("import", str(sheet), "--mapping", str(MAPPING), "--format", "json", *flags)
    doc = json.loads(done.output)
    assert done.exit_code == (1 if doc["summary"]["reported"] else 0)
    return doc


def _files(registry: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((registry / "projects").iterdir())}


@pytest.mark.parametrize("name", ["inventory.csv", "inventory.xlsx"])
def test_the_sample_inventory_imports_and_validates(
    registry: Path, cli: Callable[..., Result], name: str
) -> None:
    doc = _import(cli, HERE / name)
    rows = {r["row"]: r for r in doc["rows"]}  # type: ignore[union-attr,index]
    assert {n: r["id"] for n, r in rows.items() if r["action"] == "created"} == CREATED
    assert {n: r["reason"] for n, r in rows.items() if r["action"] == "reported"} == REPORTED
    assert doc["summary"] == {"created": 8, "updated": 0, "unchanged": 0, "differs": 0,
                              "reported": 3}  # fmt: skip
    assert (registry / "policy.yaml").is_file()
    report = run_checks(registry)
    assert report.errors == 0, [f.message for f in report.findings if f.severity.value == "error"]
    assert len(report.registry.entries) == 8
    record = yaml.safe_load((registry / "projects" / "finance-fin-002.yaml").read_text())
    assert record["title"] == "VENDOR BILL RECONCILIATION"  # trimmed
    assert (record["stage"], record["status"]) == ("scale", "killed")  # "retired", any case
    assert record["learnings"] == ["Vendors sent bills as phone photos.",
                                   "The OCR could not read half of them."]  # fmt: skip
    assert [d["outcome"] for d in record["decisions"]] == ["advance"] * 3 + ["kill"]
    assert record["imported"]["source"] == name and record["imported"]["row"] == 3
    legal = yaml.safe_load((registry / "projects" / "legal-lgl-1.yaml").read_text("utf-8"))
    assert (legal["title"], legal["team"], legal["status"]) == (
        "契約書レビュー支援",
        "法務部",
        "shelved",
    )
    dock = yaml.safe_load((registry / "projects" / "logistics-log-7.yaml").read_text())
    assert (dock["stage"], dock["team"], dock["tags"]) == ("discovery", "Logistics",
                                                           ["logistics", "scheduling"])  # fmt: skip
    hr = yaml.safe_load((registry / "projects" / "hr-hr-005.yaml").read_text())
    assert hr["problem"] == "Not stated in the source sheet."
    assert str(hr["started"]) == "2024-03-12"


def test_xlsx_formulas_read_as_their_cached_values(
    registry: Path, cli: Callable[..., Result]
) -> None:
    _import(cli, HERE / "inventory.xlsx")
    cs = yaml.safe_load((registry / "projects" / "customer-service-cs-01.yaml").read_text())
    assert cs["team"] == "Service client"  # =UPPER(LEFT(...))&MID(...)
    fin = yaml.safe_load((registry / "projects" / "finance-fin-001.yaml").read_text())
    assert str(fin["started"]) == "2024-03-15"  # =DATE(2024,3,15)
    assert (registry / "projects" / "hr-hr-005.yaml").is_file()  # ="HR-"&TEXT(5,"000")


def test_the_committed_xlsx_is_what_the_writer_makes(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "again.xlsx", sample_rows())
    assert (tmp_path / "again.xlsx").read_bytes() == (HERE / "inventory.xlsx").read_bytes()


def test_a_reimport_changes_nothing(registry: Path, cli: Callable[..., Result]) -> None:
    _import(cli, HERE / "inventory.xlsx")
    before = _files(registry)
    doc = _import(cli, HERE / "inventory.xlsx")
    assert doc["summary"] == {"created": 0, "updated": 0, "unchanged": 8, "differs": 0,
                              "reported": 3}  # fmt: skip
    assert _files(registry) == before


def _edited(tmp_path: Path) -> Path:
    """Return a copy of the CSV with two rows changed: a title and a stage."""
    rows = list(csv.reader(io.StringIO((HERE / "inventory.csv").read_text("utf-8"))))
    rows[1][2] = "Invoice to purchase order matching"
    rows[6][6] = "Pilot"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path / "inventory.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_update_changes_exactly_the_changed_rows(
    registry: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    _import(cli, HERE / "inventory.csv")
    before = _files(registry)
    edited = _edited(tmp_path)
    plain = _import(cli, edited)
    assert [(r["row"], r["action"]) for r in plain["rows"] if r["action"] == "differs"] == [
        (2, "differs"), (7, "differs")]  # type: ignore[index,union-attr]  # fmt: skip
    assert _files(registry) == before  # never overwritten without --update
    dry = cli("import", str(edited), "--mapping", str(MAPPING), "--update", "--dry-run")
    assert "inventory.csv:2: would update" in dry.output
    assert "(dry run: nothing written)" in dry.output
    assert _files(registry) == before
    _import(cli, edited, "--update")
    after = _files(registry)
    assert {n for n in after if after[n] != before[n]} == {"finance-fin-001.yaml",
                                                           "logistics-log-7.yaml"}  # fmt: skip
    dock = yaml.safe_load(after["logistics-log-7.yaml"])
    assert dock["stage"] == "pilot"
    assert run_checks(registry).errors == 0


def test_a_dry_run_writes_nothing(registry: Path, cli: Callable[..., Result]) -> None:
    done = cli("import", str(HERE / "inventory.csv"), "--mapping", str(MAPPING), "--dry-run")
    assert "inventory.csv:2: would create" in done.output
    assert "inventory.csv:8: reported logistics-log-8: started: '31/31/2024'" in done.output
    assert list((registry / "projects").iterdir()) == []
    assert not (registry / "policy.yaml").exists()


def test_a_bad_mapping_is_a_usage_error(
    registry: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    bad = tmp_path / "map.yaml"
    bad.write_text("id: {from: Agency}\nfields: {title: {form: Name}}\n", encoding="utf-8")
    done = cli("import", str(HERE / "inventory.csv"), "--mapping", str(bad))
    assert done.exit_code == 2
    assert "fields.title" in done.output


def test_a_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    """Long imports draw a bar on a terminal; piped output never gets one."""
    project = tmp_path / "p"
    (project / "registry" / "projects").mkdir(parents=True)
    rows = sample_rows()[:2]
    rows += [["Ops", f"OPS-{i}", f"Task {i}", "", "", "", "", "", "", ""] for i in range(150)]
    write_xlsx(project / "big.xlsx", rows)
    command = [str(Path(sys.executable).parent / "portfolio"), "import", "big.xlsx",
               "--mapping", str(MAPPING), "--dry-run"]  # fmt: skip
    piped = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert piped.returncode == 0, piped.stderr
    assert "importing" not in piped.stderr + piped.stdout
    leader, follower = pty.openpty()
    on_tty = subprocess.run(command, cwd=project, stdout=subprocess.PIPE, stderr=follower,
                            check=False, env={**os.environ, "COLUMNS": "80"})  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    drawn = b"".join(chunks).decode("utf-8", "replace")
    assert on_tty.returncode == 0
    assert "importing" in drawn and "100%" in drawn
    assert "importing" not in on_tty.stdout.decode()
    shutil.rmtree(project)
