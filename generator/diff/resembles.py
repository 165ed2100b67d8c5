"""New records that resemble others: what a reviewer should read before approving one.

The measure is `core.similarity`'s, the one S016 and the project pages use. S016 warns at
the policy's threshold; the diff shows the closest records from the lower `SHOWN` up, so a
reviewer sees a killed near-miss that S016 stays quiet about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..core.policy import Policy
from ..core.similarity import SHOWN, Index, compared_text, vocabulary
from ..load.registry import Entry

RESEMBLES = 3  # records named per added record


@dataclass(frozen=True, slots=True)
class Resembles:
    """A record an added one resembles."""

    id: str
    title: str
    status: str
    score: float


def resemblances(
    policy: Policy, after: Mapping[str, Entry], added: frozenset[str]
) -> dict[str, tuple[Resembles, ...]]:
    """Return, per added record, the `RESEMBLES` closest others at least `SHOWN` alike."""
    readable = [(e, e.record) for e in after.values() if e.record is not None]
    if not any(e.raw_id in added for e, _ in readable):
        return {}
    index = Index([compared_text(r) for _, r in readable], vocabulary(policy.synonyms))
    out = {}
    for i, (entry, record) in enumerate(readable):
        if entry.raw_id not in added:
            continue
        near = [(j, s) for j, s in index.query(compared_text(record)) if j != i][:RESEMBLES]
        out[entry.raw_id] = tuple(
            Resembles(readable[j][0].raw_id, readable[j][1].title, readable[j][1].status,
                      round(score, 4))
            for j, score in near if score >= SHOWN
        )  # fmt: skip
    return out
