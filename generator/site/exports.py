"""The downloadable exports of the site: the whole registry as JSON and as CSV.

Each export is a function of the portfolio and its record views; adding a format is
one entry in `EXPORTS`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict

from .portfolio import Portfolio
from .viewtypes import RecordView

Export = Callable[[Portfolio, Sequence[RecordView]], str]


def export_json(portfolio: Portfolio, views: Sequence[RecordView]) -> str:
    """Return the whole registry as JSON, each record with its computed fields."""
    by_id = {v.row.id: v for v in views}
    records = []
    for entry in portfolio.records:
        assert entry.record is not None
        data = entry.record.model_dump(mode="json", by_alias=True)
        data["computed"] = _computed(by_id[entry.record.id])
        records.append(data)
    unreadable = [
        {"file": e.file, "findings": [f.as_dict() for f in portfolio.findings_by_file[e.file]]}
        for e in portfolio.unreadable
    ]
    doc = {
        "as_of": portfolio.as_of.isoformat(),
        "records": records,
        "unreadable": unreadable,
        "errors": portfolio.report.errors,
        "warnings": portfolio.report.warnings,
    }
    # Compact: Python's encoder is several times slower with indent (measured at 1,000 records).
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return text + "\n"


def _computed(view: RecordView) -> dict[str, object]:
    """Return the computed fields of one record, as the JSON export names them."""
    row = view.row
    return {
        "health": row.health,
        "errors": row.errors,
        "warnings": row.warnings,
        "days_in_stage": row.days_in_stage,
        "stage_since": row.stage_since,
        "quality": asdict(view.quality) if view.quality else None,
        "next_gate": asdict(view.next_gate) if view.next_gate else None,
        "pilot": asdict(view.pilot) if view.pilot else None,
        "actual_cost": view.actual_cost,
        "findings": [asdict(f) for f in view.findings],
    }


CSV_COLUMNS = ("id", "title", "team", "owner", "stage", "status", "started", "stage_since",
               "days_in_stage", "sponsors", "tags", "health", "errors", "warnings",
               "quality", "quality_low", "quality_high", "quality_bar", "actual_monthly_cost",
               "ended", "file")  # fmt: skip


def _cell(value: object) -> str:
    """Return one CSV cell that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    # A leading = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_values(view: RecordView) -> dict[str, object]:
    """Return the value of every CSV column for one record."""
    r, q = view.row, view.quality
    return {
        "id": r.id, "title": r.title, "team": r.team, "owner": r.owner, "stage": r.stage,
        "status": r.status, "started": r.started, "stage_since": r.stage_since,
        "days_in_stage": r.days_in_stage, "sponsors": r.sponsors, "tags": r.tags,
        "health": r.health, "errors": r.errors, "warnings": r.warnings,
        "quality": q.point if q else None, "quality_low": q.low if q else None,
        "quality_high": q.high if q else None, "quality_bar": q.bar if q else None,
        "actual_monthly_cost": view.actual_cost, "ended": r.ended, "file": r.file,
    }  # fmt: skip


def export_csv(portfolio: Portfolio, views: Sequence[RecordView]) -> str:
    """Return one CSV row per record, safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for view in views:
        values = _csv_values(view)
        writer.writerow([_cell(values[c]) for c in CSV_COLUMNS])
    return out.getvalue()


EXPORTS: dict[str, Export] = {"portfolio.json": export_json, "portfolio.csv": export_csv}
