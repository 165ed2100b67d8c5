"""Every pair of sparse unit vectors' dot products at once, with numpy (for `Index.pairs`).

A feature few vectors use adds its products to the pairs that share it (an inverted
index: the pairs are the candidates); a feature too many use (more than `common` of
them) would add a product to most pairs at once, so those columns are kept dense and
multiplied block by block (BLAS, in single precision: scores are shown as percentages),
keeping only the candidate pairs. Once the candidates are known, a feature shared by
more pairs than it costs to multiply every candidate's entries of it is dense too
(`Sparse.dense_for`).
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from multiprocessing.connection import Connection
from threading import active_count

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
BLOCK = 512  # rows multiplied at once: a block of the Gram matrix is BLOCK x n
# Bytes of dense rows gathered at once for candidate pairs: two slices of 1 MiB stay in
# cache (4,096 rows of 710 letter features did not: 10,000 realistic records, 0.84 s ->
# 0.44 s for the same products).
CHUNK_BYTES = 1 << 20
# A pair gathered and multiplied costs about as much as this many entries of a BLAS product.
GATHER_COST = 30
# A pair's product of a feature from the inverted index (its key found among the
# candidates, then added) costs about as much as this many products of a dense column
# gathered for a candidate: 10,000 realistic records, 9 million such pairs of their
# letters, 0.60 s, against 0.65 s for 1.1 million candidates times 710 dense columns.
SHARED_COST = 80
FOLD = 1 << 22  # (pair, product) occurrences held before they are summed by pair


@dataclass(frozen=True, slots=True)
class Sparse:
    """Unit TF-IDF vectors as (row, column, weight) triples sorted by column.

    `ids` numbers the features, `idf` weighs each, `df` counts the vectors using each and
    `starts` is where each column's triples begin.
    """

    rows: Ints
    cols: Ints
    weights: Floats
    df: Ints
    starts: Ints
    idf: Floats
    ids: dict[str, int]
    n: int

    @classmethod
    def weighed(cls, docs: Sequence[Mapping[str, int]]) -> Sparse:
        """Return the documents' feature counts as unit vectors: sublinear term frequency
        times smoothed inverse document frequency, log((1 + n) / (1 + df)) + 1."""
        return cls.of_counts(Counts.of(docs))

    @classmethod
    def of_counts(cls, counts: Counts) -> Sparse:
        """Return `weighed` of documents already counted."""
        rows, col, n = counts.rows, counts.cols, counts.n
        df = np.bincount(col, minlength=len(counts.ids)).astype(np.int64)
        idf = np.log((1 + n) / (1 + df)) + 1
        weights = _tf_idf(counts.counts, idf[col])
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n))
        weights /= np.where(norms > 0, norms, 1.0)[rows]
        order = _stable_order(col, len(counts.ids))  # stable: rows stay ascending per column
        starts = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        return cls(rows[order], col[order], weights[order], df, starts, idf, counts.ids, n)

    def merged(self) -> Sparse:
        """Return the vectors with the features held alike (by the same vectors, with the
        same weights) merged: k of them become one weighed by sqrt(k), which gives every
        pair the same dot product, a sum of fewer terms.

        A stem's letter 4-grams found in no other stem are held alike: the 922 letter
        features of 10,000 realistic records merge into 235. The merged features have no
        names: only products are taken of them (`Index.pair_arrays`).
        """
        groups: dict[tuple[bytes, bytes], list[int]] = {}
        bounds = self.starts.tolist()
        for col, (lo, hi) in enumerate(itertools.pairwise(bounds)):
            key = (self.rows[lo:hi].tobytes(), self.weights[lo:hi].tobytes())
            groups.setdefault(key, []).append(col)
        if len(groups) == len(self.df):
            return self
        firsts = np.array([cols[0] for cols in groups.values()], dtype=np.int64)
        scale = np.sqrt(np.array([len(cols) for cols in groups.values()], dtype=np.float64))
        df = self.df[firsts]
        take = np.concatenate([np.arange(bounds[c], bounds[c + 1]) for c in firsts.tolist()])
        cols = np.repeat(np.arange(len(firsts), dtype=np.int64), df)
        weights = self.weights[take] * np.repeat(scale, df)
        starts = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        return Sparse(self.rows[take], cols, weights, df, starts, self.idf[firsts], {}, self.n)

    def against(self, counts: Mapping[str, int]) -> Floats:
        """Return the cosine of every vector with a new document's (same idf)."""
        known = [(self.ids[k], c) for k, c in counts.items() if k in self.ids]
        out = np.zeros(self.n)
        if not known:
            return out
        cols = np.array([k for k, _ in known], dtype=np.int64)
        weights = _tf_idf([c for _, c in known], self.idf[cols])
        weights /= np.sqrt(np.sum(weights * weights))
        for col, weight in zip(cols, weights, strict=True):
            span = slice(self.starts[col], self.starts[col + 1])
            out[self.rows[span]] += self.weights[span] * weight  # a column's rows are distinct
        return out

    def rare_products(self, common: int) -> tuple[Ints, Floats]:
        """Return the pair keys (i * n + j, i < j) sharing a feature at most `common`
        vectors use, ascending, with the sum of those features' products."""
        sums = _PairSums()
        for keys, products in self._pairs_of(np.flatnonzero((self.df >= 2) & (self.df <= common))):
            sums.add(keys, products)
        return sums.total()

    def dense_for(self, common: int, pairs: int, gather: bool) -> npt.NDArray[np.bool_]:
        """Return which features `dense_products` multiplies for this many candidate
        pairs (the rest, `sparse_products`): those more than `common` vectors use and,
        when it gathers the pairs' rows, those shared by more pairs than it costs to
        multiply every candidate's entries of them."""
        dense = self.df > common
        if gather:
            dense |= self.df * (self.df - 1) // 2 * SHARED_COST > pairs
        return dense

    def sparse_products(self, dense: npt.NDArray[np.bool_], wanted: Ints) -> Floats:
        """Return, for each of the wanted keys (ascending), the sum of the products of
        the features not `dense` that its pair shares (0 if none), adding only those
        pairs' products."""
        out = np.zeros(len(wanted))
        if not len(wanted):
            return out
        for keys, products in self._pairs_of(np.flatnonzero(~dense & (self.df >= 2))):
            at = np.minimum(np.searchsorted(wanted, keys), len(wanted) - 1)
            hit = wanted[at] == keys
            np.add.at(out, at[hit], products[hit])  # in order: the sums `total` gives
        return out

    def _pairs_of(self, columns: Ints) -> Iterator[tuple[Ints, Floats]]:
        """Yield, for each of the features, the keys and products of the pairs sharing it."""
        starts = self.starts
        for col in columns:
            rows = self.rows[starts[col] : starts[col + 1]]
            weights = self.weights[starts[col] : starts[col + 1]]
            a, b = np.triu_indices(len(rows), 1)
            yield rows[a] * self.n + rows[b], weights[a] * weights[b]

    def dense_products(
        self, columns: npt.NDArray[np.bool_], left: Ints, right: Ints, gather: bool | None = None
    ) -> Floats:
        """Return, for each pair (left[k], right[k]), the products of the features marked
        in `columns` (those more than `common` vectors use, or `dense_for`'s), multiplied
        as dense columns.

        `gather` says how (see `gathers`); a part of the pairs passes the whole's (and the
        same `columns`), so each pair's product is the same bits whichever part it is in.
        """
        if not columns.any():
            return np.zeros(len(left))
        numbers = np.cumsum(columns) - 1
        keep = columns[self.cols]
        dense = np.zeros((self.n, int(columns.sum())), dtype=np.float32)
        dense[self.rows[keep], numbers[self.cols[keep]]] = self.weights[keep]
        out = np.empty(len(left))
        if self.gathers(len(left)) if gather is None else gather:  # few pairs: just their rows
            chunk = max(64, CHUNK_BYTES // (dense.shape[1] * dense.itemsize))
            for s in range(0, len(left), chunk):
                pick = slice(s, s + chunk)
                out[pick] = np.einsum("ij,ij->i", dense[left[pick]], dense[right[pick]])
            return out
        # Many pairs: `left` is ascending, and a block of rows times every row is one BLAS
        # matrix product.
        for first in range(0, self.n, BLOCK):
            lo, hi = np.searchsorted(left, [first, first + BLOCK])
            if lo == hi:
                continue
            gram = dense[first : first + BLOCK] @ dense.T
            out[lo:hi] = gram[left[lo:hi] - first, right[lo:hi]]
        return out

    def gathers(self, pairs: int) -> bool:
        """Return whether `dense_products` of this many pairs multiplies just their rows
        (else whole blocks of rows, one BLAS product each)."""
        return pairs * GATHER_COST < self.n * self.n


def in_two_processes(part: Callable[[int, int], Floats], n: int) -> Floats:
    """Return `part(0, n)`, computing its second half in a forked process meanwhile.

    `part(lo, hi)` must give each item's value whatever the span it is computed in.
    Below `SPLIT_MIN` items, on one processor, or in a process running other threads (a
    lock held by one would be copied held), all of it is computed here; so is the second
    half when the forked process fails.
    """
    if n < SPLIT_MIN or (os.cpu_count() or 1) < 2 or not _may_fork():
        return part(0, n)
    half = n // 2
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_send_part, args=(part, half, n, send), daemon=True)
    child.start()
    send.close()
    first = part(0, half)
    try:
        second = np.frombuffer(receive.recv_bytes(), dtype=np.float64)
    except EOFError:  # the process failed: compute its half here
        second = part(half, n)
    finally:
        receive.close()
        child.join()
    return np.concatenate((first, second))


SPLIT_MIN = 100_000  # items below which forking costs more than half the work saves


def _may_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and active_count() == 1


def _send_part(part: Callable[[int, int], Floats], lo: int, hi: int, send: Connection) -> None:
    """In the forked process: send `part(lo, hi)`, or nothing if it fails; then leave."""
    with contextlib.suppress(Exception):
        send.send_bytes(np.ascontiguousarray(part(lo, hi), dtype=np.float64).tobytes())
    send.close()
    os._exit(0)  # nothing of the parent's to clean up: its objects are its own


class _PairSums:
    """Sums of products by pair key, folded every `FOLD` products so memory stays bounded.

    A 10,000-record registry gives tens of millions of (pair, product) occurrences, far
    more than distinct pairs; holding them all at once took most of a build's memory.
    Each fold puts the running sums before the new occurrences, and `np.bincount` adds
    in index order, so every sum is the same left-to-right sum as one pass would give,
    bit for bit.
    """

    def __init__(self) -> None:
        self.keys: list[Ints] = [np.empty(0, dtype=np.int64)]
        self.products: list[Floats] = [np.empty(0, dtype=np.float64)]
        self.pending = 0

    def add(self, keys: Ints, products: Floats) -> None:
        """Add one feature's pairs."""
        self.keys.append(keys)
        self.products.append(products)
        self.pending += len(keys)
        if self.pending >= FOLD:
            keys, products = self.total()
            self.keys, self.products, self.pending = [keys], [products], 0

    def total(self) -> tuple[Ints, Floats]:
        """Return the distinct keys, ascending, and each one's sum."""
        unique, where = np.unique(np.concatenate(self.keys), return_inverse=True)
        sums = np.bincount(where, weights=np.concatenate(self.products), minlength=len(unique))
        return unique, sums.astype(np.float64)


@dataclass(frozen=True, slots=True)
class Counts:
    """Documents' feature counts as (row, column, count) triples, in the order of each
    document's counts, documents in order; features are numbered in the order they
    first occur (`ids`)."""

    rows: Ints
    cols: Ints
    counts: Floats
    ids: dict[str, int]
    n: int

    @classmethod
    def of(cls, docs: Sequence[Mapping[str, int]]) -> Counts:
        """Return the triples of documents' counts."""
        keys = list(chain.from_iterable(docs))
        # Features numbered in the order they first occur; `dict.fromkeys` keeps that order.
        ids = {key: i for i, key in enumerate(dict.fromkeys(keys))}
        cols = np.array(list(map(ids.__getitem__, keys)), dtype=np.int64)
        counts = np.array(list(chain.from_iterable(doc.values() for doc in docs)), np.float64)
        rows = np.repeat(np.arange(len(docs), dtype=np.int64), [len(d) for d in docs])
        return cls(rows, cols, counts, ids, len(docs))

    def parts(self, split: Callable[[str], Sequence[str]]) -> Counts:
        """Return the counts of the features' parts: a document holding a feature c times
        holds each of its parts c times (as often again as the part recurs in it).

        The same as `Counts.of` the documents' parts counted one by one, in the same
        order (`Index` splits stems into letter 4-grams so), but in array operations:
        each distinct feature is split once.
        """
        names: dict[str, int] = {}  # every part, numbered as met here
        split_ids = [
            [names.setdefault(part, len(names)) for part in split(feature)] for feature in self.ids
        ]
        lengths = np.array([len(p) for p in split_ids], dtype=np.int64)
        flat = np.array(list(chain.from_iterable(split_ids)), dtype=np.int64)
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        # Each (row, feature, count) triple becomes one triple per part of the feature.
        sizes = lengths[self.cols]
        total = int(sizes.sum())
        starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
        parts = flat[np.repeat(offsets[self.cols], sizes) + np.arange(total) - starts]
        rows = np.repeat(self.rows, sizes)
        # One triple per (row, part): counts summed, kept where the part first occurs.
        keys = rows * max(len(names), 1) + parts
        _, first, where = np.unique(keys, return_index=True, return_inverse=True)
        sums = np.asarray(  # float64 already: asarray only tells the type checker so
            np.bincount(where.ravel(), weights=np.repeat(self.counts, sizes)), dtype=np.float64
        )
        order = np.argsort(first)  # distinct positions: any sort is stable
        rows, parts, counts = rows[first[order]], parts[first[order]], sums[order]
        # Number the parts in the order they first occur in the documents.
        met = np.full(max(len(names), 1), len(parts), dtype=np.int64)
        np.minimum.at(met, parts, np.arange(len(parts)))  # where each part first occurs
        seen = np.flatnonzero(met < len(parts))
        in_order = seen[np.argsort(met[seen])]
        renumber = np.empty(max(len(names), 1), dtype=np.int64)
        renumber[in_order] = np.arange(len(in_order))
        label = list(names)
        return Counts(
            rows, renumber[parts], counts, {label[p]: i for i, p in enumerate(in_order)}, self.n
        )


def _stable_order(values: Ints, bound: int) -> Ints:
    """Return `np.argsort(values, kind="stable")` of values from 0 to `bound` - 1.

    numpy sorts 16-bit integers stably by radix, four times faster than int64 (the
    letters of 10,000 realistic records: 950,000 triples, 922 features).
    """
    if bound <= np.iinfo(np.int16).max:
        return np.argsort(values.astype(np.int16), kind="stable")
    return np.argsort(values, kind="stable")


def _tf_idf(counts: Sequence[int] | Floats, idf: Floats) -> Floats:
    """Return each feature's weight: sublinear term frequency times its idf."""
    return (1 + np.log(np.asarray(counts, dtype=np.float64))) * idf
