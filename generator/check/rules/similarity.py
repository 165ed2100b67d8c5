"""S016: a similar initiative already exists, so its lessons are not lost.

Similarity is the cosine of the two records' sets of word stems (title and
problem). Candidate pairs come from an inverted index that skips stems used
by many records, so the rule stays near-linear on large registries.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from ...core.findings import Hit
from ...core.policy import Policy
from .context import Ref

_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP = frozenset(
    "the and for with that from their this than into per are was were has have had our "
    "they them who what when which while been being its not but all any can will each "
    "week weeks month months day days hours time work spend spent staff team teams".split()
)
_STEM = 6


def stems(text: str) -> frozenset[str]:
    """Return the crude stems (first letters) of a text's content words."""
    return frozenset(w[:_STEM] for w in _WORD.findall(text.casefold()) if w not in _STOP)


def similar_pairs(
    texts: Sequence[frozenset[str]], threshold: float
) -> Iterator[tuple[int, int, float]]:
    """Yield (i, j, score) with i < j for texts whose cosine similarity >= threshold."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(texts):
        for word in words:
            index[word].append(i)
    common = max(50, len(texts) // 20)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for ids in index.values():
        if len(ids) > common:
            continue
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                shared[(ids[a], ids[b])] += 1
    for (i, j), both in sorted(shared.items()):
        score = both / math.sqrt(len(texts[i]) * len(texts[j]))
        if score >= threshold:
            yield i, j, score


def similar_initiatives(refs: Sequence[Ref], policy: Policy) -> Iterator[tuple[Ref, Hit]]:
    """S016: name the similar initiatives of each active record, loudly if they died."""
    threshold = policy.thresholds.similarity
    valid = [r for r in refs if r.valid]
    texts = [stems(f"{r.title} {r.problem}") for r in valid]
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
