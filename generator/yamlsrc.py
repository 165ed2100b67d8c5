"""Parse one YAML document into plain data and a key-path -> position table.

PyYAML's composer builds a node tree recursively (libyaml's C composer crashes
on very deep input) and keeps the last of two duplicate keys without a word.
This module builds the data itself from the parser's event stream, with an
explicit stack, so it can bound depth and alias expansion, refuse duplicate
keys and tags, and remember where every key and item starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events
from yaml.nodes import ScalarNode

from .findings import Path

try:  # libyaml is several times faster; the pure-Python parser is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 50
MAX_ALIAS_NODES = 10_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {_TAG + "map", _TAG + "seq"}
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


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
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, path: Path) -> tuple[int, int]:
        """Return the 1-based (line, column) of the longest known prefix of `path`."""
        for end in range(len(path), -1, -1):
            pos = self.positions.get(path[:end])
            if pos is not None:
                return pos
        return (1, 1)


class _Abort(Exception):
    """Stop composing: the document cannot be trusted any further."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(slots=True)
class _Frame:
    container: dict[str, object] | list[object]
    path: Path
    anchor: str | None
    nodes: int = 1
    key: str | None = None
    key_pos: tuple[int, int] = (1, 1)


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _problem(rule: str, mark: Any, message: str) -> Problem:
    line, column = _pos(mark)
    return Problem(rule, line, column, message)


def _scalar(ev: events.ScalarEvent) -> object:
    """Resolve a scalar like YAML 1.1's safe schema does, without constructing nodes."""
    tag = ev.tag
    if tag in (None, "!"):
        implicit = ev.implicit if tag is None else (False, False)
        tag = _resolver.resolve(ScalarNode, ev.value, implicit)  # type: ignore[no-untyped-call]
    elif tag not in _SCALAR_TAGS:
        raise _Abort(_problem("R001", ev.start_mark, _tag_message(tag)))
    if tag == _TAG + "str":
        return ev.value
    node = ScalarNode(tag, ev.value, None, None, ev.style)
    try:
        return _constructor.yaml_constructors[tag](_constructor, node)
    except (ValueError, TypeError, OverflowError, yaml.constructor.ConstructorError):
        # e.g. the "date" 2026-13-45: keep the text; the model reports it as R004.
        return ev.value


def _tag_message(tag: str) -> str:
    shown = tag.replace(_TAG, "!!")
    return f"YAML tag {shown} is not allowed: a record holds plain data only; remove the tag"


class _Composer:
    """Build plain data from events with an explicit stack."""

    def __init__(self, out: Parsed) -> None:
        self.out = out
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[object, int]] = {}
        self.alias_nodes = 0
        self.root_set = False

    def feed(self, ev: events.Event) -> None:
        """Consume one parser event."""
        if isinstance(ev, events.ScalarEvent):
            if self._wants_key():
                self._set_key(ev)
                return
            self._add(_scalar(ev), 1, ev.anchor, ev.start_mark)
        elif isinstance(ev, events.AliasEvent):
            self._alias(ev)
        elif isinstance(ev, events.MappingStartEvent | events.SequenceStartEvent):
            self._open(ev)
        elif isinstance(ev, events.MappingEndEvent | events.SequenceEndEvent):
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.anchors[frame.anchor] = (frame.container, frame.nodes)
            self._attach(frame.container, frame.nodes)

    def _wants_key(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and isinstance(top.container, dict) and top.key is None

    def _set_key(self, ev: events.ScalarEvent) -> None:
        top = self.stack[-1]
        assert isinstance(top.container, dict)
        # Keys are field names: keep the text as written, so `on:` stays "on", not True.
        key = ev.value
        top.key_pos = _pos(ev.start_mark)
        path = (*top.path, key)
        if key in top.container:
            first = self.out.positions.get(path, (0, 0))[0]
            self.out.problems.append(
                _problem(
                    "R002",
                    ev.start_mark,
                    f"duplicate key '{key}' (first on line {first}); keep one of them",
                )
            )
        else:
            self.out.positions[path] = top.key_pos
        top.key = key

    def _open(self, ev: events.MappingStartEvent | events.SequenceStartEvent) -> None:
        if ev.tag not in (None, "!") and ev.tag not in _COLLECTION_TAGS:
            raise _Abort(_problem("R001", ev.start_mark, _tag_message(ev.tag)))
        if self._wants_key():
            raise _Abort(
                _problem("R004", ev.start_mark, "a key must be plain text, not a list or mapping")
            )
        if len(self.stack) >= MAX_DEPTH:
            raise _Abort(_problem("R008", ev.start_mark, f"nesting deeper than {MAX_DEPTH} levels"))
        path = self._child_path(ev.start_mark)
        container: dict[str, object] | list[object]
        container = {} if isinstance(ev, events.MappingStartEvent) else []
        self.stack.append(_Frame(container, path, ev.anchor))

    def _child_path(self, mark: Any) -> Path:
        if not self.stack:
            self.out.positions[()] = _pos(mark)
            return ()
        top = self.stack[-1]
        if isinstance(top.container, dict):
            assert top.key is not None
            return (*top.path, top.key)
        path = (*top.path, len(top.container))
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
        self._add(value, nodes, None, ev.start_mark)

    def _add(self, value: object, nodes: int, anchor: str | None, mark: Any) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, nodes)
        if self.stack and isinstance(self.stack[-1].container, list):
            self._child_path(mark)
        self._attach(value, nodes)

    def _attach(self, value: object, nodes: int) -> None:
        if not self.stack:
            self.out.data = value
            self.root_set = True
            return
        top = self.stack[-1]
        top.nodes += nodes
        if isinstance(top.container, list):
            top.container.append(value)
            return
        assert top.key is not None
        top.container.setdefault(top.key, value)
        top.key = None


def parse(text: str) -> Parsed:
    """Parse `text` as exactly one YAML document into plain data, safely."""
    out = Parsed()
    composer = _Composer(out)
    documents = 0
    try:
        for ev in yaml.parse(text, Loader=_Loader):
            if isinstance(ev, events.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Abort(
                        _problem(
                            "R010",
                            ev.start_mark,
                            "a second YAML document starts here; a record file holds one mapping",
                        )
                    )
            elif not isinstance(
                ev, events.StreamStartEvent | events.StreamEndEvent | events.DocumentEndEvent
            ):
                composer.feed(ev)
    except _Abort as stop:
        out.problems.append(stop.problem)
        out.data = None
        return out
    except yaml.MarkedYAMLError as err:
        out.problems.append(_syntax_problem(err, text))
        out.data = None
        return out
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
    elif err.context:
        problem = f"{problem} ({err.context})"
    return Problem("R001", line, column, f"YAML syntax error: {problem}")


def _check_root(out: Parsed, root_set: bool) -> None:
    data = out.data
    if isinstance(data, dict):
        return
    if not root_set or data is None:
        message = "the file is empty; a record is a YAML mapping (start from `portfolio new ID`)"
    elif isinstance(data, list):
        message = "the file holds a list; a record is a single YAML mapping of fields"
    else:
        message = "the file holds a single value; a record is a YAML mapping of fields"
    line, column = out.positions.get((), (1, 1))
    out.problems.append(Problem("R010", line, column, message))
    out.data = None
