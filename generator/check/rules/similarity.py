"""S016: a similar initiative already exists, so its lessons are not lost."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ...core.findings import Hit
from ...core.policy import Policy
from ...core.similarity import Index, vocabulary
from .context import Ref


def similar_initiatives(refs: Sequence[Ref], policy: Policy) -> Iterator[tuple[Ref, Hit]]:
    """S016: name the similar initiatives of each active record, loudly if they died."""
    threshold = policy.thresholds.similarity
    valid = [r for r in refs if r.valid]
    index = Index([r.compared for r in valid], vocabulary(policy.synonyms))
    for i, j, score in index.pairs(threshold):
        for here, other in ((valid[i], valid[j]), (valid[j], valid[i])):
            if here.status != "active" or other.raw_id in (*here.related, here.supersedes):
                continue
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
            yield here, Hit("S016", ("title",), message)


def _short(text: str, most: int = 160) -> str:
    """Return a rationale on one line, cut at `most` characters."""
    line = " ".join(text.split())
    return line if len(line) <= most else line[: most - 1] + "…"
