"""How alike two initiatives are: one text and one measure for every place that asks.

Similarity is the cosine of the two records' sets of word stems (title and problem).
Candidate pairs come from an inverted index that skips stems used by many records, so
it stays near-linear on large registries. S016, the project pages' "similar
initiatives" and `portfolio diff` all use `similarity_text` and `similar_pairs`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from .names import skeleton

_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP = frozenset(
    "the and for with that from their this than into per are was were has have had our "
    "they them who what when which while been being its not but all any can will each "
    "week weeks month months day days hours time work spend spent staff team teams".split()
)
_STEM = 6


def stems(text: str) -> frozenset[str]:
    """Return the crude stems (first letters) of a text's content words."""
    words = _WORD.findall(skeleton(text))  # a look-alike copy compares as the original
    return frozenset(w[:_STEM] for w in words if w not in _STOP)


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


def similarity_text(title: str, problem: str) -> frozenset[str]:
    """Return the stems an initiative is compared on: its title and its problem."""
    return stems(f"{title} {problem}")
