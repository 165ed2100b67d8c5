"""Rule families. Each rule is a function returning `Hit`s; the engine locates them.

Add a rule by writing the function in its family's module and listing it here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ...core.findings import Hit
from ...core.policy import Policy
from . import gates, records, signals, similarity
from .context import Context, Ref

RecordCheck = Callable[[Context], Iterable[Hit]]
PortfolioCheck = Callable[[Sequence[Ref], Policy], Iterable[tuple[Ref, Hit]]]

RECORD_CHECKS: tuple[RecordCheck, ...] = (
    records.id_matches_stem,
    records.decision_log,
    records.plausible_dates,
    records.known_failure_modes,
    gates.passed_gates,
    signals.solution_first,
    signals.scope_creep,
    signals.quality_signals,
    signals.sponsorship,
    signals.shadow_ai,
    signals.cost_explosion,
    signals.neglect,
    signals.pilot_clock,
    signals.stalled,
    signals.unexplained_end,
    signals.waiver_validity,
)

PORTFOLIO_CHECKS: tuple[PortfolioCheck, ...] = (
    records.duplicate_ids,
    records.known_references,
    similarity.similar_initiatives,
)

__all__ = ["PORTFOLIO_CHECKS", "RECORD_CHECKS", "Context", "PortfolioCheck", "RecordCheck", "Ref"]
