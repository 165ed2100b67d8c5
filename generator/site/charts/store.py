"""Drawn charts, kept by content: a folder of SVG files and the worker processes that fill it.

A chart is a `Drawing` (a module-level draw function and its arguments, all plain values).
Its key is a hash of the function's name, its arguments (the chart's inputs, the policy
thresholds it draws) and the code version (every module of this package, and
matplotlib's version), so a change to any of them draws it again, and nothing else does.
The folder (`.cache/portfolio/charts/` beside mkdocs.yml) outlives a build: later
builds, `serve` and CI (through its cache action) reuse what is there.

Drawing takes most of a chart's time; `ChartStore.later` hands the charts not in the
folder to worker processes, which draw while the page rendering goes on, and
`finish` waits for them. A few charts (an edit under `serve`) are drawn in this process,
which is faster than starting a worker. Every chart is drawn by the same code with the
same settings wherever it runs, so the output is byte for byte the same.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

from .types import Chart

# Fewer charts than this to draw: drawing them here beats starting a worker (about 1 s).
POOL_MIN = 24
# Charts per task sent to a worker: large enough that passing them costs little, small
# enough that the workers finish together.
BATCH = 16


@dataclass(frozen=True, slots=True)
class Drawing:
    """A chart to draw: `draw(*args)` returns its SVG text (or, for `ChartStore.chart`, the
    whole `Chart`). Picklable, with a stable repr."""

    draw: Callable[..., Any]
    args: tuple[Any, ...]

    def key(self) -> str:
        """Return the hash of what the chart shows and the code that draws it."""
        name = f"{self.draw.__module__}.{self.draw.__qualname__}"
        text = f"{code_version()}\n{name}\n{self.args!r}"
        return hashlib.sha256(text.encode()).hexdigest()

    def svg(self) -> str:
        """Draw the chart and return its SVG text."""
        return str(self.draw(*self.args))


@functools.cache
def code_version() -> str:
    """Return a hash of the code that draws charts: this package's modules and matplotlib."""
    digest = hashlib.sha256(f"matplotlib {matplotlib.__version__}\n".encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def write_atomic(path: Path, text: str) -> None:
    """Write a file whole or not at all, so a reader never sees half a chart."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".draw-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def draw_into(folder: Path, drawings: Sequence[Drawing]) -> None:
    """Draw each chart into its file in the folder (run in a worker process)."""
    for drawing in drawings:
        write_atomic(folder / f"{drawing.key()}.svg", drawing.svg())


def _warm_up() -> None:
    """Import what drawing needs in a new worker, before the first chart arrives."""
    from . import draw  # noqa: F401  (matplotlib and the house style with it)


class ChartStore:
    """The chart folder, and the drawing of the charts missing from it.

    Use it in a `with` block: leaving it stops any worker still drawing.
    """

    def __init__(self, folder: Path, workers: int | None = None) -> None:
        self.folder = folder
        self.workers = max(1, workers if workers is not None else os.cpu_count() or 1)
        if multiprocessing.current_process().daemon:
            self.workers = 1  # a daemon process may not start workers: draw here
        self._queued: dict[str, Drawing] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._tasks: list[Future[None]] = []
        self.files: dict[str, Path] = {}  # site path -> the file that holds its chart
        self.drawn = 0  # charts drawn (not found in the folder) by this store
        if not folder.is_dir() and self.workers > 1:
            # A first build draws every chart: start the workers now, so that they have
            # imported matplotlib by the time the registry is checked and the charts known.
            self._start_pool()

    def path(self, drawing: Drawing) -> Path:
        """Return the file that holds (or will hold) a chart."""
        return self.folder / f"{drawing.key()}.svg"

    def later(self, site_path: str, drawing: Drawing) -> None:
        """Put a chart at a site path (in `files`), drawing it by `finish` if it is missing."""
        path = self.path(drawing)
        if not path.is_file():
            self._queued.setdefault(path.stem, drawing)
        self.files[site_path] = path

    def now(self, drawing: Drawing) -> str:
        """Return a chart's SVG text: from the folder, or drawn here and kept."""
        path = self.path(drawing)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            svg = drawing.svg()
            write_atomic(path, svg)
            self.drawn += 1
            return svg

    def chart(self, drawing: Drawing) -> Chart:
        """Return a whole chart (`drawing` returns a `Chart`): from the folder, or drawn here.

        For the few portfolio charts, whose words and numbers are worked out as they are
        drawn: the SVG, the text alternative and the table are kept together, as JSON.
        """
        path = self.path(drawing).with_suffix(".json")
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            return Chart(doc["svg"], doc["alt"], [tuple(row) for row in doc["table"]])
        except FileNotFoundError:
            drawn = drawing.draw(*drawing.args)
            assert isinstance(drawn, Chart)
            doc = {"svg": drawn.svg, "alt": drawn.alt, "table": drawn.table}
            write_atomic(path, json.dumps(doc, ensure_ascii=False, allow_nan=False))
            self.drawn += 1
            return drawn

    def start(self) -> None:
        """Start drawing the queued charts: in workers when there are many, else here."""
        queued = list(self._queued.values())
        self._queued.clear()
        self.drawn += len(queued)
        if len(queued) < POOL_MIN or self.workers < 2:
            draw_into(self.folder, queued)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        pool = self._start_pool()
        for i in range(0, len(queued), BATCH):
            chunk = queued[i : i + BATCH]
            self._tasks.append(pool.submit(draw_into, self.folder, chunk))

    def _start_pool(self) -> ProcessPoolExecutor:
        """Return the worker pool, started (and each worker warmed up) on first use."""
        if self._pool is None:
            # Spawned, not forked: `serve` runs threads (the watcher, the HTTP server), and
            # a fork copies whatever locks they hold.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_warm_up)
        return self._pool

    def finish(self) -> None:
        """Wait until every chart started is in the folder; raise the first drawing error."""
        self.start()
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.result()

    def close(self) -> None:
        """Stop the workers, cancelling what they have not begun."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._tasks = []

    def __enter__(self) -> ChartStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
