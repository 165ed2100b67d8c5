"""The `portfolio` command line: output formats, exit codes, PATHS, --strict, new, schema."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from generator import scaffold
from generator.check import engine, report_out
from generator.check.rules import Context
from generator.core.fields import fields_of
from generator.core.findings import Hit
from generator.core.model import Record

Cli = Callable[..., Result]
Write = Callable[..., Path]

AS_OF = "2026-11-25"
EARLY = "2026-01-12"  # a week after `started`: no time-based signal can fire yet
STAGE_MESSAGE = "stage: Input should be 'discovery', 'poc', 'pilot', 'scale' or 'optimize'"
FINDING_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[RGS]\d{3}) .+")


def lines(result: Result) -> list[str]:
    """Return the lines a command printed on stdout."""
    return result.stdout.splitlines()


# --- text format ----------------------------------------------------------------------


def test_text_format_lines_then_summary(registry: Path, write_record: Write, cli: Cli) -> None:
    write_record(registry, "a", stage="prod")
    write_record(registry, "b", title="Another", status="paused")

    result = cli("validate", "--as-of", AS_OF)

    assert result.exit_code == 1
    assert lines(result) == [
        f"registry/projects/a.yaml:7:1: R004 {STAGE_MESSAGE} [a]",
        "registry/projects/b.yaml:8:1: R004 status: Input should be 'active', 'killed' or "
        "'shelved' [b]",
        "FAILED: 2 records checked as of 2026-11-25: 2 errors, 0 warnings",
    ]


def test_text_format_policy_finding_has_no_project(
    registry: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a")
    (registry / "policy.yaml").write_text("rulez: {}\n")

    result = cli("validate", "--as-of", EARLY)

    assert lines(result)[0] == (
        "registry/policy.yaml:1:1: R003 unknown field 'rulez'; did you mean 'rules'?"
    )


def test_every_finding_line_has_the_documented_shape(
    registry: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a", stage="poc", related="[nope]", links="{x: 'ftp://x'}")
    write_record(registry, "b", title="Another", stage="pilot")
    (registry / "projects" / "c.yaml").write_text("- not a mapping\n")

    result = cli("validate", "--as-of", AS_OF)

    *findings, summary = lines(result)
    assert findings
    for line in findings:
        match = FINDING_LINE.match(line)
        assert match, line
        assert line.endswith(f" [{Path(match['file']).stem}]")
    assert re.fullmatch(
        r"FAILED: 3 records checked as of 2026-11-25: \d+ errors?, \d+ warnings?", summary
    )


def test_clean_registry_exits_0(registry: Path, write_record: Write, cli: Cli) -> None:
    write_record(registry, "a")
    result = cli("validate", "--as-of", EARLY)
    assert result.exit_code == 0
    assert lines(result) == ["ok: 1 record checked as of 2026-01-12: 0 errors, 0 warnings"]


def test_empty_registry_exits_0(cli: Cli) -> None:
    result = cli("validate", "--as-of", EARLY)
    assert result.exit_code == 0
    assert lines(result) == ["ok: 0 records checked as of 2026-01-12: 0 errors, 0 warnings"]


# --- usage errors exit 2 --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2026-13-01"], "'2026-13-01' is not a date; use YYYY-MM-DD"),
        (["--as-of", "yesterday"], "'yesterday' is not a date; use YYYY-MM-DD"),
        (["--format", "xml"], "'xml' is not one of 'github', 'json', 'text'"),
        (["registry/projects/nope.yaml"], "of this registry: registry/projects/nope.yaml"),
        (["registry/policy.yaml"], "of this registry: registry/policy.yaml"),
    ],
    ids=["impossible-date", "not-a-date", "unknown-format", "unknown-path", "absent-policy"],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, registry: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a")
    result = cli("validate", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_path_outside_the_registry_exits_2(
    registry: Path, tmp_path: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a")
    stray = tmp_path / "a.yaml"
    stray.write_text("id: a\n")
    result = cli("validate", str(stray))
    assert result.exit_code == 2
    assert "of this registry: a.yaml" in result.stderr


def test_missing_projects_folder_exits_2(registry: Path, cli: Cli) -> None:
    shutil.rmtree(registry / "projects")
    result = cli("validate")
    assert result.exit_code == 2
    assert "registry/projects: no such folder; is this a registry?" in result.stderr


# --- PATHS ----------------------------------------------------------------------------


def test_paths_restrict_the_report(
    registry: Path, write_record: Write, validate_json: Callable[..., dict[str, Any]]
) -> None:
    write_record(registry, "a", stage="prod")
    write_record(registry, "b", title="Another", stage="prod")
    write_record(registry, "c", title="Third", stage="prod")

    doc = validate_json("registry/projects/a.yaml", str(registry / "projects" / "c.yaml"))

    assert doc["records"] == 3  # everything is checked; only the named files are reported
    assert doc["errors"] == 2
    assert [(f["file"], f["rule"]) for f in doc["findings"]] == [
        ("registry/projects/a.yaml", "R004"),
        ("registry/projects/c.yaml", "R004"),
    ]


def test_paths_to_a_clean_file_exit_0_despite_errors_elsewhere(
    registry: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a")
    write_record(registry, "b", title="Another", stage="prod")
    result = cli("validate", "--as-of", EARLY, "registry/projects/a.yaml")
    assert result.exit_code == 0
    assert lines(result) == ["ok: 2 records checked as of 2026-01-12: 0 errors, 0 warnings"]


def test_path_to_the_policy_file(registry: Path, write_record: Write, cli: Cli) -> None:
    write_record(registry, "a", stage="prod")
    (registry / "policy.yaml").write_text("rulez: {}\n")
    result = cli("validate", "--format", "json", "--as-of", EARLY, "registry/policy.yaml")
    assert result.exit_code == 1
    assert [f["file"] for f in json.loads(result.stdout)["findings"]] == ["registry/policy.yaml"]


# --- --strict -------------------------------------------------------------------------


def _one_warning(ctx: Context) -> Iterator[Hit]:
    """Report S001 (a warning by default) on every record."""
    yield Hit("S001", ("problem",), "a test warning")


@pytest.fixture
def warning_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the engine run a single rule that always warns."""
    monkeypatch.setattr(engine, "RECORD_CHECKS", (_one_warning,))


def test_strict_on_a_clean_registry_exits_0(registry: Path, write_record: Write, cli: Cli) -> None:
    write_record(registry, "a")
    assert cli("validate", "--strict", "--as-of", EARLY).exit_code == 0


@pytest.mark.usefixtures("warning_rule")
def test_strict_turns_a_warning_into_exit_1(registry: Path, write_record: Write, cli: Cli) -> None:
    write_record(registry, "a")

    relaxed = cli("validate", "--as-of", EARLY)
    strict = cli("validate", "--strict", "--as-of", EARLY)

    assert relaxed.exit_code == 0
    assert strict.exit_code == 1
    finding = "registry/projects/a.yaml:3:1: S001 a test warning [a]"
    tally = "1 record checked as of 2026-01-12: 0 errors, 1 warning"
    assert lines(relaxed) == [finding, f"ok: {tally}"]
    assert lines(strict) == [finding, f"FAILED: {tally}"]


@pytest.mark.usefixtures("warning_rule")
def test_policy_can_turn_a_warning_off(registry: Path, write_record: Write, cli: Cli) -> None:
    write_record(registry, "a")
    (registry / "policy.yaml").write_text("rules: {S001: 'off'}\n")
    result = cli("validate", "--strict", "--as-of", EARLY)
    assert result.exit_code == 0
    assert lines(result) == ["ok: 1 record checked as of 2026-01-12: 0 errors, 0 warnings"]


@pytest.mark.parametrize("override", ["R013: warning", "R: 'off'", "R0: warning"])
def test_record_rules_cannot_be_softened(
    override: str, registry: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a", stage="poc")
    (registry / "policy.yaml").write_text(f"rules: {{{override}}}\n")
    code = override.split(":")[0]

    for args in ((), ("--strict",)):
        result = cli("validate", "--format", "json", "--as-of", AS_OF, *args)
        assert result.exit_code == 1
        findings = json.loads(result.stdout)["findings"]
        assert {
            "file": "registry/policy.yaml",
            "line": 1,
            "column": 9,
            "project": None,
            "rule": "R004",
            "severity": "error",
            "message": f"rules.{code}: record rules are always errors; '{code}' cannot be changed",
        } in findings
        r013 = [f for f in findings if f["rule"] == "R013"]
        assert [(f["line"], f["severity"]) for f in r013] == [(7, "error")]


# --- github format --------------------------------------------------------------------


def test_github_annotations(registry: Path, write_record: Write, cli: Cli) -> None:
    write_record(registry, "a", stage="prod")
    result = cli("validate", "--format", "github", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert lines(result) == [
        "::error file=registry/projects/a.yaml,line=7,col=1,title=R004 Invalid value or type::"
        + STAGE_MESSAGE,
        "FAILED: 1 record checked as of 2026-11-25: 1 error, 0 warnings",
    ]


@pytest.mark.usefixtures("warning_rule")
def test_github_warning_annotation(registry: Path, write_record: Write, cli: Cli) -> None:
    write_record(registry, "a")
    result = cli("validate", "--format", "github", "--as-of", EARLY)
    assert lines(result)[0] == (
        "::warning file=registry/projects/a.yaml,line=3,col=1,"
        "title=S001 Problem names a technology::a test warning"
    )


def test_github_escapes_properties_and_data(
    registry: Path, write_record: Write, minimal_record: Callable[..., str], cli: Cli
) -> None:
    # A file name with `,` and `%` (one with `:` is refused); a key with `%`, `|`, a newline.
    write_record(registry, "x-y", name="x,y%z.yaml")
    (registry / "projects" / "odd.yaml").write_text(
        minimal_record("odd", **{'"50%|\\nmore"': "1"}), encoding="utf-8"
    )

    result = cli("validate", "--format", "github", "--as-of", EARLY)

    annotations = [line for line in lines(result) if line.startswith("::")]
    assert annotations[0] == (
        "::error file=registry/projects/odd.yaml,line=10,col=1,title=R003 Unknown field::"
        "unknown field '50%25|%0Amore'; known fields: " + _known_fields()
    )
    assert annotations[1] == (
        "::error file=registry/projects/x%2Cy%25z.yaml,line=1,col=1,"
        "title=R006 Id is not a slug or not the file's stem::"
        "id 'x-y' differs from the file name 'x,y%25z.yaml'; "
        "rename the file to x-y.yaml or fix the id"
    )
    assert len(annotations) == 2


def _known_fields() -> str:
    return ", ".join(sorted(f.alias or n for n, f in fields_of(Record).items()))


def test_github_writes_the_markdown_summary(
    registry: Path,
    tmp_path: Path,
    write_record: Write,
    minimal_record: Callable[..., str],
    cli: Cli,
) -> None:
    write_record(registry, "a", stage="prod")
    (registry / "projects" / "odd.yaml").write_text(
        minimal_record("odd", **{'"a|b"': "1"}), encoding="utf-8"
    )
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")

    result = cli(
        "validate",
        "--format",
        "github",
        "--as-of",
        EARLY,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )

    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## Portfolio registry check\n")
    assert "FAILED: 2 records checked as of 2026-01-12: 2 errors, 0 warnings" in text
    rows = [line for line in text.splitlines() if line.startswith("| ❌ |")]
    assert rows == [
        f"| ❌ | `registry/projects/a.yaml` | 7 | R004 | a | {STAGE_MESSAGE} |",
        "| ❌ | `registry/projects/odd.yaml` | 10 | R003 | odd | unknown field 'a\\|b'; "
        "known fields: " + _known_fields() + " |",
    ]


def test_summary_is_written_only_for_the_github_format(
    registry: Path, tmp_path: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a", stage="prod")
    summary = tmp_path / "summary.md"
    cli("validate", "--format", "text", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not summary.exists()


def test_clean_markdown_summary_has_no_table(
    registry: Path, tmp_path: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a")
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    result = cli("validate", "--format", "github", "--as-of", EARLY, env=env)
    assert result.exit_code == 0
    assert summary.read_text(encoding="utf-8") == (
        "## Portfolio registry check\n\n"
        "ok: 1 record checked as of 2026-01-12: 0 errors, 0 warnings\n\n"
    )


# --- json format ----------------------------------------------------------------------


def test_json_matches_the_spec(registry: Path, write_record: Write, cli: Cli) -> None:
    write_record(registry, "a", stage="prod")
    write_record(registry, "b", title="Another")
    (registry / "policy.yaml").write_text("rulez: {}\n")

    result = cli("validate", "--format", "json", "--as-of", EARLY)

    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert list(doc) == ["as_of", "records", "errors", "warnings", "findings"]
    assert doc == {
        "as_of": "2026-01-12",
        "records": 2,
        "errors": 2,
        "warnings": 0,
        "findings": [
            {
                "file": "registry/policy.yaml",
                "line": 1,
                "column": 1,
                "project": None,
                "rule": "R003",
                "severity": "error",
                "message": "unknown field 'rulez'; did you mean 'rules'?",
            },
            {
                "file": "registry/projects/a.yaml",
                "line": 7,
                "column": 1,
                "project": "a",
                "rule": "R004",
                "severity": "error",
                "message": STAGE_MESSAGE,
            },
        ],
    }
    assert all(
        list(f) == ["file", "line", "column", "project", "rule", "severity", "message"]
        for f in doc["findings"]
    )


# --- portfolio new --------------------------------------------------------------------


def test_new_writes_a_record_that_validates(
    registry: Path, cli: Cli, validate_json: Callable[..., dict[str, Any]]
) -> None:
    result = cli("new", "my-idea", "--owner", "Ana Lima")

    assert result.exit_code == 0
    path = registry / "projects" / "my-idea.yaml"
    assert lines(result) == [
        "wrote registry/projects/my-idea.yaml; edit it, then run: "
        "portfolio validate registry/projects/my-idea.yaml"
    ]
    text = path.read_text(encoding="utf-8")
    assert "id: my-idea\n" in text
    assert 'title: "My idea"\n' in text
    assert 'owner: {name: "Ana Lima"}\n' in text
    # As written, only its placeholders are errors: they must be replaced first.
    checked = cli("validate", "--format", "json", "registry/projects/my-idea.yaml")  # as of today
    doc = json.loads(checked.stdout)
    errors = [(f["rule"], f["message"]) for f in doc["findings"] if f["severity"] == "error"]
    assert errors == [
        ("R004", "problem: still the starter's placeholder; state the business problem in "
         "one sentence"),
        ("R004", "success_metric.name: still the starter's placeholder; name the business "
         "outcome you will measure"),
    ]  # fmt: skip
    text = text.replace(scaffold.STARTER_PROBLEM, "Clerks re-key supplier invoices by hand.")
    path.write_text(text.replace(scaffold.STARTER_METRIC, "Invoices keyed per day"))
    checked = cli("validate", "--format", "json", "registry/projects/my-idea.yaml")
    doc = json.loads(checked.stdout)
    assert checked.exit_code == 0, doc
    assert [f for f in doc["findings"] if f["severity"] == "error"] == []


@pytest.mark.parametrize(
    "title", ["Line\x85break", "Para\u2029graph", 'Quote " \\ back', "🚀 Launch"]
)
def test_new_keeps_any_title_exactly(title: str, registry: Path, cli: Cli) -> None:
    assert cli("new", "t", "--title", title).exit_code == 0
    data = yaml.safe_load((registry / "projects" / "t.yaml").read_text(encoding="utf-8"))
    assert data["title"] == title


def test_new_refuses_a_title_that_is_not_utf8(registry: Path, cli: Cli) -> None:
    result = cli("new", "t", "--title", "caf\udce9")  # how Python passes undecodable bytes
    assert result.exit_code == 2
    assert "is not valid UTF-8 text" in result.output
    assert not (registry / "projects" / "t.yaml").exists()


@pytest.mark.parametrize(
    ("option", "value", "why"),
    [
        ("--title", "Invoice\x03 matching", "holds the control character U+0003; a record cannot"),
        ("--team", " \u3000", "is blank; a record cannot be"),
    ],
)
def test_new_refuses_text_no_record_could_hold(
    option: str, value: str, why: str, registry: Path, cli: Cli
) -> None:
    result = cli("new", "t", option, value)
    assert result.exit_code == 2
    assert why in result.output
    assert not (registry / "projects" / "t.yaml").exists()


def test_new_with_title_and_team(registry: Path, cli: Cli) -> None:
    result = cli("new", "x-1", "--title", 'Say "hi": now', "--team", "Ops", "--owner", "Bo")
    assert result.exit_code == 0
    text = (registry / "projects" / "x-1.yaml").read_text(encoding="utf-8")
    assert 'title: "Say \\"hi\\": now"\n' in text
    assert 'team: "Ops"\n' in text


@pytest.mark.parametrize("existing", ["my-idea.yaml", "my-idea.yml"])
def test_new_refuses_an_existing_id(existing: str, registry: Path, cli: Cli) -> None:
    (registry / "projects" / existing).write_text("keep me\n")
    result = cli("new", "my-idea", "--owner", "Ana Lima")
    assert result.exit_code == 2
    assert f"registry/projects/{existing} already exists" in result.stderr
    assert (registry / "projects" / existing).read_text() == "keep me\n"
    assert sorted(p.name for p in (registry / "projects").iterdir()) == [existing]


@pytest.mark.parametrize("bad", ["My_Idea", "my idea", "../escape", "x-", "ідея"])
def test_new_refuses_a_non_slug_id(bad: str, registry: Path, cli: Cli) -> None:
    result = cli("new", bad, "--owner", "Ana Lima")
    assert result.exit_code == 2
    assert f"'{bad}' is not a slug: use lowercase a-z, 0-9 and '-'" in result.stderr
    assert list((registry / "projects").iterdir()) == []
    assert not (registry / "escape.yaml").exists()


# --- portfolio schema -----------------------------------------------------------------


def test_schema_writes_then_checks(registry: Path, cli: Cli) -> None:
    path = registry / "record.schema.json"

    missing = cli("schema", "--check")
    written = cli("schema")
    fresh = cli("schema", "--check")

    assert missing.exit_code == 1
    assert written.exit_code == 0
    assert lines(written) == ["wrote registry/record.schema.json"]
    assert path.read_text(encoding="utf-8") == scaffold.schema_text()
    assert fresh.exit_code == 0
    assert lines(fresh) == ["registry/record.schema.json is up to date"]


def test_schema_check_fails_when_stale(registry: Path, cli: Cli) -> None:
    path = registry / "record.schema.json"
    path.write_text(scaffold.schema_text().replace('"poc"', '"proof"'), encoding="utf-8")

    result = cli("schema", "--check")

    assert result.exit_code == 1
    assert result.stderr == "registry/record.schema.json is stale; run: portfolio schema\n"
    assert cli("schema").exit_code == 0
    assert cli("schema", "--check").exit_code == 0


# --- regressions of bugs found while writing these tests ---------------------------------


def test_path_with_dot_dot_names_the_same_file(
    registry: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a")
    result = cli("validate", "--as-of", EARLY, "registry/../registry/projects/a.yaml")
    assert result.exit_code == 0


def test_text_format_is_one_line_per_finding(
    registry: Path, minimal_record: Callable[..., str], cli: Cli
) -> None:
    (registry / "projects" / "a.yaml").write_text(minimal_record("a", **{'"x\\ny"': "1"}))
    result = cli("validate", "--as-of", EARLY)
    assert len(lines(result)) == 2


# --- nothing is written through a link or outside the registry ---------------------------


def test_new_refuses_to_write_through_a_dangling_link(
    registry: Path, tmp_path: Path, cli: Cli
) -> None:
    target = tmp_path / "elsewhere.yaml"
    (registry / "projects" / "x.yaml").symlink_to(target)
    result = cli("new", "x")
    assert result.exit_code == 2
    assert "registry/projects/x.yaml already exists" in result.output
    assert not target.exists()


def test_new_refuses_a_projects_folder_that_is_a_link(
    registry: Path, tmp_path: Path, cli: Cli
) -> None:
    (registry / "projects").rmdir()
    (tmp_path / "outside").mkdir()
    (registry / "projects").symlink_to(tmp_path / "outside")
    result = cli("new", "x")
    assert result.exit_code == 2
    assert "registry/projects is a symbolic link; refusing to write through it" in result.output
    assert list((tmp_path / "outside").iterdir()) == []


def test_schema_refuses_to_overwrite_a_linked_schema(
    registry: Path, tmp_path: Path, cli: Cli
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    (registry / "record.schema.json").symlink_to(victim)
    result = cli("schema")
    assert result.exit_code == 2
    assert "is a symbolic link; refusing to write through it" in result.output
    assert victim.read_text(encoding="utf-8") == "keep me\n"


def test_schema_in_a_folder_that_is_a_file_is_an_error_not_a_traceback(
    registry: Path, cli: Cli
) -> None:
    (registry / "record.schema.json").mkdir()
    result = cli("schema")
    assert result.exit_code == 2
    assert "is not a regular file" in result.output


def test_a_linked_registry_folder_is_refused(tmp_path: Path, cli: Cli) -> None:
    real = tmp_path / "real-registry"
    (real / "projects").mkdir(parents=True)
    shutil.rmtree(tmp_path / "registry")
    (tmp_path / "registry").symlink_to(real)
    result = cli("validate")
    assert result.exit_code == 2
    assert "registry is a symbolic link; commit the registry (R011)" in result.output


# --- record text in terminals and Markdown summaries -------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text", "plain text"),
        ("red \x1b[31mALERT\x1b[0m", "red \\u001b[31mALERT\\u001b[0m"),
        ("gnp.exe\u202e", "gnp.exe\\u202e"),
        ("a\nb\rc", "a\\nb\\rc"),
        ("del \x7f and nel \x85", "del \\u007f and nel \\u0085"),
        ("Zürich — ok 🚀", "Zürich — ok 🚀"),
    ],
)
def test_terminal_output_shows_control_characters_as_escapes(text: str, shown: str) -> None:
    assert report_out.terminal(text) == shown


def test_printable_text_has_nothing_to_escape() -> None:
    """`terminal` returns printable text as it is: no printable character is escaped."""
    assert not any(report_out._is_unseen(chr(c)) and chr(c).isprintable() for c in range(0x110000))


def test_text_output_escapes_control_characters_in_messages(
    registry: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a", related='["no-such-\\e[2Jthing"]')
    result = cli("validate", "--as-of", EARLY)
    assert "\x1b" not in result.output
    assert "related[0]: 'no-such-\\u001b[2Jthing' is not a slug" in result.output


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("![x](https://evil.example/p.png)", "!&#91;x&#93;(https:\u200b//evil.example/p.png)"),
        ("see [docs](javascript:alert(1))", "see &#91;docs&#93;(javascript:alert(1))"),
        ("ping @octocat and @org/team", "ping @\u200boctocat and @\u200borg/team"),
        ("visit www.evil.example now", "visit www\u200b.evil.example now"),
        ("<img src=x> | a", "&lt;img src=x&gt; \\| a"),
    ],
)
def test_markdown_cells_render_no_image_link_or_mention(text: str, escaped: str) -> None:
    assert report_out.cell(text) == escaped


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_as_of_outside_the_calendar_is_a_usage_error(day: str, cli: Cli) -> None:
    result = cli("validate", "--as-of", day)
    assert result.exit_code == 2
    assert f"{day} is out of range: use a date from 1900-01-01 to 2999-12-31" in result.output


def test_a_record_date_at_the_calendar_end_is_r004_not_a_crash(
    registry: Path, write_record: Write, cli: Cli
) -> None:
    write_record(registry, "a", started="9999-12-30", stage="pilot")
    result = cli("validate", "--as-of", "2999-12-31")
    assert result.exit_code == 1
    assert "started: 9999-12-30 is out of range: dates are from 1900-01-01 to 2999-12-31" in (
        result.output
    )


def test_diff_offers_every_format_it_renders() -> None:
    from generator import cli
    from generator.diff import render

    assert list(render.FORMATS) == cli.DIFF_FORMATS


def test_validate_starts_without_the_other_commands_modules() -> None:
    """`portfolio validate` runs on every pull request: it does not import what only
    `diff`, `import` or the site need."""
    code = (
        "import sys, generator.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['generator', 'diff'], ['generator', 'ingest'], ['generator', 'publish'])))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"


# --- the collector ----------------------------------------------------------------------


def test_the_console_scripts_validate_collects_nothing_until_it_exits(
    cli: Cli, registry: Path, write_record: Write
) -> None:
    """Run as `portfolio` (its own process), validate leaves the garbage collector off to
    the end and freezes what is left before the last collection; the report is the same."""
    write_record(registry, "invoice-matching")
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('collector', 'on' if gc.isenabled() else 'off',"
        " 'frozen', gc.get_freeze_count() > 0, file=sys.stderr))\n"
        f"sys.argv = ['portfolio', 'validate', '--registry', {os.path.relpath(registry)!r}, "
        f"'--as-of', {AS_OF!r}]\n"
        "from generator.cli import run\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "collector off frozen True"
    assert done.stdout == cli("validate", "--as-of", AS_OF).stdout


def test_validate_called_in_another_program_leaves_its_collector_on(
    cli: Cli, registry: Path, write_record: Write
) -> None:
    import gc

    write_record(registry, "invoice-matching")
    assert gc.isenabled()
    cli("validate", "--as-of", AS_OF)
    assert gc.isenabled() and gc.get_freeze_count() == 0
