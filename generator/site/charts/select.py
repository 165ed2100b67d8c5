"""Portfolio data -> chart inputs -> SVG files. Which chart goes where is decided here."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ...core.model import STAGES, Record
from ...core.record_log import (
    actual_costs,
    meets,
    quality_interval,
    quality_series,
    stage_clock,
    stage_segments,
)
from ..portfolio import Portfolio, quality_view, stage_rows
from . import spec as charts
from .history import Planned, evidence_plan
from .store import ChartStore, Drawing
from .types import Chart, CostRow, EvidencePoint, ForestRow, StageCount, TimelineRow


def portfolio_drawings(portfolio: Portfolio) -> dict[str, Drawing]:
    """Return the portfolio-wide charts to draw, by name: their kind, rows and settings."""
    records = [e.record for e in portfolio.records if e.record is not None]
    counts = tuple(StageCount(c.stage, c.reached, c.active, c.died) for c in stage_rows(portfolio))
    t = portfolio.policy.thresholds
    cost = (tuple(_cost_rows(records, portfolio.as_of)), t.cost_overrun_max, t.cost_explosion)
    return {
        "funnel": Drawing(charts.funnel, (counts,)),
        "status": Drawing(charts.status_by_stage, (tuple(_status_rows(records)),)),
        "time": Drawing(charts.time_in_stage, (tuple(_time_rows(records, portfolio)),)),
        "deaths": Drawing(charts.deaths, (tuple(_death_rows(records)),)),
        "quality": Drawing(charts.quality_forest, (tuple(_forest_rows(records, portfolio.as_of)),)),
        "cost": Drawing(charts.cost_vs_forecast, cost),
        "timeline": Drawing(charts.timeline, (tuple(_timeline_rows(records, portfolio.as_of)),)),
    }


def portfolio_charts(
    portfolio: Portfolio,
    store: ChartStore | None = None,
    drawings: dict[str, Drawing] | None = None,
) -> dict[str, Chart]:
    """Return the portfolio-wide charts by name (kept in, and taken from, the store if any),
    of the `drawings` already planned for the portfolio if given."""
    planned = drawings if drawings is not None else portfolio_drawings(portfolio)
    if store is not None:
        return {name: store.chart(drawing) for name, drawing in planned.items()}
    return {name: _memo(d.draw, *d.args) for name, d in planned.items()}


@lru_cache(maxsize=64)
def _memo(kind: Callable[..., Chart], rows: tuple[Any, ...], *settings: Any) -> Chart:
    """Under `serve`, a rebuild after an edit that leaves a chart's numbers alone (a
    learning, a rationale, a sponsor's role) reuses the chart instead of drawing it again.
    The settings (the policy's cost multiples) are part of the key: a policy edit redraws."""
    return kind(rows, *settings)


# Where each chart is written in the site. The one home of chart paths: the build writes
# the files here and the templates link to them by name (`chart_files.funnel`).
CHART_FILES = {
    "funnel": "charts/funnel.svg",
    "status": "charts/status-by-stage.svg",
    "time": "charts/time-in-stage.svg",
    "deaths": "charts/deaths.svg",
    "quality": "charts/quality.svg",
    "cost": "charts/cost.svg",
    "timeline": "charts/timeline.svg",
}


def record_chart_path(project_id: str) -> str:
    """Return where a record's evidence-history chart is written in the site."""
    return f"charts/projects/{project_id}.svg"


def _status_rows(records: list[Record]) -> list[tuple[str, int, int, int]]:
    tally: Counter[tuple[str, str]] = Counter((r.stage, r.status) for r in records)
    return [(s, tally[(s, "active")], tally[(s, "killed")], tally[(s, "shelved")]) for s in STAGES]


def _time_rows(
    records: list[Record], portfolio: Portfolio
) -> list[tuple[str, str, int, int | None]]:
    bounds = portfolio.policy.thresholds.stage_max_days
    rows: list[tuple[str, str, int, int | None]] = []
    for r in records:
        if r.status == "active":
            began, _ = stage_clock(r)
            rows.append(
                (r.title, r.stage, (portfolio.as_of - began).days, bounds.for_stage(r.stage))
            )
    return rows


def _death_rows(records: list[Record]) -> list[tuple[str, str, int]]:
    tally: Counter[tuple[str, str]] = Counter()
    for r in records:
        if r.status != "active":
            for mode in sorted({f.mode for f in r.failures}) or ["none recorded"]:
                tally[(r.stage, mode)] += 1
    return [(stage, mode, n) for (stage, mode), n in sorted(tally.items())]


def _forest_rows(records: list[Record], as_of: dt.date) -> list[ForestRow]:
    rows = []
    for r in records:
        q = quality_view(r, as_of)
        if q is None or r.status != "active":
            continue
        met = q.bar is not None and meets(q.point, q.bar, q.direction)
        rows.append(ForestRow(r.title, q.point, q.low, q.high, q.bar, q.direction, met))
    return rows


def _cost_rows(records: list[Record], as_of: dt.date) -> list[CostRow]:
    """Every active initiative with a monthly figure: latest actual, forecast, or both."""
    rows = []
    for r in records:
        costs = actual_costs(r, as_of)
        actual = costs[-1][1].monthly if costs else None
        forecast = r.budget.monthly_forecast if r.budget else None
        if r.status == "active" and (actual is not None or forecast is not None):
            rows.append((r.title, actual, forecast))
    return rows


def _timeline_rows(records: list[Record], as_of: dt.date) -> list[TimelineRow]:
    return [TimelineRow(r.title, tuple(stage_segments(r, as_of)), r.status) for r in records]


def record_chart(record: Record, as_of: dt.date) -> Planned | None:
    """Return a record's evidence-history chart, to draw, or None when it would show one point."""
    series: dict[str, list[EvidencePoint]] = {}
    for _, ev in quality_series(record, as_of):
        interval = quality_interval(ev)
        series.setdefault(ev.metric, []).append((ev.date, interval.point, interval.low,
                                                 interval.high))  # fmt: skip
    if max((len(points) for points in series.values()), default=0) < 2:
        return None
    target = record.quality_target
    bar, direction = (target.threshold, target.direction) if target else (None, None)
    return evidence_plan(sorted(series.items()), bar, direction)
