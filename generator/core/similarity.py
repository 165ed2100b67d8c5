"""How alike two initiatives are: one text and one measure for every place that asks.

An initiative is compared on its title, problem, use cases and tags. The text is cut into
word stems, with the abbreviations and synonyms of `vocabulary` (a built-in domain list
the policy extends) rewritten to one spelling first, so "our AP team reconciles vendor
bills" reads as "accounts payable ... match supplier invoice". Two TF-IDF vectors
describe a text: one over its stems, one over the character 4-grams of its stems (which
forgives what the stemmer misses: "invoicing", "invoiced"). The similarity is
`WORD_WEIGHT` times the cosine of the first plus the rest times the cosine of the second,
from 0 to 1. S016, the project pages' "similar initiatives", `portfolio diff` (what an
added record resembles, `diff/resembles.py`), `portfolio similar` and the site's look-up
box (`site_theme`'s `similar.js`, which repeats these steps in the browser) all use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

import numpy as np

from .model import Record
from .names import skeleton
from .similarity_pairs import Counts, Floats, Ints, Sparse, in_two_processes
from .similarity_terms import DOMAIN_SYNONYMS, STOP_WORDS

WORD_WEIGHT = 0.7
# How alike two initiatives must be for a project page or `portfolio diff` to show the pair
# (S016's finding has its own, higher threshold in the policy).
SHOWN = 0.3
GRAM = 4
_WORD = re.compile(r"[^\W\d_]+")
SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "ed", "ly", "s")


def stem(word: str) -> str:
    """Return a crude stem: one common English suffix off, then a final 'e'."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Stems to rewrite before comparing (stem -> its replacement stems), and stop words.

    `memo` remembers the terms of each word already cut: a registry repeats its words.
    """

    synonyms: Mapping[str, tuple[str, ...]]
    stop: frozenset[str]
    memo: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def cut(self, word: str) -> tuple[str, ...]:
        """Return the terms one word stands for: none for a stop word."""
        if word in self.stop:
            return ()
        root = stem(word)
        meant = self.synonyms.get(root, (root,))
        return tuple(t for t in meant if len(t) > 1 and t not in self.stop)


def vocabulary(extra: Mapping[str, str] | None = None) -> Vocabulary:
    """Return the built-in synonyms with the policy's own added (they win on a clash).

    One vocabulary per table is kept, so its memo of the words already cut serves every
    text of a run: each record's, in whichever process checks the record.
    """
    key = tuple((extra or {}).items())
    found = _vocabularies.get(key)
    if found is None:
        if len(_vocabularies) >= 8:
            _vocabularies.clear()
        found = _vocabularies[key] = _vocabulary(extra)
    return found


_vocabularies: dict[tuple[tuple[str, str], ...], Vocabulary] = {}


def _vocabulary(extra: Mapping[str, str] | None) -> Vocabulary:
    table = {**DOMAIN_SYNONYMS, **(extra or {})}
    synonyms: dict[str, tuple[str, ...]] = {}
    for word, meaning in table.items():
        key = _words(word)
        if len(key) == 1:
            synonyms[stem(key[0])] = tuple(stem(w) for w in _words(meaning))
    return Vocabulary(synonyms, STOP_WORDS)


def _words(text: str) -> list[str]:
    """Return the words of a text, folded as names are (a look-alike copy compares as the
    original). Marks are dropped too, so a vowel sign never splits a word; `_WORD`'s
    letters are Unicode's L, Nl and No, which the browser's look-up can name."""
    folded = skeleton(text)
    if folded.isascii():  # the usual text: its letters are A-Z and a-z, all else parts words
        return folded.encode("ascii").translate(_ASCII_LETTERS).decode("ascii").split()
    folded = "".join(c for c in folded if not unicodedata.category(c).startswith("M"))
    return _WORD.findall(folded)


# Every byte that is not an ASCII letter as a space (three string methods in C are a third
# of the time `_WORD` takes to match the same text).
_ASCII_LETTERS = bytes(c if chr(c).isascii() and chr(c).isalpha() else 32 for c in range(256))


@lru_cache(maxsize=1)
def case_folds() -> dict[str, str]:
    """Return the characters whose case-folding differs from their lower case (for the
    browser, which only lowers case): "ß" folds to "ss", final "ς" to "σ". Cased letters
    all lie in Unicode's first two planes; the later ones hold ideographs and private use."""
    found = {}
    for code in range(0x20000):
        if not 0xD800 <= code <= 0xDFFF:
            c = chr(code)
            if c.casefold() != c.lower():
                found[c] = c.casefold()
    return found


def terms(text: str, vocab: Vocabulary) -> list[str]:
    """Return the stems a text is compared on, synonyms rewritten, stop words left out."""
    out: list[str] = []
    memo = vocab.memo
    for word in _words(text):
        found = memo.get(word)
        if found is None:
            found = memo[word] = vocab.cut(word)
        out.extend(found)
    return out


@lru_cache(maxsize=1 << 16)
def _stem_grams(s: str) -> tuple[str, ...]:
    padded = f" {s} "
    return tuple(padded[i : i + GRAM] for i in range(max(1, len(padded) - GRAM + 1)))


def grams(stems: Counter[str]) -> Counter[str]:
    """Return the character 4-grams of every stem (padded with a space either side), counted."""
    return Counter(chain.from_iterable(map(_stem_grams, stems.elements())))


def similarity_text(
    title: str, problem: str, use_cases: Sequence[str] = (), tags: Sequence[str] = ()
) -> str:
    """Return the text an initiative is compared on: title, problem, use cases and tags."""
    return " ".join((title, problem, *use_cases, *(t.replace("-", " ") for t in tags)))


def compared_text(record: Record) -> str:
    """Return the text a record is compared on."""
    return similarity_text(record.title, record.problem, record.use_cases, record.tags)


def stems_of(text: str, vocab: Vocabulary) -> dict[str, int]:
    """Return the stems a text is compared on, counted (a plain dict: S016 has them cut in
    `validate`'s worker processes, and a Counter unpickles ten times slower)."""
    return dict(Counter(terms(text, vocab)))


class Index:
    """The TF-IDF vectors of a set of initiatives' texts, ready to compare."""

    def __init__(self, texts: Sequence[str], vocab: Vocabulary) -> None:
        """Cut each text into stems and grams and weigh them over the whole set."""
        self._weigh([Counter(terms(t, vocab)) for t in texts], vocab)

    @classmethod
    def of_stems(cls, stems: Sequence[Mapping[str, int]], vocab: Vocabulary) -> Index:
        """Return the index of texts already cut into stems (`stems_of`)."""
        index = cls.__new__(cls)
        index._weigh([Counter(s) for s in stems], vocab)
        return index

    def _weigh(self, stems: Sequence[Counter[str]], vocab: Vocabulary) -> None:
        self.vocab = vocab
        words = Counts.of(stems)
        self.words = Sparse.of_counts(words)
        self.chars = Sparse.of_counts(words.parts(_stem_grams))  # = weighed(map(grams, stems))

    def __len__(self) -> int:
        return self.words.n

    def pairs(self, threshold: float) -> Iterator[tuple[int, int, float]]:
        """Yield (i, j, score) with i < j for texts at least `threshold` alike."""
        left, right, scores = self.pair_arrays(threshold)
        yield from zip(left.tolist(), right.tolist(), scores.tolist(), strict=True)

    def pair_arrays(self, threshold: float) -> tuple[Ints, Ints, Floats]:
        """Return (i, j, score) arrays, ascending by (i, j) with i < j, of the texts at least
        `threshold` alike; as arrays, since a registry of look-alike records has millions.

        Candidates share a stem that few texts use (an inverted index, near-linear on
        large registries); a pair sharing no stem scores at most 1 - WORD_WEIGHT.
        """
        n = self.words.n
        common = max(50, n // 20)
        words, chars = self.words.merged(), self.chars.merged()  # the same products
        keys, rare = words.rare_products(common)
        left, right = keys // max(n, 1), keys % max(n, 1)
        alike = rare + words.dense_products(words.df > common, left, right)
        # Even identical letters could not lift the others over the threshold.
        keep = WORD_WEIGHT * alike + (1 - WORD_WEIGHT) >= threshold
        keys, left, right, alike = keys[keep], left[keep], right[keep], alike[keep]
        gather = chars.gathers(len(keys))
        dense = chars.dense_for(common, len(keys), gather)

        def letters_of(lo: int, hi: int) -> Floats:  # keys: ascending, as found
            out = chars.sparse_products(dense, keys[lo:hi])
            out += chars.dense_products(dense, left[lo:hi], right[lo:hi], gather)
            return out

        # The letters of a large registry's candidates are most of the work, and the
        # pairs' products do not depend on each other: half is computed in a second process.
        letters = in_two_processes(letters_of, len(keys))
        scores = np.clip(WORD_WEIGHT * alike + (1 - WORD_WEIGHT) * letters, 0.0, 1.0)
        over = scores >= threshold
        return left[over], right[over], scores[over]

    def query(self, text: str) -> list[tuple[int, float]]:
        """Return (index, score) of every text, best first, against a new text."""
        stems = Counter(terms(text, self.vocab))
        word = self.words.against(stems)
        char = self.chars.against(grams(stems))
        scores = np.clip(WORD_WEIGHT * word + (1 - WORD_WEIGHT) * char, 0.0, 1.0)
        order = np.lexsort((np.arange(len(scores)), -scores))
        return [(int(i), float(scores[i])) for i in order]
