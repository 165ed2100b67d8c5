"""What an initiative costs and delivers a month, and the portfolio's totals.

Cost is the latest actual monthly cost, else the budget's forecast; value is the latest
`outcome` evidence that states a `monthly_value`. Killed and shelved initiatives spend
nothing now: their last figure counts as spend stopped, never as current spend.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from .model import OutcomeEvidence, Record
from .record_log import actual_costs, dated


@dataclass(frozen=True, slots=True)
class Money:
    """One record's monthly cost and value, as of a date."""

    monthly_cost: float | None  # latest actual, else the forecast
    cost_basis: str | None  # "actual" or "forecast"
    cost_date: dt.date | None  # the date of the actual cost
    forecast: float | None  # budget.monthly_forecast
    overrun: float | None  # latest actual / forecast
    monthly_value: float | None  # latest outcome's monthly_value
    value_date: dt.date | None
    value_ratio: float | None  # monthly value / monthly cost
    current: bool  # active: its cost is current spend; else it is spend stopped


@dataclass(frozen=True, slots=True)
class Totals:
    """The portfolio's money: current spend, value where recorded, spend stopped."""

    monthly_spend: float  # active records with a figure
    spend_actual: float  # the part of it that is actual cost
    spend_forecast: float  # the part that is only forecast
    costed: int  # active records with a figure
    uncosted: int  # active records without one
    monthly_value: float  # active records whose outcome states a monthly value
    valued: int
    valued_cost: float  # the monthly cost of those records
    value_ratio: float | None  # monthly_value / valued_cost
    spend_stopped: float  # killed and shelved records' last monthly figure
    stopped: int
    over_forecast: int  # active records whose actual cost is above forecast


def outcomes(record: Record, cutoff: dt.date) -> list[tuple[int, OutcomeEvidence]]:
    """Return the outcome measurements dated on or before `cutoff`, oldest first."""
    return dated(record.evidence, OutcomeEvidence, cutoff)


def latest_value(record: Record, cutoff: dt.date) -> tuple[int, OutcomeEvidence] | None:
    """Return the newest outcome that states a monthly value, or None."""
    found = [(i, e) for i, e in outcomes(record, cutoff) if e.monthly_value is not None]
    return found[-1] if found else None


def record_money(record: Record, as_of: dt.date) -> Money:
    """Return a record's monthly cost, forecast, overrun, value and value ratio."""
    forecast = record.budget.monthly_forecast if record.budget else None
    costs = actual_costs(record, as_of)
    actual = costs[-1][1] if costs else None
    cost = actual.monthly if actual else forecast
    basis = "actual" if actual else ("forecast" if forecast is not None else None)
    found = latest_value(record, as_of)
    value = found[1].monthly_value if found else None
    return Money(
        monthly_cost=cost,
        cost_basis=basis,
        cost_date=actual.date if actual else None,
        forecast=forecast,
        overrun=_ratio(actual.monthly, forecast) if actual and actual.monthly else None,
        monthly_value=value,
        value_date=found[1].date if found else None,
        value_ratio=_ratio(value, cost) if value is not None else None,
        current=record.status == "active",
    )


def totals(figures: Iterable[Money]) -> Totals:
    """Sum records' money: current spend, value where recorded, and spend stopped."""
    figures = list(figures)
    live = [m for m in figures if m.current]
    costed = [m for m in live if m.monthly_cost is not None]
    valued = [m for m in costed if m.monthly_value is not None]
    value = sum(m.monthly_value or 0.0 for m in valued)
    valued_cost = sum(m.monthly_cost or 0.0 for m in valued)
    dead = [m for m in figures if not m.current and m.monthly_cost is not None]
    return Totals(
        monthly_spend=sum(m.monthly_cost or 0.0 for m in costed),
        spend_actual=sum(m.monthly_cost or 0.0 for m in costed if m.cost_basis == "actual"),
        spend_forecast=sum(m.monthly_cost or 0.0 for m in costed if m.cost_basis == "forecast"),
        costed=len(costed),
        uncosted=len(live) - len(costed),
        monthly_value=value,
        valued=len(valued),
        valued_cost=valued_cost,
        value_ratio=_ratio(value, valued_cost) if valued else None,
        spend_stopped=sum(m.monthly_cost or 0.0 for m in dead),
        stopped=len(dead),
        over_forecast=sum(1 for m in live if m.overrun is not None and m.overrun > 1 + 1e-9),
    )


def _ratio(part: float, whole: float | None) -> float | None:
    """Return part / whole, or None when there is no whole or the quotient overflows (a
    forecast of 1e-308 is a valid number, and infinity is no figure to show or export)."""
    if not whole:
        return None
    quotient = part / whole
    return quotient if math.isfinite(quotient) else None
