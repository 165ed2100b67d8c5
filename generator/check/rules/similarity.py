"""S016: a similar initiative already exists, so its lessons are not lost."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ...core.findings import Hit
from ...core.policy import Policy
from ...core.similarity import similar_pairs, similarity_text
from .context import Ref


def similar_initiatives(refs: Sequence[Ref], policy: Policy) -> Iterator[tuple[Ref, Hit]]:
    """S016: name the similar initiatives of each active record, loudly if they died."""
    threshold = policy.thresholds.similarity
    valid = [r for r in refs if r.valid]
    texts = [similarity_text(r.title, r.problem) for r in valid]
    for i, j, score in similar_pairs(texts, threshold):
        for here, other in ((valid[i], valid[j]), (valid[j], valid[i])):
            if here.status != "active" or other.raw_id in (*here.related, here.supersedes):
                continue
            if other.status == "active":
                message = (
                    f"'{other.raw_id}' ({other.title}) looks like the same initiative "
                    f"({score:.0%} similar); join forces or list it in `related`"
                )
            else:
                message = (
                    f"a similar initiative was {other.status.upper()}: '{other.raw_id}' "
                    f"({other.title}, {score:.0%} similar); read its learnings, then list it "
                    "in `related` or `supersedes`"
                )
            yield here, Hit("S016", ("title",), message)
