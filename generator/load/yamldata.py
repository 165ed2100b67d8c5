"""What parsing a record yields, and how a plain scalar reads: shared by both parsers.

`yamlsrc` reads any YAML from libyaml's events; `yamlfast` reads the plain subset record
files are written in, line by line. Both build a `Parsed` and resolve every plain scalar
with `plain`, so the same text gives the same data whichever parser read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import yaml
from yaml.nodes import ScalarNode

from ..core.findings import KeyPath

TAG = "tag:yaml.org,2002:"
STR = TAG + "str"
_NUMBER_TAGS = {TAG + "int", TAG + "float"}
# YAML 1.1 numbers no one means: base 60 (`1:30` is 90) and a leading zero (`017` is 15).
YAML11_NUMBER = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|0[0-7_]+)$")
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_CACHE_LIMIT = 50_000
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Problem:
    """A defect found while parsing: rule code, 1-based position and message."""

    rule: str
    line: int
    column: int
    message: str


@dataclass(slots=True)
class Parsed:
    """Plain data (None if unusable), key positions, and the problems found."""

    data: object = None
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    empty: bool = False

    def locate(self, path: KeyPath) -> tuple[int, int]:
        """Return the 1-based (line, column) of the longest known prefix of `path`."""
        for end in range(len(path), -1, -1):
            pos = self.positions.get(path[:end])
            if pos is not None:
                return pos
        return (1, 1)


class Memo(dict[str, _T]):
    """A function of a text, memoised: `memo[text]` is `make(text)`, made once.

    A text seen before costs a dictionary look-up and no Python call; one not seen
    yet goes to `__missing__`. Past `limit` texts the memo starts afresh, so a long
    run cannot grow it without bound. What `make` returns is shared: it must not
    be changed.
    """

    __slots__ = ("limit", "make")

    def __init__(self, make: Callable[[str], _T], limit: int = _CACHE_LIMIT) -> None:
        super().__init__()
        self.make = make
        self.limit = limit

    def __missing__(self, text: str) -> _T:
        value = self.make(text)  # what it raises, the look-up raises
        if len(self) > self.limit:
            self.clear()
        self[text] = value
        return value


def _resolve(value: str) -> object:
    """Resolve and construct a plain scalar; a bare `<<` or `=` raises KeyError.

    YAML 1.1 resolves those two to merge and value tags that the safe constructor
    does not build.
    """
    tag = _resolver.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    if tag in _NUMBER_TAGS and YAML11_NUMBER.match(value):
        tag = STR  # the model then refuses the text, with a hint (see load/registry.py)
    return value if tag == STR else construct(tag, value)


plain: Callable[[str], object] = Memo(_resolve).__getitem__
"""Resolve and construct a plain scalar (see `_resolve`), memoised by its text.

Records repeat dates, numbers, booleans and words, and every value this schema
constructs (str, int, float, bool, None, date) is immutable, so the same text may
share one object. The fast reader looks up every plain scalar of a record.
"""


def construct(tag: str, value: str) -> object:
    """Construct a scalar of a safe tag, keeping the text when it is not a valid one."""
    node = ScalarNode(tag, value, None, None, None)
    try:
        return _constructor.yaml_constructors[tag](_constructor, node)
    except (ValueError, TypeError, OverflowError, yaml.constructor.ConstructorError):
        # e.g. the "date" 2026-13-45: keep the text; the model reports it as R004.
        return value
