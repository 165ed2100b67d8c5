"""S016: a similar initiative already exists, so its lessons are not lost."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from ...core.findings import Hit
from ...core.policy import Policy
from ...core.similarity import Index, vocabulary
from .context import Ref

# Matches named per record. A record resembling dozens of others (an imported inventory
# of look-alike rows) gets its closest few, and a count of the rest, not dozens of findings.
NAMED = 3


def similar_initiatives(refs: Sequence[Ref], policy: Policy) -> Iterator[tuple[Ref, Hit]]:
    """S016: name the similar initiatives of each active record, loudly if they died.

    Each active record gets one finding per match, the closest first, at most `NAMED`
    (the closest killed or shelved one among them); the last one counts the matches left
    unnamed.
    """
    threshold = policy.thresholds.similarity
    valid = [r for r in refs if r.valid]
    index = Index([r.compared for r in valid], vocabulary(policy.synonyms))
    matches: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for i, j, score in index.pairs(threshold):
        for here, other in ((i, j), (j, i)):
            mine = valid[here]
            if mine.status == "active" and valid[other].raw_id not in (
                *mine.related,
                mine.supersedes,
            ):
                matches[here].append((score, other))
    for here in sorted(matches):
        found = sorted(matches[here], key=lambda m: (-m[0], valid[m[1]].raw_id))
        named = found[:NAMED]
        dead = next((m for m in found if valid[m[1]].status != "active"), None)
        if dead is not None and dead not in named:  # a dead match is always named
            named = [*found[: NAMED - 1], dead]
        for k, (score, other) in enumerate(named):
            more = len(found) - len(named) if k == len(named) - 1 else 0
            yield valid[here], Hit("S016", ("title",), _message(valid[other], score, more))


def _message(other: Ref, score: float, more: int) -> str:
    if other.status == "active":
        message = (
            f"'{other.raw_id}' ({other.title}) looks like the same initiative "
            f"({score:.0%} similar); join forces or list it in `related`"
        )
    else:
        why = f", because: {_short(other.ended_why)}" if other.ended_why else ""
        message = (
            f"a similar initiative was {other.status.upper()}: '{other.raw_id}' "
            f"({other.title}, {score:.0%} similar){why}; read its learnings before "
            "you start, then list it in `related` or `supersedes`"
        )
    if more:
        them = "initiative is" if more == 1 else "initiatives are"
        message += f" ({more} more {them} over the threshold: `portfolio similar` lists them)"
    return message


def _short(text: str, most: int = 160) -> str:
    """Return a rationale on one line, cut at `most` characters."""
    line = " ".join(text.split())
    return line if len(line) <= most else line[: most - 1] + "…"
