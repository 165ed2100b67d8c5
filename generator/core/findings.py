"""Findings: what a rule reports, where, and how serious it is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from operator import attrgetter

KeyPath = tuple[str | int, ...]  # where in a record: ("evidence", 2, "samples")


class Severity(StrEnum):
    """How a finding counts: errors fail `validate`, warnings only with --strict."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule's raw report: the code, the key path a user must edit, and what to do."""

    rule: str
    path: KeyPath
    message: str


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """A located, classified finding, as printed and rendered."""

    file: str
    line: int
    column: int
    rule: str
    message: str = field(compare=False)
    severity: Severity = field(default=Severity.ERROR, compare=False)
    project: str | None = field(default=None, compare=False)

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        # Pickled as its fields in order: `validate`'s workers send tens of thousands, and
        # the dataclass default (a state set field by field in Python) is twice as slow.
        return (Finding, _FINDING_FIELDS(self))

    def as_dict(self) -> dict[str, object]:
        """Return the public JSON shape of this finding (README, "Command line")."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "project": self.project,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }


_FINDING_FIELDS = attrgetter(*(f.name for f in fields(Finding)))


def failed(findings: Iterable[Finding], strict: bool = False) -> bool:
    """Return whether findings fail a run: any error, or any warning under --strict."""
    bad = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(f.severity in bad for f in findings)


def count(findings: Iterable[Finding], severity: Severity) -> int:
    """Count findings of one severity."""
    return sum(1 for f in findings if f.severity is severity)
