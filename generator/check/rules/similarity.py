"""S016: a similar initiative already exists, so its lessons are not lost."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from ...core.findings import Hit
from ...core.policy import Policy
from ...core.similarity import Index, vocabulary
from .context import Ref

# Matches named per record. A record resembling dozens of others (an imported inventory
# of look-alike rows) gets its closest few, and a count of the rest, not dozens of findings.
NAMED = 3


def similar_initiatives(refs: Sequence[Ref], policy: Policy) -> Iterator[tuple[Ref, Hit]]:
    """S016: name the similar initiatives of each active record, loudly if they died.

    Each active record gets one finding per match, the closest first (then by id, then
    by file), at most `NAMED` (the closest killed or shelved one among them); the last
    one counts the matches left unnamed. A registry of look-alike records has millions
    of matches, so they are filtered and sorted as arrays: only the named ones become
    Python objects.
    """
    valid = [r for r in refs if r.valid]
    stems = [r.stems for r in valid if r.stems is not None]  # every valid one's
    index = Index.of_stems(stems, vocabulary(policy.synonyms))
    left, right, scores = index.pair_arrays(policy.thresholds.similarity)
    here, other = np.concatenate((left, right)), np.concatenate((right, left))
    score = np.concatenate((scores, scores))
    active = np.array([r.status == "active" for r in valid], dtype=bool)
    keep = active[here]
    listed = _listed(valid, active)
    if len(listed):
        pairs = here * len(valid) + other  # listed is sorted: a binary search each
        found = np.minimum(np.searchsorted(listed, pairs), len(listed) - 1)
        keep &= listed[found] != pairs
    here, other, score = here[keep], other[keep], score[keep]
    matches = np.bincount(here, minlength=len(valid)).tolist()  # each record's, all of them
    keep = _contenders(here, score, ~active[other], len(valid))
    here, other, score = here[keep], other[keep], score[keep]
    by_id = np.empty(len(valid), dtype=np.int64)  # rank of each record by (id, position)
    by_id[sorted(range(len(valid)), key=lambda k: valid[k].raw_id)] = np.arange(len(valid))
    order = _closest_first(here, score, by_id[other], len(valid))
    # Few enough now to be Python numbers: reading numpy's one by one costs more.
    dead = np.flatnonzero(~active[other[order]]).tolist()
    starts = np.flatnonzero(np.diff(here[order], prepend=-1)).tolist()  # each record's first
    here_, other_, score_ = here[order].tolist(), other[order].tolist(), score[order].tolist()
    for start, end in zip(starts, [*starts[1:], len(here_)], strict=False):
        named = list(range(start, min(end, start + NAMED)))
        first_dead = bisect_left(dead, start)
        if first_dead < len(dead) and start + NAMED <= dead[first_dead] < end:
            named = [*named[: NAMED - 1], dead[first_dead]]  # a dead match is always named
        record = here_[start]
        mine = valid[record]
        for k, at in enumerate(named):
            more = matches[record] - len(named) if k == len(named) - 1 else 0
            hit = Hit("S016", ("title",), _message(valid[other_[at]], score_[at], more))
            yield mine, hit


def _contenders(
    here: npt.NDArray[np.int64], score: npt.NDArray[np.float64], dead: npt.NDArray[np.bool_], n: int
) -> npt.NDArray[np.bool_]:
    """Return which matches may be named: those scoring at least their record's `NAMED`-th
    best distinct score, and its dead ones scoring at least its best dead one.

    The named matches are a record's closest `NAMED` and its closest dead one, so
    ordering these alone names the same matches, at the same places in the order. A
    registry of look-alike records has hundreds of thousands of matches and names a few
    per record: sorting them all took most of S016 after the scores.
    """
    floor = np.full(n, np.inf)
    for _ in range(NAMED):  # the best score below the last: the next distinct score
        below = score < floor[here]
        floor = np.full(n, -np.inf)  # -inf: the record has no more distinct scores
        np.maximum.at(floor, here[below], score[below])
    keep = score >= floor[here]
    dead_best = np.full(n, -np.inf)
    np.maximum.at(dead_best, here[dead], score[dead])
    keep |= dead & (score >= dead_best[here])
    return keep


def _closest_first(
    here: npt.NDArray[np.int64], score: npt.NDArray[np.float64], tie: npt.NDArray[np.int64], n: int
) -> npt.NDArray[np.int64]:
    """Return the order of the matches by record, closest first, then by `tie`: that of
    `np.lexsort((tie, -score, here))`, but with one sort of integer keys when they fit.

    A registry of look-alike records has hundreds of thousands of matches, and three
    stable sorts of them took a tenth of `validate` at 10,000 records. The scores are
    replaced by their rank among the distinct scores, so (record, rank, tie), all below
    n, packs into one integer, distinct for each match.
    """
    levels, rank = np.unique(-score, return_inverse=True)  # rank 0: the highest score
    if n * n * max(len(levels), 1) >= 1 << 62:
        return np.lexsort((tie, -score, here))
    return np.argsort((here * len(levels) + rank.ravel()) * n + tie)


def _listed(valid: Sequence[Ref], active: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Return the sorted pair keys (record * n + other) of what active records list in
    `related` or `supersedes`: those are known, not matches. Ids name records by raw id,
    and several files may carry one (R007)."""
    positions: dict[str, list[int]] = defaultdict(list)
    for k, ref in enumerate(valid):
        positions[ref.raw_id].append(k)
    keys = {
        k * len(valid) + o
        for k, ref in enumerate(valid)
        if active[k]
        for name in (*ref.related, ref.supersedes)
        if name is not None
        for o in positions.get(name, ())
    }
    return np.array(sorted(keys), dtype=np.int64)


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
