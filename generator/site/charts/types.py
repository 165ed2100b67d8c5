"""The charts' data: plain, hashable values that `select` builds, `spec` words and `draw` draws.

They live here, below all three, so that no charts module needs another's types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

EvidencePoint = tuple[date, float, float | None, float | None]  # date, point, 95% low, high
CostRow = tuple[str, float | None, float | None]  # initiative, latest actual, forecast (USD/month)


@dataclass(frozen=True, slots=True)
class Chart:
    """An inline SVG chart, its text alternative and its numbers (header row first)."""

    svg: str
    alt: str
    table: list[tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class StageCount:
    """How many initiatives reached a stage, are active there, and died there."""

    stage: str
    reached: int
    active: int
    died: int


@dataclass(frozen=True, slots=True)
class ForestRow:
    """One initiative's quality: point estimate, 95% interval and bar."""

    label: str
    point: float
    low: float | None
    high: float | None
    bar: float | None
    direction: str  # "higher" or "lower": which side of the bar is good
    met: bool


@dataclass(frozen=True, slots=True)
class Margin:
    """How far a quality point and its 95% interval sit from the bar, signed so that the
    good side is positive: value − bar where higher is better, bar − value where lower is.
    In relative mode the distances are fractions of the bar."""

    point: float
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One initiative's stages as (stage, start, end) segments, and its status."""

    label: str
    segments: Sequence[tuple[str, date, date]]
    status: str
