"""What rules see: a record in context, or a summary of every record for cross-record rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from operator import attrgetter

from ...core.findings import KeyPath
from ...core.model import Record
from ...core.policy import Policy
from ...core.similarity import Vocabulary, compared_text, stems_of
from ...load.registry import Entry

_ENDS = ("kill", "shelve")
_REF_KEYS = ("id", "related", "supersedes", "title", "problem")


@dataclass(frozen=True, slots=True)
class Context:
    """Inputs of every per-record rule."""

    record: Record
    entry: Entry
    policy: Policy
    as_of: dt.date
    last_change: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """A small, picklable summary of one file for cross-record rules."""

    file: str
    raw_id: str
    valid: bool
    title: str = ""
    problem: str = ""
    status: str = ""
    stage: str = ""
    related: tuple[str, ...] = ()
    supersedes: str | None = None
    waived: frozenset[str] = frozenset()
    # The positions cross-record rules point at; a dict, so each lookup is O(1) (a
    # record with 40,000 unknown `related` ids took 86 s when every lookup copied it).
    positions: Mapping[KeyPath, tuple[int, int]] = field(default_factory=dict)
    stems: Mapping[str, int] | None = None  # what the similarity measure reads, counted
    ended_why: str | None = None  # the rationale of the kill or shelve decision

    @classmethod
    def of(cls, entry: Entry, waived: frozenset[str], vocab: Vocabulary) -> Ref:
        """Summarise an entry, keeping the positions cross-record rules point at.

        Its text (title, problem, use cases, tags) is cut into stems for the similarity
        measure here, in the process that loaded it: `validate` does that in parallel.
        """
        table = entry.source.positions
        related = entry.source.data.get("related") if isinstance(entry.source.data, dict) else None
        wanted: list[KeyPath] = [(key,) for key in _REF_KEYS]
        if isinstance(related, list):
            wanted += [("related", i) for i in range(len(related))]
        positions = {path: table[path] for path in wanted if path in table}
        record = entry.record
        if record is None:
            return cls(entry.file, entry.raw_id, False, positions=positions)
        return cls(
            entry.file,
            entry.raw_id,
            True,
            record.title,
            record.problem,
            record.status,
            record.stage,
            tuple(record.related),
            record.supersedes,
            waived,
            positions,
            stems_of(compared_text(record), vocab),
            next((d.rationale for d in reversed(record.decisions) if d.outcome in _ENDS), None),
        )

    def __reduce__(self) -> tuple[type[Ref], tuple[object, ...]]:
        # Pickled as its fields in order, as `Finding` is: each `validate` worker sends
        # thousands, and the parent waits for them before the cross-record rules.
        return (Ref, _REF_FIELDS(self))

    def locate(self, path: KeyPath) -> tuple[int, int]:
        """Return the line and column of the longest known prefix of `path`."""
        for end in range(len(path), 0, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return (1, 1)


_REF_FIELDS = attrgetter(*(f.name for f in fields(Ref)))
