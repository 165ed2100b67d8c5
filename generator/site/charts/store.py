"""Drawn charts, kept by content: a folder of SVG files, and the charts drawn into it.

A chart is a `Drawing` (a module-level draw function and its arguments, all plain values).
Its key is a hash of the function's name, its arguments (the chart's inputs, the policy
thresholds it draws) and the code version (every module of this package, and
matplotlib's version), so a change to any of them draws it again, and nothing else does.
The folder (`.cache/portfolio/charts/` beside mkdocs.yml) outlives a build: later
builds, `serve` and CI (through its cache action) reuse what is there.

The records' charts (`later`, drawn by `start`) are written as SVG directly (`svg`), a
fraction of a millisecond each, in this process. The few portfolio charts (`chart`) are
matplotlib's, about a third of a second each: a store that may fork draws the missing
ones in a forked worker process (`ahead`) while the build renders the project pages, and
`chart` waits for them there; a store that may not (under `serve`, which runs threads)
draws each where it is needed. The same code draws a chart the same way every time,
in whichever process, so the output is byte for byte the same, cold or warm.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from threading import active_count
from typing import Any

import matplotlib

from .types import Chart


@dataclass(frozen=True, slots=True)
class Drawing:
    """A chart to draw: `draw(*args)` returns its SVG text (or, for `ChartStore.chart`, the
    whole `Chart`). Plain values, with a stable repr."""

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


def draw_chart_into(path: Path, drawing: Drawing) -> Chart:
    """Draw a whole chart and keep it in its JSON file (`ChartStore.chart`); return it."""
    drawn = drawing.draw(*drawing.args)
    assert isinstance(drawn, Chart)
    doc = {"svg": drawn.svg, "alt": drawn.alt, "table": drawn.table}
    write_atomic(path, json.dumps(doc, ensure_ascii=False, allow_nan=False))
    return drawn


def _draw_charts_into(paths_and_drawings: Sequence[tuple[Path, Drawing]]) -> None:
    """Draw whole charts into their files (in a worker process)."""
    for path, drawing in paths_and_drawings:
        draw_chart_into(path, drawing)


def draw_into(folder: Path, drawings: Sequence[Drawing]) -> None:
    """Draw each chart into its file in the folder."""
    for drawing in drawings:
        write_atomic(folder / f"{drawing.key()}.svg", drawing.svg())


class ChartStore:
    """The chart folder, and the drawing of the charts missing from it.

    Use it in a `with` block, as a build does: leaving it drops what was not drawn.
    """

    def __init__(self, folder: Path, *, fork: bool = False) -> None:
        """Open the folder; with `fork`, `ahead` may draw in a forked worker process."""
        self.folder = folder
        self.fork = fork and "fork" in multiprocessing.get_all_start_methods()
        self._ahead: BaseProcess | None = None
        self._ahead_paths: list[Path] = []
        self._queued: dict[str, Drawing] = {}
        self.files: dict[str, Path] = {}  # site path -> the file that holds its chart
        self.drawn = 0  # charts drawn (not found in the folder) by this store

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

    def ahead(self, drawings: Iterable[Drawing]) -> None:
        """Start drawing the whole charts the folder lacks in a forked worker, if the store
        may fork; `chart` then waits for them. Without a worker, `chart` draws them.

        A plain forked process, not a pool: a pool's thread would be running in this
        process when the build forks again (see publish/searchparse.py).
        """
        missing = [(self.path(d).with_suffix(".json"), d) for d in drawings]
        missing = [(path, d) for path, d in missing if not path.is_file()]
        if not missing or not self.fork or self._ahead is not None:
            return
        if active_count() > 1:  # a thread's lock could be copied held: draw here
            return
        worker = multiprocessing.get_context("fork").Process(
            target=_draw_charts_into, args=(missing,), daemon=True
        )
        worker.start()
        self._ahead, self._ahead_paths = worker, [path for path, _ in missing]

    def _wait_ahead(self) -> None:
        """Wait for the charts drawn ahead (if the worker failed, `chart` draws them)."""
        if self._ahead is not None:
            self._ahead.join()
            self._ahead = None
            self.drawn += sum(path.is_file() for path in self._ahead_paths)

    def chart(self, drawing: Drawing) -> Chart:
        """Return a whole chart (`drawing` returns a `Chart`): from the folder, or drawn here.

        For the few portfolio charts, whose words and numbers are worked out as they are
        drawn: the SVG, the text alternative and the table are kept together, as JSON.
        Charts started `ahead` are waited for; any their worker did not draw is drawn here.
        """
        self._wait_ahead()
        path = self.path(drawing).with_suffix(".json")
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            return Chart(doc["svg"], doc["alt"], [tuple(row) for row in doc["table"]])
        except FileNotFoundError:
            self.drawn += 1
            return draw_chart_into(path, drawing)

    def start(self) -> None:
        """Draw the charts queued by `later` into the folder."""
        queued = list(self._queued.values())
        self._queued.clear()
        self.drawn += len(queued)
        draw_into(self.folder, queued)

    def finish(self) -> None:
        """Make sure every chart put at a site path is in the folder; raise a drawing error."""
        self.start()

    def close(self) -> None:
        """Drop the charts queued and not drawn (a failed build)."""
        self._queued.clear()
        self._wait_ahead()

    def __enter__(self) -> ChartStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
