"""Run every rule over a loaded registry and classify what they find."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .catalog import CATALOG
from .findings import Finding, Hit, Severity, count
from .loading import Entry, Registry
from .policy import Policy
from .rules import PORTFOLIO_CHECKS, RECORD_CHECKS, Context


@dataclass(slots=True)
class Report:
    """The registry together with every finding, sorted by file and line."""

    registry: Registry
    as_of: dt.date
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Return the number of errors."""
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        """Return the number of warnings."""
        return count(self.findings, Severity.WARNING)

    def for_entry(self, entry: Entry) -> list[Finding]:
        """Return the findings of one file."""
        return [f for f in self.findings if f.file == entry.file]


def active_waivers(entry: Entry, as_of: dt.date) -> set[str]:
    """Return the codes a record has validly waived as of a date."""
    if entry.record is None:
        return set()
    return {
        w.rule
        for w in entry.record.waivers
        if w.expires >= as_of and w.rule in CATALOG and CATALOG[w.rule].waivable
    }


def _locate(entry: Entry, hits: Iterable[Hit], policy: Policy, as_of: dt.date) -> list[Finding]:
    waived = active_waivers(entry, as_of)
    out = []
    for hit in hits:
        severity = policy.severity(hit.rule)
        if severity is Severity.OFF or hit.rule in waived:
            continue
        line, column = entry.source.locate(hit.path)
        out.append(Finding(entry.file, line, column, hit.rule, hit.message, severity, entry.raw_id))
    return out


def _problems(entry: Entry, project: str | None) -> list[Finding]:
    return [
        Finding(entry.file, p.line, p.column, p.rule, p.message, Severity.ERROR, project)
        for p in entry.problems
    ]


def check(
    registry: Registry,
    as_of: dt.date,
    last_changes: Mapping[str, dt.date] | None = None,
) -> Report:
    """Run every rule on `registry` as of a date and return the sorted report.

    Args:
        registry: the loaded registry.
        as_of: the date time-based rules judge against.
        last_changes: file -> date of its last commit, when known (git).
    """
    policy = registry.policy
    findings: list[Finding] = []
    if registry.policy_entry is not None:
        findings += _problems(registry.policy_entry, None)
    for entry in registry.entries:
        findings += _problems(entry, entry.raw_id)
        if entry.record is None:
            continue
        last = (last_changes or {}).get(entry.file)
        ctx = Context(entry.record, entry, policy, as_of, last)
        for rule in RECORD_CHECKS:
            findings += _locate(entry, rule(ctx), policy, as_of)
    for portfolio_rule in PORTFOLIO_CHECKS:
        for entry, hit in portfolio_rule(registry):
            findings += _locate(entry, [hit], policy, as_of)
    findings.sort()
    return Report(registry, as_of, findings)
