"""generator.load.yamlfast: the plain-subset reader gives what the event parser gives, or defers.

`yamlsrc.parse` returns `yamlfast.read(text)` when that is not None, else
`yamlsrc.parse_events(text)`. Every test here holds the fast reader to the event
parser: the same data, the same positions in the same order, no problems, or None.
"""

from __future__ import annotations

import contextlib
import os
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load import yamlfast
from generator.load.registry import load_entry
from generator.load.yamlsrc import parse, parse_events

REPO = Path(__file__).resolve().parents[1]
RECORDS = sorted((REPO / "registry" / "projects").glob("*.yaml"))
CORPUS = sorted((REPO / "tests" / "data").rglob("*.y*ml"))
SCALE = int(os.environ.get("PROPERTY_SCALE") or 1)  # as in test_properties.py


def agrees(text: str) -> bool:
    """Assert the fast reader defers or matches the event parser; return whether it read."""
    fast = yamlfast.read(text)
    if fast is None:
        return False
    slow = parse_events(text)
    assert slow.problems == [] and fast.problems == []
    assert repr(fast.data) == repr(slow.data)  # types too: 1 is not 1.0 nor True
    assert list(fast.positions.items()) == list(slow.positions.items())
    assert fast.empty is slow.empty is False
    return True


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_every_example_record_is_read_fast_and_the_same(path: Path) -> None:
    assert agrees(path.read_text(encoding="utf-8"))


def test_the_corpus_is_read_the_same_when_read_fast() -> None:
    texts = [p.read_bytes().decode("utf-8", "replace") for p in CORPUS]
    read = [agrees(text) for text in texts]
    assert any(read) and not all(read)  # the invalid corpus goes to the event parser


# Each case: the text, and whether the fast reader reads it (else it defers).
CASES = {
    "block and flow": ("a: 1\nb:\n  - x\n  - {c: 2, d: [3, 4]}\n  - e: 5\n    f: [6]\n", True),
    "comments everywhere": ("# head\na: 1  # one\n  # indented\nb:  # x\n  c: 2\n", False),
    "comment after values": ('# h\na: 1 # c\nb: "q" # c\nc: [1] # c\nd: {e: 1}  #c\n', True),
    "indentless sequence": ("a:\n- x\n- y: 1\n  z: 2\nb: 1\n", True),
    "item with extra spaces": ("a:\n  -   k: 1\n      l: 2\n  -  x\n", True),
    "empty values": ("a:\nb:\n  c:\nd: []\ne: {}\n", True),
    "scalars resolved": ("a: 2026-01-02\nb: yes\nc: ~\nd: -1.5\ne: 017\nf: 1:30\ng: on\n", True),
    "bad date kept as text": ("a: 2026-13-45\n", True),
    "urls and emails": ("a: https://x.y/z?q=1#f\nb: {c: mailto:a@b.c, d: http://x/y}\n", True),
    "unicode columns": ('a: "Ünï 😀"\nb: {c: "😀😀", d: é}\nc: [日本, 😀x]\n', True),
    "quotes inside plain": ("a: O'Brien says \"hi\"\nb: {c: O'Brien}\n", True),
    "wrapped flow mapping": ("a:\n  - {b: 1, c: long text,\n     d: 2}\ne: 3\n", True),
    "wrapped flow, closer alone": ("a: [1,\n  2\n]\nb: 1\n", True),
    "wrapped flow with a comment": ("a: [1, # c\n  2]\n", False),
    "flow of words": ("a: {b: x, c: 2024-01-02, d: 1.5, e: yes}\nf: [x, 017, http://y/z]\n", True),
    "flow of words and others": ('a: {b: x, c: ~, d: "e f", g: h i}\nj: [x, "y", ~]\n', True),
    "flow of words, comment": ("a: {b: x, c: y} # {d: z}\ne: [x, y]  # [z]\n", True),
    "flow of words, spaced": ("a: { b: 1 , c: 2  }\nd: [ x,  y ]\ne: {f: 1,g: 2}\n", True),
    "flow of words, nested": ("a: {b: x, c: {d: y, e: [f, g]}, h: i}\n", True),
    "flow of words, in items": ("a:\n  - {b: [x, y], c: [1]}\n  - [{d: 1, e: 2}, [f]]\n", True),
    "flow of words, wrapped": ("a: {b: x,\n  c: y}\nd: [x,\n  y]\n", True),
    "flow of words, colon in a word": ("a: {b: c:d, e: mailto:f@g.h}\n", True),
    "flow of words, duplicate key": ("a: {b: 1, c: 2, b: 3}\n", False),
    "flow of words, escape after": ('a: {b: x, c: "y\\"z"}\n', False),
    "flow of words, long key": ("a: {b: 1, " + "k" * 101 + ": 2}\n", False),
    "flow of words, trailing comma": ("a: {b: 1, c: 2,}\n", False),
    "flow of words, empty value": ("a: {b: , c: 1}\n", False),
    "flow of words, text after": ("a: {b: 1, c: 2} x\n", False),
    "tab": ("a:\tb\n", False),
    "crlf": ("a: 1\r\nb: 2\r\n", False),
    "byte-order mark": ("\ufeffa: 1\n", False),
    "nbsp": ("a: b\xa0c\n", False),
    "line separator": ("a: b\u2028c\n", False),
    "delete character": ("a: b\x7f\n", False),
    "control among non-ascii": ("a: é\nb: \x1b\n", False),
    "nel after non-ascii": ("a: é\x85b\n", False),
    "zero-width space": ("a: é\u200bx\n", False),
    "non-ascii printable": ("a: é\nb: {c: 日本}\n", True),
    "duplicate key": ("a: 1\nb: 2\na: 3\n", False),
    "duplicate flow key": ("a: {b: 1, b: 2}\n", False),
    "anchor and alias": ("a: &x 1\nb: *x\n", False),
    "tag": ("a: !!str 1\n", False),
    "single quotes": ("a: 'x'\n", False),
    "escape": ('a: "x\\ty"\n', False),
    "escape before a comment": ('a: "x\\" # c"\n', False),
    "text after a quoted scalar": ('a: "x" y\n', False),
    "plain ending with a colon": ("a: b:\n", False),
    "plain holding a colon": ('a: b:c d\nb:\n  c: "d"  # e\n', True),
    "multi-line plain": ("a: one\n  two\n", False),
    "multi-line quoted": ('a: "one\n  two"\n', False),
    "block scalar": ("a: |\n  x\n", False),
    "value holding ': '": ("a: b: c\n", False),
    "key without space": ("a:b\n", False),
    "long key": ("k" * 1030 + ": 1\n", False),
    "trailing comma": ("a: [1, 2,]\n", False),
    "mismatched bracket": ("a: {b: [1]]\n", False),
    "document marker": ("---\na: 1\n", False),
    "second document": ("a: 1\n---\nb: 2\n", False),
    "root list": ("- a\n", False),
    "empty": ("# only a comment\n", False),
    "merge key": ("a: <<\n", False),
    "deep": ("".join(f"{'  ' * i}k{i}:\n" for i in range(30)) + "  " * 30 + "x: 1\n", False),
}


@pytest.mark.parametrize("name", CASES)
def test_edge_cases_are_read_the_same_or_deferred(name: str) -> None:
    text, read = CASES[name]
    try:
        slow = parse_events(text)
    except KeyError:  # `<<` and `=`: see yamldata.plain; the fast reader defers
        slow = None
    assert agrees(text) is read
    if slow is not None:
        assert parse(text) == slow


def test_a_line_read_before_is_read_the_same() -> None:
    """Mapping lines are memoised: reading them again gives the same, deferring too."""
    texts = ['a: "x\\ty"\n', "a: <<\n", "a: 1\nb: {c: 2}\nd: [e]\n", "a: 017\nb:\n  c: x # y\n"]
    first = [repr(yamlfast.read(text)) for text in texts]
    assert [repr(yamlfast.read(text)) for text in texts] == first
    assert first[:2] == ["None", "None"] and all(agrees(text) for text in texts[2:])


def test_a_lone_surrogate_is_left_to_the_event_parser() -> None:
    """It cannot be encoded as UTF-8; the fast reader must not fail on it but defer."""
    assert yamlfast.read("a: b\ud800c\n") is None


def test_an_error_deep_in_a_list_points_at_its_key(tmp_path: Path) -> None:
    """A model error in a nested item is reported where the fast reader saw its key."""
    text = next(p for p in RECORDS if "evidence:\n  - {" in p.read_text()).read_text()
    item = "  - {kind: quality, date: 2026-01-05,\n     metric: x, date: 2026-02-30}\n"
    broken = text.replace("evidence:\n", "evidence:\n  - {kind: cost, date: 2026-02-30}\n", 1)
    assert yamlfast.read(broken) is not None and yamlfast.read(item) is None
    line = broken[: broken.index("2026-02-30")].count("\n") + 1
    column = broken.splitlines()[line - 1].index("date") + 1
    path = tmp_path / "record.yaml"
    path.write_text(broken, encoding="utf-8")
    problems = [p for p in load_entry(path).problems if "evidence[0].date" in p.message]
    assert [(p.rule, p.line, p.column) for p in problems] == [("R004", line, column)]


def mutated(rng: random.Random, text: str) -> str:
    """Return the text with a few random edits: characters, lines, indentation."""
    pieces = [" ", "\n", "- ", ":", ": ", "#", " #", '"', "'", "{", "}", "[", "]", ",",
              "?", "&a", "*a", "!", "|", ">", "%", "@", "\\", "x", "\n  ", "\t", "é", "😀",
              "~", "yes", "017", "1:2", "---", "...", "<<", "=", "http://a/b"]  # fmt: skip
    for _ in range(rng.randint(1, 3)):
        lines = text.split("\n")
        op = rng.random()
        if op < 0.5:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(pieces) + text[at:]
        elif op < 0.7 and text:
            at = rng.randrange(len(text))
            text = text[:at] + text[at + rng.randint(1, 3) :]
        elif op < 0.85:
            lines.insert(rng.randrange(len(lines)), rng.choice(lines))
            text = "\n".join(lines)
        else:
            k = rng.randrange(len(lines))
            lines[k] = " " * rng.randint(0, 4) + lines[k].lstrip(" ")
            text = "\n".join(lines)
    return text


def test_mutated_records_are_read_the_same_or_deferred() -> None:
    rng = random.Random(20261125)
    texts = [p.read_text(encoding="utf-8") for p in RECORDS]
    read = 0
    for _ in range(1500):
        text = mutated(rng, rng.choice(texts))
        try:
            read += agrees(text)
        except KeyError:  # `<<` or `=` where the event parser reads them too
            continue
    assert read > 100  # the edits that keep a record plain are still read fast


plain_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.dates()
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,8}", fullmatch=True), inner,
                      max_size=3),
    max_leaves=12,
)  # fmt: skip


@settings(max_examples=100 * SCALE, deadline=None)
@given(
    st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), plain_data, min_size=1),
    st.sampled_from([None, True, False]),
    st.booleans(),
    st.sampled_from([20, 80, 1000]),
)
def test_dumped_data_is_read_the_same_or_deferred(
    data: dict[str, object], flow: bool | None, unicode: bool, width: int
) -> None:
    """What yaml.safe_dump writes, in any style, reads back the same whichever reader."""
    text = yaml.safe_dump(
        data, default_flow_style=flow, allow_unicode=unicode, width=width, sort_keys=False
    )
    with contextlib.suppress(KeyError):  # `<<` or `=`, which the event parser reads too
        agrees(text)
