"""Decide for every row what to write (new, unchanged, changed, reported), then write it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..core.fields import error_message
from ..core.model import POLICY_FILE, PROJECTS_DIR, RECORD, STAGES
from ..errors import UsageError
from ..load.paths import write_text
from ..load.registry import display_path
from .mapping import Mapping, nest, read_value
from .sheet import Row, read_rows

MODELINE = "# yaml-language-server: $schema=../record.schema.json\n"
BY = "import"
# Under this policy imported records validate without errors while their gate evidence,
# sponsors and learnings are filled in (README, "Adopting the registry").
IMPORT_POLICY = """\
# Written by `portfolio import`: gate rules, a missing sponsor (S006) and a missing
# learning (S014) are warnings until the imported records are filled in. Delete a line
# to make that rule an error again.
rules: {G: warning, S006: warning, S014: warning}
"""
Progress = Callable[[list[Row]], Iterable[Row]]


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What the import did, or would do, with one row."""

    row: int
    id: str | None
    action: str  # created, updated, unchanged, differs, reported
    file: str | None = None
    reason: str | None = None


@dataclass(slots=True)
class ImportResult:
    """Every row's outcome, and whether the import wrote the policy file."""

    source: str
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    policy_written: str | None = None

    @property
    def reported(self) -> list[RowOutcome]:
        """Return the rows that became no record."""
        return [r for r in self.rows if r.action == "reported"]


class _Dumper(yaml.SafeDumper):
    """Write each date in full where it stands: a record has no anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _identity(rows: Iterable[Row]) -> Iterable[Row]:
    return rows


def import_sheet(
    sheet: Path,
    mapping: Mapping,
    registry: Path,
    *,
    update: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import every row of `sheet` into `registry/projects/` as the mapping says."""
    projects = registry / PROJECTS_DIR
    if not projects.is_dir():
        raise UsageError(f"{display_path(projects)} does not exist; create the registry first")
    columns, rows = read_rows(sheet, mapping.sheet, mapping.header_row)
    result = ImportResult(sheet.name, dry_run)
    seen: set[str] = set()
    for row in (progress or _identity)(rows):
        result.rows.append(_one_row(row, columns, mapping, seen, projects, update, dry_run,
                                    sheet.name, today or dt.date.today()))  # fmt: skip
    policy = registry / POLICY_FILE
    if not policy.exists() and any(r.action in ("created", "updated") for r in result.rows):
        result.policy_written = display_path(policy)
        if not dry_run:
            write_text(policy, IMPORT_POLICY, registry)
    return result


def _one_row(
    row: Row, columns: list[str], mapping: Mapping, seen: set[str], projects: Path,
    update: bool, dry_run: bool, source: str, today: dt.date,
) -> RowOutcome:  # fmt: skip
    record_id, why = read_value(mapping.id, row, columns)
    if why or not isinstance(record_id, str) or not record_id:
        return RowOutcome(row.number, None, "reported", reason=why or "the id columns are blank")
    if record_id in seen:  # a duplicate name: the row number keeps the id stable
        record_id = f"{record_id}-row-{row.number}"
    seen.add(record_id)
    try:
        data = _record_data(row, columns, mapping, record_id, source)
    except ValueError as err:
        return RowOutcome(row.number, record_id, "reported", reason=str(err))
    path = projects / f"{record_id}.yaml"
    file = display_path(path)
    old = _existing(path)
    if old is not None and _comparable(old) == _comparable(data):
        return RowOutcome(row.number, record_id, "unchanged", file)
    if old is not None and not update:
        return RowOutcome(row.number, record_id, "differs", file, "exists; --update overwrites it")
    data["imported"]["date"] = today
    if not dry_run:
        text = MODELINE + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                    width=100, default_flow_style=None)  # fmt: skip
        write_text(path, text, projects.parent)
    return RowOutcome(row.number, record_id, "updated" if old is not None else "created", file)


def _record_data(
    row: Row, columns: list[str], mapping: Mapping, record_id: str, source: str
) -> dict[str, Any]:
    """Return the record's data for a row, valid as a record, or raise ValueError why not."""
    flat: dict[str, Any] = {}
    for name, rule in mapping.fields.items():
        value, why = read_value(rule, row, columns)
        if why:
            raise ValueError(f"{name}: {why}")
        if value not in (None, []):
            lower = name in ("stage", "status") and isinstance(value, str)
            flat[name] = value.casefold() if lower and isinstance(value, str) else value
    data = {"id": record_id, **nest(flat)}
    data.setdefault("status", "active")
    data["decisions"] = list(_implied_decisions(data, source, row.number))
    data["imported"] = {"source": source, "row": row.number, "date": dt.date(2000, 1, 1)}
    try:
        RECORD.validate_python(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "record"
        raise ValueError(f"{where}: {error_message(first)}") from None
    return data


def _implied_decisions(data: dict[str, Any], source: str, row: int) -> Iterator[dict[str, Any]]:
    """Yield the decisions the sheet implies: each stage crossed, then the end, if any."""
    stage, status, day = data.get("stage"), data.get("status"), data.get("started")
    if stage not in STAGES or not isinstance(day, dt.date):
        return  # the record's validation says what is wrong
    why = f"Imported from {source}, row {row}"
    for before, after in pairwise(STAGES[: STAGES.index(stage) + 1]):
        yield {"date": day, "from": before, "to": after, "outcome": "advance", "by": [BY],
               "rationale": f"{why}: the sheet puts it at {stage}"}  # fmt: skip
    if status in ("killed", "shelved"):
        outcome = "kill" if status == "killed" else "shelve"
        yield {"date": day, "from": stage, "outcome": outcome, "by": [BY],
               "rationale": f"{why}: the sheet marks it {status}"}  # fmt: skip


def _existing(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}  # unreadable: differs from anything the sheet says
    return data if isinstance(data, dict) else {}


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    """Return a record's data without the day of its import."""
    imported = data.get("imported")
    if isinstance(imported, dict):
        data = {**data, "imported": {k: v for k, v in imported.items() if k != "date"}}
    return data
