"""A spreadsheet inventory -> record files: `portfolio import` (README, "Adopting the registry").

`sheet` reads CSV and XLSX rows, `mapping` turns one row into a record's fields (or says
why not), `run` decides per row what to write and writes it.
"""

from .run import ImportResult, RowOutcome, import_sheet

__all__ = ["ImportResult", "RowOutcome", "import_sheet"]
