"""Every pair of sparse unit vectors' dot products at once, with numpy (for `Index.pairs`).

A feature few vectors use adds its products to the pairs that share it (an inverted
index: the pairs are the candidates); a feature too many use (more than `common` of
them) would add a product to most pairs at once, so those columns are kept dense and
multiplied block by block (BLAS, in single precision: scores are shown as percentages),
keeping only the candidate pairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
BLOCK = 512  # rows multiplied at once: a block of the Gram matrix is BLOCK x n
BLOCK_SLOTS = 1 << 19  # pair sums of rare features added at once (4 MB of float64)
# A pair gathered and multiplied costs about as much as this many entries of a BLAS product.
GATHER_COST = 30


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
        keys = list(chain.from_iterable(docs))  # features numbered as first met
        ids = {key: k for k, key in enumerate(dict.fromkeys(keys))}
        counts = list(chain.from_iterable(doc.values() for doc in docs))
        n = len(docs)
        rows = np.repeat(np.arange(n, dtype=np.int64), [len(d) for d in docs])
        col = np.fromiter(map(ids.__getitem__, keys), dtype=np.int64, count=len(keys))
        df = np.bincount(col, minlength=len(ids)).astype(np.int64)
        idf = np.log((1 + n) / (1 + df)) + 1
        weights = _tf_idf(counts, idf[col])
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n))
        weights /= np.where(norms > 0, norms, 1.0)[rows]
        order = np.argsort(col, kind="stable")  # stable: rows stay ascending per column
        starts = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        return cls(rows[order], col[order], weights[order], df, starts, idf, ids, n)

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
        vectors use, ascending, with the sum of those features' products.

        Each feature's pairs come ascending by i, so they are summed a block of rows i at
        a time, into a dense block of n * (rows) sums, which stays in the cache: a sort of
        every product (np.unique) took five times as long on 10,000 look-alike records.
        Each pair's products are added in the same order, by feature, as a sort would.
        """
        n, starts = self.n, self.starts
        rows_per_block = max(1, BLOCK_SLOTS // max(n, 1))
        edges = np.arange(0, n + rows_per_block, rows_per_block)
        features = []
        for col in np.flatnonzero((self.df >= 2) & (self.df <= common)):
            rows = self.rows[starts[col] : starts[col + 1]]
            weights = self.weights[starts[col] : starts[col + 1]]
            a, b = np.triu_indices(len(rows), 1)
            cuts = np.searchsorted(rows[a], edges).tolist()  # rows[a] is ascending
            features.append((rows[a] * n + rows[b], weights[a] * weights[b], cuts))
        keys: list[Ints] = [np.empty(0, dtype=np.int64)]
        sums: list[Floats] = [np.empty(0, dtype=np.float64)]
        for k in range(len(edges) - 1):
            parts = [(q[c[k] : c[k + 1]], p[c[k] : c[k + 1]]) for q, p, c in features]
            if not any(len(q) for q, _ in parts):
                continue
            first = int(edges[k]) * n
            local = np.concatenate([q for q, _ in parts]) - first
            size = (min(int(edges[k + 1]), n) - int(edges[k])) * n
            total = np.bincount(
                local, weights=np.concatenate([p for _, p in parts]), minlength=size
            )
            present = np.zeros(size, dtype=bool)
            present[local] = True
            found = np.flatnonzero(present)
            keys.append(found + first)
            sums.append(np.asarray(total[found], dtype=np.float64))
        return np.concatenate(keys), np.concatenate(sums)

    def common_products(self, common: int, left: Ints, right: Ints) -> Floats:
        """Return, for each pair (left[k], right[k]), the products of its common features."""
        dense_cols = self.df > common
        if not dense_cols.any():
            return np.zeros(len(left))
        numbers = np.cumsum(dense_cols) - 1
        keep = dense_cols[self.cols]
        dense = np.zeros((self.n, int(dense_cols.sum())), dtype=np.float32)
        dense[self.rows[keep], numbers[self.cols[keep]]] = self.weights[keep]
        out = np.empty(len(left))
        if len(left) * GATHER_COST < self.n * self.n:  # few pairs: multiply just those rows
            # A run of pairs with one left row reads that row once (a broadcast view: the
            # same products and sums as a copy of it per pair, half the memory traffic).
            runs = [*np.flatnonzero(np.diff(left, prepend=-1)).tolist(), len(left)]
            width = dense.shape[1]
            for s, e in pairwise(runs):
                mine = np.broadcast_to(dense[left[s]], (e - s, width))
                out[s:e] = np.einsum("ij,ij->i", mine, dense[right[s:e]])
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


def _tf_idf(counts: Sequence[int], idf: Floats) -> Floats:
    """Return each feature's weight: sublinear term frequency times its idf."""
    return (1 + np.log(np.array(counts, dtype=np.float64))) * idf


def lookup(keys: Ints, values: Floats, wanted: Ints) -> Floats:
    """Return values[keys == w] for each wanted key, 0 where a key is absent."""
    if not len(keys):
        return np.zeros(len(wanted))
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[at] == wanted, values[at], 0.0)
