"""Read a CSV or XLSX sheet as numbered rows of cells keyed by their column header."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

Cell = str | dt.date | float | int | None


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its 1-based row number in the sheet and its cells by header."""

    number: int
    cells: dict[str, Cell]


def read_rows(path: Path, sheet: str | None, header_row: int) -> tuple[list[str], list[Row]]:
    """Return the headers and every non-blank row below them."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = _csv_rows(path)
    elif suffix in (".xlsx", ".xlsm"):
        raw = _xlsx_rows(path, sheet)
    else:
        raise UsageError(f"{path}: import reads .csv or .xlsx files")
    headers: list[str] = []
    rows: list[Row] = []
    for number, values in raw:
        if number < header_row:
            continue
        if number == header_row:
            headers = [_header(v) for v in values]
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        cells = {h: values[i] if i < len(values) else None for i, h in enumerate(headers) if h}
        rows.append(Row(number, cells))
    if not headers:
        raise UsageError(f"{path}: no header row at row {header_row}")
    return headers, rows


def _header(value: Cell) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")  # what spreadsheet programs save as "CSV"
    except OSError as err:
        raise UsageError(f"{path}: {err}") from None
    # Rows are numbered as a spreadsheet shows them: a cell with line breaks is one row.
    for number, values in enumerate(csv.reader(text.splitlines(keepends=True)), 1):
        yield number, list(values)


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[Cell]]]:
    import openpyxl  # type: ignore[import-untyped]  # only an XLSX import loads it

    try:
        # data_only: a formula reads as the value the spreadsheet last computed for it.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError) as err:
        raise UsageError(f"{path}: not a readable XLSX workbook ({err})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UsageError(f"{path}: no sheet '{sheet}'; it has {', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        for number, values in enumerate(ws.iter_rows(values_only=True), 1):
            yield number, [_xlsx_cell(v) for v in values]
    finally:
        book.close()


def _xlsx_cell(value: object) -> Cell:
    if isinstance(value, dt.datetime):
        return value.date()
    if value is None or isinstance(value, str | dt.date | float | int):
        return value
    return str(value)
