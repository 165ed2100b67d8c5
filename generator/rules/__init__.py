"""Rule families. Each rule is a function returning `Hit`s; the engine locates them.

Add a rule by writing the function in its family's module and listing it here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..findings import Hit
from ..loading import Entry, Registry
from . import records
from .context import Context

RecordCheck = Callable[[Context], Iterable[Hit]]
PortfolioCheck = Callable[[Registry], Iterable[tuple[Entry, Hit]]]

RECORD_CHECKS: tuple[RecordCheck, ...] = (
    records.id_matches_stem,
    records.decision_log,
    records.plausible_dates,
)

PORTFOLIO_CHECKS: tuple[PortfolioCheck, ...] = (
    records.duplicate_ids,
    records.known_references,
)

__all__ = ["PORTFOLIO_CHECKS", "RECORD_CHECKS", "Context", "PortfolioCheck", "RecordCheck"]
