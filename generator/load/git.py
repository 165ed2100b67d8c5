"""The registry as it was at a git revision, copied out without touching the work tree.

`git ls-tree` lists the record files and the policy at the revision and one
`git cat-file --batch` reads them into a temporary folder, which then loads
like any registry, its files named as they are in the work tree.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Sequence
from pathlib import Path as FsPath

from ..errors import UsageError
from .registry import POLICY_FILE, Registry, display_path, load_entry, load_policy, record_files

DEFAULT_BRANCHES = ("origin/HEAD", "main", "master", "origin/main", "origin/master")


class GitError(UsageError):
    """Git is missing, the folder is not in a repository, or a revision is unknown."""


class GitUnavailable(GitError):
    """Git is not installed or did not answer in time."""


def _git(cwd: FsPath, *args: str, stdin: bytes | None = None) -> bytes:
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


def _commit(cwd: FsPath, revision: str) -> str | None:
    """Return the commit a revision names, or None (an option-like name included)."""
    try:
        out = _git(
            cwd, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        )
    except GitError:
        return None
    return out.decode().strip()


def repository(root: FsPath) -> tuple[FsPath, str]:
    """Return the repository's top folder and the registry's path inside it (`a/b/`)."""
    try:
        out = _git(root, "rev-parse", "--show-toplevel", "--show-prefix").decode()
    except GitUnavailable:
        raise
    except GitError:
        raise GitError(f"{display_path(root)} is not inside a git repository") from None
    top, prefix, *_ = [*out.splitlines(), "", ""]
    return FsPath(top), prefix


def resolve_base(top: FsPath, base: str | None) -> tuple[str, str]:
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


def _hint(top: FsPath) -> str:
    """Explain a missing commit in a shallow clone (CI checkouts are shallow by default)."""
    if _git(top, "rev-parse", "--is-shallow-repository").strip() != b"true":
        return ""
    return " (this clone is shallow: fetch the whole history, e.g. fetch-depth: 0)"


def materialise(top: FsPath, sha: str, prefix: str, dest: FsPath) -> None:
    """Write the registry's record files and policy at commit `sha` into `dest`."""
    (dest / "projects").mkdir(parents=True)
    wanted = [f"{prefix}projects/", f"{prefix}{POLICY_FILE}"]
    listing = _git(top, "ls-tree", "-r", "-z", sha, "--", *wanted)
    blobs: list[tuple[str, str, FsPath]] = []
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


def _blobs(top: FsPath, objects: Sequence[str]) -> list[bytes]:
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


def commit_dates(top: FsPath, sha: str, prefix: str) -> dict[str, dt.date]:
    """Return display path -> date of the newest commit up to `sha` touching that record."""
    log = _git(
        top, "log", sha, "--format=@%cs", "--name-only", "--no-renames", "--", prefix + "projects/"
    )
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in log.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith("@"):
            current = dt.date.fromisoformat(line[1:])
        elif line and current is not None:
            dates.setdefault(display_path(top / line), current)
    return dates


def load_as(folder: FsPath, root: FsPath) -> Registry:
    """Load a registry copied into `folder`, naming its files as if they were under `root`."""
    prefix = display_path(root / "projects")
    entries = [load_entry(path, f"{prefix}/{path.name}") for path, _ in record_files(folder)]
    policy, policy_entry = load_policy(folder)
    if policy_entry is not None:
        policy_entry.file = display_path(root / POLICY_FILE)
    return Registry(root, entries, policy, policy_entry)
