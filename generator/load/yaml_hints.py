"""Plain words for the commonest YAML mistakes in a record, at the line to edit.

PyYAML's messages name the parser's state ("mapping values are not allowed in this
context"), sometimes a line after the mistake. `explain` recognises the mistakes people
make when they edit a record by hand and says what to write instead.
"""

from __future__ import annotations

import re
from typing import Any

_KEY_NO_SPACE = re.compile(r"^(\s*)([\w-]+):(\S.*)$")
_KEY = re.compile(r"^(\s*)(- )?[\w-]+:( |$)")


def _line(text: str, number: int) -> str:
    """Return line `number` (0-based) of `text`, or '' past the end."""
    lines = text.splitlines()
    return lines[number] if 0 <= number < len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous(text: str, number: int) -> str:
    """Return the nearest non-blank, non-comment line before line `number`."""
    for n in range(number - 1, -1, -1):
        line = _line(text, n)
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return ""


def explain(err: Any, text: str) -> tuple[int, int, str] | None:
    """Return (line, column, message) in plain words for a known mistake, else None."""
    problem, context = err.problem or "", err.context or ""
    mark, opened = err.problem_mark, err.context_mark
    if mark is None:
        return None
    here = _line(text, mark.line)
    char = text[mark.index : mark.index + 1]
    at = (mark.line + 1, mark.column + 1)
    if "could not find expected ':'" in problem and opened is not None:
        return _no_colon(text, opened)
    if "mapping values are not allowed" in problem:
        previous = _previous(text, mark.line)
        if _KEY.match(here) and _indent(here) > _indent(previous) and ": " in previous.strip():
            key = here.strip().split(":")[0]
            return (*at[:1], _indent(here) + 1, f"`{key}:` is indented more than the key above "
                    "it; line it up with the other fields of the same level")  # fmt: skip
        return (*at, "this value holds ': ', which YAML reads as the start of another key; "
                'put the whole value in quotes: key: "text: more text"')  # fmt: skip
    if "cannot start any token" in problem and char in "@`":
        return (*at, f"a value cannot start with {char}: put it in quotes, e.g. "
                f'"{char}{here[mark.column + 1 :].strip()}"')  # fmt: skip
    if "while scanning an alias" in context or "while scanning an anchor" in context:
        start = opened or mark
        symbol = text[start.index : start.index + 1]
        return (start.line + 1, start.column + 1, f"a value starting with {symbol} is read "
                "as a YAML alias or anchor: put the value in quotes")  # fmt: skip
    if "found unknown escape character" in problem:
        return (*at, "a backslash inside double quotes starts an escape sequence: write \\\\ "
                "for a backslash, or put the value in single quotes")  # fmt: skip
    if "invalid Unicode character escape" in problem:
        return (*at, "write the character itself (for example 🚀), not a \\ud83d-style "
                "surrogate escape: YAML escapes name whole characters (\\U0001F680)")  # fmt: skip
    if "while scanning a directive" in context:
        return (*at, "a line cannot start with %: put the key or the value in quotes")
    if "while scanning a block scalar" in context:
        return (*at, "a value starting with | or > is read as a block of text on the "
                "following lines: put the value in quotes")  # fmt: skip
    if "did not find expected key" in problem:
        return _unexpected_line(text, mark, at)
    return None


def _no_colon(text: str, opened: Any) -> tuple[int, int, str]:
    """Explain a line without `key: value` (the parser noticed it one line late)."""
    line = _line(text, opened.line)
    found = _KEY_NO_SPACE.match(line)
    at = (opened.line + 1, opened.column + 1)
    if found:
        key, value = found.group(2), found.group(3)
        return (*at, f"write a space after the colon: `{key}: {value}`")
    return (*at, "this line is not `key: value`: add ': ' after the field name, or indent "
            "it under the key it belongs to")  # fmt: skip


def _unexpected_line(text: str, mark: Any, at: tuple[int, int]) -> tuple[int, int, str]:
    """Explain a line that breaks the mapping: a stray quote or a misaligned line."""
    here = _line(text, mark.line)
    value = here.split(":", 1)[1] if ":" in here else ""
    if value.strip().startswith('"') and value.count('"') > 2:
        return (mark.line + 1, 1, 'a double quote inside a double-quoted value ends it: '
                "write \\\" inside, or put the value in single quotes")  # fmt: skip
    return (mark.line + 1, _indent(here) + 1, "this line does not line up with the keys or "
            "list items above it: check its indentation")  # fmt: skip
