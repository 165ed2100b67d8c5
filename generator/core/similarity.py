"""How alike two initiatives are: one text and one measure for every place that asks.

An initiative is compared on its title, problem, use cases and tags. The text is cut into
word stems, with the abbreviations and synonyms of `vocabulary` (a built-in domain list
the policy extends) rewritten to one spelling first, so "our AP team reconciles vendor
bills" reads as "accounts payable ... match supplier invoice". Two TF-IDF vectors
describe a text: one over its stems, one over the character 4-grams of its stems (which
forgives what the stemmer misses: "invoicing", "invoiced"). The similarity is
`WORD_WEIGHT` times the cosine of the first plus the rest times the cosine of the second,
from 0 to 1. S016, the project pages' "similar initiatives", `portfolio diff` (through
S016's findings), `portfolio similar` and the site's look-up box (`site_theme`'s
`similar.js`, which repeats these steps in the browser) all use it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .model import Record
from .names import skeleton
from .similarity_pairs import Sparse, lookup
from .similarity_terms import DOMAIN_SYNONYMS, STOP_WORDS

WORD_WEIGHT = 0.7
GRAM = 4
_WORD = re.compile(r"[^\W\d_]+")
SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "ed", "ly", "s")

Vector = dict[str, float]


def stem(word: str) -> str:
    """Return a crude stem: one common English suffix off, then a final 'e'."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Stems to rewrite before comparing (stem -> its replacement stems), and stop words."""

    synonyms: Mapping[str, tuple[str, ...]]
    stop: frozenset[str]


def vocabulary(extra: Mapping[str, str] | None = None) -> Vocabulary:
    """Return the built-in synonyms with the policy's own added (they win on a clash)."""
    table = {**DOMAIN_SYNONYMS, **(extra or {})}
    synonyms: dict[str, tuple[str, ...]] = {}
    for word, meaning in table.items():
        key = _words(word)
        if len(key) == 1:
            synonyms[stem(key[0])] = tuple(stem(w) for w in _words(meaning))
    return Vocabulary(synonyms, STOP_WORDS)


def _words(text: str) -> list[str]:
    return _WORD.findall(skeleton(text))  # a look-alike copy compares as the original


def terms(text: str, vocab: Vocabulary) -> list[str]:
    """Return the stems a text is compared on, synonyms rewritten, stop words left out."""
    out: list[str] = []
    for word in _words(text):
        if word in vocab.stop:
            continue
        root = stem(word)
        out.extend(vocab.synonyms.get(root, (root,)))
    return [t for t in out if len(t) > 1 and t not in vocab.stop]


def grams(stems: Iterable[str]) -> Counter[str]:
    """Return the character 4-grams of each stem, padded with a space either side."""
    found: Counter[str] = Counter()
    for s in stems:
        padded = f" {s} "
        found.update(padded[i : i + GRAM] for i in range(max(1, len(padded) - GRAM + 1)))
    return found


def similarity_text(
    title: str, problem: str, use_cases: Sequence[str] = (), tags: Sequence[str] = ()
) -> str:
    """Return the text an initiative is compared on: title, problem, use cases and tags."""
    return " ".join((title, problem, *use_cases, *(t.replace("-", " ") for t in tags)))


def compared_text(record: Record) -> str:
    """Return the text a record is compared on."""
    return similarity_text(record.title, record.problem, record.use_cases, record.tags)


def _weights(counts: Mapping[str, int], idf: Mapping[str, float]) -> Vector:
    """Return the unit-length TF-IDF vector of counted features (sublinear term frequency)."""
    raw = {k: (1 + math.log(n)) * idf.get(k, 0.0) for k, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    return {k: v / norm for k, v in raw.items()} if norm else {}


def _idf(docs: Sequence[Iterable[str]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    n = len(docs)
    return {k: math.log((1 + n) / (1 + d)) + 1 for k, d in df.items()}


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b)


class Index:
    """The TF-IDF vectors of a set of initiatives' texts, ready to compare."""

    def __init__(self, texts: Sequence[str], vocab: Vocabulary) -> None:
        """Cut each text into stems and grams and weigh them over the whole set."""
        self.vocab = vocab
        stems = [Counter(terms(t, vocab)) for t in texts]
        chars = [grams(s.elements()) for s in stems]
        self.word_idf = _idf(stems)
        self.char_idf = _idf(chars)
        self.words = [_weights(s, self.word_idf) for s in stems]
        self.chars = [_weights(c, self.char_idf) for c in chars]

    def __len__(self) -> int:
        return len(self.words)

    def score(self, i: int, j: int) -> float:
        """Return the similarity of texts i and j."""
        word = _dot(self.words[i], self.words[j])
        return _combine(word, _dot(self.chars[i], self.chars[j]))

    def pairs(self, threshold: float) -> Iterator[tuple[int, int, float]]:
        """Yield (i, j, score) with i < j for texts at least `threshold` alike.

        Candidates share a stem that few texts use (an inverted index, near-linear on
        large registries); a pair sharing no stem scores at most 1 - WORD_WEIGHT.
        """
        n, common = len(self.words), max(50, len(self.words) // 20)
        words = Sparse.of(self.words)
        keys, rare = words.rare_products(common)
        left, right = keys // max(n, 1), keys % max(n, 1)
        alike = rare + words.common_products(common, left, right)
        # Even identical letters could not lift the others over the threshold.
        keep = WORD_WEIGHT * alike + (1 - WORD_WEIGHT) >= threshold
        keys, left, right, alike = keys[keep], left[keep], right[keep], alike[keep]
        chars = Sparse.of(self.chars)
        char_keys, char_rare = chars.rare_products(common)
        letters = lookup(char_keys, char_rare, keys) + chars.common_products(common, left, right)
        scores = np.clip(WORD_WEIGHT * alike + (1 - WORD_WEIGHT) * letters, 0.0, 1.0)
        for k in np.flatnonzero(scores >= threshold):
            yield int(left[k]), int(right[k]), float(scores[k])

    def query(self, text: str) -> list[tuple[int, float]]:
        """Return (index, score) of every text, best first, against a new text."""
        stems = Counter(terms(text, self.vocab))
        word = _weights(stems, self.word_idf)
        char = _weights(grams(stems.elements()), self.char_idf)
        scored = [
            (i, _combine(_dot(word, w), _dot(char, c)))
            for i, (w, c) in enumerate(zip(self.words, self.chars, strict=True))
        ]
        return sorted(scored, key=lambda p: (-p[1], p[0]))


def _combine(word: float, char: float) -> float:
    """Return the weighted sum of the two cosines, within [0, 1] despite rounding."""
    return min(1.0, max(0.0, WORD_WEIGHT * word + (1 - WORD_WEIGHT) * char))
