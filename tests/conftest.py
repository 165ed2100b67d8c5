"""Builders shared by the tests: a registry folder, records, the real CLI, and for the
browser tests the example site built once, served, and the system Chromium."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import browser_support
import pytest
from click.testing import CliRunner, Result
from hypothesis import settings
from playwright.sync_api import Browser

from generator.cli import main

AS_OF = "2026-11-25"

# Property tests (tests/test_properties.py): in CI the same examples every run, found by
# a seed derived from the test, and no example database to carry over between runs;
# HYPOTHESIS_PROFILE=dev forces the random search anywhere.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev")
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

# One key per line, in this order, so tests can name lines: id is line 1, started line 9.
_MINIMAL = {
    "title": "Invoice matching",
    "problem": "Accounts payable clerks spend two days a month matching invoices by hand.",
    "team": "Finance",
    "owner": "{name: Ana Lima}",
    "sponsors": "[{name: Kim Ode, role: CFO, since: 2026-01-01}]",
    "stage": "discovery",
    "status": "active",
    "started": "2026-01-05",
}

Finding = tuple[str, str, int, int, str]


def git(repo: Path, *args: str, date: str = "2026-03-01T10:00:00") -> None:
    """Run git in `repo` as a test author, committing (if it commits) on `date`."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
        env=env,
    )


def record_text(project_id: str, **overrides: str | None) -> str:
    """Return a clean discovery-stage record; overrides replace, add (at the end) or drop keys.

    Values are YAML text written after `key: `, so a test controls quoting and layout.
    """
    fields: dict[str, str] = {"id": project_id, **_MINIMAL}
    for key, value in overrides.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


@pytest.fixture
def minimal_record() -> Callable[..., str]:
    """Return the record builder `minimal_record(id, **overrides) -> YAML text`."""
    return record_text


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return an empty registry folder; the working directory is its parent."""
    monkeypatch.chdir(tmp_path)  # findings then name files registry/projects/<id>.yaml
    root = tmp_path / "registry"
    (root / "projects").mkdir(parents=True)
    return root


@pytest.fixture
def write_record() -> Callable[..., Path]:
    """Return `write_record(registry, id, *, name=None, **overrides) -> path` of the file."""

    def write(
        registry: Path, project_id: str, *, name: str | None = None, **overrides: Any
    ) -> Path:
        path = registry / "projects" / (name or f"{project_id}.yaml")
        path.write_text(record_text(project_id, **overrides), encoding="utf-8")
        return path

    return write


@pytest.fixture
def cli(registry: Path) -> Callable[..., Result]:
    """Return `cli(*args, env=None)`: run `portfolio *args --registry registry`."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
        # Never append to the summary of a real CI job that runs these tests.
        env = {"GITHUB_STEP_SUMMARY": None, **(env or {})}
        return runner.invoke(
            main, [*args, "--registry", os.path.relpath(registry)], env=env, catch_exceptions=False
        )

    return run


@pytest.fixture
def validate_json(cli: Callable[..., Result]) -> Callable[..., dict[str, Any]]:
    """Return `validate_json(*args)`: the parsed output of `validate --format json`."""

    def run(*args: str) -> dict[str, Any]:
        result = cli("validate", "--format", "json", "--as-of", AS_OF, *args)
        assert result.exit_code in (0, 1), result.output
        doc: dict[str, Any] = json.loads(result.stdout)
        assert result.exit_code == (1 if doc["errors"] else 0)
        return doc

    return run


@pytest.fixture
def r_findings(validate_json: Callable[..., dict[str, Any]]) -> Callable[..., list[Finding]]:
    """Return `r_findings(*args)`: record-rule findings as (file name, rule, line, col, message).

    Gate and signal rules (G*, S*) are filtered out: these tests are about R rules.
    """

    def run(*args: str) -> list[Finding]:
        doc = validate_json(*args)
        return [
            (Path(f["file"]).name, f["rule"], f["line"], f["column"], f["message"])
            for f in doc["findings"]
            if f["rule"].startswith("R")
        ]

    return run


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the example registry's site/, built once by `portfolio build --as-of`."""
    return browser_support.build_example_site(tmp_path_factory.mktemp("example-site"))


@pytest.fixture(scope="session")
def base_url(example_site: Path) -> Iterator[str]:
    """Serve the example site on 127.0.0.1 and return its URL, ending in "/"."""
    with browser_support.serve(example_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Return the system Chromium, headless; fail under CI and skip elsewhere without it.

    One per module, so no browser stays open while the modules between run."""
    with browser_support.chromium() as chromium:
        yield chromium
