"""Run every rule over a loaded registry and classify what they find.

Per-record work (`check_entry`) is independent for each file, so large
registries can spread it over processes; cross-record rules then run once
on small `Ref` summaries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter

from ..core.findings import Finding, Hit, Severity, count
from ..core.policy import Policy
from ..core.record_log import waived_rules
from ..core.similarity import vocabulary
from ..load.registry import Entry, Registry, collector_paused
from .rules import PORTFOLIO_CHECKS, RECORD_CHECKS, Context, Ref

_ORDER = attrgetter("file", "line", "column", "rule")  # the fields Finding compares


@dataclass(slots=True)
class Summary:
    """Every finding, sorted by file and line, and what was checked: what `validate` prints."""

    as_of: dt.date
    records: int
    files: frozenset[str]
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Return the number of errors."""
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        """Return the number of warnings."""
        return count(self.findings, Severity.WARNING)


@dataclass(slots=True)
class Report(Summary):
    """A summary with the registry it judged: everything the site is built from."""

    registry: Registry = field(kw_only=True)


def _classify(
    hits: Iterable[Hit], where: Entry | Ref, waived: frozenset[str], policy: Policy
) -> list[Finding]:
    locate = where.source.locate if isinstance(where, Entry) else where.locate
    out = []
    for hit in hits:
        severity = policy.severity(hit.rule)
        if severity is Severity.OFF or hit.rule in waived:
            continue
        line, column = locate(hit.path)
        out.append(Finding(where.file, line, column, hit.rule, hit.message, severity, where.raw_id))
    return out


def problems_of(entry: Entry, project: str | None) -> list[Finding]:
    """Return an entry's loading problems as error findings."""
    return [
        Finding(entry.file, p.line, p.column, p.rule, p.message, Severity.ERROR, project)
        for p in entry.problems
    ]


def check_entry(
    entry: Entry, policy: Policy, as_of: dt.date, last_change: dt.date | None
) -> tuple[list[Finding], Ref]:
    """Return one file's findings (loading problems and record rules) and its summary."""
    ref = summarise_entry(entry, policy, as_of)
    return entry_findings(entry, policy, as_of, last_change, ref.waived), ref


def summarise_entry(entry: Entry, policy: Policy, as_of: dt.date) -> Ref:
    """Return what the cross-record rules need of one file, with the rules it waives."""
    waived = waived_rules(entry.record, as_of) if entry.record else frozenset()
    return Ref.of(entry, waived, vocabulary(policy.synonyms))


def entry_findings(
    entry: Entry,
    policy: Policy,
    as_of: dt.date,
    last_change: dt.date | None,
    waived: frozenset[str],
) -> list[Finding]:
    """Return one file's loading problems and what the record rules find in it."""
    findings = problems_of(entry, entry.raw_id)
    if entry.record is not None:
        ctx = Context(entry.record, entry, policy, as_of, last_change)
        hits = chain.from_iterable(rule(ctx) for rule in RECORD_CHECKS)  # in rule order
        findings += _classify(hits, entry, waived, policy)
    return findings


def check_portfolio(refs: Sequence[Ref], policy: Policy) -> list[Finding]:
    """Run the cross-record rules on every file's summary."""
    findings: list[Finding] = []
    for rule in PORTFOLIO_CHECKS:
        for ref, hit in rule(refs, policy):
            findings += _classify([hit], ref, ref.waived, policy)
    return findings


def check(
    registry: Registry,
    as_of: dt.date,
    last_changes: Mapping[str, dt.date] | None = None,
) -> Report:
    """Run every rule on a loaded registry as of a date and return the sorted report.

    Args:
        registry: the loaded registry.
        as_of: the date time-based rules judge against.
        last_changes: file -> date of its last commit, when known (git).
    """
    changes = last_changes or {}
    findings: list[Finding] = []
    refs = []
    with collector_paused():  # as while loading: findings pile up, in no cycles
        for entry in registry.entries:
            found, ref = check_entry(entry, registry.policy, as_of, changes.get(entry.file))
            findings += found
            refs.append(ref)
        summary = assemble(as_of, findings, refs, registry.policy_entry, registry.policy)
    return Report(
        summary.as_of, summary.records, summary.files, summary.findings, registry=registry
    )


def assemble(
    as_of: dt.date,
    findings: list[Finding],
    refs: Sequence[Ref],
    policy_entry: Entry | None,
    policy: Policy,
) -> Summary:
    """Add policy problems and cross-record findings, sort, and wrap in a Summary."""
    return summarise(as_of, findings + check_portfolio(refs, policy), refs, policy_entry)


def summarise(
    as_of: dt.date, findings: list[Finding], refs: Sequence[Ref], policy_entry: Entry | None
) -> Summary:
    """Add the policy file's problems to every other finding, sort, and wrap in a Summary.

    Findings at one place keep their order (the sort is stable): each file's own first,
    as its rules found them, then the cross-record ones.
    """
    files = {ref.file for ref in refs}
    findings = list(findings)
    if policy_entry is not None:
        findings += problems_of(policy_entry, None)
        files.add(policy_entry.file)
    findings.sort(key=_ORDER)  # Finding's own order, each key built once, not per comparison
    return Summary(as_of, len(refs), frozenset(files), findings)
