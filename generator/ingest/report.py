"""What `portfolio import` prints: each row's outcome, a summary, and a progress bar."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict

import click

from .run import ImportResult
from .sheet import Row

ACTIONS = ("created", "updated", "unchanged", "differs", "reported")
_DRY = {"created": "would create", "updated": "would update"}
BAR_MIN_ROWS = 100  # below this an import is over before a bar is worth drawing


def progress_bar(rows: list[Row]) -> Iterable[Row]:
    """Yield the rows while drawing a progress bar on the terminal (stderr)."""
    if len(rows) < BAR_MIN_ROWS:
        return rows
    return _with_bar(rows)


def _with_bar(rows: list[Row]) -> Iterator[Row]:
    with click.progressbar(rows, label="importing", file=sys.stderr) as bar:
        yield from bar


def summary(result: ImportResult) -> dict[str, int]:
    """Return how many rows had each outcome."""
    counts = Counter(r.action for r in result.rows)
    return {a: counts[a] for a in ACTIONS}


def as_text(result: ImportResult) -> str:
    """Return one line per row that was not left unchanged, then the summary."""
    lines = []
    for r in result.rows:
        if r.action == "unchanged":
            continue
        action = _DRY.get(r.action, r.action) if result.dry_run else r.action
        target = r.file or r.id or ""
        lines.append(f"{result.source}:{r.row}: {action} {target}".rstrip()
                     + (f": {r.reason}" if r.reason else ""))  # fmt: skip
    if result.policy_written:
        verb = "would write" if result.dry_run else "wrote"
        lines.append(f"{verb} {result.policy_written}: gate rules, S006 and S014 are "
                     "warnings until the imported records are filled in")  # fmt: skip
    counts = summary(result)
    lines.append(", ".join(f"{n} {a}" for a, n in counts.items())
                 + (" (dry run: nothing written)" if result.dry_run else ""))  # fmt: skip
    return "\n".join(lines) + "\n"


def as_json(result: ImportResult) -> str:
    """Return the result as strict JSON."""
    doc = {
        "source": result.source,
        "dry_run": result.dry_run,
        "summary": summary(result),
        "policy_written": result.policy_written,
        "rows": [asdict(r) for r in result.rows],
    }
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=2) + "\n"
