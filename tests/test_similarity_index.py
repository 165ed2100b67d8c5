"""The similarity index's arrays: built in array operations, equal to counting one by one.

S016, the project pages' similar initiatives and `portfolio similar` all read `Index`; its
letter vectors are built from the stems' counts without counting each document's letter
4-grams in Python, and must be the very vectors that counting gives, bit for bit (a
score a bit off could cross the threshold on one machine and not on another).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.check.rules.similarity import NAMED, _closest_first, _contenders
from generator.core import similarity_pairs
from generator.core.names import skeleton
from generator.core.similarity import (
    _WORD,
    WORD_WEIGHT,
    Index,
    _stem_grams,
    _words,
    grams,
    vocabulary,
)
from generator.core.similarity_pairs import Counts, Sparse, in_two_processes

# Short stems from few letters, so documents share stems and 4-grams, and a stem may hold
# one 4-gram twice ("ababab").
_STEM = st.text(alphabet="abn", min_size=1, max_size=7)
_DOC = st.dictionaries(_STEM, st.integers(min_value=1, max_value=4), max_size=6)


def _same(a: Sparse, b: Sparse) -> None:
    for name in ("rows", "cols", "weights", "df", "starts", "idf"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        assert x.tobytes() == y.tobytes(), name
    assert list(a.ids.items()) == list(b.ids.items())
    assert a.n == b.n


@settings(max_examples=300, deadline=None)
@given(st.lists(_DOC, max_size=8))
def test_parts_are_the_counts_of_each_documents_parts(docs: list[dict[str, int]]) -> None:
    counted = [grams(Counter(doc)) for doc in docs]
    expected = Counts.of(counted)
    found = Counts.of(docs).parts(_stem_grams)
    assert found.rows.tolist() == expected.rows.tolist()
    assert found.cols.tolist() == expected.cols.tolist()
    assert found.counts.tolist() == expected.counts.tolist()
    assert list(found.ids.items()) == list(expected.ids.items())
    assert found.n == expected.n


@settings(max_examples=100, deadline=None)
@given(st.lists(_DOC, max_size=8))
def test_the_letter_vectors_are_those_of_the_counted_4_grams(docs: list[dict[str, int]]) -> None:
    index = Index.of_stems(docs, vocabulary())
    _same(index.chars, Sparse.weighed([grams(Counter(doc)) for doc in docs]))
    _same(index.words, Sparse.weighed([Counter(doc) for doc in docs]))


def test_a_stem_repeating_a_4_gram_counts_it_twice() -> None:
    assert _stem_grams("ababab").count("abab") == 2
    found = Counts.of([{"ababab": 3}]).parts(_stem_grams)
    assert dict(zip(found.ids, found.counts.tolist(), strict=True))["abab"] == 6.0


def test_pairs_are_the_dense_cosines_over_the_threshold() -> None:
    """pair_arrays finds what multiplying every pair finds, among the pairs sharing a stem
    few documents use (its candidates: see `Index.pair_arrays`)."""
    rng = np.random.default_rng(7)
    words = [f"w{a}{b}" for a in "abcdefghij" for b in "klmnopqrst"]  # 100 stems
    weights = 1 / np.arange(1, len(words) + 1)  # a few common stems, many rare ones
    docs = [
        dict(Counter(rng.choice(words, size=int(rng.integers(2, 7)), p=weights / weights.sum())))
        for _ in range(400)
    ]
    index = Index.of_stems(docs, vocabulary())

    def dense(vectors: Sparse) -> np.ndarray:
        out = np.zeros((vectors.n, len(vectors.ids)))
        out[vectors.rows, vectors.cols] = vectors.weights
        return out

    words_dense, chars_dense = dense(index.words), dense(index.chars)
    scores = np.clip(
        WORD_WEIGHT * (words_dense @ words_dense.T)
        + (1 - WORD_WEIGHT) * (chars_dense @ chars_dense.T),
        0.0,
        1.0,
    )
    rare = words_dense[:, (index.words.df >= 2) & (index.words.df <= 50)] > 0  # 400 // 20 < 50
    shares_rare = (rare.astype(int) @ rare.T.astype(int)) > 0
    i, j = np.triu_indices(len(docs), 1)
    wanted = (scores[i, j] >= 0.6) & shares_rare[i, j]
    # A pair a rounding away from the threshold may fall either way (the common stems'
    # blocks multiply in single precision); every other pair is found once, with its score.
    near = np.abs(scores[i, j] - 0.6) < 1e-6
    expected = set(zip(i[wanted & ~near].tolist(), j[wanted & ~near].tolist(), strict=True))
    either = set(zip(i[near].tolist(), j[near].tolist(), strict=True))
    left, right, found = index.pair_arrays(0.6)
    pairs = set(zip(left.tolist(), right.tolist(), strict=True))
    assert len(pairs) == len(left)
    assert expected <= pairs <= expected | either
    assert np.allclose(found, scores[left, right], atol=1e-6)
    assert len(expected) > 200  # look-alike documents: many pairs are compared
    # and some pairs over the threshold share only common stems, so the test tells the
    # candidates from every pair
    assert (scores[i, j] >= 0.6).sum() > len(expected)


@settings(max_examples=200, deadline=None)
@given(st.lists(_DOC, min_size=2, max_size=10), st.integers(0, 2**32 - 1), st.booleans())
def test_any_split_into_dense_and_sparse_features_sums_each_pairs_products(
    docs: list[dict[str, int]], seed: int, gather: bool
) -> None:
    """Whichever features `dense_for` makes dense, the two parts add up to each pair's
    dot product (in single precision for the dense part)."""
    vectors = Sparse.weighed(docs)
    rng = np.random.default_rng(seed)
    dense = rng.random(len(vectors.df)) < 0.5
    i, j = np.triu_indices(vectors.n, 1)
    keys = i * vectors.n + j
    found = vectors.sparse_products(dense, keys) + vectors.dense_products(dense, i, j, gather)
    full = np.zeros((vectors.n, len(vectors.df)))
    full[vectors.rows, vectors.cols] = vectors.weights
    assert np.allclose(found, (full @ full.T)[i, j], atol=1e-6)


@settings(max_examples=200, deadline=None)
@given(st.lists(_DOC, min_size=1, max_size=10))
def test_merged_features_give_every_pair_the_same_dot_product(docs: list[dict[str, int]]) -> None:
    """Features held alike merge into one weighed by sqrt(k): every pair's dot product,
    and so its candidates (the rare features it shares) and score, is the same."""
    vectors = Sparse.weighed(docs)
    merged = vectors.merged()

    def gram(v: Sparse) -> np.ndarray:
        full = np.zeros((v.n, len(v.df)))
        full[v.rows, v.cols] = v.weights
        return full @ full.T

    assert np.allclose(gram(merged), gram(vectors), atol=1e-12)
    assert merged.n == vectors.n and len(merged.df) <= len(vectors.df)
    assert np.array_equal(np.diff(merged.starts), merged.df)
    for col in range(len(merged.df)):  # rows ascending in each column, as `Sparse` keeps them
        rows = merged.rows[merged.starts[col] : merged.starts[col + 1]]
        assert np.all(np.diff(rows) > 0) and np.all(
            merged.cols[merged.starts[col] : merged.starts[col + 1]] == col
        )
    common = max(50, vectors.n // 20)
    assert np.array_equal(vectors.rare_products(common)[0], merged.rare_products(common)[0])


def test_the_4_grams_of_a_stem_no_other_holds_merge_into_one() -> None:
    index = Index.of_stems([{"invoice": 1, "match": 1}, {"invoice": 2}, {"match": 1}], vocabulary())
    merged = index.chars.merged()
    # " inv" ... "ice " (6, alike) and " mat" ... "tch " (4, alike): two features
    assert len(index.chars.df) == 10 and len(merged.df) == 2
    assert sorted(merged.df.tolist()) == [2, 2]


def test_features_shared_by_more_pairs_than_the_candidates_are_dense() -> None:
    """Once the candidates are few, multiplying their rows of a feature many vectors share
    is cheaper than finding its pairs among them; gathered or not, a feature more than
    `common` vectors use is dense."""
    docs = [{"all": 1, "half": 1} if k % 2 else {"all": 1, "pair": 1} for k in range(40)]
    docs[0]["two"] = docs[1]["two"] = 1
    vectors = Sparse.weighed(docs)
    df = dict(zip(vectors.ids, vectors.df.tolist(), strict=True))
    assert df == {"all": 40, "pair": 20, "half": 20, "two": 2}
    shared = similarity_pairs.SHARED_COST * 190  # `pair` and `half`: 190 pairs each
    dense = dict(zip(vectors.ids, vectors.dense_for(30, shared - 1, True).tolist(), strict=True))
    assert dense == {"all": True, "pair": True, "half": True, "two": False}
    dense = dict(zip(vectors.ids, vectors.dense_for(30, shared, True).tolist(), strict=True))
    assert dense == {"all": True, "pair": False, "half": False, "two": False}
    dense = dict(zip(vectors.ids, vectors.dense_for(30, 1, False).tolist(), strict=True))
    assert dense == {"all": True, "pair": False, "half": False, "two": False}


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_words_are_the_runs_of_letters(text: str) -> None:
    """ASCII text is cut with byte operations into the words `_WORD` finds."""
    assert _words(text) == _WORD.findall(skeleton(text))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from([0.6, 0.7, 0.7, 0.93, 1.0])), max_size=40)
)
def test_matches_are_ordered_as_three_stable_sorts_order_them(
    matches: list[tuple[int, float]],
) -> None:
    """S016's one sort of packed keys orders the matches as lexsort does: by record, the
    closest first, ties by the other record's rank (distinct within a record)."""
    here = np.array([m[0] for m in matches], dtype=np.int64)
    score = np.array([m[1] for m in matches], dtype=np.float64)
    tie = np.zeros(len(matches), dtype=np.int64)
    for record in set(here.tolist()):  # distinct ranks within each record, as S016 has
        mine = np.flatnonzero(here == record)
        tie[mine] = np.random.default_rng(record).permutation(len(mine))
    n = max([6, len(matches)])
    expected = np.lexsort((tie, -score, here))
    assert _closest_first(here, score, tie, n).tolist() == expected.tolist()
    assert _closest_first(here, score, tie, 1 << 31).tolist() == expected.tolist()  # lexsort


def _named(here: np.ndarray, score: np.ndarray, tie: np.ndarray, dead: np.ndarray) -> dict:
    """Return each record's named matches as S016 names them: the closest `NAMED`, the
    last replaced by the closest dead one when it is not among them (indices given)."""
    order = np.lexsort((tie, -score, here))
    out: dict[int, list[int]] = {}
    for at in order.tolist():
        out.setdefault(int(here[at]), []).append(at)
    named = {}
    for record, matches in out.items():
        chosen = matches[:NAMED]
        first_dead = next((m for m in matches if dead[m]), None)
        if first_dead is not None and first_dead not in chosen:
            chosen = [*chosen[: NAMED - 1], first_dead]
        named[record] = chosen
    return named


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 4), st.sampled_from([0.6, 0.61, 0.7, 0.7, 0.8, 1.0]), st.booleans()
        ),
        max_size=60,
    )
)
@example([(0, 1.0, False), (0, 0.8, False), (0, 0.7, False), (0, 0.61, True), (0, 0.6, True)])
@example([(1, 0.7, False), (1, 0.7, False), (1, 0.7, False), (1, 0.7, True), (1, 0.6, False)])
def test_the_contenders_name_what_all_matches_name(matches: list[tuple[int, float, bool]]) -> None:
    """S016 orders only the matches that may be named (`_contenders`): each record's
    named matches, in order, are those that ordering every match names."""
    here = np.array([m[0] for m in matches], dtype=np.int64)
    score = np.array([m[1] for m in matches], dtype=np.float64)
    dead = np.array([m[2] for m in matches], dtype=bool)
    tie = np.zeros(len(matches), dtype=np.int64)
    for record in set(here.tolist()):  # distinct within each record, as S016's are
        mine = np.flatnonzero(here == record)
        tie[mine] = np.random.default_rng(record).permutation(len(mine))
    keep = _contenders(here, score, dead, 5)
    kept = np.flatnonzero(keep)
    from_kept = _named(here[kept], score[kept], tie[kept], dead[kept])
    assert {r: [int(kept[m]) for m in ms] for r, ms in from_kept.items()} == _named(
        here, score, tie, dead
    )


def _halves_of(values: np.ndarray, fail_in_child: bool = False) -> Callable[[int, int], np.ndarray]:
    parent = os.getpid()

    def part(lo: int, hi: int) -> np.ndarray:
        if fail_in_child and os.getpid() != parent:
            raise RuntimeError("the forked process fails")
        return values[lo:hi] * 3.0

    return part


def test_a_large_part_is_computed_half_in_a_forked_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(similarity_pairs, "SPLIT_MIN", 10)
    monkeypatch.setattr(similarity_pairs, "active_count", lambda: 1)  # as in `validate`
    forked = []
    real = multiprocessing.get_context

    def context(method: str) -> Any:
        forked.append(method)
        return real(method)

    monkeypatch.setattr(similarity_pairs.multiprocessing, "get_context", context)
    values = np.random.default_rng(3).random(1001)
    found = in_two_processes(_halves_of(values), len(values))
    assert forked == ["fork"]
    assert found.tobytes() == (values * 3.0).tobytes()


def test_the_half_of_a_failed_process_is_computed_in_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(similarity_pairs, "SPLIT_MIN", 10)
    monkeypatch.setattr(similarity_pairs, "active_count", lambda: 1)
    values = np.arange(101, dtype=np.float64)
    found = in_two_processes(_halves_of(values, fail_in_child=True), len(values))
    assert found.tolist() == (values * 3.0).tolist()


def test_no_process_is_forked_beside_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(similarity_pairs, "SPLIT_MIN", 10)
    monkeypatch.setattr(similarity_pairs, "active_count", lambda: 2)  # a server's thread
    monkeypatch.setattr(
        similarity_pairs.multiprocessing, "get_context", lambda method: pytest.fail("forked")
    )
    values = np.arange(50, dtype=np.float64)
    assert in_two_processes(_halves_of(values), 50).tolist() == (values * 3.0).tolist()
