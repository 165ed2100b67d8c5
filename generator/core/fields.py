"""The field types every record model is built from: dates, text, slugs, URLs, bounded numbers.

Each type validates on its own and says in the JSON Schema what it accepts; `model`
composes them into a record, `policy` into the policy file. Every scalar type is strict
(a quoted "3" is no number, 1 is no boolean), whatever model holds it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic.dataclasses import is_pydantic_dataclass
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from . import urls

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# What YAML 1.1 does not allow in a file, less tab and line breaks (C0 and C1 controls,
# DEL, U+FFFE, U+FFFF; a "\x03" escape still puts one in), and the direction overrides
# and isolates (U+202A-E, U+2066-9) that make text read otherwise than it is stored: no
# page, chart (SVG is XML) or spreadsheet shows them as written, so text may not hold them.
_UNSHOWN = (
    r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f"
    r"\u202a-\u202e\u2066-\u2069\ufffe\uffff"
)
UNSHOWN = re.compile(f"[{_UNSHOWN}]")
UNSHOWN_PATTERN = f"^[^{_UNSHOWN}]*$"  # the same, for the JSON Schema
# Text a page can show: something other than white space, and nothing of UNSHOWN. The
# validator's core checks it (a record has about 30 texts, and a Python validator costs
# a call out of it for each); `refused_text` words a refusal.
SHOWN_PATTERN = f"^[^{_UNSHOWN}]*[^\\s{_UNSHOWN}][^{_UNSHOWN}]*$"


def _iso_date(value: object) -> dt.date:
    if value.__class__ is dt.date and FIRST_DAY <= value <= LAST_DAY:
        return value  # as YAML gives it, the usual case
    return _in_range(_parse_date(value))


def _in_range(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PydanticCustomError(
            "date_type",
            "{value} is out of range: dates are from {first} to {last}",
            {
                "value": day.isoformat(),
                "first": FIRST_DAY.isoformat(),
                "last": LAST_DAY.isoformat(),
            },
        )
    return day


def _parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_type", "a date has no time of day: write YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as err:
            raise PydanticCustomError(
                "date_type", "'{value}' is not a real date ({why})", {"value": value, "why": err}
            ) from None
    raise PydanticCustomError(
        "date_type", "expected a date written YYYY-MM-DD, got {value}", {"value": repr(value)}
    )


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise PydanticCustomError(
            "R006", "'{value}' is not a slug: use lowercase a-z, 0-9 and '-'", {"value": value}
        )
    return value


def refused_text(value: str) -> str | None:
    """Return why a page cannot show this text (blank, or holding a character of
    UNSHOWN), or None if it can."""
    if not value.strip():  # an empty heading, a link with no text to click
        return "is blank; write the text"
    if value.isprintable():  # no control or format character, so none of UNSHOWN
        return None
    found = UNSHOWN.search(value)
    if found:
        return f"holds the invisible control character U+{ord(found.group()):04X}; delete it"
    return None


def error_message(error: Mapping[str, Any]) -> str:
    """Return the message of one of pydantic's errors, in our words for a refused text."""
    context = error.get("ctx") or {}
    if error["type"] == "string_pattern_mismatch" and context.get("pattern") == SHOWN_PATTERN:
        return refused_text(error["input"]) or error["msg"]
    return str(error["msg"])


def _shown(value: str) -> str:
    """Return text a page can show, or raise R004 saying why not (`refused_text`)."""
    why = refused_text(value)
    if why is not None:
        raise PydanticCustomError("refused_text", why)
    return value


def _url(value: str) -> str:
    """Return the URL parsed and re-serialised (see `urls`), or raise R015 saying why not."""
    try:
        return urls.normalise(value)
    except urls.BadUrl as err:
        raise PydanticCustomError(
            "R015", "URL '{value}' {why}", {"value": value, "why": str(err)}
        ) from None


Date = Annotated[
    dt.date, BeforeValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})
]
Text = Annotated[
    str,
    Field(
        strict=True,
        min_length=1,
        pattern=SHOWN_PATTERN,
        json_schema_extra={"pattern": UNSHOWN_PATTERN},
    ),
]
# A key of `links`; its JSON Schema is given there (model.py).
LinkName = Annotated[str, Field(strict=True), AfterValidator(_shown)]
Name = Annotated[str, Field(strict=True, pattern=SLUG.pattern)]  # a vocabulary word: failure modes
Slug = Annotated[
    str, Field(strict=True, json_schema_extra={"pattern": SLUG.pattern}), AfterValidator(_slug)
]
Url = Annotated[
    str,
    Field(
        strict=True,
        json_schema_extra={"pattern": "^([hH][tT][tT][pP][sS]?://|[mM][aA][iI][lL][tT][oO]:)"},
    ),
    AfterValidator(_url),
]
# Bounds no real figure reaches (a trillion samples or users, 10^15 USD), so arithmetic
# on a record (intervals, ratios, chart axes) cannot overflow; infinity and NaN are
# refused everywhere (the exports are strict JSON).
MAX_COUNT = 10**12
# Dates a record and --as-of may hold: date arithmetic (a pilot's due date, a century of
# stage bounds) never leaves Python's calendar.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
MAX_NUMBER = 1e15
# Lists a person reads on one page: more would be noise, and would slow every build.
MAX_TAGS = 100
MAX_PEOPLE = 100
Number = Annotated[float, Field(strict=True, ge=-MAX_NUMBER, le=MAX_NUMBER)]
Ratio = Annotated[float, Field(strict=True, ge=0, le=1)]
NonNegative = Annotated[float, Field(strict=True, ge=0, le=MAX_NUMBER)]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNT)]
CheckName = Annotated[
    str,
    Field(
        strict=True,
        pattern=r"^(data-access|data-gaps|security-review|integration-test|rollback-plan|sla-draft|monitoring-dashboards|on-call|x-[a-z0-9-]+)$",
    ),
]
RuleCode = Annotated[str, Field(strict=True, pattern=r"^[RGS]\d{3}$")]


def empty_list() -> Any:
    """Return the default of a list a record may leave out: a new empty one each time.

    A plain `[]` default is deep-copied for every model that leaves the field out (a
    Python call from the validator each time); a factory is not. The JSON Schema still
    says `[]`. Keyword-only, as every field of a record's models is (see `model`).
    """
    return Field(default_factory=list, kw_only=True, json_schema_extra={"default": []})


def empty_mapping() -> Any:
    """Return the default of a mapping a record may leave out, as `empty_list` does."""
    return Field(default_factory=dict, kw_only=True, json_schema_extra={"default": {}})


class Strict(BaseModel):
    """Base of the policy file's models: strict types, unknown keys rejected, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


# A record's models are frozen dataclasses with slots that pydantic validates (see
# `model`), not `Strict` models: pydantic's models answer every attribute read through a
# `__getattr__` hook that Python cannot speed up (four times the cost of a dataclass
# slot; the record rules read about a thousand a record), and each carries a dict and a
# set of its own (a record took 24 KB, now 5 KB). Their scalar fields are strict by type
# (above); a list, mapping or nested model accepts any sequence or mapping, and YAML
# gives only lists and mappings.
RECORD_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False)


def is_model(typ: object) -> bool:
    """Return whether a type is one of the models here: a record's or the policy's."""
    return isinstance(typ, type) and (issubclass(typ, BaseModel) or is_pydantic_dataclass(typ))


def fields_of(model: type) -> dict[str, FieldInfo]:
    """Return the fields of a record's or the policy's model, in order."""
    fields: dict[str, FieldInfo] = model.__pydantic_fields__  # type: ignore[attr-defined]
    return fields
