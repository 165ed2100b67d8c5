"""Rule families. Each rule is a function returning `Hit`s; the engine locates them.

Add a rule by writing the function in its family's module, listing it here with the
codes it reports, and describing each code in `core/catalog.py`. A test fails when a
catalogue code has no rule, or a rule reports a code it does not declare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ...core.findings import Hit
from ...core.policy import Policy
from . import gates, impact, records, signals, similarity
from .context import Context, Ref

RecordCheck = Callable[[Context], Iterable[Hit]]
PortfolioCheck = Callable[[Sequence[Ref], Policy], Iterable[tuple[Ref, Hit]]]

_GATE_CODES = tuple(f"G{n}" for n in (101, 102, 103, 104, 201, 202, 203, 204, 205,
                                        301, 302, 303, 304, 305, 306,
                                        401, 402, 403, 404))  # fmt: skip

# Each rule and the codes it reports.
RECORD_RULES: dict[RecordCheck, tuple[str, ...]] = {
    records.id_matches_stem: ("R006",),
    records.decision_log: ("R013",),
    records.plausible_dates: ("R014",),
    records.known_failure_modes: ("R004",),
    records.starter_text_replaced: ("R004",),
    gates.passed_gates: _GATE_CODES,
    signals.solution_first: ("S001",),
    signals.scope_creep: ("S002",),
    signals.quality_signals: ("S003", "S004", "S008"),
    signals.sponsorship: ("S005", "S006"),
    signals.shadow_ai: ("S007",),
    signals.cost_explosion: ("S009",),
    signals.neglect: ("S010",),
    signals.pilot_clock: ("S011", "S012"),
    signals.stalled: ("S013",),
    signals.unexplained_end: ("S014",),
    signals.waiver_validity: ("S015",),
    impact.quarterly_review: ("S017",),
    impact.value_below_cost: ("S018",),
}
PORTFOLIO_RULES: dict[PortfolioCheck, tuple[str, ...]] = {
    records.duplicate_ids: ("R007",),
    records.known_references: ("R012",),
    similarity.similar_initiatives: ("S016",),
}
# Codes reported before any rule runs, while a file is read and validated (load/), and
# by `portfolio diff` alone (R016).
LOADING_CODES = ("R001", "R002", "R003", "R004", "R005", "R006", "R008", "R009", "R010",
                 "R011", "R015", "R017")  # fmt: skip
DIFF_CODES = ("R016",)

RECORD_CHECKS: tuple[RecordCheck, ...] = tuple(RECORD_RULES)
PORTFOLIO_CHECKS: tuple[PortfolioCheck, ...] = tuple(PORTFOLIO_RULES)

__all__ = [
    "DIFF_CODES",
    "LOADING_CODES",
    "PORTFOLIO_CHECKS",
    "PORTFOLIO_RULES",
    "RECORD_CHECKS",
    "RECORD_RULES",
    "Context",
    "PortfolioCheck",
    "RecordCheck",
    "Ref",
]
