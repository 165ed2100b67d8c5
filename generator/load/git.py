"""Every question the tool asks git: one runner, one log parser.

- `file_history` / `last_changes`: the commits that touched each record file (project
  pages' change history, S010's last change), from one `git log` for the registry.
- `repository`, `resolve_base`, `materialise`, `commit_dates`, `load_as`: the registry
  as it was at a revision, copied out without touching the work tree (`portfolio diff`).
  `git ls-tree` lists the record files and the policy, one `git cat-file --batch` reads
  them into a temporary folder, which then loads like any registry, its files named as
  they are in the work tree.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.model import POLICY_FILE, PROJECTS_DIR
from ..errors import GitError, GitUnavailable
from .registry import Registry, display_path, load_entry, load_policy, record_files

DEFAULT_BRANCHES = ("origin/HEAD", "main", "master", "origin/main", "origin/master")
_SEP = "\x1f"
_LOG_FORMAT = f"--format=@{_SEP}%H{_SEP}%cs{_SEP}%s"


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit that touched a record file."""

    sha: str
    date: dt.date
    subject: str


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `cwd` and return its output, raising GitError when it fails."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=off", "--literal-pathspecs", "-C", str(cwd), *args],
            input=stdin,
            capture_output=True,
            check=False,
            timeout=300,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise GitUnavailable(f"cannot run git: {err}") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {why[-1] if why else done.returncode}")
    return done.stdout


def _log(top: Path, cwd: Path, *revision_and_paths: str) -> dict[str, list[Commit]]:
    """Return display path -> commits touching it, newest first, from one `git log`."""
    out = _git(cwd, "log", _LOG_FORMAT, "--name-only", "--no-renames", *revision_and_paths)
    history: dict[str, list[Commit]] = {}
    current: Commit | None = None
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith("@" + _SEP):
            _, sha, date, subject = line.split(_SEP, 3)
            current = Commit(sha, dt.date.fromisoformat(date), subject)
        elif line and current is not None:
            history.setdefault(display_path(top / line), []).append(current)
    return history


def file_history(root: Path) -> dict[str, list[Commit]]:
    """Return display path -> commits touching that record file, newest first.

    Outside a git work tree (or without git) the result is empty, and
    callers fall back to the dates written in the records.
    """
    projects = root / PROJECTS_DIR
    if not projects.is_dir():
        return {}
    try:
        top = _git(projects, "rev-parse", "--show-toplevel").decode().strip()
        return _log(Path(top), projects, "--", ".")
    except GitError:
        return {}


def last_changes(root: Path) -> dict[str, dt.date]:
    """Return display path -> date of the newest commit touching that file."""
    return {file: commits[0].date for file, commits in file_history(root).items()}


def _commit(cwd: Path, revision: str) -> str | None:
    """Return the commit a revision names, or None (an option-like name included)."""
    try:
        out = _git(
            cwd, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        )
    except GitError:
        return None
    return out.decode().strip()


def repository(root: Path) -> tuple[Path, str]:
    """Return the repository's top folder and the registry's path inside it (`a/b/`)."""
    try:
        out = _git(root, "rev-parse", "--show-toplevel", "--show-prefix").decode()
    except GitUnavailable:
        raise
    except GitError:
        raise GitError(f"{display_path(root)} is not inside a git repository") from None
    top, prefix, *_ = [*out.splitlines(), "", ""]
    return Path(top), prefix


def resolve_base(top: Path, base: str | None) -> tuple[str, str]:
    """Return (commit, label) of BASE, by default the merge base with the default branch."""
    if base is not None:
        sha = _commit(top, base)
        if sha is None:
            raise GitError(f"unknown revision '{base}'; give a branch, tag or commit{_hint(top)}")
        return sha, base
    branch = next((b for b in DEFAULT_BRANCHES if _commit(top, b)), None)
    if branch is None:
        raise GitError(
            f"no default branch ({', '.join(DEFAULT_BRANCHES)}) to compare with; name BASE"
        )
    try:
        sha = _git(top, "merge-base", "HEAD", branch).decode().strip()
    except GitError:
        raise GitError(f"HEAD and {branch} have no common ancestor{_hint(top)}") from None
    return sha, f"merge base with {branch}"


def _hint(top: Path) -> str:
    """Explain a missing commit in a shallow clone (CI checkouts are shallow by default)."""
    if _git(top, "rev-parse", "--is-shallow-repository").strip() != b"true":
        return ""
    return " (this clone is shallow: fetch the whole history, e.g. fetch-depth: 0)"


def materialise(top: Path, sha: str, prefix: str, dest: Path) -> None:
    """Write the registry's record files and policy at commit `sha` into `dest`."""
    (dest / PROJECTS_DIR).mkdir(parents=True)
    wanted = [f"{prefix}{PROJECTS_DIR}/", f"{prefix}{POLICY_FILE}"]
    listing = _git(top, "ls-tree", "-r", "-z", sha, "--", *wanted)
    blobs: list[tuple[str, str, Path]] = []
    for row in filter(None, listing.split(b"\0")):
        meta, _, name = row.decode("utf-8", "surrogateescape").partition("\t")
        mode, kind, obj = meta.split()
        relative = name[len(prefix) :]
        if kind == "blob" and (relative == POLICY_FILE or relative.count("/") == 1):
            blobs.append((mode, obj, dest / relative))
    contents = _blobs(top, [obj for _, obj, _ in blobs])
    for (mode, _, path), content in zip(blobs, contents, strict=True):
        if mode == "120000":  # a symlink: the loader refuses it (R011) whatever it points to
            path.symlink_to(content.decode("utf-8", "surrogateescape"))
        else:
            path.write_bytes(content)


def _blobs(top: Path, objects: Sequence[str]) -> list[bytes]:
    """Return the contents of blobs, read in one `git cat-file --batch` call."""
    if not objects:
        return []
    out = _git(top, "cat-file", "--batch", stdin="".join(f"{o}\n" for o in objects).encode())
    contents, at = [], 0
    for _ in objects:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        contents.append(out[header_end + 1 : header_end + 1 + size])
        at = header_end + 1 + size + 1
    return contents


def commit_dates(top: Path, sha: str, prefix: str) -> dict[str, dt.date]:
    """Return display path -> date of the newest commit up to `sha` touching that record."""
    history = _log(top, top, sha, "--", f"{prefix}{PROJECTS_DIR}/")
    return {file: commits[0].date for file, commits in history.items()}


def load_as(folder: Path, root: Path) -> Registry:
    """Load a registry copied into `folder`, naming its files as if they were under `root`."""
    prefix = display_path(root / PROJECTS_DIR)
    entries = [load_entry(path, f"{prefix}/{path.name}") for path, _ in record_files(folder)]
    policy, policy_entry = load_policy(folder)
    if policy_entry is not None:
        policy_entry.file = display_path(root / POLICY_FILE)
    return Registry(root, entries, policy, policy_entry)
