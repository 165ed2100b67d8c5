"""Flow collections for `yamlfast`: `{key: value, ...}` and `[item, ...]`, nested or not.

`FlowReader` reads one that starts at an index of a text: the rest of a record's line,
or for a collection wrapped over lines the rest of the file from there, its line breaks
read as spaces (`yamlfast` turns the positions found into lines and columns). It reads
what libyaml reads, the same data and the same position for every key and item, or
raises `Defer`; `yamlfast` says which part of YAML that is.
"""

from __future__ import annotations

import re

from ..core.findings import KeyPath
from .yamldata import plain

# A key; libyaml refuses one longer than 1,024 characters (a "simple key"), these are short.
NAME = r"[A-Za-z_][A-Za-z0-9_-]{0,99}"
_FLOW_KEY = re.compile(rf"({NAME}): +")
# A plain scalar in a flow collection, up to the next `,`, bracket or comment. It holds a
# ':' or '?' only before a letter, digit or '/' (a URL's), and no other space than ' '.
# It never ends with a space: spaces before a comma, bracket or line break are the
# entry's, so the scalar needs no stripping.
_FLOW_PLAIN = (
    r"(?:[^\s,\[\]{}#:\"'&*!|>%@`?-]|-[0-9.])"
    r"(?:[^\s,\[\]{}#:?]++|[:?](?=[A-Za-z0-9/])|(?<! )#| ++(?=[^ #,\[\]{}\n]))*+"
)
# A one-line double-quoted scalar without escapes, or a plain one.
_SCALAR = rf'(?:"([^"\\\n]*)"|({_FLOW_PLAIN}))'
# An entry of a flow mapping or sequence holding a scalar, the spaces, line breaks and
# comma after it, or its closing bracket (the last group).
_MAP_ENTRY = re.compile(rf"{_FLOW_KEY.pattern}{_SCALAR}[ \n]*(?:,[ \n]*|(\}}))")
_SEQ_ENTRY = re.compile(rf"{_SCALAR}[ \n]*(?:,[ \n]*|(\]))")
# The same entries when the scalar is quoted or a plain word, number, date, address or URL
# (most are): where these match, the two above match alike, but several times faster.
_WORD = r"[A-Za-z0-9][A-Za-z0-9._/@+-]*+(?::(?=[A-Za-z0-9/])[A-Za-z0-9._/@+-]*+)*+"
_SIMPLE = rf'(?:"([^"\\\n]*+)"|({_WORD}))'
_SIMPLE_MAP_ENTRY = re.compile(rf"{_FLOW_KEY.pattern}{_SIMPLE}[ \n]*+(?:,[ \n]*+|(\}}))")
_SIMPLE_SEQ_ENTRY = re.compile(rf"{_SIMPLE}[ \n]*+(?:,[ \n]*+|(\]))")
# The rest of the usual flow collection, from its first entry to its closing bracket:
# `key: word, key: word}` or `word, word]`, every value a word as above and every comma
# followed by one space. A word holds no ", " nor ": ", so where these match `str.split`
# takes the entries apart, at a fraction of the cost of a match an entry; the entries
# are those the match an entry would find, one after another.
_WORD_PAIR = rf"{NAME}: {_WORD}"
_WORD_MAP = re.compile(rf"{_WORD_PAIR}(?:, {_WORD_PAIR})*+\}}")
_WORD_SEQ = re.compile(rf"{_WORD}(?:, {_WORD})*+\]")
MAX_DEPTH = 20  # records nest 4 deep; deeper files are left to the depth-bounded parser
_BLANK = (" ", "\n")  # what `_skip` skips


class Defer(Exception):
    """Not the plain subset: let the event parser read the file."""


class FlowReader:
    """Reads flow collections, keeping the position of every key and item found.

    A key's path is `path + (key,)`: the `(*path, key)` ruff prefers builds a list first,
    which costs more here, where every key and item of a record gets one.
    """

    __slots__ = ("positions",)

    def __init__(self) -> None:
        self.positions: dict[KeyPath, tuple[int, int]] = {}

    def flow(self, text: str, i: int, number: int, column: int, path: KeyPath,
             depth: int) -> tuple[object, int]:  # fmt: skip
        """Read the one-line flow collection at text[i]; return it and the index after it.

        A collection of words (most of a record's) is split apart; else an entry holding
        a scalar is one regular-expression match, one holding a collection is read by
        calling this again.
        """
        if text[i] == "{":
            return self.flow_mapping(text, i, number, column, path, depth)
        return self.flow_sequence(text, i, number, column, path, depth)

    def flow_mapping(self, text: str, i: int, number: int, column: int, path: KeyPath,
                     depth: int) -> tuple[dict[str, object], int]:  # fmt: skip
        """Read `{key: value, ...}` at text[i]: split apart if of words (`_WORD_MAP`)."""
        if depth > MAX_DEPTH:
            raise Defer
        out: dict[str, object] = {}
        i += 1
        if text[i : i + 1] in _BLANK:
            i = _skip(text, i)
        if text[i : i + 1] == "}":
            return out, i + 1
        positions, start = self.positions, column + 1
        words = _WORD_MAP.match(text, i)
        if words is not None:
            end = words.end()
            for entry in text[i : end - 1].split(", "):
                key, _, value = entry.partition(": ")
                if key in out:
                    raise Defer  # R002: the event parser words it
                positions[path + (key,)] = (number, start + i)  # noqa: RUF005 - see FlowReader
                out[key] = plain(value)
                i += len(entry) + 2
            return out, end
        while True:
            found = _SIMPLE_MAP_ENTRY.match(text, i) or _MAP_ENTRY.match(text, i)
            if found is not None:
                key, quoted, bare, closed = found.groups()
                if key in out:
                    raise Defer  # R002: the event parser words it
                positions[path + (key,)] = (number, start + i)  # noqa: RUF005 - see FlowReader
                out[key] = quoted if quoted is not None else plain(bare)
                i = found.end()
            else:
                found = _FLOW_KEY.match(text, i)
                if found is None:
                    raise Defer
                key = found.group(1)
                if key in out:
                    raise Defer
                here = path + (key,)  # noqa: RUF005 - see FlowReader
                positions[here] = (number, start + i)
                out[key], i, closed = self.inner(
                    text, found.end(), number, column, here, depth, "}"
                )
            if closed is not None:
                return out, i

    def flow_sequence(self, text: str, i: int, number: int, column: int, path: KeyPath,
                      depth: int) -> tuple[list[object], int]:  # fmt: skip
        """Read `[item, ...]` at text[i]: split apart if of words (`_WORD_SEQ`)."""
        if depth > MAX_DEPTH:
            raise Defer
        out: list[object] = []
        i += 1
        if text[i : i + 1] in _BLANK:
            i = _skip(text, i)
        if text[i : i + 1] == "]":
            return out, i + 1
        positions, start = self.positions, column + 1
        words = _WORD_SEQ.match(text, i)
        if words is not None:
            end = words.end()
            for item in text[i : end - 1].split(", "):
                positions[path + (len(out),)] = (number, start + i)  # noqa: RUF005 - see FlowReader
                out.append(plain(item))
                i += len(item) + 2
            return out, end
        while True:
            here = path + (len(out),)  # noqa: RUF005 - see FlowReader
            positions[here] = (number, start + i)
            found = _SIMPLE_SEQ_ENTRY.match(text, i) or _SEQ_ENTRY.match(text, i)
            if found is not None:
                quoted, bare, closed = found.groups()
                out.append(quoted if quoted is not None else plain(bare))
                i = found.end()
            else:
                value, i, closed = self.inner(text, i, number, column, here, depth, "]")
                out.append(value)
            if closed is not None:
                return out, i

    def inner(self, text: str, i: int, number: int, column: int, path: KeyPath, depth: int,
              closer: str) -> tuple[object, int, str | None]:  # fmt: skip
        """Read a collection inside a flow collection, and the `,` or `closer` after it.

        Return the collection, the index after the comma and its spaces or after the
        closing bracket, and the bracket if it closed (None after a comma).
        """
        if text[i : i + 1] not in ("[", "{"):
            raise Defer  # an empty value, a quote with escapes, an indicator...
        value, i = self.flow(text, i, number, column, path, depth + 1)
        i = _skip(text, i)
        sign = text[i : i + 1]
        if sign == ",":
            return value, _skip(text, i + 1), None
        if sign != closer:
            raise Defer
        return value, i + 1, sign


def _skip(text: str, i: int) -> int:
    """Return the index of the first character at or after i that is not a space."""
    while text[i : i + 1] in _BLANK:  # a line break only in a wrapped collection
        i += 1
    return i
