"""Write a small XLSX workbook by hand, formulas with their cached values, as Excel saves them.

openpyxl writes formulas without a cached value (only a spreadsheet program computes
one), so the sample inventory is written here, part by part, with a fixed timestamp in
the zip: the same rows give the same bytes. Run this file to rewrite
tests/data/import/inventory.xlsx from inventory.csv.
"""

# ruff: noqa: E501  (the fixed parts of a workbook are kept as Excel writes them, one line each)
from __future__ import annotations

import csv
import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent / "data" / "import"
EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in)


@dataclass(frozen=True)
class Formula:
    """A formula cell and the value the spreadsheet last computed for it."""

    formula: str
    cached: str | float | dt.date


Cell = str | float | dt.date | Formula | None


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _cell(ref: str, value: Cell) -> str:
    formula = ""
    if isinstance(value, Formula):
        formula, value = f"<f>{escape(value.formula)}</f>", value.cached
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1">{formula}<v>{(value - EPOCH).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}">{formula}<v>{value}</v></c>'
    if formula:
        return f'<c r="{ref}" t="str">{formula}<v>{escape(value)}</v></c>'
    text = escape(value).replace("\n", "&#10;")
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Read me" sheetId="1" r:id="rId1"/><sheet name="Inventory" sheetId="2" r:id="rId2"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
}


def _sheet(rows: list[list[Cell]]) -> str:
    body = "".join(
        f'<row r="{r}">' + "".join(_cell(f"{_col(c)}{r}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, 1)
    )
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
            f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{body}'
            "</sheetData></worksheet>")  # fmt: skip


def write_xlsx(path: Path, rows: list[list[Cell]]) -> None:
    """Write `rows` as the sheet "Inventory" (the second; the first is a note)."""
    parts = {**PARTS, "xl/worksheets/sheet1.xml": _sheet([["Inventory of AI use cases"]]),
             "xl/worksheets/sheet2.xml": _sheet(rows)}  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text)


def sample_rows() -> list[list[Cell]]:
    """Return inventory.csv's rows with some cells as formulas and real dates, as in Excel."""
    with (HERE / "inventory.csv").open(encoding="utf-8", newline="") as f:
        rows: list[list[Cell]] = [list(r) for r in csv.reader(f)]
    rows[1][5] = Formula("DATE(2024,3,15)", dt.date(2024, 3, 15))  # a computed date
    rows[4][3] = Formula('UPPER(LEFT("service client",1))&MID("service client",2,99)',
                         "Service client")  # fmt: skip
    rows[10][1] = Formula('"HR-"&TEXT(5,"000")', "HR-005")
    rows[10][5] = dt.date(2024, 3, 12)  # a date cell, not text
    return rows


if __name__ == "__main__":
    write_xlsx(HERE / "inventory.xlsx", sample_rows())
