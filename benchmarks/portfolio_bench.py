"""Time `portfolio build` and `portfolio serve` on a realistic portfolio, beside plain MkDocs.

Usage: .venv/bin/python benchmarks/portfolio_bench.py [--repeat K] [--json FILE]
           [--skip-serve] [--skip-plain] [--as-of DATE] [--seed S] [--timeout SECONDS] [N ...]
       (default: N = 1000, K = 3)

For each N a temp project holds the repo's mkdocs.yml and site_theme/ and N
records from benchmarks/realistic.py, whose evidence histories look like a real
portfolio's (quality re-measured over time, drifting monthly costs, usage, SLA,
killed and shelved records with their learnings): about half the records have
two or more measurements of their quality metric, so their pages get an
evidence-history chart. Then, in one run:

1. Breakdown: one build in-process (the CLI's `build` command, in a fresh
   interpreter so no memo of an earlier N is reused), with perf_counter
   accumulators wrapped around the pipeline's stages: load (files -> records),
   checks (the rest of run_checks), charts (portfolio charts; planning and
   drawing the per-record evidence histories, into the chart store; the outcome
   charts; and copying the records' charts into the site after MkDocs has
   rendered the pages), pages (the rest of site_files: our Markdown and
   exports) and MkDocs (the rest of
   the build: config, Markdown -> HTML, theme, search, writing). It also gives
   the mean size of a generated project page's Markdown.
2. K rounds (--repeat), alternating the four measurements:
   - cold: delete the project's .cache/ (where a chart cache may live) and
     site/, then `portfolio build --as-of DATE`;
   - warm: save an edit to one record (a new quality measurement and a learning)
     and build again in the same project, caches kept;
   - serve: start `portfolio serve` on a free 127.0.0.1 port, wait until the
     record's page is served, save an edit to the record, and time until the
     served page shows it (polled every 100 ms); every wait is bounded by
     --timeout and the server is always stopped;
   - plain: `mkdocs build` of N plain pages whose article HTML (what Material puts in
     `<article>`) has the same mean size as our project pages', with the
     repo's theme and markdown_extensions (benchmarks/common.py, as site_bench.py).
   Each figure is the fastest of its K runs (the one least disturbed by other
   work on the machine); the edited record is restored before each cold build.
3. Table lines on stdout, and with --json FILE the same figures as strict JSON.

Sizes are decimal megabytes; peaks are the maximum resident set of each build
(or server) process, from os.wait4.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import inspect
import json
import logging
import math
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from common import (
    BIN,
    ENV,
    PLAIN,
    REPO,
    RSS_UNIT,
    Run,
    article_bytes,
    fastest,
    plain_bytes_for,
    reap,
    setup_plain,
    spread,
    timed,
)
from realistic import Generated, edit_record, write_registry


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The generator's CLI and the stages of a build to time."""

    main: Callable[..., Any]  # the click group behind the `portfolio` command
    stages: dict[str, Callable[..., Any]]  # load, run_checks, site_files, *_chart(s)
    package: str  # modules whose names start with this hold references to the stages


def _pipeline() -> Pipeline:
    """Return the generator's entry point and build stages: the ONE place naming its internals.

    ADAPTER: when a function moves, repoint its import here; nothing else in this
    script imports the generator.
    """
    from generator.check.run import run_checks
    from generator.cli import main
    from generator.load.registry import load_entry
    from generator.publish.drawn import copy_drawn
    from generator.site.build import site_files
    from generator.site.charts.outcome import outcome_history
    from generator.site.charts.select import portfolio_charts, record_chart
    from generator.site.charts.store import draw_into

    return Pipeline(
        main=main,
        stages={
            "load": load_entry,  # one file, called by run_checks
            "run_checks": run_checks,  # load + every rule (the plugin's on_files calls it)
            "site_files": site_files,  # yields pages, charts and exports: (path, content)
            "portfolio_charts": portfolio_charts,  # called by site_files
            "record_chart": record_chart,  # one per project page; None without a history
            "draw_into": draw_into,  # the records' charts the store lacks, drawn into it
            "outcome_history": outcome_history,  # a record's outcomes over time, if 2+
            "copy_drawn": copy_drawn,  # after MkDocs: copy the records' charts into the site
        },
        package="generator",
    )


AS_OF = dt.date(2026, 11, 25)
PAGE = re.compile(r"projects/(?!index\.md$)[^/]+\.md")  # a project page in the generated files
POLL = 0.1  # seconds between polls of the served page


@dataclass(slots=True)
class Breakdown:
    """Where the time of one in-process build goes, in wall seconds."""

    total: float = 0.0
    load: float = 0.0
    checks: float = 0.0
    portfolio_charts: float = 0.0
    record_charts: float = 0.0  # planning the evidence histories
    record_charts_drawn: int = 0
    record_draw: float = 0.0  # drawing them into the chart store (a cold build draws all)
    outcome_charts: float = 0.0
    outcome_charts_drawn: int = 0
    chart_wait: float = 0.0  # after MkDocs rendered the pages: copying the records' charts
    pages: float = 0.0
    mkdocs: float = 0.0
    cpu: float = 0.0
    page_bytes: int = 0  # mean size of a generated project page's Markdown
    summary: str = ""  # the CLI's last line: records checked, errors, warnings

    @property
    def charts(self) -> float:
        """Return the seconds spent drawing charts."""
        return self.portfolio_charts + self.record_charts + self.record_draw + self.outcome_charts


@dataclass(frozen=True, slots=True)
class ServeRun:
    """Figures of one `portfolio serve` session."""

    startup: float  # seconds from launch until the record's page is served
    reload: float  # seconds from saving the edit until the served page shows it
    peak_mb: float  # maximum resident set of the server


@dataclass(slots=True)
class Result:
    """Every figure of one N."""

    n: int
    mix: dict[str, Any]
    breakdown: Breakdown
    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    serve: list[ServeRun] = field(default_factory=list)
    plain: list[Run] = field(default_factory=list)
    article: int = 0  # mean article HTML of our project pages, bytes
    plain_article: int = 0  # and of the plain pages


class Stopwatch:
    """Accumulate wall time and calls per stage while the stages are wrapped."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.results: dict[str, int] = {}  # calls that returned something (not None)
        self.last: dict[str, Any] = {}
        self.sizes: dict[str, list[int]] = {}  # a generator's project pages, in bytes

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """Return func timed under name; a generator is timed while it runs, item by item."""

        @functools.wraps(func)
        def timed_stage(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                result = func(*args, **kwargs)
            finally:
                self._add(name, time.perf_counter() - start)
            self.results[name] = self.results.get(name, 0) + (result is not None)
            self.last[name] = result
            return self._timed_items(name, result) if inspect.isgenerator(result) else result

        return timed_stage

    def _add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.calls[name] = self.calls.get(name, 0) + 1

    def _timed_items(self, name: str, items: Iterator[Any]) -> Iterator[Any]:
        """Yield what a generator yields, adding the time it takes to `name`; keep the
        size of every project page it yields (not the pages: a build forgets each)."""
        sizes = self.sizes.setdefault(name, [])
        while True:
            start = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                self.seconds[name] += time.perf_counter() - start
            path, body = item
            if PAGE.fullmatch(path):
                sizes.append(len(body.encode() if isinstance(body, str) else body))
            yield item


@contextlib.contextmanager
def wrapped(pipe: Pipeline, watch: Stopwatch) -> Iterator[None]:
    """Replace every reference the package's loaded modules hold to a stage with a timed one.

    Modules imported later (MkDocs loads the plugin during the build) pick the
    timed functions up from the modules that define them.
    """
    originals = {id(func): (name, func) for name, func in pipe.stages.items()}
    patched: list[tuple[object, str, object]] = []
    modules = [
        m
        for name, m in list(sys.modules.items())
        if m is not None and (name == pipe.package or name.startswith(pipe.package + "."))
    ]
    for module in modules:
        for attr, value in list(vars(module).items()):
            if id(value) in originals and originals[id(value)][1] is value:
                stage = originals[id(value)][0]
                patched.append((module, attr, value))
                setattr(module, attr, watch.wrap(stage, value))
    try:
        yield
    finally:
        for module, attr, value in patched:
            setattr(module, attr, value)


@contextlib.contextmanager
def quiet_in(folder: Path, log: Path) -> Iterator[None]:
    """Run in folder with stdout, stderr and MkDocs' log going to a file."""
    before, handlers = Path.cwd(), list(logging.getLogger("mkdocs").handlers)
    with (
        log.open("w", encoding="utf-8") as out,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(out),
    ):
        os.chdir(folder)
        try:
            yield
        finally:
            os.chdir(before)
            logging.getLogger("mkdocs").handlers[:] = handlers


def breakdown_in_process(project: Path, as_of: dt.date) -> Breakdown:
    """Build once in this process with the stages timed; return where the time went."""
    pipe = _pipeline()
    watch = Stopwatch()
    log = project / "inprocess.log"
    argv = ["build", "--as-of", as_of.isoformat(), "-f", "mkdocs.yml"]
    with wrapped(pipe, watch), quiet_in(project, log):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            code = pipe.main(argv, standalone_mode=False)
        except SystemExit as stop:  # `portfolio build` exits with the validation verdict
            code = stop.code
        total, cpu = time.perf_counter() - start, time.process_time() - cpu
    text = log.read_text(encoding="utf-8")
    if code not in (0, 1, None):  # 1: the registry has errors; the site is built all the same
        raise SystemExit(f"in-process build exited {code}:\n{text[-3000:]}")
    sizes = watch.sizes.get("site_files", [])
    s = watch.seconds
    charts = sum(s.get(k, 0.0) for k in ("portfolio_charts", "record_chart", "outcome_history"))
    charts += s.get("draw_into", 0.0)  # within site_files (store.start), not copy_drawn
    return Breakdown(
        total=total,
        load=s.get("load", 0.0),
        checks=s.get("run_checks", 0.0) - s.get("load", 0.0),
        portfolio_charts=s.get("portfolio_charts", 0.0),
        record_charts=s.get("record_chart", 0.0),
        record_charts_drawn=watch.results.get("record_chart", 0),
        record_draw=s.get("draw_into", 0.0),
        outcome_charts=s.get("outcome_history", 0.0),
        outcome_charts_drawn=watch.calls.get("outcome_history", 0),
        chart_wait=s.get("copy_drawn", 0.0),
        pages=s.get("site_files", 0.0) - charts,
        mkdocs=total
        - s.get("run_checks", 0.0)
        - s.get("site_files", 0.0)
        - s.get("copy_drawn", 0.0),
        cpu=cpu,
        page_bytes=round(statistics.fmean(sizes)) if sizes else 0,
        summary=text.strip().splitlines()[-1] if text.strip() else "",
    )


def breakdown(project: Path, as_of: dt.date, timeout: float) -> Breakdown:
    """Run the in-process breakdown in a fresh interpreter (no memo, import or log leaks).

    Not in a multiprocessing.Pool: its workers are daemons, which may not start processes
    of their own, and the build is timed as `portfolio build` runs it.
    """
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(1, mp_context=context)
    try:
        found: Breakdown = pool.submit(breakdown_in_process, project, as_of).result(timeout)
        return found
    finally:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()  # after a timeout too: the build is stopped, not waited for
        pool.shutdown(wait=True, cancel_futures=True)


def setup_ours(project: Path, n: int, as_of: dt.date, seed: int) -> Generated:
    """Write our project: the repo's MkDocs config and theme, and N realistic records."""
    project.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "site_theme", project / "site_theme")
    return write_registry(project, n, as_of, seed)


def mix(gen: Generated) -> dict[str, Any]:
    """Return the composition of a generated portfolio, for the report."""
    ended = gen.statuses["killed"] + gen.statuses["shelved"]
    return {
        "records": gen.records,
        "stages": dict(gen.stages),
        "statuses": dict(gen.statuses),
        "ended_share": ended / gen.records,
        "with_history": gen.with_history,
        "with_history_share": gen.with_history / gen.records,
        "two_metrics": gen.two_metrics,
        "max_measurements": max(gen.measurements),
    }


def build_command(as_of: dt.date) -> list[str]:
    """Return the command line of our build."""
    return [str(BIN / "portfolio"), "build", "--as-of", as_of.isoformat(), "-f", "mkdocs.yml"]


def cold(project: Path, as_of: dt.date, timeout: float) -> Run:
    """Build with no caches: delete .cache/ (a future chart cache) and site/ first."""
    for folder in (".cache", "site"):
        shutil.rmtree(project / folder, ignore_errors=True)
    return timed(build_command(as_of), project, timeout, verdict=True)


def warm(project: Path, record: Path, marker: str, as_of: dt.date, timeout: float) -> Run:
    """Edit one record, then rebuild in the same project with its caches."""
    edit_record(record, marker, as_of)
    return timed(build_command(as_of), project, timeout, verdict=True)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(
    url: str, ready: Callable[[str], bool], deadline: float, server: subprocess.Popen[bytes]
) -> None:
    """Poll url until ready(body) holds; fail at the deadline or when the server exits."""
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError(f"{url} not ready in time")
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            # The server holds a page request until a rebuild ends: the answer then comes
            # the moment the new page exists, and the deadline still bounds the wait.
            with urllib.request.urlopen(url, timeout=left) as response:
                if ready(response.read().decode("utf-8", errors="replace")):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass  # not listening yet, or busy: try again
        time.sleep(POLL)


def stop(server: subprocess.Popen[bytes]) -> float:
    """Stop the server (Ctrl-C first, so MkDocs removes its temp site); return its peak MB."""
    if server.returncode is not None:
        return math.nan
    with contextlib.suppress(ProcessLookupError):
        server.send_signal(signal.SIGINT)
    timer_kill = 20.0  # reap() kills it if Ctrl-C has not ended it by then
    _, usage = reap(server, timer_kill)
    return usage.ru_maxrss * RSS_UNIT / 1e6


def serve_reload(
    project: Path, record: Path, marker: str, as_of: dt.date, timeout: float
) -> ServeRun:
    """Start `portfolio serve`, save an edit, and time until the served page shows it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/projects/{record.stem}/"
    command = [str(BIN / "portfolio"), "serve", "--as-of", as_of.isoformat(), "-f", "mkdocs.yml",
               "--dev-addr", f"127.0.0.1:{port}"]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        launched = time.perf_counter()
        server = subprocess.Popen(
            command, cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C at the terminal reaches it only through stop()
        )  # fmt: skip
        peak = math.nan
        try:
            wait_for(url, lambda body: True, launched + timeout, server)
            startup = time.perf_counter() - launched
            edit_record(record, marker, as_of)
            saved = time.perf_counter()
            wait_for(url, lambda body: marker in body, saved + timeout, server)
            reload = time.perf_counter() - saved
        except (TimeoutError, RuntimeError) as err:
            peak = stop(server)
            log.seek(0)
            tail = log.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"portfolio serve: {err}\n{tail}") from None
        finally:
            if server.returncode is None:
                peak = stop(server)
    return ServeRun(startup, reload, peak)


def pick_record(project: Path, gen: Generated) -> Path:
    """Return the record to edit: an active one whose page has an evidence-history chart."""
    if not gen.charted:
        raise SystemExit("no active record with an evidence history; use a larger N")
    return project / "registry" / "projects" / f"{gen.charted[len(gen.charted) // 2]}.yaml"


def run_size(n: int, args: argparse.Namespace) -> Result:
    """Generate N records, take the breakdown, then alternate the K rounds of measurements."""
    with tempfile.TemporaryDirectory(prefix="portfolio-bench-") as tmp:
        ours, plain = Path(tmp) / "ours", Path(tmp) / "plain"
        gen = setup_ours(ours, n, args.as_of, args.seed)
        record = pick_record(ours, gen)
        original = record.read_text(encoding="utf-8")
        print(f"N={n}: {describe_mix(mix(gen))}", flush=True)
        result = Result(n, mix(gen), breakdown(ours, args.as_of, args.timeout))
        (ours / "inprocess.log").unlink(missing_ok=True)
        print(f"  in-process breakdown done ({result.breakdown.total:.0f} s)", flush=True)
        result.article = article_bytes(ours / "site")
        if not args.skip_plain:
            setup_plain(plain, n, plain_bytes_for(result.article))
        for k in range(args.repeat):
            record.write_text(original, encoding="utf-8")  # every cold build sees the same data
            result.cold.append(cold(ours, args.as_of, args.timeout))
            result.warm.append(warm(ours, record, f"warm-{k}-{n}", args.as_of, args.timeout))
            if not args.skip_serve:
                record.write_text(original, encoding="utf-8")
                run = serve_reload(ours, record, f"serve-{k}-{n}", args.as_of, args.timeout)
                result.serve.append(run)
            if not args.skip_plain:
                result.plain.append(timed(PLAIN, plain, args.timeout))
                result.plain_article = article_bytes(plain / "site")
            print(f"  round {k + 1}/{args.repeat} done", flush=True)
    return result


def describe_mix(m: dict[str, Any]) -> str:
    """Return one line on what the portfolio holds."""
    stages = ", ".join(f"{s} {c}" for s, c in m["stages"].items())
    return (
        f"{m['records']} records ({stages}); {m['ended_share']:.0%} killed or shelved;"
        f" {m['with_history']} ({m['with_history_share']:.0%}) with 2+ measurements of their"
        f" quality metric (up to {m['max_measurements']}); {m['two_metrics']} with a second metric"
    )


def describe_breakdown(b: Breakdown) -> str:
    """Return one line on where an in-process build's time goes."""
    each = (b.record_charts + b.record_draw) / b.record_charts_drawn if b.record_charts_drawn else 0
    outcome = b.outcome_charts / b.outcome_charts_drawn if b.outcome_charts_drawn else 0
    return (
        f"breakdown, in-process build {b.total:.1f} s (CPU {b.cpu:.1f} s): load {b.load:.2f} s,"
        f" checks {b.checks:.2f} s, charts {b.charts:.2f} s (portfolio {b.portfolio_charts:.2f} s,"
        f" {b.record_charts_drawn} evidence histories planned {b.record_charts:.2f} s and"
        f" drawn {b.record_draw:.2f} s = {each * 1000:.1f} ms each,"
        f" {b.outcome_charts_drawn} outcome charts {b.outcome_charts:.2f} s ="
        f" {outcome * 1000:.1f} ms each; copied after MkDocs {b.chart_wait:.2f} s),"
        f" pages {b.pages:.2f} s, MkDocs {b.mkdocs:.2f} s;"
        f" project page Markdown {b.page_bytes:,} B; {b.summary}"
    )


def report(result: Result) -> list[str]:
    """Return the table lines of one N."""
    n, per = result.n, 1000 / result.n
    lines = []
    for label, runs in (("cold build", result.cold), ("warm rebuild", result.warm)):
        best = fastest(runs)
        lines.append(
            f"  {label:<13}{best.wall:7.1f} s  CPU {best.cpu:6.1f} s  peak {best.peak_mb:5.0f} MB"
            f"  {best.wall * per:6.1f} s per 1,000 records  (runs {spread(runs)})"
        )
    if result.serve:
        best = min(result.serve, key=lambda run: run.reload)
        lines.append(
            f"  {'serve reload':<13}{best.reload:7.1f} s  after a save; server up after"
            f" {best.startup:.1f} s, server peak {best.peak_mb:.0f} MB"
            f"  (reloads {min(r.reload for r in result.serve):.1f}-"
            f"{max(r.reload for r in result.serve):.1f} s)"
        )
    if result.plain:
        best, ours = fastest(result.plain), fastest(result.cold)
        lines.append(
            f"  {'plain mkdocs':<13}{best.wall:7.1f} s  CPU {best.cpu:6.1f} s  peak"
            f" {best.peak_mb:5.0f} MB  {best.wall * per:6.1f} s per 1,000 pages  (runs"
            f" {spread(result.plain)}); cold build / plain = {ours.wall / best.wall:.2f}x;"
            f" article HTML a page: ours {result.article:,} B, plain {result.plain_article:,} B"
        )
    return [
        f"N={n}: {describe_mix(result.mix)}",
        *lines,
        f"  {describe_breakdown(result.breakdown)}",
    ]


def growth(results: list[Result]) -> str:
    """Return one line on how the fastest cold and warm builds grow with N, per 1,000."""
    parts = []
    for label, pick in (("cold", lambda r: r.cold), ("warm", lambda r: r.warm)):
        each = [f"{r.n:,}: {fastest(pick(r)).wall * 1000 / r.n:.1f} s" for r in results]
        peaks = [f"{fastest(pick(r)).peak_mb:.0f}" for r in results]
        parts.append(f"{label} per 1,000 records {', '.join(each)} (peak MB {'/'.join(peaks)})")
    return "growth: " + "; ".join(parts)


def figures(result: Result) -> dict[str, Any]:
    """Return one N's figures as plain data (fastest runs, every run's wall time)."""
    out: dict[str, Any] = {"n": result.n, "portfolio": result.mix}
    b = result.breakdown
    out["breakdown"] = {**asdict(b), "charts": b.charts}
    for name, runs in (("cold", result.cold), ("warm", result.warm), ("plain", result.plain)):
        if runs:
            best = fastest(runs)
            out[name] = {**asdict(best), "per_1000": best.wall * 1000 / result.n,
                         "walls": [run.wall for run in runs]}  # fmt: skip
    if result.serve:
        best = min(result.serve, key=lambda run: run.reload)
        out["serve"] = {**asdict(best), "reloads": [run.reload for run in result.serve]}
    if result.plain and result.cold:
        out["ratio_cold_plain"] = fastest(result.cold).wall / fastest(result.plain).wall
        out["article_bytes"] = {"ours": result.article, "plain": result.plain_article}
    return out


def strict(value: Any) -> Any:
    """Return value with NaN and infinities as null, so the JSON is strict."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict(v) for v in value]
    return value


def main(args: argparse.Namespace) -> None:
    """Measure each N and print (and optionally write) the figures."""
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    print(
        f"as of {args.as_of}; seed {args.seed}; load average {load:.1f} on {cpus} CPUs;"
        f" fastest of {args.repeat}",
        flush=True,
    )
    results = []
    for n in args.sizes:
        result = run_size(n, args)
        print("\n".join(report(result)), flush=True)
        results.append(result)
    if len(results) > 1:
        print(growth(results), flush=True)
    if args.json:
        doc = {
            "as_of": args.as_of.isoformat(),
            "seed": args.seed,
            "repeat": args.repeat,
            "load_average": load,
            "cpus": cpus,
            "results": [figures(r) for r in results],
        }
        text = json.dumps(strict(doc), indent=2, allow_nan=False)
        args.json.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.json}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000], metavar="N")
    parser.add_argument("--repeat", type=int, default=3, metavar="K", help="rounds (default 3)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--skip-serve", action="store_true", help="no serve measurement")
    parser.add_argument("--skip-plain", action="store_true", help="no plain MkDocs build")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF, metavar="DATE")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated portfolio")
    parser.add_argument(
        "--timeout", type=float, default=1800, metavar="SECONDS", help="bound on every wait"
    )
    args = parser.parse_args(argv)
    args.repeat = max(1, args.repeat)
    return args


if __name__ == "__main__":
    main(parse())
