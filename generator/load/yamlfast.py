"""The fast path of `yamlsrc.parse`: the plain YAML record files are written in, line by line.

libyaml parses a 3 KB record quickly, but PyYAML hands over every event as Python
objects with two marks each, and composing them costs as much again: half a
millisecond a record, most of `portfolio validate`. Record files use a small part of
YAML: block mappings and sequences indented with spaces, keys of letters, digits, `_`
and `-`, one-line plain and double-quoted scalars, flow collections (on one line or
wrapped over several), comments. `read` reads that part with a few string operations
and regular-expression matches a line, and `yamlflow` reads the flow collections. A
mapping line seen in an earlier record (most are) is not read again (`_key_lines`).

Anything else returns None and the event parser reads the file, as it always did:
tabs, CR, odd characters, anchors, aliases, tags, escapes, single quotes, block and
multi-line scalars, complex keys, a document marker, duplicate keys, deep nesting, any
syntax error. So every problem is still found and worded by `yamlsrc`, and what this
accepts it reads as libyaml does: the same data (plain scalars resolved by
`yamldata.plain`) and the same position for every key and item (tests/test_yamlfast.py
compares the two parsers on records, on edge cases and on mutated records).
"""

from __future__ import annotations

import bisect
import re

from ..core.findings import KeyPath
from .yamldata import Memo, Parsed, plain
from .yamlflow import MAX_DEPTH, NAME, Defer, FlowReader

_KEY = re.compile(rf"({NAME}):(?: +|$)")
# A line of a block mapping: a key as `_KEY` has it, then, the usual line of a record,
# the scalar filling the rest of the line: a one-line double-quoted scalar (group 2; the
# reader refuses one holding a backslash, an escape), or a plain one that `_block_plain`
# reads as it is (group 3), each maybe followed by a comment. Else the match ends after
# the key and its spaces, and what follows is read a step at a time.
_KEY_LINE = re.compile(
    rf"({NAME}):(?:\Z| ++(?:"
    r"""(?:"([^"]*+)"|"""
    r"""((?:[^-?:,\[\]{}#&*!|>'"%@` ]|-[0-9.])(?:[^: ]++|:(?=[^ ])| ++(?=[^ #]))*+))"""
    r"(?: ++#.*+)?\Z)?+)"
)
_MARKER = re.compile(r"(?:---|\.\.\.)(?: |$)")  # a document marker, even inside brackets
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"  # see `_printable`
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NULL = plain("")
Line = tuple[int, int, str]  # 1-based line number, indentation, text after it
_NOT_A_KEY = frozenset('{["')  # how a flow collection or a quoted scalar starts
_MORE, _ESCAPED = object(), object()  # see `_key_line`


def read(text: str) -> Parsed | None:
    """Return what `yamlsrc.parse` returns for a plain record, or None to let it parse."""
    if not _printable(text):
        return None
    raw = text.split("\n")
    lines: list[Line] = [
        (number, len(line) - len(content), content)
        for number, line in enumerate(raw, 1)
        if (content := line.lstrip(" ")) and content[0] != "#"  # blank, comment: nothing
    ]
    if not lines or lines[0][1] != 0:
        return None
    if " \n" in text or text.endswith(" "):  # trailing spaces, seldom written
        lines = [(number, at, content.rstrip(" ")) for number, at, content in lines]
    # A last line less indented than any: every block ends there, so no loop counts lines.
    lines.append((len(raw) + 1, -1, ""))
    reader = _Reader(lines, raw)
    reader.positions[()] = (lines[0][0], 1)
    try:
        data = reader.mapping(0, (), 0)
    except (Defer, KeyError):  # KeyError: `plain` on `<<` or `=` (see yamldata.plain)
        return None
    if reader.at != len(lines) - 1:
        return None
    return Parsed(data, reader.positions)


class _Reader(FlowReader):
    """Block structure from the lines' indentation; `at` is the next line to read."""

    __slots__ = ("at", "lines", "raw")

    def __init__(self, lines: list[Line], raw: list[str]) -> None:
        super().__init__()
        self.lines = lines
        self.raw = raw
        self.at = 0

    def mapping(self, indent: int, path: KeyPath, depth: int) -> dict[str, object]:
        """Read the keys at `indent` from the current line on."""
        if depth > MAX_DEPTH:
            raise Defer
        out: dict[str, object] = {}
        lines, positions = self.lines, self.positions
        while True:
            number, at, content = lines[self.at]
            if at != indent:
                if at < indent:
                    return out
                raise Defer
            line = _key_lines(content)
            if line is None:
                raise Defer
            key, value, end = line
            if key in out:
                raise Defer  # R002: the event parser words it
            here = path + (key,)  # noqa: RUF005 - see FlowReader
            positions[here] = (number, at + 1)
            self.at += 1
            if value is _MORE:
                if end < len(content):
                    out[key] = self.inline(content, end, number, at, at, here, depth)
                else:
                    out[key] = self.nested(at, here, depth)
            elif value is _ESCAPED or lines[self.at][1] > at:
                raise Defer  # an escape; a multi-line scalar or a syntax error
            else:
                out[key] = value

    def nested(self, indent: int, path: KeyPath, depth: int) -> object:
        """Read the block under `key:`: deeper keys or items, items at its indent, or null."""
        _, at, content = self.lines[self.at]
        item = content.startswith("- ")
        if at > indent:
            return self.sequence(at, path, depth + 1) if item else self.mapping(at, path, depth + 1)
        if at == indent and item:
            return self.sequence(at, path, depth + 1)
        if content == "-":
            raise Defer
        return _NULL

    def sequence(self, indent: int, path: KeyPath, depth: int) -> list[object]:
        """Read the `- ` items at `indent` from the current line on."""
        if depth > MAX_DEPTH:
            raise Defer
        out: list[object] = []
        lines, positions = self.lines, self.positions
        while True:
            number, at, content = lines[self.at]
            if at != indent or not content.startswith("- "):
                if at > indent or content == "-":
                    raise Defer
                return out
            i = 2 if content[2] != " " else len(content) - len(content[2:].lstrip(" "))
            here = path + (len(out),)  # noqa: RUF005 - see FlowReader
            positions[here] = (number, at + i + 1)
            if content[i] not in _NOT_A_KEY:  # else the usual `- {...}`, a flow collection
                rest = content[i:]
                if rest.startswith("- ") or rest == "-":
                    raise Defer  # a sequence in a sequence
                if _KEY.match(rest):  # `- key: ...` opens a mapping at the key's column
                    lines[self.at] = (number, at + i, rest)
                    out.append(self.mapping(at + i, here, depth + 1))
                    continue
            self.at += 1
            out.append(self.inline(content, i, number, at, indent, here, depth))

    def inline(self, text: str, i: int, number: int, column: int, owner: int, path: KeyPath,
               depth: int) -> object:  # fmt: skip
        """Read the value from text[i] to the end of its line, after a key or `- ` at `owner`.

        `text` is the line from its first character on, which is at `column`.
        """
        first = text[i]
        value: object
        if first == "{" or first == "[":
            start = len(self.positions)
            try:  # as `flow` would, without the call
                if first == "{":
                    value, end = self.flow_mapping(text, i, number, column, path, depth + 1)
                else:
                    value, end = self.flow_sequence(text, i, number, column, path, depth + 1)
            except Defer:
                rest = text[i:]
                if rest.count("[") + rest.count("{") <= rest.count("]") + rest.count("}"):
                    raise  # closed on its line: not a collection wrapped over lines
                for key in list(self.positions)[start:]:  # what the first attempt found
                    del self.positions[key]
                return self.wrapped(rest, number, column + i, owner, path, depth)
        elif first == '"':
            value, end = _quoted(text, i)
        else:
            value, end = _block_plain(text[i:]), len(text)
        if end < len(text):
            tail = text[end:]
            if not (tail[0] == " " and tail.lstrip(" ")[:1] == "#"):
                raise Defer
        if self.lines[self.at][1] > owner:
            raise Defer  # a multi-line scalar or a syntax error
        return value

    def wrapped(self, rest: str, number: int, column: int, owner: int, path: KeyPath,
                depth: int) -> object:  # fmt: skip
        """Read a flow collection wrapped over lines, as people write long ones by hand.

        The following lines are joined to this one's, so their line breaks are spaces to
        the regular expressions, and the positions found in the joined text are then
        turned into lines and columns.
        """
        following = self.raw[number:]
        text = "\n".join([rest, *following])
        start = len(self.positions)
        value, end = self.flow(text, 0, 0, 0, path, depth + 1)  # positions: (0, offset + 1)
        breaks = [i for i, c in enumerate(text[:end]) if c == "\n"]
        last = number + len(breaks)  # the line the collection closes on
        if any(_MARKER.match(line) for line in following[: len(breaks)]):
            raise Defer  # libyaml ends the document there
        tail = text[end:].split("\n", 1)[0]
        if tail.strip(" ") and not (tail[0] == " " and tail.lstrip(" ")[0] == "#"):
            raise Defer
        for key in list(self.positions)[start:]:
            offset = self.positions[key][1] - 1
            row = bisect.bisect(breaks, offset)
            if row == 0:
                self.positions[key] = (number, column + offset + 1)
            else:
                self.positions[key] = (number + row, offset - breaks[row - 1])
        while self.lines[self.at][0] <= last:  # the last line's number is beyond any
            self.at += 1
        if self.lines[self.at][1] > owner:
            raise Defer
        return value


def _key_line(content: str) -> tuple[str, object, int] | None:
    """Read a line of a block mapping (see `_KEY_LINE`); None if it starts with no key.

    Return the key, then the scalar filling the rest of the line and 0, or `_MORE` and
    where the rest of the line starts, to be read a step at a time (`_ESCAPED` for a
    quoted scalar with an escape, which the event parser reads).
    """
    found = _KEY_LINE.match(content)
    if found is None:
        return None
    key, quoted, bare = found.groups()
    if bare is not None:
        return key, plain(bare), 0
    if quoted is not None:
        return key, _ESCAPED if "\\" in quoted else quoted, 0
    return key, _MORE, found.end()


# Records repeat most of their mapping lines (`stage: pilot`, `    unit: hours`): four in
# five of the realistic ones were seen in an earlier record. Each is read once.
_key_lines = Memo(_key_line).__getitem__


def _printable(text: str) -> bool:
    """Return whether every character but the line breaks is one Python calls printable.

    Tab, CR, NEL, U+2028, the byte-order mark, a control or format character, a space
    other than ' ': the event parser knows what libyaml makes of them. What Python calls
    printable libyaml reads as it is, one character a column. Printable ASCII and line
    breaks (most of a record, often all) are dropped from the UTF-8 bytes first, which
    is cheaper than asking `str.isprintable` about them; dropping ASCII leaves every
    other character whole. `surrogatepass` lets a lone surrogate through to be refused.
    """
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PRINTABLE_ASCII)
    return not rest or rest.decode("utf-8", "surrogatepass").isprintable()


def _quoted(text: str, i: int) -> tuple[str, int]:
    """Read a one-line double-quoted scalar without escapes at text[i]."""
    end = text.find('"', i + 1)
    if end < 0 or "\\" in text[i + 1 : end]:
        raise Defer
    return text[i + 1 : end], end + 1


def _block_plain(rest: str) -> object:
    """Read a plain scalar that fills the rest of a line, less a comment."""
    cut = rest.find(" #")
    text = rest if cut < 0 else rest[:cut].rstrip(" ")
    first = text[0]
    if first in _INDICATORS and not (first == "-" and text[1:2] in tuple("0123456789.")):
        raise Defer
    if ": " in text or text.endswith(":"):
        raise Defer
    return plain(text)
