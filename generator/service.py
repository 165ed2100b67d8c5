"""Use cases shared by the CLI and the MkDocs plugin: they can never disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path as FsPath

from .engine import Report, check
from .errors import UsageError
from .findings import Finding, Severity
from .history import last_changes
from .loading import display_path, load_registry


def run_checks(root: FsPath, as_of: dt.date | None = None) -> Report:
    """Load the registry at `root` and run every rule as of a date (default today)."""
    registry = load_registry(root)
    when = as_of or dt.date.today()
    return check(registry, when, last_changes(registry))


def select(report: Report, paths: Sequence[FsPath]) -> list[Finding]:
    """Return the findings of the given files only (all findings when none are given)."""
    if not paths:
        return list(report.findings)
    wanted = {display_path(p) for p in paths}
    known = {e.file for e in report.registry.entries}
    if report.registry.policy_entry is not None:
        known.add(report.registry.policy_entry.file)
    missing = sorted(wanted - known)
    if missing:
        raise UsageError(f"not a record of this registry: {', '.join(missing)}")
    return [f for f in report.findings if f.file in wanted]


def failed(findings: Sequence[Finding], strict: bool) -> bool:
    """Return whether findings fail a run: any error, or any warning under --strict."""
    bad = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(f.severity in bad for f in findings)
