"""Read a record's log: latest checks and evidence as of a date, sponsors, waivers, clocks.

The log is append-only and kept oldest first, so of two entries with the same date the
one written later is the newer: every "latest" question here follows that one rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Protocol, TypeVar

from .catalog import CATALOG
from .findings import KeyPath
from .model import (
    STAGES,
    AdoptionEvidence,
    Check,
    CostEvidence,
    QualityEvidence,
    Record,
    Sponsor,
    Waiver,
)
from .names import skeleton
from .policy import Thresholds
from .stats import Interval, given, mean_interval, wilson

REVIEW_STAGES = ("scale", "optimize")  # where a `review` decision is an outcome


class _Dated(Protocol):
    @property
    def date(self) -> dt.date: ...


T = TypeVar("T", bound=_Dated)


def _in_order(found: list[tuple[int, T]]) -> list[tuple[int, T]]:
    """Sort (index, item) pairs, listed by index, oldest first; same-day entries keep the
    order written (the sort is stable)."""
    found.sort(key=_date_of)
    return found


def _date_of(pair: tuple[int, _Dated]) -> dt.date:
    return pair[1].date


def dated(items: Sequence[object], kind: type[T], cutoff: dt.date) -> list[tuple[int, T]]:
    """Return (index, item) of items of a type dated on or before `cutoff`, oldest first."""
    return [pair for pair in _BY_CLASS.of(items).get(kind, ()) if pair[1].date <= cutoff]


def latest(items: Sequence[object], kind: type[T], cutoff: dt.date) -> tuple[int, T] | None:
    """Return the newest (index, item) of a type on or before `cutoff`, or None."""
    for pair in reversed(_BY_CLASS.of(items).get(kind, ())):
        if pair[1].date <= cutoff:
            return pair
    return None


def latest_check(record: Record, name: str, cutoff: dt.date) -> tuple[int, Check] | None:
    """Return the newest entry of a named check on or before `cutoff`."""
    for pair in reversed(_BY_NAME.of(record.checks).get(name, ())):
        if pair[1].date <= cutoff:
            return pair
    return None


# A record's log, grouped: each kind of evidence, each named check, as (index, entry)
# pairs oldest first. The gate conditions and signals ask one record's log some twenty
# questions of a kind or a name (the newest check before a decision, the evidence of a
# kind so far), and the rules judge one record at a time, so the last list grouped is
# kept, with its length: a record's lists are not changed once it is built.
_Groups = dict[Any, list[tuple[int, Any]]]


class _Grouping:
    """A list's entries grouped by a key, oldest first; the last list grouped is kept."""

    __slots__ = ("key", "last")

    def __init__(self, key: Callable[[Any], object]) -> None:
        self.key = key
        self.last: tuple[Sequence[object], int, _Groups] = ((), 0, {})

    def of(self, items: Sequence[object]) -> _Groups:
        """Return the entries of `items` grouped, each group oldest first."""
        last, size, groups = self.last
        if last is not items or size != len(items):
            groups = {}
            key = self.key
            for i, item in enumerate(items):
                groups.setdefault(key(item), []).append((i, item))
            for pairs in groups.values():
                if len(pairs) > 1:
                    _in_order(pairs)
            self.last = (items, len(items), groups)  # one assignment: never half updated
        return groups


# The evidence kinds are distinct classes, none a subclass of another.
_BY_CLASS = _Grouping(attrgetter("__class__"))
_BY_NAME = _Grouping(attrgetter("name"))


def quality_interval(ev: QualityEvidence) -> Interval:
    """Return the point estimate and 95% interval of one quality measurement."""
    if ev.samples is not None and ev.successes is not None:
        return wilson(ev.successes, ev.samples)
    if ev.value is not None and ev.stdev is not None and ev.samples is not None:
        return mean_interval(ev.value, ev.stdev, ev.samples)
    assert ev.value is not None and ev.ci_low is not None and ev.ci_high is not None
    return given(ev.value, ev.ci_low, ev.ci_high)


def quality_series(record: Record, cutoff: dt.date) -> list[tuple[int, QualityEvidence]]:
    """Return quality evidence for the record's quality metric (all if none set), oldest first."""
    items = dated(record.evidence, QualityEvidence, cutoff)
    target = record.quality_target
    if target is None:
        return items
    return [(i, e) for i, e in items if e.metric.casefold() == target.metric.casefold()]


def meets(value: float, threshold: float, direction: str) -> bool:
    """Return whether a value meets a bar, respecting which direction is better."""
    eps = 1e-9  # 0.85 computed as 17/20 must meet a bar of 0.85
    return value >= threshold - eps if direction == "higher" else value <= threshold + eps


def actual_costs(record: Record, cutoff: dt.date) -> list[tuple[int, CostEvidence]]:
    """Return cost evidence that reports an actual monthly cost, oldest first."""
    return [
        (i, e)
        for i, e in dated(record.evidence, CostEvidence, cutoff)
        if e.actual and e.monthly is not None
    ]


def active_sponsors(record: Record, on: dt.date) -> list[tuple[int, Sponsor]]:
    """Return the sponsors in office on a date."""
    return [
        (i, s)
        for i, s in enumerate(record.sponsors)
        if (s.since is None or s.since <= on) and (s.until is None or s.until > on)
    ]


def distinct_sponsors(record: Record, on: dt.date) -> list[tuple[int, Sponsor]]:
    """Return the sponsors in office on a date, each person once (look-alike names too)."""
    seen: set[str] = set()
    out = []
    for i, sponsor in active_sponsors(record, on):
        key = skeleton(sponsor.name)
        if key not in seen:
            seen.add(key)
            out.append((i, sponsor))
    return out


def waiver_in_force(waiver: Waiver, as_of: dt.date) -> bool:
    """Return whether a waiver switches its rule off on a date: unexpired, of a waivable rule."""
    info = CATALOG.get(waiver.rule)
    return waiver.expires >= as_of and info is not None and info.waivable


def waived_rules(record: Record, as_of: dt.date) -> frozenset[str]:
    """Return the codes a record validly waives on a date."""
    return frozenset(w.rule for w in record.waivers if waiver_in_force(w, as_of))


@dataclass(frozen=True, slots=True)
class PilotWindow:
    """The 1-5-25 clock of a pilot: when it began, its day count, and use measured since."""

    began: dt.date
    decision: int | None  # index of the decision that began it (None: the start date)
    day: int
    due: dt.date
    overdue: bool
    usage: tuple[tuple[int, AdoptionEvidence], ...]  # adoption measured since it began


def pilot_window(record: Record, thresholds: Thresholds, as_of: dt.date) -> PilotWindow:
    """Return the pilot's window as of a date (it restarts at a pivot or resume)."""
    began, index = stage_clock(record)
    usage = tuple(
        (i, e) for i, e in dated(record.evidence, AdoptionEvidence, as_of) if e.date >= began
    )
    day = (as_of - began).days
    limit = thresholds.pilot_decision_days
    return PilotWindow(began, index, day, began + dt.timedelta(days=limit), day > limit, usage)


def stage_clock(record: Record) -> tuple[dt.date, int | None]:
    """Return when the current stage (or its last pivot) began, and that decision's index."""
    for i in range(len(record.decisions) - 1, -1, -1):
        d = record.decisions[i]
        if d.outcome in ("advance", "pivot") and (d.to or record.stage) == record.stage:
            return d.date, i
        if d.outcome == "resume":
            return d.date, i
    return record.started, None


def stage_segments(record: Record, as_of: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Return the (stage, start, end) periods of the decision log; a dead record's end there."""
    segments = []
    stage, start = "discovery", record.started
    for d in record.decisions:
        if d.outcome in ("advance", "pivot") and d.to is not None:
            segments.append((stage, start, d.date))
            stage, start = d.to, d.date
    end = record.decisions[-1].date if record.status != "active" and record.decisions else as_of
    segments.append((stage, start, max(start, end)))
    return segments


def advance_into(record: Record, stage: str) -> tuple[int, dt.date] | None:
    """Return (index, date) of the last advance decision into `stage`."""
    for i in range(len(record.decisions) - 1, -1, -1):
        d = record.decisions[i]
        if d.outcome == "advance" and d.to == stage:
            return i, d.date
    return None


def last_review(record: Record) -> tuple[int, dt.date] | None:
    """Return (index, date) of the latest `review` decision or advance into the stage.

    The quarterly review clock (S017) at scale and optimize runs from it; None when the
    log lacks both (R013 then says the log is incomplete).
    """
    reviewed = [(d.date, i) for i, d in enumerate(record.decisions) if d.outcome == "review"]
    found = advance_into(record, record.stage)
    if found:
        reviewed.append((found[1], found[0]))
    if not reviewed:
        return None
    last, index = max(reviewed)
    return index, last


def newest_date(record: Record) -> dt.date:
    """Return the newest date written anywhere in the record's log."""
    dates = [record.started]
    dates += [d.date for d in record.decisions]
    dates += [c.date for c in record.checks]
    dates += [e.date for e in record.evidence]
    dates += [f.date for f in record.failures if f.date is not None]
    return max(dates)


# --- the gate log replayed (R013) ---------------------------------------------------


def log_problems(record: Record) -> list[tuple[KeyPath, str]]:
    """Replay the gate log: what is wrong with it and where (R013); empty when it holds.

    `by` may be empty without making the log untrustworthy; every other problem means the
    stages it records are not the stages the initiative went through, so the gate rules
    judge no gate of such a log (see `stages_trusted`).
    """
    problems: list[tuple[KeyPath, str]] = []
    stage, status = "discovery", "active"
    previous = None
    for i, d in enumerate(record.decisions):
        here: KeyPath = ("decisions", i)
        if previous is not None and d.date < previous:
            problems.append((here, f"decision dated {d.date} comes after one dated "
                             f"{previous}; keep the log oldest first"))  # fmt: skip
        previous = d.date
        if not d.by:
            problems.append(((*here, "by"), "name who decided: `by` is empty"))
        if d.outcome == "review" and d.rationale is None:
            problems.append(((*here, "rationale"), "a review needs a rationale: write what "
                             "the ROI review found and why it continues"))  # fmt: skip
        if d.from_ is not None and d.from_ != stage:
            where = f"the log has the initiative at {stage} then"
            problems.append(((*here, "from"), f"`from: {d.from_}` but {where}"))
        problem, stage, status = _apply(d.outcome, d.to, stage, status)
        if problem:
            problems.append((here, problem))
    if record.stage != stage:
        problems.append((("stage",), _mismatch("stage", record.stage, stage, record)))
    if record.status != status:
        problems.append((("status",), _mismatch("status", record.status, status, record)))
    return problems


def stages_trusted(record: Record) -> bool:
    """Return whether the gate log's stages can be judged: no R013 but an empty `by` or a
    review without a rationale (neither changes where the initiative stands)."""
    return all(path[-1] in ("by", "rationale") for path, _ in log_problems(record))


def _apply(outcome: str, to: str | None, stage: str, status: str) -> tuple[str, str, str]:
    """Return (problem, stage, status) after one decision."""
    now = STAGES.index(stage)
    if outcome == "review":
        return _review(to, stage, status), stage, status
    if outcome in ("kill", "shelve", "resume"):
        if to is not None:
            return f"a {outcome} decision has no `to`; remove it", stage, status
        if outcome == "resume":
            ok = status == "shelved"
            return ("" if ok else "only a shelved initiative can resume"), stage, "active"
        if status == "killed":
            return f"cannot {outcome} an initiative that was killed", stage, status
        return "", stage, "killed" if outcome == "kill" else "shelved"
    if status != "active":
        return f"cannot {outcome} a {status} initiative; resume it first", stage, status
    if outcome == "pivot":
        target = stage if to is None else to
        if STAGES.index(target) > now:
            return f"a pivot restarts {stage} or an earlier stage, not {target}", stage, status
        return "", target, status
    if to is None:
        return "an advance needs `to`: the next stage", stage, status
    if STAGES.index(to) != now + 1:
        nxt = STAGES[now + 1] if now + 1 < len(STAGES) else None
        why = f"the next stage is {nxt}" if nxt else f"{stage} is the last stage"
        return f"advance from {stage} to {to} skips or reverses a stage; {why}", to, status
    return "", to, status


def _review(to: str | None, stage: str, status: str) -> str:
    """Return what is wrong with a review decision here, if anything."""
    if to is not None:
        return "a review decision has no `to`; remove it (an advance or pivot changes stage)"
    if status != "active":
        return f"cannot review a {status} initiative; resume it first"
    if stage not in REVIEW_STAGES:
        return (
            f"a review is the quarterly kill/continue decision at scale or optimize; at "
            f"{stage}, 'continue as-is' is not an outcome: advance, pivot or kill"
        )
    return ""


def _mismatch(key: str, written: str, derived: str, record: Record) -> str:
    last = (
        f"the last decision ({record.decisions[-1].date})"
        if record.decisions
        else ("an empty decision log")
    )
    return (
        f"{key} is {written}, but {last} leaves it {derived}; "
        f"record the gate decision or set {key}: {derived}"
    )
