"""generator.core.fields: the shortcuts of the validators hold for every input they skip."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from pydantic_core import PydanticCustomError

from generator.core import fields


def test_no_unshown_character_is_printable() -> None:
    """`_shown` skips the UNSHOWN search for printable text: none of them is printable."""
    printable = [c for c in map(chr, range(sys.maxunicode + 1)) if fields.UNSHOWN.match(c)]
    assert printable and not any(c.isprintable() for c in printable)


@pytest.mark.parametrize(
    "value",
    [dt.date(2026, 1, 2), dt.date(1899, 12, 31), dt.date(3000, 1, 1),
     dt.datetime(2026, 1, 2, 3, 4), "2026-01-02", "2026-02-30", 20260102],
)  # fmt: skip
def test_a_date_is_judged_as_before(value: object) -> None:
    def judged(fn: object) -> object:
        try:
            return fn(value)  # type: ignore[operator]
        except PydanticCustomError as err:
            return (err.type, err.message())

    assert judged(fields._iso_date) == judged(lambda v: fields._in_range(fields._parse_date(v)))
