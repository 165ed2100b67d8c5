"""The record log's look-ups (`dated`, `latest`, `latest_check`) against their definitions.

They read a record's entries grouped by kind or name, kept for the last record asked
about (see record_log.py); here every answer is compared with the plain scan it
replaces, over logs with several entries a day, asked about records in turn.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.model import (
    CHECK_NAMES,
    AdoptionEvidence,
    Check,
    CostEvidence,
    OutcomeEvidence,
)
from generator.core.record_log import dated, latest, latest_check

DAYS = st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 8))  # few days: many share one
KINDS = (AdoptionEvidence, CostEvidence, OutcomeEvidence)


def _evidence(kind: type, day: dt.date, n: int) -> object:
    if kind is AdoptionEvidence:
        return AdoptionEvidence(kind="adoption", date=day, users=n)
    if kind is CostEvidence:
        return CostEvidence(kind="cost", date=day, monthly=n)
    return OutcomeEvidence(kind="outcome", date=day, value=n)


EVIDENCE = st.lists(
    st.builds(_evidence, st.sampled_from(KINDS), DAYS, st.integers(0, 9)), max_size=12
)
CHECKS = st.lists(
    st.builds(
        lambda name, day, status: Check(name=name, status=status, date=day),
        st.sampled_from(CHECK_NAMES[:3]),
        DAYS,
        st.sampled_from(("passed", "failed", "pending")),
    ),
    max_size=10,
)


def _scan(items: list[object], keep: object, cutoff: dt.date) -> list[tuple[int, object]]:
    """Entries that `keep` accepts dated on or before the cutoff, oldest first; of one day,
    in the order written (the definition the look-ups answer by)."""
    found = [(i, x) for i, x in enumerate(items) if keep(x) and x.date <= cutoff]  # type: ignore[attr-defined]
    return sorted(found, key=lambda pair: pair[1].date)  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(EVIDENCE, CHECKS), min_size=1, max_size=3), st.lists(DAYS, min_size=1))
def test_look_ups_answer_as_a_scan_of_the_log(logs: list, cutoffs: list[dt.date]) -> None:
    for _ in range(2):  # each log asked about again after the others
        for evidence, checks in logs:
            for cutoff in cutoffs:
                for kind in KINDS:
                    expected = _scan(evidence, lambda x, k=kind: x.__class__ is k, cutoff)
                    assert dated(evidence, kind, cutoff) == expected
                    assert latest(evidence, kind, cutoff) == (expected[-1] if expected else None)
                for name in CHECK_NAMES:
                    record = _Checks(checks)
                    expected = _scan(checks, lambda c, n=name: c.name == n, cutoff)
                    found = latest_check(record, name, cutoff)  # type: ignore[arg-type]
                    assert found == (expected[-1] if expected else None)


def test_a_list_that_grew_is_grouped_again() -> None:
    day = dt.date(2026, 1, 1)
    evidence: list[object] = [_evidence(CostEvidence, day, 1)]
    assert [i for i, _ in dated(evidence, CostEvidence, day)] == [0]
    evidence.append(_evidence(CostEvidence, day, 2))
    assert [i for i, _ in dated(evidence, CostEvidence, day)] == [0, 1]


class _Checks:
    """What `latest_check` reads of a record."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = checks
