"""Parse one YAML document into plain data and a key-path -> position table.

PyYAML's composer builds a node tree recursively (libyaml's C composer crashes
on very deep input) and keeps the last of two duplicate keys without a word.
This module builds the data itself from the parser's event stream, with an
explicit stack, so it can bound depth and alias expansion, refuse duplicate
keys and tags, and remember where every key and item starts.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events

from ..core.findings import KeyPath
from . import yamlfast
from .yaml_hints import explain
from .yamldata import STR, TAG, Parsed, Problem, construct, plain

try:  # libyaml is several times faster; the pure-Python parser is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 50
MAX_ALIAS_NODES = 10_000

_SCALAR_TAGS = {TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {TAG + "map", TAG + "seq"}


class _Abort(Exception):
    """Stop composing: the document cannot be trusted any further."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _problem(rule: str, mark: Any, message: str) -> Problem:
    line, column = _pos(mark)
    return Problem(rule, line, column, message)


def _scalar(ev: events.ScalarEvent) -> object:
    """Resolve a scalar like YAML 1.1's safe schema does, without constructing nodes."""
    tag = ev.tag
    if tag is None:
        if not ev.implicit[0]:
            return ev.value  # quoted: text
        try:
            return plain(ev.value)
        except KeyError:  # `<<` or `=`: see yamldata.plain
            raise _Abort(_problem("R004", ev.start_mark, _key_message(ev.value))) from None
    if tag == "!" or tag == STR:
        return ev.value
    if tag not in _SCALAR_TAGS:
        raise _Abort(_problem("R001", ev.start_mark, _tag_message(tag)))
    return construct(tag, ev.value)


def _key_message(value: str) -> str:
    what = "merge" if value == "<<" else "value"
    return (
        f"a bare {value} is YAML 1.1's {what} key, not a value; "
        f'quote it ("{value}") if you meant the text'
    )


def _tag_message(tag: str) -> str:
    shown = tag.replace(TAG, "!!")
    return f"YAML tag {shown} is not allowed: a record holds plain data only; remove the tag"


class _Composer:
    """Build plain data from events with an explicit stack.

    This is the hot loop of loading a registry, hence the flat frames
    ([container, path, anchor, nodes, key]) and the dispatch on event class.
    """

    def __init__(self, out: Parsed) -> None:
        self.out = out
        self.stack: list[list[Any]] = []
        self.anchors: dict[str, tuple[object, int]] = {}
        self.alias_nodes = 0
        self.root_set = False
        self.documents = 0

    def run(self, loader: Any) -> None:
        """Consume every event of the loader."""
        stack = self.stack
        positions = self.out.positions
        scalar_cls, alias_cls = events.ScalarEvent, events.AliasEvent
        mapping_start, sequence_start = events.MappingStartEvent, events.SequenceStartEvent
        ends = (events.MappingEndEvent, events.SequenceEndEvent)
        get_event = loader.get_event
        while True:
            ev = get_event()
            cls = ev.__class__
            if cls is scalar_cls:
                top = stack[-1] if stack else None
                if top is not None and top[4] is None and top[0].__class__ is dict:
                    self._set_key(top, ev)
                    continue
                if top is not None and top[0].__class__ is list:
                    mark = ev.start_mark
                    positions[(*top[1], len(top[0]))] = (mark.line + 1, mark.column + 1)
                value = _scalar(ev) if ev.tag is not None or ev.implicit[0] else ev.value
                if ev.anchor is not None:
                    self.anchors[ev.anchor] = (value, 1)
                self._attach(value, 1)
            elif cls in ends:
                frame = stack.pop()
                if frame[2] is not None:
                    self.anchors[frame[2]] = (frame[0], frame[3])
                self._attach(frame[0], frame[3])
            elif cls is mapping_start or cls is sequence_start:
                self._open(ev, cls is mapping_start)
            elif cls is alias_cls:
                self._alias(ev)
            elif cls is events.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise _Abort(
                        _problem(
                            "R010",
                            ev.start_mark,
                            "a second YAML document starts here; a record file holds one mapping",
                        )
                    )
            elif cls is events.StreamEndEvent:
                return

    def _set_key(self, top: list[Any], ev: events.ScalarEvent) -> None:
        # Keys are field names: keep the text as written, so `on:` stays "on", not True.
        key = ev.value
        mark: Any = ev.start_mark
        if ev.tag is not None and ev.tag != "!" and ev.tag != STR:
            raise _Abort(_problem("R001", mark, _tag_message(ev.tag)))
        path = (*top[1], key)
        if key in top[0]:
            first = self.out.positions.get(path, (0, 0))[0]
            message = f"duplicate key '{key}' (first on line {first}); keep one of them"
            self.out.problems.append(_problem("R002", mark, message))
        else:
            self.out.positions[path] = (mark.line + 1, mark.column + 1)
        top[4] = key

    def _wants_key(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and isinstance(top[0], dict) and top[4] is None

    def _open(self, ev: Any, mapping: bool) -> None:
        if ev.tag not in (None, "!") and ev.tag not in _COLLECTION_TAGS:
            raise _Abort(_problem("R001", ev.start_mark, _tag_message(ev.tag)))
        if self._wants_key():
            raise _Abort(
                _problem("R004", ev.start_mark, "a key must be plain text, not a list or mapping")
            )
        if len(self.stack) >= MAX_DEPTH:
            raise _Abort(_problem("R008", ev.start_mark, f"nesting deeper than {MAX_DEPTH} levels"))
        path = self._child_path(ev.start_mark)
        self.stack.append([{} if mapping else [], path, ev.anchor, 1, None])

    def _child_path(self, mark: Any) -> KeyPath:
        if not self.stack:
            self.out.positions[()] = _pos(mark)
            return ()
        top = self.stack[-1]
        if isinstance(top[0], dict):
            return (*top[1], top[4])
        path = (*top[1], len(top[0]))
        self.out.positions[path] = _pos(mark)
        return path

    def _alias(self, ev: events.AliasEvent) -> None:
        if self._wants_key():
            raise _Abort(_problem("R004", ev.start_mark, "an alias cannot be a key"))
        if ev.anchor not in self.anchors:
            raise _Abort(_problem("R001", ev.start_mark, f"unknown alias *{ev.anchor}"))
        value, nodes = self.anchors[ev.anchor]
        self.alias_nodes += nodes
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise _Abort(
                _problem(
                    "R008",
                    ev.start_mark,
                    f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes; write the data out",
                )
            )
        if self.stack and isinstance(self.stack[-1][0], list):
            self._child_path(ev.start_mark)
        self._attach(value, nodes)

    def _attach(self, value: object, nodes: int) -> None:
        stack = self.stack
        if not stack:
            self.out.data = value
            self.root_set = True
            return
        top = stack[-1]
        top[3] += nodes
        container = top[0]
        if container.__class__ is list:
            container.append(value)
            return
        if top[4] not in container:
            container[top[4]] = value
        top[4] = None


def parse(text: str) -> Parsed:
    """Parse `text` as exactly one YAML document into plain data, safely.

    A record in the plain subset of YAML is read by `yamlfast`, which gives the same
    result faster; any other text by `parse_events`, which alone reports problems.
    """
    fast = yamlfast.read(text)
    return fast if fast is not None else parse_events(text)


def parse_events(text: str) -> Parsed:
    """Parse `text` from libyaml's events, whatever YAML it holds, and report problems."""
    out = Parsed()
    composer = _Composer(out)
    loader = _Loader(text)
    try:
        composer.run(loader)
    except _Abort as stop:
        out.problems.append(stop.problem)
        out.data = None
        return out
    except yaml.MarkedYAMLError as err:
        out.problems.append(_syntax_problem(err, text))
        out.data = None
        return out
    except yaml.reader.ReaderError as err:
        out.problems.append(_reader_problem(err, text))
        out.data = None
        return out
    except yaml.YAMLError as err:  # any other refusal of the parser is still a finding
        out.problems.append(Problem("R001", 1, 1, f"YAML syntax error: {err}"))
        out.data = None
        return out
    finally:
        loader.dispose()
    _check_root(out, composer.root_set)
    return out


def _syntax_problem(err: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = err.problem_mark or err.context_mark
    context = err.context or ""
    unclosed = context.startswith(("while parsing a flow", "while scanning a quoted"))
    if unclosed and err.context_mark is not None and mark is not None:
        # The parser only notices an unclosed bracket or quote far below it.
        what = "quote" if "quoted" in context else "bracket"
        opened = err.context_mark
        return Problem(
            "R001",
            *_pos(opened),
            f"YAML syntax error: this {what} is not closed "
            f"(the parser gave up at line {mark.line + 1}: {err.problem})",
        )
    line, column = _pos(mark) if mark is not None else (1, 1)
    problem = err.problem or "invalid YAML"
    if "maximum nesting depth" in problem:
        return Problem("R008", line, column, f"nesting deeper than {MAX_DEPTH} levels")
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        problem = "a tab character cannot indent YAML; indent with spaces"
    elif (hint := explain(err, text)) is not None:
        line, column, problem = hint
    elif err.context:
        problem = f"{problem} ({err.context})"
    return Problem("R001", line, column, f"YAML syntax error: {problem}")


def _reader_problem(err: yaml.reader.ReaderError, text: str) -> Problem:
    """Locate a character YAML refuses to read (a control character, U+FFFE, ...)."""
    at = max(0, min(err.position, len(text)))
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    code = err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "?")
    return Problem(
        "R009",
        line,
        column,
        f"the file contains the invisible character U+{code:04X}, which YAML does not "
        "allow in a file; delete it",
    )


def _check_root(out: Parsed, root_set: bool) -> None:
    data = out.data
    if isinstance(data, dict):
        return
    if not root_set or data is None:
        out.empty = True
        message = "the file is empty; a record is a YAML mapping (start from `portfolio new ID`)"
    elif isinstance(data, list):
        message = "the file holds a list; a record is a single YAML mapping of fields"
    else:
        message = "the file holds a single value; a record is a YAML mapping of fields"
    line, column = out.positions.get((), (1, 1))
    out.problems.append(Problem("R010", line, column, message))
    out.data = None


# --- writing YAML text ---------------------------------------------------------------


def _printable(o: int) -> bool:
    """Return whether YAML keeps this code point as it is inside a quoted scalar.

    That is YAML 1.1's printable set less the byte-order mark and the two Unicode line
    breaks, which a YAML reader folds like a newline.
    """
    return (
        0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000
    ) and o not in (0xFEFF, 0x2028, 0x2029)


def _yaml_char(ch: str) -> str:
    o = ord(ch)
    if ch in '"\\':
        return "\\" + ch
    if _printable(o):
        return ch
    if 0xD800 <= o <= 0xDFFF:  # a lone surrogate cannot be written as UTF-8 at all
        return "\\uFFFD"
    return f"\\x{o:02X}" if o <= 0xFF else f"\\u{o:04X}"


def quote(value: object) -> str:
    """Return a YAML double-quoted scalar that reads back as exactly `value`, any Unicode.

    Front matter must parse, or MkDocs silently keeps it as page text. JSON's
    `\\ud83d\\ude80` surrogate escapes are not YAML, so characters are written as they
    are and only those YAML cannot hold are escaped.
    """
    return '"' + "".join(map(_yaml_char, str(value))) + '"'
