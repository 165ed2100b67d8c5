"""Dates of the last commit touching each record, from one `git log` call."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path as FsPath

from .loading import display_path


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


def last_changes(root: FsPath) -> dict[str, dt.date]:
    """Return display path -> date of the newest commit touching that file.

    Outside a git work tree (or without git) the result is empty and callers
    fall back to the newest date written in the record.
    """
    projects = root / "projects"
    top = _git(projects, "rev-parse", "--show-toplevel")
    if top is None:
        return {}
    log = _git(projects, "log", "--format=@%cs", "--name-only", "--no-renames", "--", ".")
    if log is None:
        return {}
    toplevel = FsPath(top.strip())
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in log.splitlines():
        if line.startswith("@"):
            current = dt.date.fromisoformat(line[1:])
        elif line and current is not None:
            dates.setdefault(display_path(toplevel / line), current)
    return dates
