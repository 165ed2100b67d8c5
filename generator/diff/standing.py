"""Which errors a change answers for, and which it only finds standing.

A pull request answers for the errors it introduces and for every error left in a
record it adds or edits. An error in a record it does not touch was not caused by it:
usually the calendar moved on (a waiver expired, a pilot ran past its decision day), and
blocking unrelated work on it helps nobody. Those are reported, each marked as due to
the date when the record, judged on the day it last changed, did not have it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..check.engine import check
from ..core.findings import Finding, Severity
from ..load.registry import Registry


@dataclass(frozen=True, slots=True)
class Standing:
    """An error in a record the change does not touch, and whether time alone caused it."""

    finding: Finding
    clean_on: dt.date | None  # the record's last change, when it had no such error then

    @property
    def by_date(self) -> bool:
        """Return whether the error appeared with the date alone."""
        return self.clean_on is not None


def _key(finding: Finding) -> tuple[str, str, str, str]:
    """Return what identifies a finding apart from its position."""
    return finding.file, finding.rule, finding.severity.value, finding.message


def split_errors(
    findings: Iterable[Finding], new: Sequence[Finding], touched: frozenset[str]
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """Return (errors left in touched files, errors in untouched files), new ones excluded.

    Args:
        findings: every finding of the changed registry.
        new: the findings the change introduces (they are judged on their own).
        touched: the files the change adds or edits.
    """
    fresh = {_key(f) for f in new}
    kept: list[Finding] = []
    other: list[Finding] = []
    for finding in findings:
        if finding.severity is not Severity.ERROR or _key(finding) in fresh:
            continue
        (kept if finding.file in touched else other).append(finding)
    return tuple(kept), tuple(other)


def standing(
    errors: Sequence[Finding], registry: Registry, changes: Mapping[str, dt.date]
) -> tuple[Standing, ...]:
    """Mark each error with the day its record last changed, when it was clean that day.

    The registry is checked once per distinct day of last change among these records.
    A rule that was already an error on the record that day (whatever its message, which
    may count days) is not due to the date; nor is any error of a record with no known
    last change (no git history).
    """
    days = sorted({changes[f.file] for f in errors if f.file in changes})
    clean: dict[tuple[str, str], dt.date] = {}
    for day in days:
        wanted = {(f.file, f.rule) for f in errors if changes.get(f.file) == day}
        then = {
            (f.file, f.rule)
            for f in check(registry, day, changes).findings
            if f.severity is Severity.ERROR
        }
        clean.update((key, day) for key in wanted - then)
    return tuple(Standing(f, clean.get((f.file, f.rule))) for f in errors)
