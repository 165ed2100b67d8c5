"""Change history of record files from one `git log` call for the whole registry."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path as FsPath

from .registry import display_path

_SEP = "\x1f"


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit that touched a record file."""

    sha: str
    date: dt.date
    subject: str


def _git(root: FsPath, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def file_history(root: FsPath) -> dict[str, list[Commit]]:
    """Return display path -> commits touching that record file, newest first.

    Outside a git work tree (or without git) the result is empty, and
    callers fall back to the dates written in the records.
    """
    projects = root / "projects"
    if not projects.is_dir():
        return {}
    top = _git(projects, "rev-parse", "--show-toplevel")
    if top is None:
        return {}
    fmt = f"--format=@{_SEP}%H{_SEP}%cs{_SEP}%s"
    log = _git(projects, "log", fmt, "--name-only", "--no-renames", "--", ".")
    if log is None:
        return {}
    toplevel = FsPath(top.strip())
    history: dict[str, list[Commit]] = {}
    current: Commit | None = None
    for line in log.splitlines():
        if line.startswith("@" + _SEP):
            _, sha, date, subject = line.split(_SEP, 3)
            current = Commit(sha, dt.date.fromisoformat(date), subject)
        elif line and current is not None:
            history.setdefault(display_path(toplevel / line), []).append(current)
    return history


def last_changes(root: FsPath) -> dict[str, dt.date]:
    """Return display path -> date of the newest commit touching that file."""
    return {file: commits[0].date for file, commits in file_history(root).items()}
