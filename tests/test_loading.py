"""Record rules R003-R015 on real files: loading, the model, and the record-rule family.

Each test writes files into a fresh registry and runs `portfolio validate --format json`;
`r_findings` keeps the record-rule findings as (file, rule, line, column, message).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import record_text

from generator.load.files import MAX_BYTES
from generator.load.registry import collector_paused, load_entry, load_registry

Write = Callable[..., Path]
Findings = Callable[..., list[tuple[str, str, int, int, str]]]
Cli = Callable[..., Result]

ALLOWED_STAGES = "'discovery', 'poc', 'pilot', 'scale' or 'optimize'"
BOOL_HINT = (
    " (YAML reads unquoted yes/no/on/off/true/false as a boolean: quote it if you meant text)"
)
TO_POC = "{date: 2026-02-01, from: discovery, to: poc, outcome: advance, by: [Kim Ode]}"
TO_PILOT = "{date: 2026-03-01, from: poc, to: pilot, outcome: advance, by: [Kim Ode]}"


def log(*decisions: str) -> str:
    """Return a block list of flow-mapping decisions, starting on the next line."""
    return "".join(f"\n  - {d}" for d in decisions)


def test_minimal_record_is_clean(registry: Path, write_record: Write, r_findings: Findings) -> None:
    write_record(registry, "invoice-matching")
    assert r_findings() == []


def test_yml_suffix_is_a_record(registry: Path, write_record: Write, r_findings: Findings) -> None:
    write_record(registry, "a", name="a.yml", status="killed")
    assert [f[:3] for f in r_findings()] == [("a.yml", "R013", 8)]


def test_a_readme_in_projects_is_not_a_record(registry: Path, r_findings: Findings) -> None:
    """Any other file is reported (R017, below): nothing in projects/ is skipped silently."""
    (registry / "projects" / "README.md").write_text("not: [a record\n", encoding="utf-8")
    (registry / "projects" / "notes.txt").write_bytes(b"\x00\xff")
    assert [f[:2] for f in r_findings()] == [("notes.txt", "R017")]


# --- R003 unknown field ---------------------------------------------------------------


def test_r003_suggests_the_nearest_field(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", sponsor="[{name: Lee Park}]")
    assert r_findings() == [
        ("a.yaml", "R003", 10, 1, "unknown field 'sponsor'; did you mean 'sponsors'?")
    ]


def test_r003_in_nested_evidence_lists_the_fields_of_that_kind(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(
        registry,
        "a",
        evidence=log("{kind: satisfaction, date: 2026-02-01, score: 0.8, comment: fine}"),
    )
    assert r_findings() == [
        (
            "a.yaml",
            "R003",
            11,
            56,
            "unknown field 'comment' in evidence[0]; known fields: date, kind, respondents, score",
        )
    ]


def test_r003_in_nested_evidence_suggests_by_kind(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    evidence = "\n  - kind: quality\n    date: 2026-02-01\n    metric: accuracy\n    smaples: 120"
    write_record(registry, "a", evidence=evidence)
    assert (
        "a.yaml",
        "R003",
        14,
        5,
        "unknown field 'smaples' in evidence[0]; did you mean 'samples'?",
    ) in r_findings()


# --- R004 invalid value ---------------------------------------------------------------


def test_r004_enum_lists_the_allowed_values(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", stage="prod")
    assert r_findings() == [("a.yaml", "R004", 7, 1, f"stage: Input should be {ALLOWED_STAGES}")]


@pytest.mark.parametrize(("key", "word"), [("status", "no"), ("stage", "on"), ("status", "yes")])
def test_r004_unquoted_boolean_gets_the_quoting_hint(
    key: str, word: str, registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", **{key: word})
    [(_, rule, _, _, message)] = r_findings()
    assert rule == "R004"
    assert message.startswith(f"{key}: Input should be '")
    assert message.endswith(BOOL_HINT)


def test_r004_quoted_word_gets_no_boolean_hint(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", status='"no"')
    assert r_findings() == [
        ("a.yaml", "R004", 8, 1, "status: Input should be 'active', 'killed' or 'shelved'")
    ]


@pytest.mark.parametrize(
    ("overrides", "line", "column", "message"),
    [
        (
            {"started": "2026-1-5"},
            9,
            1,
            "started: expected a date written YYYY-MM-DD, got '2026-1-5'",
        ),
        (
            {"started": "2026-02-30"},
            9,
            1,
            "started: '2026-02-30' is not a real date (day is out of range for month)",
        ),
        (
            {"started": "2026-01-05 10:00:00"},
            9,
            1,
            "started: a date has no time of day: write YYYY-MM-DD",
        ),
        (
            {"owner": "Ana Lima"},
            5,
            1,
            "owner: Input should be a dictionary or an instance of Person",
        ),
        ({"team": ""}, 4, 1, "team: Input should be a valid string (the value is empty)"),
        (
            {"budget": "{monthly_forecast: -5}"},
            10,
            10,
            "budget.monthly_forecast: Input should be greater than or equal to 0",
        ),
    ],
    ids=["not-iso", "impossible", "datetime", "owner-scalar", "empty", "negative"],
)
def test_r004_values(
    overrides: dict[str, str],
    line: int,
    column: int,
    message: str,
    registry: Path,
    write_record: Write,
    r_findings: Findings,
) -> None:
    write_record(registry, "a", **overrides)
    assert r_findings() == [("a.yaml", "R004", line, column, message)]


# --- R005 missing field ---------------------------------------------------------------


def test_r005_missing_top_level_field_points_at_the_first_key(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", team=None)
    assert r_findings() == [("a.yaml", "R005", 1, 1, "record: missing required field 'team'")]


def test_r005_after_a_modeline_points_at_line_two(
    registry: Path, minimal_record: Callable[..., str], r_findings: Findings
) -> None:
    text = "# yaml-language-server: $schema=../record.schema.json\n"
    (registry / "projects" / "a.yaml").write_text(text + minimal_record("a", title=None))
    assert r_findings() == [("a.yaml", "R005", 2, 1, "record: missing required field 'title'")]


def test_r005_in_a_nested_mapping(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", owner="{email: ana@example.com}")
    assert r_findings() == [("a.yaml", "R005", 5, 1, "owner: missing required field 'name'")]


def test_r005_in_a_list_item(registry: Path, write_record: Write, r_findings: Findings) -> None:
    write_record(registry, "a", decisions=log("{outcome: kill, by: [Kim Ode], rationale: r}"))
    assert r_findings() == [
        ("a.yaml", "R005", 11, 5, "decisions[0]: missing required field 'date'")
    ]


def test_optional_fields_may_be_missing(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", sponsors=None)
    assert r_findings() == []


# --- R006 id --------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Invoice_Matching", "invoice--matching", "-invoice", "іnvoice"])
def test_r006_id_not_a_slug(
    bad: str, registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, bad, name="invoice.yaml")
    assert r_findings() == [
        ("invoice.yaml", "R006", 1, 1, f"id: '{bad}' is not a slug: use lowercase a-z, 0-9 and '-'")
    ]


def test_r006_id_not_the_stem(registry: Path, write_record: Write, r_findings: Findings) -> None:
    write_record(registry, "invoice-matching", name="invoices.yaml")
    assert r_findings() == [
        (
            "invoices.yaml",
            "R006",
            1,
            1,
            "id 'invoice-matching' differs from the file name 'invoices.yaml'; "
            "rename the file to invoice-matching.yaml or fix the id",
        )
    ]


# --- R007 duplicate id ----------------------------------------------------------------


def test_r007_same_stem_with_both_suffixes(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a")
    write_record(registry, "a", name="a.yml", title="Another")
    assert r_findings() == [
        (
            "a.yml",
            "R007",
            1,
            1,
            "id 'a' is already used by registry/projects/a.yaml; ids must be unique "
            "(ids that differ only in case or Unicode form collide)",
        )
    ]


@pytest.mark.parametrize(
    "variant", ["Invoice", "INVOICE", "ｉｎｖｏｉｃｅ"], ids=["case", "upper", "fullwidth"]
)
def test_r007_after_case_folding_and_normalisation(
    variant: str, registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "invoice")
    write_record(registry, variant, name="invoice2.yaml", title="Another")
    assert r_findings() == [
        (
            "invoice2.yaml",
            "R006",
            1,
            1,
            f"id: '{variant}' is not a slug: use lowercase a-z, 0-9 and '-'",
        ),
        (
            "invoice2.yaml",
            "R007",
            1,
            1,
            f"id '{variant}' is already used by registry/projects/invoice.yaml; ids must be "
            "unique (ids that differ only in case or Unicode form collide)",
        ),
    ]


def test_distinct_ids_are_not_r007(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "invoice")
    write_record(registry, "invoices", title="Another")
    assert r_findings() == []


# --- R008 size ------------------------------------------------------------------------


def test_r008_file_over_one_mebibyte(
    registry: Path, minimal_record: Callable[..., str], r_findings: Findings
) -> None:
    text = minimal_record("a") + "#" * MAX_BYTES
    (registry / "projects" / "a.yaml").write_text(text)
    assert r_findings() == [
        ("a.yaml", "R008", 1, 1, "file is 1.0 MiB; a record may be at most 1 MiB")
    ]


def test_file_of_exactly_one_mebibyte_is_read(
    registry: Path, minimal_record: Callable[..., str], r_findings: Findings
) -> None:
    text = minimal_record("a")
    (registry / "projects" / "a.yaml").write_text(text + "#" * (MAX_BYTES - len(text)))
    assert r_findings() == []


# --- R009 encoding --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encode", "line", "column", "message"),
    [
        (
            lambda t: t.replace("matching", "facturación").encode("latin-1"),
            2,
            25,
            "byte 0xf3 is not UTF-8; save the file as UTF-8",
        ),
        (
            lambda t: b"\xef\xbb\xbf" + t.encode(),
            1,
            1,
            "file starts with a byte-order mark; save it as UTF-8 without BOM",
        ),
        (
            lambda t: t.encode().replace(b"Finance", b"Fin\x00ance"),
            4,
            10,
            "file contains a NUL byte; records are text",
        ),
        (lambda t: t.encode("utf-16"), 1, 1, "file is UTF-16 or UTF-32; save it as UTF-8"),
        (lambda t: t.encode("utf-16-be"), 1, 1, "file contains a NUL byte; records are text"),
    ],
    ids=["latin-1", "bom", "nul", "utf-16", "utf-16-without-bom"],
)
def test_r009_bytes_that_are_not_utf8_text(
    encode: Callable[[str], bytes],
    line: int,
    column: int,
    message: str,
    registry: Path,
    minimal_record: Callable[..., str],
    r_findings: Findings,
) -> None:
    (registry / "projects" / "a.yaml").write_bytes(encode(minimal_record("a")))
    assert r_findings() == [("a.yaml", "R009", line, column, message)]


def test_utf8_text_beyond_ascii_is_fine(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", title="Facturación — звірка рахунків 請求書")
    assert r_findings() == []


# A double-quoted escape puts in a text what YAML refuses in a file (R009): on a page,
# Python-Markdown deleted \x02 and \x03, and a chart's SVG with \x01 was not XML.
@pytest.mark.parametrize(
    ("key", "value", "where", "code"),
    [
        ("title", r'"Invoice\x03 matching"', "title", "0003"),
        ("team", r'"Fin\0ance"', "team", "0000"),
        ("owner", r'{name: "Ana\x1b[31m"}', "owner.name", "001B"),
        ("tags", r'["ok", "\x9b"]', "tags[1]", "009B"),
        ("learnings", r'[{text: "x", tags: ["\uFFFE"]}]', "learnings[0].tags[0]", "FFFE"),
        ("links", r'{"wiki\x7f": "https://x.example"}', "links.wiki\x7f", "007F"),
        # Direction overrides and isolates, written raw: the title reads "Invoice gpj.exe".
        ("title", "Invoice \u202eexe.jpg", "title", "202E"),
        ("problem", "Clerks \u2066match\u2069 invoices by hand.", "problem", "2066"),
        ("learnings", "[Keep \u202ait\u202c simple]", "learnings[0]", "202A"),
    ],
)
def test_r004_text_with_a_control_character(
    key: str, value: str, where: str, code: str, registry: Path, write_record: Write,
    r_findings: Findings,
) -> None:  # fmt: skip
    write_record(registry, "a", **{key: value})
    [(_, rule, _, _, message)] = r_findings()
    assert rule == "R004"
    assert message == f"{where}: holds the invisible control character U+{code}; delete it"


# A blank title was an empty heading and a link with nothing to click in every table.
@pytest.mark.parametrize(
    ("key", "value", "where"),
    [
        ("title", '" "', "title"),
        ("team", r'"\u2028\t\u3000"', "team"),
        ("use_cases", '["Match invoices", "  "]', "use_cases[1]"),
        ("links", "{' ': 'https://x.example'}", "links. "),
        ("links", "{'': 'https://x.example'}", "links."),
    ],
)
def test_r004_blank_text(
    key: str, value: str, where: str, registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", **{key: value})
    [(_, rule, _, _, message)] = r_findings()
    assert (rule, message) == ("R004", f"{where}: is blank; write the text")


def test_tabs_line_breaks_and_format_characters_are_text(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", title=r'"Tab\there, NEL\N, LS\L, ZWJ 👩\u200d💻, RLM \u200f"',
                 problem=r'"Two\r\nlines."')  # fmt: skip
    assert r_findings() == []


# --- R011 symlinks --------------------------------------------------------------------


def test_r011_symlink_inside_the_registry(
    registry: Path, minimal_record: Callable[..., str], r_findings: Findings
) -> None:
    (registry / "b.txt").write_text(minimal_record("b"))
    (registry / "projects" / "b.yaml").symlink_to("../b.txt")
    assert r_findings() == [("b.yaml", "R011", 1, 1, "is a symbolic link; commit the file")]


def test_r011_symlink_pointing_outside(
    registry: Path, tmp_path: Path, minimal_record: Callable[..., str], r_findings: Findings
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(minimal_record("c"))
    (registry / "projects" / "c.yaml").symlink_to(outside)
    (registry / "projects" / "d.yaml").symlink_to(tmp_path / "missing.yaml")
    assert r_findings() == [
        ("c.yaml", "R011", 1, 1, "is a symbolic link; commit the file"),
        ("d.yaml", "R011", 1, 1, "is a symbolic link; commit the file"),
    ]


def test_r011_projects_folder_resolving_outside(
    registry: Path, tmp_path: Path, minimal_record: Callable[..., str], cli: Cli
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.yaml").write_text(minimal_record("a"))
    (registry / "projects").rmdir()
    (registry / "projects").symlink_to(elsewhere)

    result = cli("validate", "--format", "json")

    # Nothing outside the registry is read; the whole run is refused as a usage error.
    assert result.exit_code == 2
    assert "registry/projects is a link out of the registry (R011)" in result.stderr
    assert result.stdout == ""


def test_r011_symlinked_policy(
    registry: Path, tmp_path: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a")
    (tmp_path / "policy.yaml").write_text("rules: {G: warning}\n")
    (registry / "policy.yaml").symlink_to(tmp_path / "policy.yaml")
    assert r_findings() == [("policy.yaml", "R011", 1, 1, "is a symbolic link; commit the file")]


# --- R012 references ------------------------------------------------------------------


def test_r012_related_unknown_id(registry: Path, write_record: Write, r_findings: Findings) -> None:
    write_record(registry, "a", related="[b, no-such-thing]")
    write_record(registry, "b", title="Another")
    assert r_findings() == [("a.yaml", "R012", 10, 14, "related id 'no-such-thing' does not exist")]


def test_r012_supersedes_unknown_id(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", supersedes="old-bot")
    assert r_findings() == [("a.yaml", "R012", 10, 1, "supersedes 'old-bot', which does not exist")]


def test_valid_references_are_not_r012(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", related="[b]")
    write_record(registry, "b", title="Another", supersedes="a")
    assert r_findings() == []


# --- R013 decision log ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "line", "column", "message"),
    [
        (
            {"stage": "poc"},
            7,
            1,
            "stage is poc, but an empty decision log leaves it discovery; "
            "record the gate decision or set stage: discovery",
        ),
        (
            {"status": "killed"},
            8,
            1,
            "status is killed, but an empty decision log leaves it "
            "active; record the gate decision or set status: active",
        ),
        (
            {"decisions": log("{date: 2026-02-01, to: poc, outcome: pivot, by: [Kim Ode]}")},
            11,
            5,
            "a pivot restarts discovery or an earlier stage, not poc",
        ),
        (
            {
                "decisions": log(
                    "{date: 2026-02-01, outcome: kill, by: [Kim Ode], rationale: r}",
                    "{date: 2026-02-02, outcome: resume, by: [Kim Ode]}",
                )
            },
            12,
            5,
            "only a shelved initiative can resume",
        ),
        (
            {"decisions": log("{date: 2026-02-01, outcome: kill, to: poc, by: [Kim Ode]}")},
            11,
            5,
            "a kill decision has no `to`; remove it",
        ),
        (
            {
                "stage": "poc",
                "decisions": log(TO_POC, "{date: 2026-01-20, outcome: pivot, by: [Kim Ode]}"),
            },
            12,
            5,
            "decision dated 2026-01-20 comes after one dated 2026-02-01; keep the log oldest first",
        ),
        (
            {"stage": "poc", "decisions": log(TO_POC.replace("[Kim Ode]", "[]"))},
            11,
            68,
            "name who decided: `by` is empty",
        ),
        (
            {"stage": "poc", "decisions": log(TO_POC.replace("from: discovery", "from: poc"))},
            11,
            24,
            "`from: poc` but the log has the initiative at discovery then",
        ),
        (
            {"stage": "pilot", "decisions": log(TO_POC.replace("to: poc", "to: pilot"))},
            11,
            5,
            "advance from discovery to pilot skips or reverses a stage; the next stage is poc",
        ),
        (
            {"decisions": log(TO_POC.replace("to: poc, ", ""))},
            11,
            5,
            "an advance needs `to`: the next stage",
        ),
    ],
    ids=[
        "stage-ahead",
        "killed-without-kill",
        "pivot-forward",
        "resume-killed",
        "kill-with-to",
        "out-of-order",
        "by-empty",
        "from-mismatch",
        "skips-stage",
        "advance-without-to",
    ],
)
def test_r013_decision_log(
    overrides: dict[str, str],
    line: int,
    column: int,
    message: str,
    registry: Path,
    write_record: Write,
    r_findings: Findings,
) -> None:
    write_record(registry, "a", **overrides)
    assert r_findings() == [("a.yaml", "R013", line, column, message)]


@pytest.mark.parametrize(
    ("overrides"),
    [
        {"stage": "pilot", "decisions": log(TO_POC, TO_PILOT)},
        {"decisions": log(TO_POC, "{date: 2026-03-01, to: discovery, outcome: pivot, by: [A]}")},
        {"status": "shelved", "decisions": log("{date: 2026-02-01, outcome: shelve, by: [A]}")},
        {
            "decisions": log(
                "{date: 2026-02-01, outcome: shelve, by: [A], rationale: r}",
                "{date: 2026-02-01, outcome: resume, by: [A]}",
            )
        },
        {
            "status": "killed",
            "learnings": "[Clerks wanted a report, not a bot.]",
            "decisions": log("{date: 2026-02-01, outcome: kill, by: [A], rationale: r}"),
        },
    ],
    ids=["discovery-poc-pilot", "pivot-back", "shelved", "resumed", "killed"],
)
def test_r013_consistent_logs(
    overrides: dict[str, str], registry: Path, write_record: Write, r_findings: Findings
) -> None:
    # Gate and signal rules may well fire on these records; only R rules are asserted.
    write_record(registry, "a", **overrides)
    assert r_findings() == []


# --- R014 dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "line", "message"),
    [
        ({"started": "2026-12-01"}, 9, "started 2026-12-01 is after 2026-11-25"),
        (
            {"evidence": log("{kind: adoption, date: 2026-12-01, users: 3}")},
            11,
            "dated 2026-12-01, after 2026-11-25",
        ),
        (
            {"checks": log("{name: data-access, status: passed, date: 2026-01-02}")},
            11,
            "dated 2026-01-02, before the initiative started (2026-01-05)",
        ),
        (
            {"stage": "poc", "decisions": log(TO_POC.replace("2026-02-01", "2026-01-04"))},
            11,
            "dated 2026-01-04, before the initiative started (2026-01-05)",
        ),
        (
            {"failures": log("{mode: other, date: 2027-01-01}")},
            11,
            "dated 2027-01-01, after 2026-11-25",
        ),
    ],
    ids=[
        "started-future",
        "evidence-future",
        "check-before-start",
        "decision-before-start",
        "failure-future",
    ],
)
def test_r014_implausible_dates(
    overrides: dict[str, str],
    line: int,
    message: str,
    registry: Path,
    write_record: Write,
    r_findings: Findings,
) -> None:
    write_record(registry, "a", **overrides)
    assert [f[1:3] + f[4:] for f in r_findings()] == [("R014", line, message)]


def test_r014_boundaries_are_allowed(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(
        registry,
        "a",
        checks=log("{name: data-access, status: passed, date: 2026-01-05}"),
        evidence=log("{kind: adoption, date: 2026-11-25, users: 3}"),
    )
    assert r_findings() == []


def test_r014_uses_the_as_of_date(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", evidence=log("{kind: adoption, date: 2026-06-01, users: 3}"))
    assert r_findings("--as-of", "2026-05-31") == [
        ("a.yaml", "R014", 11, 5, "dated 2026-06-01, after 2026-05-31")
    ]
    assert r_findings("--as-of", "2026-06-01") == []


# --- R015 URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "ftp://files.example.com/export.csv",
        "data:text/html;base64,PHNjcmlwdD4=",
        "//example.com/no-scheme",
        "file:///etc/passwd",
    ],
)
def test_r015_rejected_schemes(
    url: str, registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", links=f'{{dashboard: "{url}"}}')
    assert r_findings() == [
        (
            "a.yaml",
            "R015",
            10,
            9,
            f"links.dashboard: URL '{url}' must start with http://, https:// or mailto:",
        )
    ]


def test_r015_in_a_check_link(registry: Path, write_record: Write, r_findings: Findings) -> None:
    write_record(
        registry,
        "a",
        checks=log("{name: data-access, status: passed, date: 2026-01-15, link: 'ftp://x'}"),
    )
    assert [f[1:4] for f in r_findings()] == [("R015", 11, 59)]


def test_r015_allowed_schemes(registry: Path, write_record: Write, r_findings: Findings) -> None:
    links = (
        '{repo: "https://git.example.com/a", wiki: "http://wiki.example.com", '
        'owner: "mailto:ana@example.com", upper: "HTTPS://EXAMPLE.COM/A"}'
    )
    checks = log("{name: data-access, status: passed, date: 2026-01-15, link: 'https://x.io'}")
    write_record(registry, "a", links=links, checks=checks)
    assert r_findings() == []


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://bank.example.com@evil.example.com/login",
         "a link must not carry a user name or password (text before '@')"),
        ("https:///no-host", "has no host name after '//'"),
        ("https://exa mple.com/", "host 'exa mple.com' is not a valid domain name"),
        ("https:example.com", "write https:// before the host name"),
        ("https://example.com:99999/", "has a port that is not a number from 0 to 65535"),
        ("https://example.com/\\u202egnp.exe",
         "contains the invisible character U+202E; remove it"),
        (" https://example.com/", "starts or ends with a space; remove it"),
        ("mailto:", "a mailto: link needs an address: mailto:name@example.com"),
    ],
)  # fmt: skip
def test_r015_malformed_urls(
    url: str, why: str, registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", links=f'{{dashboard: "{url}"}}')
    shown = url.encode().decode("unicode_escape")
    assert r_findings() == [("a.yaml", "R015", 10, 9, f"links.dashboard: URL '{shown}' {why}")]


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ('https://x.example.com/[a](b\\"onfocus=alert(1) autofocus x=\\")',
         "https://x.example.com/%5Ba%5D(b%22onfocus=alert(1)%20autofocus%20x=%22)"),
        ("HTTPS://Example.COM:8443/a b?q=<x>#top",
         "https://example.com:8443/a%20b?q=%3Cx%3E#top"),
        ("https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C"),
        ("mailto:ana@example.com?subject=Pilot review",
         "mailto:ana@example.com?subject=Pilot%20review"),
        ("https://example.com/100%/a%41", "https://example.com/100%25/a%41"),
    ],
)  # fmt: skip
def test_urls_are_stored_re_serialised(url: str, stored: str, registry: Path) -> None:
    path = registry / "projects" / "a.yaml"
    path.write_text(record_text("a", links=f'{{dashboard: "{url}"}}'), encoding="utf-8")
    record = load_entry(path).record
    assert record is not None
    assert record.links == {"dashboard": stored}


# --- registry/policy.yaml -------------------------------------------------------------


def test_policy_unknown_key_is_r003_with_its_line(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a")
    (registry / "policy.yaml").write_text("rules: {G: warning}\nthreshholds: {min_samples: 50}\n")
    assert r_findings() == [
        ("policy.yaml", "R003", 2, 1, "unknown field 'threshholds'; did you mean 'thresholds'?")
    ]


def test_policy_unknown_nested_key_is_r003(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a")
    (registry / "policy.yaml").write_text("thresholds:\n  min_samples: 50\n  stage_max_dayz: {}\n")
    assert r_findings() == [
        (
            "policy.yaml",
            "R003",
            3,
            3,
            "unknown field 'stage_max_dayz' in thresholds; did you mean 'stage_max_days'?",
        )
    ]


@pytest.mark.parametrize("code", ["X999", "G9", "r001", "S0100"])
def test_policy_unknown_rule_code_is_r004(
    code: str, registry: Path, write_record: Write, validate_json: Callable[..., dict[str, Any]]
) -> None:
    write_record(registry, "a")
    (registry / "policy.yaml").write_text(f"rules:\n  G: warning\n  {code}: error\n")
    doc = validate_json()
    policy = [f for f in doc["findings"] if f["file"] == "registry/policy.yaml"]
    assert policy == [
        {
            "file": "registry/policy.yaml",
            "line": 3,
            "column": 3,
            "project": None,
            "rule": "R004",
            "severity": "error",
            "message": f"rules.{code}: unknown rule code or prefix '{code}'",
        }
    ]


@pytest.mark.parametrize("text", ["", "\n", "# all defaults\n", "---\n"], ids=repr)
def test_empty_policy_file_is_fine(
    text: str, registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a")
    (registry / "policy.yaml").write_text(text)
    assert r_findings() == []


def test_valid_policy_is_fine(registry: Path, write_record: Write, r_findings: Findings) -> None:
    write_record(registry, "a")
    (registry / "policy.yaml").write_text(
        "rules: {G: warning, S010: 'off', S009: error}\n"
        "thresholds: {min_samples: 50, stage_max_days: {discovery: 21}}\n"
        "technology_terms: [gpt, llm]\n"
        "failure_modes: [vendor-lock-in]\n"
    )
    assert r_findings() == []


def test_policy_that_is_a_list_is_r010(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a")
    (registry / "policy.yaml").write_text("- rules\n")
    assert [f[:4] for f in r_findings()] == [("policy.yaml", "R010", 1, 1)]


def test_files_are_listed_in_name_order(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    for name in ("c", "a", "b"):
        write_record(registry, name, stage="prod", title=f"Record {name}")
    assert [f[0] for f in r_findings()] == ["a.yaml", "b.yaml", "c.yaml"]


# --- regressions of bugs found while writing these tests ---------------------------------


def test_policy_spec_example_with_unquoted_off(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a")
    (registry / "policy.yaml").write_text("rules: {G: warning, S010: off, S009: error}\n")
    assert r_findings() == []


def test_policy_that_is_a_scalar_is_r010(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a")
    (registry / "policy.yaml").write_text("rules=G:warning\n")
    assert [f[:2] for f in r_findings()] == [("policy.yaml", "R010")]


def test_folder_named_like_a_record_is_reported(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a")
    (registry / "projects" / "b.yaml").mkdir()
    assert [f[0] for f in r_findings()] == ["b.yaml"]


# --- R017: every file in projects/ is read or reported --------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("INVOICE.YAML", "the suffix must be lowercase: rename the file to INVOICE.yaml"),
        ("x.Yml", "the suffix must be lowercase: rename the file to x.yml"),
        (".yaml", "the file has no name before its suffix: call it <id>.yaml"),
        ("x.yaml ", "the file name starts or ends with a space; remove it"),
        ("notes.txt", "is not a record: record files are named <id>.yaml or <id>.yml"),
        ("x.json", "is not a record: record files are named <id>.yaml or <id>.yml"),
    ],
)
def test_r017_a_file_that_is_not_a_record_is_reported(
    name: str, message: str, registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a")
    (registry / "projects" / name).write_text(record_text("x"), encoding="utf-8")
    assert r_findings() == [(name, "R017", 1, 1, message)]


@pytest.mark.parametrize(
    ("name", "shown", "held"),
    [
        (
            "a\nb.yaml:1:1: R001 x.yaml",
            "a\ufffdb.yaml\ufffd1\ufffd1\ufffd R001 x.yaml",
            "the character U+000A",
        ),
        ("a:9:9: S001 x.yaml", "a\ufffd9\ufffd9\ufffd S001 x.yaml", "':'"),
        ("a\rb.yaml", "a\ufffdb.yaml", "the character U+000D"),
        ("\u202egnp.yaml", "\ufffdgnp.yaml", "the character U+202E"),
        ("a\x1b[2Jb.yaml", "a\ufffd[2Jb.yaml", "the character U+001B"),
    ],
)
def test_r017_a_file_name_that_could_forge_a_report_line(
    name: str, shown: str, held: str, registry: Path, write_record: Write, validate_json: Any
) -> None:
    """A name with a line break, control character or ':' is refused and shown defused."""
    write_record(registry, "a")
    (registry / "projects" / name).write_text(record_text("x"), encoding="utf-8")
    doc = validate_json()
    found = [(f["file"], f["line"], f["rule"], f["message"]) for f in doc["findings"]]
    assert [f for f in found if f[2].startswith("R")] == [
        (f"registry/projects/{shown}", 1, "R017",
         f"the file name holds {held}, which reports cannot show; rename it to <id>.yaml")
    ]  # fmt: skip


def test_r017_records_in_a_sub_folder_are_reported(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    (registry / "projects" / "sub").mkdir()
    write_record(registry, "b", name="sub/b.yaml")
    assert r_findings() == [
        ("sub", "R017", 1, 1, "is a folder; records live directly in projects/: move them up")
    ]


def test_placeholders_for_empty_folders_are_not_records(
    registry: Path, r_findings: Findings
) -> None:
    for name in (".gitkeep", ".keep", "README.md"):
        (registry / "projects" / name).write_text("", encoding="utf-8")
    assert r_findings() == []


def test_r009_a_file_name_that_is_not_utf8(registry: Path, validate_json: Any) -> None:
    raw = os.fsencode(str(registry / "projects")) + b"/caf\xe9.yaml"
    with open(raw, "wb") as handle:  # noqa: PTH123 - a bytes path pathlib cannot name
        handle.write(record_text("cafe").encode())
    doc = validate_json()
    assert [(f["file"], f["rule"], f["message"]) for f in doc["findings"]] == [
        ("registry/projects/caf\ufffd.yaml", "R009",
         "the file name is not UTF-8; rename it to <id>.yaml")
    ]  # fmt: skip


def test_r017_an_unreadable_record(
    registry: Path, write_record: Write, r_findings: Findings, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_record(registry, "a")
    locked = write_record(registry, "b")
    real = os.open

    def refuse(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if Path(path).name == locked.name:
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)  # root can read anything, so pretend
    assert r_findings() == [
        ("b.yaml", "R017", 1, 1, "cannot be read (Permission denied); fix its permissions")
    ]


def test_r004_more_tags_or_sponsors_than_a_page_can_show(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    many = ", ".join(f"t{i}" for i in range(101))
    people = ", ".join(f"{{name: P{i}}}" for i in range(101))
    write_record(registry, "a", tags=f"[{many}]", sponsors=f"[{people}]")
    assert [f[1:3] for f in r_findings()] == [("R004", 6), ("R004", 10)]  # sponsors, tags
    write_record(registry, "a", tags=f"[{many[: many.index(', t100')]}]")
    assert r_findings() == []


@pytest.mark.parametrize("written", ["1:30", "017", "-0:30"])
def test_r004_yaml_1_1_base_60_and_octal_numbers_are_not_read_as_numbers(
    written: str, registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", budget=f"{{monthly_forecast: {written}}}")
    [(_, rule, line, _, message)] = r_findings()
    assert (rule, line) == ("R004", 10)
    assert message.endswith(
        f"(YAML 1.1 would read {written} as a base-60 or octal number: write the number you "
        "mean without ':' or a leading zero, or quote it if it is text)"
    )


def test_text_that_looks_like_a_base_60_number_stays_text(
    registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", team="10:30")  # was read as the number 630: R004
    assert r_findings() == []


@pytest.mark.parametrize(
    "decisions",
    [
        log(TO_POC.replace("to: poc", "to: pilot")),  # skips poc
        log(TO_POC, TO_PILOT.replace("2026-03-01", "2026-01-20")),  # out of order
        log(TO_POC, TO_PILOT.replace("from: poc", "from: discovery")),  # from mismatch
    ],
    ids=["skips-stage", "out-of-order", "from-mismatch"],
)
def test_r013_suppresses_the_gate_findings_it_causes(
    decisions: str, registry: Path, write_record: Write, validate_json: Any
) -> None:
    """A log that misstates the stages is R013 alone, not also a gate never decided."""
    write_record(registry, "a", stage="pilot", decisions=decisions)
    rules = {f["rule"] for f in validate_json()["findings"]}
    assert "R013" in rules
    assert {r for r in rules if r.startswith("G")} == set()


def test_an_empty_by_does_not_hide_the_gates(
    registry: Path, write_record: Write, validate_json: Any
) -> None:
    write_record(registry, "a", stage="poc", decisions=log(TO_POC.replace("[Kim Ode]", "[]")))
    rules = sorted(f["rule"] for f in validate_json()["findings"])
    assert rules[:1] == ["G102"] and "R013" in rules  # the metric still has no target


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("{monthly_forecast: .inf}", "budget.monthly_forecast: Input should be a finite number "
         "(.inf and .nan are not figures: write the amount)"),
        ("{monthly_forecast: .NaN}", "budget.monthly_forecast: Input should be a finite number "
         "(.inf and .nan are not figures: write the amount)"),
        ("{monthly_forecast: 2E6}", "budget.monthly_forecast: Input should be a valid number "
         "(YAML reads 2E6 as text: write 2.0e+6, with a decimal point and a signed exponent, "
         "or the figure in full)"),
        ("{monthly_forecast: 1.0e+16}", "budget.monthly_forecast: Input should be less than or "
         "equal to 1000000000000000 (no real figure is that large: check the digits and the "
         "unit)"),
        ("{monthly_forecast: -1}", "budget.monthly_forecast: Input should be greater than or "
         "equal to 0"),
    ],
)  # fmt: skip
def test_r004_a_figure_no_budget_has_says_why(
    budget: str, message: str, registry: Path, write_record: Write, r_findings: Findings
) -> None:
    write_record(registry, "a", budget=budget)
    assert [f[1:] for f in r_findings()] == [("R004", 10, 10, message)]


# --- the collector ----------------------------------------------------------------------


def test_loading_pauses_the_garbage_collector_and_restores_it(
    registry: Path, write_record: Write
) -> None:
    write_record(registry, "a")
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            with collector_paused():
                assert not gc.isenabled()
            assert len(load_registry(registry).entries) == 1
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
