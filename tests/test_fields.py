"""generator.core.fields: the shortcuts of the validators hold for every input they skip."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from generator.core import fields


def test_no_unshown_character_is_printable() -> None:
    """`refused_text` skips the UNSHOWN search for printable text: none of them is printable."""
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


def _refused(values: list[str]) -> dict[int, str]:
    """Return the index and message of each value a `Text` field refuses."""
    try:
        TypeAdapter(list[fields.Text]).validate_python(values, strict=True)
    except ValidationError as err:
        return {int(e["loc"][0]): fields.error_message(e) for e in err.errors()}
    return {}


@pytest.mark.parametrize(
    "around", ["{}", "x{}", "{}x", "{} "], ids=["alone", "after", "before", "spaced"]
)
def test_text_refuses_what_refused_text_refuses_for_every_character(around: str) -> None:
    """A `Text` is checked by a pattern in the validator's core, whose white space and
    character classes are not Python's: it refuses each character, alone or beside
    others, exactly when `refused_text` does, and says why in its words."""
    codes = [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    values = [around.format(chr(c)) for c in codes]
    expected = {k: why for k, v in enumerate(values) if (why := fields.refused_text(v))}
    assert _refused(values) == expected
    assert len(expected) > 60  # white space and UNSHOWN, not nothing


def test_an_empty_text_is_too_short_not_blank() -> None:
    """Length is checked before the pattern, as it was before the validator."""
    with pytest.raises(ValidationError) as err:
        TypeAdapter(fields.Text).validate_python("", strict=True)
    assert [e["type"] for e in err.value.errors()] == ["string_too_short"]
