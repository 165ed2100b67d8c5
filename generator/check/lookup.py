"""`portfolio similar`: the records closest to a problem description, dead ones loudly.

The measure is `core.similarity`, the one S016 and the project pages use.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..core.model import Record
from ..core.similarity import Index, compared_text, vocabulary
from ..load.registry import load_registry

LIMIT = 5


@dataclass(frozen=True, slots=True)
class Match:
    """One record that resembles the query, with why it ended if it did."""

    id: str
    title: str
    score: float
    stage: str
    status: str
    rationale: str | None
    learnings: list[str]


@dataclass(frozen=True, slots=True)
class Lookup:
    """A query and its matches, best first."""

    query: str
    results: list[Match]


def end_rationale(record: Record) -> str | None:
    """Return the rationale of the decision that killed or shelved a record, if any."""
    if record.status == "active":
        return None
    ends = [d for d in record.decisions if d.outcome in ("kill", "shelve")]
    return ends[-1].rationale if ends else None


def find_similar(root: Path, text: str, limit: int = LIMIT) -> Lookup:
    """Return the `limit` readable records closest to `text` that share anything with it."""
    registry = load_registry(root)
    records = [e.record for e in registry.entries if e.record is not None]
    index = Index([compared_text(r) for r in records], vocabulary(registry.policy.synonyms))
    results = []
    for i, score in index.query(text)[:limit]:
        if score <= 0:
            break
        r = records[i]
        results.append(
            Match(r.id, r.title, round(score, 4), r.stage, r.status, end_rationale(r),
                  [item.text for item in r.learnings] if r.status != "active" else [])
        )  # fmt: skip
    return Lookup(text, results)


def as_json(lookup: Lookup) -> str:
    """Return the lookup as strict JSON."""
    return json.dumps(asdict(lookup), ensure_ascii=False, allow_nan=False, indent=2) + "\n"


def as_text(lookup: Lookup) -> str:
    """Return the lookup for a terminal: killed and shelved matches with their lessons."""
    if not lookup.results:
        return "no initiative resembles this; you may be the first\n"
    lines = []
    for m in lookup.results:
        head = f"{m.score:4.0%}  {m.id}  {m.title}  ({m.stage}, {m.status})"
        if m.status == "active":
            lines.append(head)
            continue
        lines.append(f"{head}  {m.status.upper()}: read this before you start")
        lines.append(f"      why it ended: {m.rationale or 'no rationale recorded'}")
        lines.extend(f"      learned: {text}" for text in m.learnings)
    return "\n".join(lines) + "\n"
