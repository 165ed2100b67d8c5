"""generator.load.yamlsrc.parse: plain data, key positions, and R001/R002/R008/R010 problems."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from generator.load.yamlsrc import MAX_ALIAS_NODES, MAX_DEPTH, Problem, parse


def nested_mappings(levels: int) -> str:
    """Return a block document of `levels` mappings, the root included."""
    lines = [f"{'  ' * i}k{i}:" for i in range(levels)]
    return "\n".join(lines) + " 1\n"


def nested_flow(levels: int) -> str:
    """Return `a: [[...]]`: the root mapping plus `levels - 1` nested sequences."""
    return "a: " + "[" * (levels - 1) + "]" * (levels - 1) + "\n"


def test_plain_document_has_no_problems() -> None:
    parsed = parse("id: a\ncount: 3\nratio: 0.5\nempty:\n")
    assert parsed.problems == []
    assert parsed.data == {"id": "a", "count": 3, "ratio": 0.5, "empty": None}


def test_positions_of_keys_and_items_block_and_flow() -> None:
    text = "a: 1\nb:\n  - x\n  - {c: 2, d: [3, 4]}\n  -\n    e: 5\n"
    parsed = parse(text)
    assert parsed.data == {"a": 1, "b": ["x", {"c": 2, "d": [3, 4]}, {"e": 5}]}
    assert parsed.positions == {
        (): (1, 1),
        ("a",): (1, 1),
        ("b",): (2, 1),
        ("b", 0): (3, 5),
        ("b", 1): (4, 5),
        ("b", 1, "c"): (4, 6),
        ("b", 1, "d"): (4, 12),
        ("b", 1, "d", 0): (4, 16),
        ("b", 1, "d", 1): (4, 19),
        ("b", 2): (6, 5),
        ("b", 2, "e"): (6, 5),
    }


def test_locate_falls_back_to_the_longest_known_prefix() -> None:
    parsed = parse("a: 1\nb:\n  - {c: 2}\n")
    assert parsed.locate(("b", 0, "c")) == (3, 6)
    assert parsed.locate(("b", 0, "missing", 7)) == (3, 5)
    assert parsed.locate(("nowhere",)) == (1, 1)


def test_positions_after_a_leading_comment() -> None:
    parsed = parse("# yaml-language-server: $schema=../record.schema.json\nid: a\n")
    assert parsed.positions == {(): (2, 1), ("id",): (2, 1)}


def test_duplicate_key_is_r002_at_the_second_occurrence() -> None:
    parsed = parse("title: First\nteam: Finance\ntitle: Second\n")
    assert parsed.problems == [
        Problem("R002", 3, 1, "duplicate key 'title' (first on line 1); keep one of them")
    ]
    assert parsed.positions[("title",)] == (1, 1)


def test_duplicate_key_in_a_nested_flow_mapping() -> None:
    parsed = parse("owner:\n  name: A\nsponsors:\n  - {name: B,\n     name: C}\n")
    assert parsed.problems == [
        Problem("R002", 5, 6, "duplicate key 'name' (first on line 4); keep one of them")
    ]


def test_same_key_in_sibling_mappings_is_not_a_duplicate() -> None:
    parsed = parse("sponsors:\n  - {name: A}\n  - {name: B}\n")
    assert parsed.problems == []
    assert parsed.data == {"sponsors": [{"name": "A"}, {"name": "B"}]}


def test_boolean_words_as_keys_stay_text() -> None:
    parsed = parse("on: 1\nyes: 2\nno: 3\noff: 4\ntrue: 5\n")
    assert parsed.data == {"on": 1, "yes": 2, "no": 3, "off": 4, "true": 5}


def test_boolean_words_as_values_become_booleans() -> None:
    parsed = parse("a: yes\nb: no\nc: on\nd: off\ne: 'no'\n")
    assert parsed.data == {"a": True, "b": False, "c": True, "d": False, "e": "no"}


def test_dates_resolve_and_impossible_dates_stay_text() -> None:
    parsed = parse("good: 2026-01-05\nbad: 2026-13-45\nquoted: '2026-01-05'\n")
    assert parsed.problems == []
    assert parsed.data == {
        "good": dt.date(2026, 1, 5),
        "bad": "2026-13-45",
        "quoted": "2026-01-05",
    }


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the file is empty; a record is a YAML mapping (start from `portfolio new ID`)"),
        (
            "# only a comment\n",
            1,
            "the file is empty; a record is a YAML mapping (start from `portfolio new ID`)",
        ),
        ("~\n", 1, "the file is empty; a record is a YAML mapping (start from `portfolio new ID`)"),
        ("- a\n- b\n", 1, "the file holds a list; a record is a single YAML mapping of fields"),
        (
            "# comment\n- a\n",
            2,
            "the file holds a list; a record is a single YAML mapping of fields",
        ),
        ("just text\n", 1, "the file holds a single value; a record is a YAML mapping of fields"),
        (
            "a: 1\n---\nb: 2\n",
            2,
            "a second YAML document starts here; a record file holds one mapping",
        ),
        (
            "a: 1\n...\n---\nb: 2\n",
            3,
            "a second YAML document starts here; a record file holds one mapping",
        ),
    ],
    ids=["empty", "comments", "null", "list", "list-after-comment", "scalar", "two", "two-ended"],
)
def test_not_a_single_mapping_is_r010(text: str, line: int, message: str) -> None:
    parsed = parse(text)
    assert parsed.data is None
    assert [(p.rule, p.line, p.message) for p in parsed.problems] == [("R010", line, message)]


def test_explicit_document_start_is_one_document() -> None:
    parsed = parse("---\na: 1\n...\n")
    assert parsed.problems == []
    assert parsed.data == {"a": 1}


def test_nesting_at_the_limit_is_fine() -> None:
    assert MAX_DEPTH == 50
    for text in (nested_mappings(MAX_DEPTH), nested_flow(MAX_DEPTH)):
        parsed = parse(text)
        assert parsed.problems == []
        assert isinstance(parsed.data, dict)
    assert parse(nested_mappings(MAX_DEPTH)).positions[tuple(f"k{i}" for i in range(50))] == (
        50,
        99,
    )


def test_nesting_past_the_limit_is_r008() -> None:
    parsed = parse(nested_mappings(MAX_DEPTH + 1))
    assert parsed.data is None
    assert parsed.problems == [Problem("R008", 51, 101, "nesting deeper than 50 levels")]


def test_deep_flow_brackets_are_r008_without_recursion_error() -> None:
    parsed = parse("a: " + "[" * 30_000 + "]" * 30_000 + "\n")
    assert [(p.rule, p.line, p.message) for p in parsed.problems] == [
        ("R008", 1, "nesting deeper than 50 levels")
    ]


def test_alias_bomb_is_r008() -> None:
    names = "abcde"
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"{n}: &{n} [{','.join([f'*{p}'] * 10)}]" for p, n in itertools.pairwise(names)]
    parsed = parse("\n".join(lines) + "\n")
    assert parsed.data is None
    assert [(p.rule, p.line, p.message) for p in parsed.problems] == [
        ("R008", 4, f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes; write the data out")
    ]


def test_small_aliases_expand() -> None:
    parsed = parse("a: &x [1, 2]\nb: *x\n")
    assert parsed.problems == []
    assert parsed.data == {"a": [1, 2], "b": [1, 2]}


def test_unknown_or_self_referencing_alias_is_r001() -> None:
    assert parse("a: *nope\n").problems == [Problem("R001", 1, 4, "unknown alias *nope")]
    assert parse("a: &x [*x]\n").problems == [Problem("R001", 1, 8, "unknown alias *x")]


@pytest.mark.parametrize(
    ("text", "column", "shown"),
    [
        ('title: !!python/object/apply:os.system ["true"]\n', 8, "!!python/object/apply:os.system"),
        (
            "title: !!python/object/new:os.system {args: [true]}\n",
            8,
            "!!python/object/new:os.system",
        ),
        ("title: !!python/name:os.system\n", 8, "!!python/name:os.system"),
        ("title: !include ../secrets.yaml\n", 8, "!include"),
        ("title: !!binary aGVsbG8=\n", 8, "!!binary"),
        ("tags: !!set {a, b}\n", 7, "!!set"),
    ],
    ids=["apply", "new", "name", "custom", "binary", "set"],
)
def test_tags_are_r001(text: str, column: int, shown: str) -> None:
    parsed = parse(text)
    assert parsed.data is None
    assert parsed.problems == [
        Problem(
            "R001",
            1,
            column,
            f"YAML tag {shown} is not allowed: a record holds plain data only; remove the tag",
        )
    ]


def test_standard_scalar_tags_are_allowed() -> None:
    parsed = parse("a: !!str 2026-01-05\nb: !!int '3'\nc: !!map {d: 1}\n")
    assert parsed.problems == []
    assert parsed.data == {"a": "2026-01-05", "b": 3, "c": {"d": 1}}


def test_tab_indentation_is_r001_with_a_hint() -> None:
    parsed = parse("owner:\n\tname: A\n")
    assert parsed.problems == [
        Problem(
            "R001",
            2,
            1,
            "YAML syntax error: a tab character cannot indent YAML; indent with spaces",
        )
    ]


def test_unclosed_bracket_points_at_the_opening_line() -> None:
    parsed = parse("a: 1\nuse_cases: [Match invoices,\n  Pay them\ntags: [x]\n")
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert (problem.rule, problem.line, problem.column) == ("R001", 2, 12)
    assert problem.message.startswith(
        "YAML syntax error: this bracket is not closed (the parser gave up at line 4:"
    )


def test_unclosed_quote_points_at_the_opening_line() -> None:
    parsed = parse('a: 1\ntitle: "Invoice matching\nteam: Finance\n')
    problem = parsed.problems[0]
    assert (problem.rule, problem.line, problem.column) == ("R001", 2, 8)
    assert problem.message.startswith("YAML syntax error: this quote is not closed")


def test_other_syntax_errors_are_r001_where_the_parser_stops() -> None:
    parsed = parse("a: 1\nb: [x]]\n")
    assert [(p.rule, p.line) for p in parsed.problems] == [("R001", 2)]
    assert parsed.problems[0].message.startswith("YAML syntax error: ")


COLON_HINT = (
    "this value holds ': ', which YAML reads as the start of another key; "
    'put the whole value in quotes: key: "text: more text"'
)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("id: a\nteam:Finance\nowner: x\n", 2, 1,
         "write a space after the colon: `team: Finance`"),
        ("id: a\ntitle x\nteam: F\n", 2, 1,
         "this line is not `key: value`: add ': ' after the field name, or indent it under "
         "the key it belongs to"),
        ("id: a\ntitle: x\n  team: Finance\n", 3, 3,
         "`team:` is indented more than the key above it; line it up with the other fields "
         "of the same level"),
        ("title: Invoice matching: by hand\n", 1, 24, COLON_HINT),
        ("id: a\nteam: @finance\n", 2, 7,
         'a value cannot start with @: put it in quotes, e.g. "@finance"'),
        ("id: a\nproblem: *important* clerks\n", 2, 10,
         "a value starting with * is read as a YAML alias or anchor: put the value in quotes"),
        ('id: a\ntitle: "The "best" bot"\nteam: F\n', 2, 1,
         'a double quote inside a double-quoted value ends it: write \\" inside, or put the '
         "value in single quotes"),
        ('id: a\nshare: "C:\\path"\n', 2, 11,
         "a backslash inside double quotes starts an escape sequence: write \\\\ for a "
         "backslash, or put the value in single quotes"),
        ('id: a\ntitle: "rocket \\ud83d\\ude80"\n', 2, 18,
         "write the character itself (for example 🚀), not a \\ud83d-style surrogate escape: "
         "YAML escapes name whole characters (\\U0001F680)"),
        ("id: a\n%team: x\n", 2, 6,
         "a line cannot start with %: put the key or the value in quotes"),
        ("id: a\nteam: | finance\n", 2, 9,
         "a value starting with | or > is read as a block of text on the following lines: "
         "put the value in quotes"),
        ("id: a\ntags:\n  - a\n - b\n", 4, 2,
         "this line does not line up with the keys or list items above it: check its "
         "indentation"),
    ],
    ids=["no-space", "no-colon", "over-indented", "colon-in-value", "at-sign", "star",
         "quote-in-quotes", "backslash", "surrogate", "percent", "pipe", "misaligned"],
)  # fmt: skip
def test_common_yaml_mistakes_are_explained_at_their_line(
    text: str, line: int, column: int, message: str
) -> None:
    assert parse(text).problems == [Problem("R001", line, column, f"YAML syntax error: {message}")]


def test_collection_as_key_is_r004() -> None:
    parsed = parse("? [a, b]\n: 1\n")
    assert parsed.problems == [
        Problem("R004", 1, 3, "a key must be plain text, not a list or mapping")
    ]


@pytest.mark.parametrize(
    ("text", "line", "column", "what"),
    [
        ("team: =\n", 1, 7, "value"),
        ("id: a\ntags: [x, <<]\n", 2, 11, "merge"),
        ("id: a\nsponsors:\n  - {name: =}\n", 3, 12, "value"),
        ("id: a\nlearnings:\n  - <<\n", 3, 5, "merge"),
    ],
    ids=["block", "flow sequence", "flow mapping", "block sequence"],
)
def test_bare_merge_or_value_key_as_a_value_is_r004(
    text: str, line: int, column: int, what: str
) -> None:
    value = text.split("\n")[line - 1][column - 1 :].split("}")[0].split("]")[0]
    parsed = parse(text)
    message = f'a bare {value} is YAML 1.1\'s {what} key, not a value; quote it ("{value}") '
    assert parsed.problems == [Problem("R004", line, column, message + "if you meant the text")]
    assert parsed.data is None


def test_quoted_merge_and_value_keys_are_text() -> None:
    assert parse('a: "="\nb: "<<"\n').data == {"a": "=", "b": "<<"}


def test_tag_on_a_key_is_r001() -> None:
    parsed = parse("!!python/name:os.system title: 1\n")
    assert [p.rule for p in parsed.problems] == ["R001"]
