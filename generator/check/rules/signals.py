"""Signal rules S001-S015: the early warnings of failure.

Signals judge the present, so they use the as-of date; most watch active
initiatives only, since a killed one has nothing left to warn about.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ...core.catalog import CATALOG
from ...core.findings import Hit
from ...core.model import STAGES, QualityEvidence, ShadowAiEvidence
from ...core.playbook import describe_quality
from ...core.record_log import (
    actual_costs,
    dated,
    distinct_sponsors,
    meets,
    newest_date,
    pilot_window,
    quality_interval,
    quality_series,
    stage_clock,
)
from ...core.timing import deadline
from .context import Context


@dataclass(frozen=True, slots=True)
class _Terms:
    """A policy's technology terms as one expression, and a quicker test that rules it out."""

    pattern: re.Pattern[str]
    heads: tuple[str, ...] | None  # each term's first word in lower case, when all are ASCII

    def search(self, text: str) -> re.Match[str] | None:
        """Return the first term the text names, or None."""
        if self.heads is not None and text.isascii():
            # In ASCII, ignoring case is lowering it: a text holding none of the terms'
            # first words names no term (most problems name none).
            lowered = text.lower()
            if not any(head in lowered for head in self.heads):
                return None
        return self.pattern.search(text)


@lru_cache(maxsize=32)
def _terms(terms: tuple[str, ...]) -> _Terms:
    words = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len)[::-1])
    pattern = re.compile(rf"(?<![\w-])({words})(?!\w)", re.IGNORECASE)
    ascii_only = all(t.isascii() for t in terms)
    return _Terms(pattern, tuple(t.lower().split(" ")[0] for t in terms) if ascii_only else None)


def solution_first(ctx: Context) -> Iterator[Hit]:
    """S001: the problem names a technology instead of a business outcome."""
    if ctx.record.status != "active" or not ctx.policy.technology_terms:
        return
    match = _terms(tuple(ctx.policy.technology_terms)).search(ctx.record.problem)
    if match:
        yield Hit(
            "S001",
            ("problem",),
            f"the problem names a technology ('{match.group(1)}'); "
            "state the business problem and leave the solution open",
        )


def scope_creep(ctx: Context) -> Iterator[Hit]:
    """S002: more than one use case at poc or pilot."""
    record = ctx.record
    if record.status == "active" and record.stage in ("poc", "pilot") and len(record.use_cases) > 1:
        yield Hit(
            "S002",
            ("use_cases",),
            f"{len(record.use_cases)} use cases at {record.stage}; "
            "keep one and park the rest in the backlog",
        )


def quality_signals(ctx: Context) -> Iterator[Hit]:
    """S003 sampling, S004 interval below the bar, S008 drift, on the quality series."""
    record = ctx.record
    if record.status != "active":
        return
    series = quality_series(record, ctx.as_of)
    if not series:
        return
    i, last = series[-1]
    if last.sampling != "random":
        yield Hit(
            "S003",
            ("evidence", i, "sampling"),
            f"latest quality evidence is not randomly sampled ({last.sampling}); "
            "measure on random, unselected samples",
        )
    interval = quality_interval(last)
    target = record.quality_target
    if target is not None and meets(interval.point, target.threshold, target.direction):
        bound = interval.low if target.direction == "higher" else interval.high
        if bound is None or not meets(bound, target.threshold, target.direction):
            yield Hit(
                "S004",
                ("evidence", i),
                f"{describe_quality(last, interval)}: the point "
                f"estimate meets the bar {target.threshold:g} but the 95% interval does "
                "not; measure on more samples",
            )
    yield from _drift(ctx, series)


def _drift(ctx: Context, series: list[tuple[int, QualityEvidence]]) -> Iterator[Hit]:
    t = ctx.policy.thresholds
    direction = ctx.record.quality_target.direction if ctx.record.quality_target else "higher"
    i, last = series[-1]
    now = quality_interval(last).point
    for _, earlier in series[:-1]:
        gap = (last.date - earlier.date).days
        before = quality_interval(earlier).point
        drop = before - now if direction == "higher" else now - before
        if 0 <= gap <= t.drift_window_days and drop >= t.drift_points - 1e-9:
            yield Hit(
                "S008",
                ("evidence", i),
                f"quality fell from {before:.2f} to {now:.2f} "
                f"within {gap} days; look for data drift",
            )
            return


def sponsorship(ctx: Context) -> Iterator[Hit]:
    """S005 fewer than two sponsors from pilot on; S006 none in office."""
    record = ctx.record
    if record.status != "active":
        return
    sponsors = distinct_sponsors(record, ctx.as_of)
    stage = STAGES.index(record.stage)
    if not sponsors and (stage >= 1 or record.sponsors):
        left = [s.name for s in record.sponsors]
        why = f"no sponsor in office ({', '.join(left)})" if left else "no sponsor is named"
        yield Hit("S006", ("sponsors",), f"{why}; find an executive sponsor or shelve it")
    elif len(sponsors) == 1 and stage >= 2:
        yield Hit(
            "S005",
            ("sponsors", sponsors[0][0]),
            f"{sponsors[0][1].name} is the only sponsor at {record.stage}; add a second one",
        )


def shadow_ai(ctx: Context) -> Iterator[Hit]:
    """S007: shadow-AI users grew between the last two measurements."""
    if ctx.record.status != "active":
        return
    series = dated(ctx.record.evidence, ShadowAiEvidence, ctx.as_of)
    if len(series) >= 2 and series[-1][1].users > series[-2][1].users:
        (_, a), (i, b) = series[-2], series[-1]
        yield Hit(
            "S007",
            ("evidence", i),
            f"shadow-AI users grew from {a.users} to {b.users}; "
            "the official tool is not meeting the need",
        )


def cost_explosion(ctx: Context) -> Iterator[Hit]:
    """S009: actual monthly cost at or above the explosion multiple of forecast."""
    record = ctx.record
    forecast = record.budget.monthly_forecast if record.budget else None
    costs = actual_costs(record, ctx.as_of)
    if record.status != "active" or not forecast or not costs:
        return
    i, ev = costs[-1]
    assert ev.monthly is not None
    multiple = ev.monthly / forecast
    if multiple >= ctx.policy.thresholds.cost_explosion - 1e-9:
        yield Hit(
            "S009",
            ("evidence", i),
            f"actual ${ev.monthly:,.0f}/month is {multiple:.1f}× "
            f"the forecast ${forecast:,.0f}; rate-limit, cache or tier models",
        )


def neglect(ctx: Context) -> Iterator[Hit]:
    """S010: nothing changed for too long (last commit, else newest date)."""
    record = ctx.record
    if record.status != "active":
        return
    last = ctx.last_change or newest_date(record)
    idle = (ctx.as_of - last).days
    if idle >= ctx.policy.thresholds.neglect_days:
        source = "last commit" if ctx.last_change else "newest entry"
        yield Hit(
            "S010",
            ("id",),
            f"no change for {idle} days ({source} {last}); review it: advance, pivot or kill",
        )


def pilot_clock(ctx: Context) -> Iterator[Hit]:
    """S011 pilot decision overdue; S012 low daily use after the adoption window."""
    record, t = ctx.record, ctx.policy.thresholds
    if record.status != "active" or record.stage != "pilot":
        return
    window = pilot_window(record, t, ctx.as_of)
    days, began = window.day, window.began
    where = ("decisions", window.decision) if window.decision is not None else ("stage",)
    if window.overdue:
        yield Hit(
            "S011",
            where,
            f"pilot day {days} since {began} and no go/no-go decision: "
            f"{deadline(window.due, ctx.as_of)} under the {t.pilot_decision_days}-day rule; "
            "decide now: advance, pivot or kill",
        )
    if days >= t.pilot_adoption_days:
        usage = window.usage
        active = usage[-1][1].daily_active if usage else None
        if active is None or active < t.pilot_min_daily_active:
            seen = "no daily-use measurement" if active is None else f"{active} daily active users"
            path = ("evidence", usage[-1][0]) if usage else where
            yield Hit(
                "S012",
                path,
                f"{seen} after {days} days of pilot (need "
                f"{t.pilot_min_daily_active}); fix the workflow integration",
            )


def stalled(ctx: Context) -> Iterator[Hit]:
    """S013: time in stage beyond the playbook's upper bound."""
    record = ctx.record
    limit = ctx.policy.thresholds.stage_max_days.for_stage(record.stage)
    if record.status != "active" or limit is None:
        return
    began, index = stage_clock(record)
    days = (ctx.as_of - began).days
    if days > limit:
        where = ("decisions", index) if index is not None else ("stage",)
        yield Hit(
            "S013",
            where,
            f"{days} days at {record.stage} since {began}: the gate decision is "
            f"{deadline(began + dt.timedelta(days=limit), ctx.as_of)}, past the "
            f"{limit}-day bound; advance, pivot or kill",
        )


def unexplained_end(ctx: Context) -> Iterator[Hit]:
    """S014: a killed or shelved initiative must say why and what was learned."""
    record = ctx.record
    if record.status == "active":
        return
    ends = [i for i, d in enumerate(record.decisions) if d.outcome in ("kill", "shelve")]
    if ends and record.decisions[ends[-1]].rationale is None:
        yield Hit(
            "S014",
            ("decisions", ends[-1]),
            f"{record.status} without a rationale; say why, so the next team does not repeat it",
        )
    if not record.learnings:
        yield Hit(
            "S014",
            ("status",),
            f"{record.status} without a learning; write down what this initiative taught",
        )


def waiver_validity(ctx: Context) -> Iterator[Hit]:
    """S015: a waiver expired, or names an unknown or non-waivable rule."""
    for i, waiver in enumerate(ctx.record.waivers):
        info = CATALOG.get(waiver.rule)
        if info is None:
            yield Hit("S015", ("waivers", i, "rule"), f"waiver names unknown rule {waiver.rule}")
        elif not info.waivable:
            yield Hit(
                "S015",
                ("waivers", i, "rule"),
                f"{waiver.rule} is a record rule and cannot be waived; fix the record",
            )
        elif waiver.expires < ctx.as_of:
            yield Hit(
                "S015",
                ("waivers", i, "expires"),
                f"waiver of {waiver.rule} expired: renewal "
                f"{deadline(waiver.expires, ctx.as_of)}; renew it with a reason or fix the finding",
            )
