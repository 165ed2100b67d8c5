"""Record history from git: one `git log` for the registry, shown on project pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import git

from generator.load.git import file_history, last_changes

RECORD = """\
id: {id}
title: Invoice matching
problem: Accounts payable clerks spend two days a month matching invoices by hand.
team: Finance
owner: {{name: Ana Lima}}
sponsors:
  - {{name: Kim Ode, role: CFO, since: 2026-01-01}}
stage: discovery
status: active
started: 2026-01-05
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    projects = tmp_path / "registry" / "projects"
    projects.mkdir(parents=True)
    git(tmp_path, "init", "-q", "-b", "main")
    (projects / "a.yaml").write_text(RECORD.format(id="a"))
    (projects / "b.yaml").write_text(RECORD.format(id="b"))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Add a and b", date="2026-03-01T10:00:00")
    (projects / "a.yaml").write_text(RECORD.format(id="a") + "tags: [finance]\n")
    git(tmp_path, "commit", "-q", "-am", "Tag a", date="2026-04-02T10:00:00")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_history_lists_commits_per_file_newest_first(repo: Path) -> None:
    history = file_history(repo / "registry")
    assert [(c.date, c.subject) for c in history["registry/projects/a.yaml"]] == [
        (dt.date(2026, 4, 2), "Tag a"),
        (dt.date(2026, 3, 1), "Add a and b"),
    ]
    assert [c.subject for c in history["registry/projects/b.yaml"]] == ["Add a and b"]
    assert all(len(c.sha) == 40 for c in history["registry/projects/a.yaml"])


def test_last_changes_is_the_newest_commit_date(repo: Path) -> None:
    assert last_changes(repo / "registry") == {
        "registry/projects/a.yaml": dt.date(2026, 4, 2),
        "registry/projects/b.yaml": dt.date(2026, 3, 1),
    }


def test_outside_a_git_work_tree_there_is_no_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "registry" / "projects").mkdir(parents=True)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert file_history(tmp_path / "registry") == {}
