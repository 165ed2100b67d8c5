"""The mapping file of `portfolio import`: which columns make which record field, and how."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..core.fields import UNSHOWN
from ..errors import UsageError
from .sheet import Cell, Row

Value = str | list[str] | dt.date | None


class Rule(BaseModel):
    """How one record field is read from a row (README, "Adopting the registry")."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: Annotated[list[str], Field(alias="from", min_length=1)]
    first: bool = False
    default: str | dt.date | None = None
    map: dict[str, str] = {}
    split: str | None = None
    slug: bool = False
    date_format: list[str] = []

    @field_validator("from_", "date_format", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("default", mode="before")
    @classmethod
    def _text_default(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value


class Mapping(BaseModel):
    """The whole mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sheet: str | None = None
    header_row: Annotated[int, Field(ge=1)] = 1
    id: Rule
    fields: dict[str, Rule]

    @field_validator("fields", mode="before")
    @classmethod
    def _plain_columns(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: {"from": v} if isinstance(v, str | list) else v for k, v in value.items()}
        return value


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file, or raise UsageError saying what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Mapping.model_validate(data)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise UsageError(f"{path}: {err}") from None
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{path}: {where}: {first['msg']}") from None


def slugify(text: str) -> str:
    """Return text as an id: ASCII letters and digits joined by single hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", plain.lower()))[:80].strip("-")


def text_of(cell: Cell) -> str:
    """Return a cell as clean text: trimmed, no control characters, 14.0 read as 14."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return UNSHOWN.sub("", str(cell)).strip()


def read_value(rule: Rule, row: Row, columns: list[str]) -> tuple[Value, str | None]:
    """Return the field's value from the row, or None and why it cannot be read."""
    missing = [c for c in rule.from_ if c not in columns]
    if missing:
        return None, f"no column {missing[0]!r} in the sheet"
    cells = [row.cells.get(c) for c in rule.from_]
    if rule.date_format:
        return _date(rule, cells)
    texts = [t for t in (text_of(c) for c in cells) if t]
    if rule.first:
        texts = texts[:1]
    if rule.split is not None:
        parts = [p.strip() for t in texts for p in t.split(rule.split.replace("\\n", "\n"))]
        items = [slugify(p) if rule.slug else p for p in parts if p.strip()]
        return [i for i in items if i], None
    joined = ("-" if rule.slug else " ").join(texts)
    if rule.map:
        lookup = {k.strip().casefold(): v for k, v in rule.map.items()}
        mapped = lookup.get(joined.casefold())
        if mapped is not None:
            return mapped, None
        if rule.default is not None:
            return rule.default, None
        return None, f"unknown value {joined!r} in {', '.join(rule.from_)}" if joined else None
    if not joined:
        return rule.default, None
    return (slugify(joined) if rule.slug else joined), None


def _date(rule: Rule, cells: list[Cell]) -> tuple[Value, str | None]:
    for cell in cells:
        if isinstance(cell, dt.date):
            return cell, None
        text = text_of(cell)
        if not text:
            continue
        for fmt in rule.date_format:
            try:
                return dt.datetime.strptime(text, fmt).date(), None
            except ValueError:
                continue
        return None, f"{text!r} is not a date written {' or '.join(rule.date_format)}"
    default = rule.default
    if isinstance(default, str):
        try:
            default = dt.date.fromisoformat(default)
        except ValueError:
            return None, f"default {default!r} is not a date written YYYY-MM-DD"
    return default, None


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """Return dotted keys ("owner.name") as nested mappings."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, last = key.split(".")
        here = out
        for p in parents:
            here = here.setdefault(p, {})
        here[last] = value
    return out
