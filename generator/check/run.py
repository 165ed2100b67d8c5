"""Check a registry folder: for the site (`run_checks`) or for `validate` alone."""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import Synchronized
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..core.findings import Finding
from ..core.policy import Policy
from ..errors import PortfolioError, UsageError
from ..load.files import read_bytes
from ..load.git import last_changes
from ..load.registry import (
    Entry,
    Registry,
    collector_paused,
    display_path,
    load_entry,
    load_policy,
    load_registry,
    record_files,
)
from ..load.yamldata import Problem
from .engine import (
    Report,
    Summary,
    assemble,
    check,
    check_entry,
    check_portfolio,
    entry_findings,
    summarise,
    summarise_entry,
)
from .rules import Ref

# Below this many files a process pool costs more than it saves.
PARALLEL_MIN_FILES = 400


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
    found = read_bytes(path)
    return None if isinstance(found, Problem) else found


def validate(
    root: Path,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    changes: Mapping[str, dt.date] | None = None,
) -> Summary:
    """Check the registry at `root` and return only the findings, in parallel when large.

    `portfolio validate` needs no loaded records afterwards, so large registries are
    loaded and checked in worker processes, batches of files each, that send back
    small summaries and findings. Meanwhile this process reads git's log (the last
    change of each file, which only the record rules read: 0.4 s for 10,000 files in one
    commit). Each worker sends its files' summaries as soon as they are loaded and is
    sent the last changes, so this process runs the cross-record rules (S016 is most of
    them) while the workers go on with the record rules.
    """
    when = as_of or dt.date.today()
    with collector_paused():  # see load_registry: from the list of files to the summary
        files = record_files(root)
        workers = min(jobs or os.cpu_count() or 1, 8)
        if workers < 2 or len(files) < PARALLEL_MIN_FILES:
            changes = last_changes(root) if changes is None else changes
            return check(load_registry(root), when, changes)
        policy, policy_entry = load_policy(root)
        with _Team(workers, (files, policy, when)) as team:
            if changes is None:
                changes = last_changes(root)  # git runs while the workers load
            refs: list[Ref] = sorted(chain.from_iterable(team.receive()), key=_FILE)
            team.send(changes)
            cross = check_portfolio(refs, policy)
            findings: list[Finding] = [*chain.from_iterable(team.receive()), *cross]
        return summarise(when, findings, refs, policy_entry)


_FILE = attrgetter("file")
_Job = tuple[Sequence[tuple[Path, str]], Policy, dt.date]
# Files a worker takes at a time. Each takes the next batch when done with one, so both
# finish loading together even when one is slowed (a fixed half each: up to 0.4 s apart
# at 10,000 files); a batch takes about 50 ms to load.
BATCH = 100


class _Team:
    """Worker processes loading and checking the files a batch at a time (`_work`)."""

    def __init__(self, workers: int, job: _Job) -> None:
        posix = os.name == "posix"
        context = (
            multiprocessing.get_context("fork") if posix else multiprocessing.get_context("spawn")
        )
        self.links: list[Connection] = []
        self.workers: list[BaseProcess] = []
        taken = context.Value("i", 0)  # batches handed out so far
        for _ in range(workers):
            mine, theirs = context.Pipe()
            worker = context.Process(target=_work, args=(*job, taken, theirs), daemon=True)
            worker.start()
            theirs.close()
            self.links.append(mine)
            self.workers.append(worker)

    def __enter__(self) -> _Team:
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            if exc[0] is not None:
                worker.terminate()
                worker.join()
            else:
                # It has sent all it had and is leaving (see `_work`): the system frees its
                # memory while this process goes on (0.05 s for 5,000 records), and
                # multiprocessing reaps it at the next process started, or at exit.
                worker.join(timeout=0)

    def send(self, message: object) -> None:
        """Send every worker the same message."""
        for link in self.links:
            # A closed end: the worker died, or failed and said why; `receive` raises it.
            with contextlib.suppress(OSError):
                link.send(message)

    def receive(self) -> list[list[Any]]:
        """Return the next message of every worker, taking each as soon as it comes."""
        waiting, out = list(self.links), []
        while waiting:
            ready = wait(waiting)
            for link in [link for link in waiting if link in ready]:
                try:
                    message = link.recv()
                except EOFError:
                    raise PortfolioError("a worker process of `validate` died") from None
                if isinstance(message, BaseException):
                    raise message
                out.append(message)
                waiting.remove(link)
        return out


def _work(
    files: Sequence[tuple[Path, str]],
    policy: Policy,
    as_of: dt.date,
    taken: Synchronized[int],
    link: Connection,
) -> None:
    """Load batches of the files until none is left; send their summaries, receive the
    files' last changes, then send their findings."""
    try:
        with collector_paused():
            entries = []
            while (start := _next_batch(taken)) < len(files):
                entries += [load_entry(path, file) for path, file in files[start : start + BATCH]]
            refs = [summarise_entry(entry, policy, as_of) for entry in entries]
            link.send(refs)
            changes: Mapping[str, dt.date] = link.recv()
            if hasattr(os, "nice"):
                # The parent now runs the cross-record rules, which every finding waits
                # for: on a machine with as many cores as workers, it gets one of its own.
                os.nice(5)
            link.send(
                [
                    finding
                    for entry, ref in zip(entries, refs, strict=True)
                    for finding in entry_findings(
                        entry, policy, as_of, changes.get(entry.file), ref.waived
                    )
                ]
            )
    except Exception as err:  # the parent raises it: as a process pool does
        link.send(err)
        link.close()
        return
    link.close()
    # The parent has all it needs: leave without freeing the loaded records one object
    # at a time (0.4 s for 5,000 of them, which the parent would wait for).
    os._exit(0)


def _next_batch(taken: Synchronized[int]) -> int:
    """Take the next batch: return the index of its first file."""
    with taken.get_lock():
        batch = taken.value
        taken.value = batch + 1
    return batch * BATCH


def select(report: Summary, paths: Sequence[Path]) -> list[Finding]:
    """Return the findings of the given files only (all findings when none are given)."""
    if not paths:
        return list(report.findings)
    wanted = {display_path(p) for p in paths}
    missing = sorted(wanted - report.files)
    if missing:
        raise UsageError(f"not a file of this registry: {', '.join(missing)}")
    return [f for f in report.findings if f.file in wanted]
