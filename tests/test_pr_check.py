"""A pull request is judged on its change: the date bomb, on a real git repository.

The example registry is committed on 2026-12-01, when every waiver in it is in force.
`cs-reply-drafting` holds a waiver of G203 that expires on 2027-01-15; judged as of
2027-03-01, that record has an error nobody wrote. A pull request that edits another
record must not fail on it, one that edits `cs-reply-drafting` must, and one that
breaks something must, whatever stands elsewhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

ROOT = Path(__file__).resolve().parents[1]
BASE_DATE = "2026-12-01T09:00:00+0000"
AFTER_EXPIRY = "2027-03-01"
BOMB = "registry/projects/cs-reply-drafting.yaml"
OTHER = "registry/projects/it-ticket-triage.yaml"

Cli = Callable[..., Result]


def git(top: Path, *args: str) -> str:
    """Run git in `top` and return its output."""
    done = subprocess.run(["git", *args], cwd=top, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def top(registry: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a repository whose `main` holds the example registry, committed 2026-12-01."""
    for key in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{key}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{key}_EMAIL", "test@example.com")
        monkeypatch.setenv(f"GIT_{key}_DATE", BASE_DATE)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    shutil.rmtree(registry)
    shutil.copytree(ROOT / "registry", registry)
    root = registry.parent
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "base")
    git(root, "switch", "--quiet", "-c", "feature")
    return root


def edit(top: Path, file: str, old: str, new: str) -> None:
    """Replace one line of a record and commit it on the feature branch."""
    path = top / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    git(top, "commit", "--quiet", "-am", f"edit {file}")


def judged(cli: Cli, fmt: str = "json") -> Result:
    """Run `portfolio diff main` as of a day after the waiver expired."""
    return cli("diff", "main", "--format", fmt, "--as-of", AFTER_EXPIRY)


def as_json(result: Result) -> dict[str, Any]:
    """Parse the JSON output of a diff."""
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def test_the_whole_registry_fails_after_the_waiver_expires(top: Path, cli: Cli) -> None:
    before = cli("validate", "--as-of", "2026-12-01")
    after = cli("validate", "--as-of", AFTER_EXPIRY)

    assert before.exit_code == 0, before.stdout
    assert after.exit_code == 1
    errors = [line for line in after.stdout.splitlines() if ": G203 " in line]
    assert [line.split(":")[0] for line in errors] == [BOMB]


def test_a_change_elsewhere_passes_and_reports_the_date_bomb(top: Path, cli: Cli) -> None:
    edit(top, OTHER, "tags: [it, service-desk, routing]", "tags: [it, service-desk, triage]")

    result = judged(cli)
    doc = as_json(result)

    assert result.exit_code == 0, result.stdout
    assert [c["id"] for c in doc["changed"]] == ["it-ticket-triage"]
    assert doc["new_findings"] == [] and doc["kept_errors"] == []
    (bomb,) = doc["standing_errors"]
    assert (bomb["file"], bomb["rule"], bomb["severity"]) == (BOMB, "G203", "error")
    assert (bomb["by_date"], bomb["clean_on"]) == (True, "2026-12-01")
    summary = doc["summary"]
    assert (summary["new_errors"], summary["kept_errors"], summary["standing_errors"]) == (0, 0, 1)
    assert summary["failed"] is False

    text = judged(cli, "text").stdout.splitlines()
    assert text[-3] == "errors elsewhere, not failed on:"
    assert text[-2].startswith(f"  {BOMB}:")
    assert text[-2].endswith(
        "[cs-reply-drafting] (due to the date (none on 2026-12-01, its last change))"
    )
    assert text[-1] == (
        "ok: 0 new errors, 0 new warnings, 0 resolved; 1 error elsewhere, not failed on"
    )

    markdown = judged(cli, "markdown").stdout.splitlines()
    assert markdown[6] == (
        "✅ ok: 0 new errors, 0 new warnings, 0 resolved; 1 error elsewhere, not failed on"
    )
    at = markdown.index("### Errors elsewhere, not failed on")
    assert markdown[at + 2].startswith("Errors in records this change does not touch:")
    assert markdown[at + 4] == "| file | line | rule | project | message | cause |"
    row = markdown[at + 6]
    assert row.startswith(f"| `{BOMB}` | {bomb['line']} | G203 | cs-reply-drafting | ")
    assert row.endswith(" | due to the date (none on 2026-12-01, its last change) |")


def test_editing_the_record_with_the_error_fails(top: Path, cli: Cli) -> None:
    edit(top, BOMB, "tags: [customer-service, email, b2b]", "tags: [customer-service, email]")

    result = judged(cli)
    doc = as_json(result)

    assert result.exit_code == 1
    assert doc["new_findings"] == [] and doc["standing_errors"] == []
    assert [(f["file"], f["rule"]) for f in doc["kept_errors"]] == [(BOMB, "G203")]
    assert doc["summary"]["failed"] is True
    markdown = judged(cli, "markdown").stdout.splitlines()
    assert markdown[6] == (
        "❌ FAILED: 0 new errors, 0 new warnings, 0 resolved; 1 error left in changed records"
    )
    at = markdown.index("### Errors left in changed records")
    assert markdown[at + 2] == "| | file | line | rule | project | message |"
    assert markdown[at + 4].startswith(f"| ❌ | `{BOMB}` | ")


def test_renewing_the_waiver_in_the_change_passes(top: Path, cli: Cli) -> None:
    edit(top, BOMB, "expires: 2027-01-15", "expires: 2027-04-30")

    result = judged(cli)
    doc = as_json(result)

    assert result.exit_code == 0, result.stdout
    assert doc["kept_errors"] == doc["standing_errors"] == []
    assert [(f["rule"], f["severity"]) for f in doc["resolved_findings"]] == [
        ("G203", "error"),
        ("S015", "warning"),
    ]


def test_a_new_error_fails_whatever_stands_elsewhere(top: Path, cli: Cli) -> None:
    edit(top, OTHER, "tags: [it, service-desk, routing]", "tags: [it, service-desk, routing]\nx: 1")

    result = judged(cli)
    doc = as_json(result)

    assert result.exit_code == 1
    assert [(f["file"], f["rule"]) for f in doc["new_findings"]] == [(OTHER, "R003")]
    assert [f["rule"] for f in doc["standing_errors"]] == ["G203"]
    last = judged(cli, "text").stdout.splitlines()[-1]
    assert last.startswith("FAILED: 1 new error, ")
    assert last.endswith(" resolved; 1 error elsewhere, not failed on")


def test_an_error_already_on_the_base_is_not_blamed_on_the_date(
    top: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The base branch itself took a broken record (pushed past review).
    git(top, "switch", "--quiet", "main")
    edit(top, OTHER, "tags: [it, service-desk, routing]", "tags: [it, service-desk, routing]\nx: 1")
    git(top, "switch", "--quiet", "-C", "feature")
    edit(top, BOMB.replace("cs-reply-drafting", "returns-reason-analysis"), "e-commerce]", "web]")

    doc = as_json(judged(cli))

    assert doc["summary"]["failed"] is False
    causes = {(f["rule"], f["by_date"], f["clean_on"]) for f in doc["standing_errors"]}
    assert causes == {("R003", False, None), ("G203", True, "2026-12-01")}
    text = judged(cli, "text").stdout
    assert "R003 unknown field 'x'" in text
    assert "(already there before this change)" in text
