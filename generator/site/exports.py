"""The downloadable exports of the site: the whole registry as JSON and as CSV.

Each export is a function of the portfolio and its record views; adding a format is
one entry in `EXPORTS`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict

from ..core.model import RECORD
from ..core.money import totals
from ..load.registry import Entry
from .portfolio import Portfolio
from .similar_index import INDEX_FILE, export_similar_index
from .viewtypes import RecordView

Export = Callable[[Portfolio, Sequence[RecordView]], str | bytes]


def export_json(portfolio: Portfolio, views: Sequence[RecordView]) -> bytes:
    """Return the whole registry as JSON (UTF-8), each record with its computed fields.

    Written one record at a time: the whole registry as Python dicts, or as one `str`
    (two bytes a character once a single dash or arrow is in it), would cost the build
    several times the file's size at its busiest moment (measured at 1,000 records). The
    bytes are those of one `json.dumps` of the document with sorted keys.
    """
    by_id = {v.row.id: v for v in views}

    def record(entry: Entry) -> bytes:
        assert entry.record is not None
        data = RECORD.dump_python(entry.record, mode="json", by_alias=True)
        data["computed"] = _computed(by_id[entry.record.id])
        return _json(data)

    unreadable = [
        {"file": e.file, "findings": [f.as_dict() for f in portfolio.findings_by_file[e.file]]}
        for e in portfolio.unreadable
    ]
    doc: dict[str, object] = {
        "as_of": portfolio.as_of.isoformat(),
        "unreadable": unreadable,
        "errors": portfolio.report.errors,
        "warnings": portfolio.report.warnings,
        # Current spend counts active records only; killed and shelved ones are spend stopped.
        "money": asdict(totals(v.money for v in views)),
    }
    doc["records"] = None  # its place among the sorted keys
    parts = [b"{"]
    for key in sorted(doc):
        parts += [b"," if len(parts) > 1 else b"", _json(key), b":"]
        if key != "records":
            parts.append(_json(doc[key]))
            continue
        parts.append(b"[")
        for n, entry in enumerate(portfolio.records):
            parts += [b"," if n else b"", record(entry)]
        parts.append(b"]")
    parts.append(b"}\n")
    return b"".join(parts)  # one join: no copy of the records' part is made on the way


def _json(value: object) -> bytes:
    """Return a value as compact, strict JSON with sorted keys.

    Compact: Python's encoder is several times slower with indent (measured at 1,000
    records). Strict: no NaN or Infinity, and nothing but a date is turned into a string
    (a view that was not converted to a dict fails here instead of appearing as its repr).
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_date,
                      separators=(",", ":"), allow_nan=False)  # fmt: skip
    return text.encode()


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
        "money": asdict(view.money),
        "outcomes": [asdict(o) for o in view.outcomes],
        "findings": [asdict(f) for f in view.findings],
    }


def _json_date(value: object) -> str:
    """Return a date as ISO text; refuse anything else JSON cannot hold."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


CSV_COLUMNS = ("id", "title", "team", "owner", "stage", "status", "started", "stage_since",
               "days_in_stage", "sponsors", "tags", "health", "errors", "warnings",
               "quality", "quality_low", "quality_high", "quality_bar", "actual_monthly_cost",
               "ended", "file", "monthly_cost", "cost_basis", "monthly_forecast",
               "monthly_value", "value_ratio", "current_monthly_spend",
               "spend_stopped")  # fmt: skip

# Every sequence Python's str.splitlines() ends a line at: CR LF, CR, LF and the rarer
# breaks (VT, FF, FS, GS, RS, NEL, LS, PS) some spreadsheets and tools also split on.
_LINE_BREAK = re.compile("\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


FORMULA_STARTS = ("=", "+", "-", "@")


def _cell(value: object) -> str:
    """Return one CSV cell: a single line that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a figure we computed: "-3" is a number, never a formula
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = _LINE_BREAK.sub(" ", str(value))
    # A leading = + - @ would run as a formula in a spreadsheet, and so may one after
    # spaces, which some spreadsheets skip on import (a text that began with a line break).
    guard = "'" if text[:1] == "\t" or text.lstrip()[:1] in FORMULA_STARTS else ""
    # A line break inside a cell becomes a space rather than a quoted multi-line cell.
    # Python's csv writer leaves a bare CR unquoted (with our "\n" terminator), and
    # spreadsheets and csv.reader end the row there, so the text after it would open a
    # new row and a new cell, where "=..." runs as a formula. Quoting would fix the
    # row count for CSV readers, but line-based tools (grep, wc -l, naive importers)
    # would still see the text after the break as a line of its own. The pages show
    # record text with its line breaks collapsed too, so nothing is lost that they keep.
    return guard + text


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
        **_money_values(view),
    }  # fmt: skip


def _money_values(view: RecordView) -> dict[str, object]:
    """Return the money columns: the sums of the last two are the portfolio's totals."""
    m = view.money
    return {
        "monthly_cost": m.monthly_cost,
        "cost_basis": m.cost_basis,
        "monthly_forecast": m.forecast,
        "monthly_value": m.monthly_value,
        "value_ratio": m.value_ratio,
        "current_monthly_spend": m.monthly_cost if m.current else None,
        "spend_stopped": None if m.current else m.monthly_cost,
    }


def export_csv(portfolio: Portfolio, views: Sequence[RecordView]) -> str:
    """Return one CSV row per record (one line each), safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for view in views:
        values = _csv_values(view)
        writer.writerow([_cell(values[c]) for c in CSV_COLUMNS])
    return out.getvalue()


EXPORTS: dict[str, Export] = {
    "portfolio.json": export_json,
    "portfolio.csv": export_csv,
    INDEX_FILE: export_similar_index,  # the look-up box's, see similar_index.py
}
