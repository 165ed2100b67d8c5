"""Check a registry folder: for the site (`run_checks`) or for `validate` alone."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..core.findings import Finding
from ..core.policy import Policy
from ..errors import UsageError
from ..load.git import last_changes
from ..load.registry import (
    MAX_BYTES,
    Entry,
    Registry,
    collector_paused,
    display_path,
    load_entry,
    load_policy,
    load_registry,
    record_files,
)
from .engine import Report, Summary, assemble, check, check_entry
from .rules import Ref

# Below this many files a process pool costs more than it saves.
PARALLEL_MIN_FILES = 400
CHUNKS_PER_WORKER = 4


@dataclass(frozen=True, slots=True)
class _Checked:
    """One file as checked: the bytes it held and every input of its findings."""

    raw: bytes | None  # None: not a regular file, or it changed while it was read
    policy: Policy
    as_of: dt.date
    change: dt.date | None
    entry: Entry
    found: list[Finding]
    ref: Ref


@dataclass(slots=True)
class CheckMemo:
    """The files `run_checks` checked at the previous build of a `portfolio serve` session.

    A file whose bytes, the policy, the date and its last commit's date are all as they
    were is not loaded and checked again: its entry, findings and summary are reused.
    The cross-record rules always run again, on every file.
    """

    files: dict[str, _Checked] = field(default_factory=dict)

    def get(self, file: str, raw: bytes | None, policy: Policy, as_of: dt.date,
            change: dt.date | None) -> _Checked | None:  # fmt: skip
        """Return the file as checked before, if it and its inputs are unchanged."""
        before = self.files.get(file)
        if raw is None or before is None or before.raw != raw:
            return None
        if (before.as_of, before.change) != (as_of, change) or before.policy != policy:
            return None
        return before


def run_checks(
    root: Path,
    as_of: dt.date | None = None,
    changes: Mapping[str, dt.date] | None = None,
    memo: CheckMemo | None = None,
) -> Report:
    """Load and check the registry at `root` as of a date (default today), in this process.

    The report carries the registry, so the site can be built from it. Loading is most
    of the work and the loaded records are needed here, so a process pool cannot help:
    shipping 10,000 loaded records back from workers costs more than loading them. Each
    file is checked as soon as it is loaded and then forgets its parsed YAML, so the
    registry's key positions are never all held at once (the same findings as `check`).
    With a `memo` (under `serve`), files unchanged since its build are taken from it.
    """
    when = as_of or dt.date.today()
    changes = last_changes(root) if changes is None else changes
    policy, policy_entry = load_policy(root)
    entries: list[Entry] = []
    findings: list[Finding] = []
    refs: list[Ref] = []
    checked: dict[str, _Checked] = {}
    with collector_paused():  # see load_registry
        for path, file in record_files(root):
            change = changes.get(file)
            raw = _regular_bytes(path) if memo is not None else None
            done = memo.get(file, raw, policy, when, change) if memo is not None else None
            if done is None:
                entry = load_entry(path, file)
                found, ref = check_entry(entry, policy, when, change)
                entry.drop_source()
                if raw is not None and _regular_bytes(path) != raw:
                    raw = None  # saved again while it was read: not to be reused
                done = _Checked(raw, policy, when, change, entry, found, ref)
            checked[file] = done
            entries.append(done.entry)
            findings += done.found
            refs.append(done.ref)
        summary = assemble(when, findings, refs, policy_entry, policy)  # S016 too: see check
    if memo is not None:
        memo.files = checked
    registry = Registry(root, entries, policy, policy_entry)
    return Report(
        summary.as_of, summary.records, summary.files, summary.findings, registry=registry
    )


def _regular_bytes(path: Path) -> bytes | None:
    """Return the bytes of a regular file that is no link, or None."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def validate(
    root: Path,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    changes: Mapping[str, dt.date] | None = None,
) -> Summary:
    """Check the registry at `root` and return only the findings, in parallel when large.

    `portfolio validate` needs no loaded records afterwards, so large registries are
    loaded and checked in worker processes that send back findings and small summaries.
    """
    when = as_of or dt.date.today()
    if changes is None:
        changes = last_changes(root)
    files = record_files(root)
    workers = min(jobs or os.cpu_count() or 1, 8)
    if workers < 2 or len(files) < PARALLEL_MIN_FILES:
        return check(load_registry(root), when, changes)
    policy, policy_entry = load_policy(root)
    # A few chunks a worker: this process unpickles the findings of a finished chunk while
    # the workers go on with the next, not all of them at the end.
    parts = workers * CHUNKS_PER_WORKER
    chunks = [files[i::parts] for i in range(parts)]
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    findings: list[Finding] = []
    refs: list[Ref] = []
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        jobs_args = [(chunk, policy, when, changes) for chunk in chunks]
        for found, chunk_refs in pool.map(_check_files, jobs_args):
            findings += found
            refs += chunk_refs
    refs.sort(key=lambda ref: ref.file)
    return assemble(when, findings, refs, policy_entry, policy)


def _check_files(
    args: tuple[Sequence[tuple[Path, str]], Policy, dt.date, Mapping[str, dt.date]],
) -> tuple[list[Finding], list[Ref]]:
    files, policy, as_of, changes = args
    findings: list[Finding] = []
    refs = []
    for path, file in files:
        found, ref = check_entry(load_entry(path, file), policy, as_of, changes.get(file))
        findings += found
        refs.append(ref)
    return findings, refs


def select(report: Summary, paths: Sequence[Path]) -> list[Finding]:
    """Return the findings of the given files only (all findings when none are given)."""
    if not paths:
        return list(report.findings)
    wanted = {display_path(p) for p in paths}
    missing = sorted(wanted - report.files)
    if missing:
        raise UsageError(f"not a file of this registry: {', '.join(missing)}")
    return [f for f in report.findings if f.file in wanted]
