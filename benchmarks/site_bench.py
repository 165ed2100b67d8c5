"""Time `portfolio build` on N synthetic records against a plain MkDocs + Material build.

Usage: .venv/bin/python benchmarks/site_bench.py [--repeat K] [N ...]   (default: 1000 3000)

For each N, in the same run:

1. Ours: a temp project holding the repo's mkdocs.yml and site_theme/ and N
   synthetic records (benchmarks/synthetic.py) in registry/projects. First an
   in-process run of the two functions the plugin's `on_files` calls,
   `service.run_checks` and `site.build_site_files`, for a time breakdown and
   the mean size of a generated project page's Markdown. Then
   `portfolio build --as-of 2026-11-25` as a subprocess: wall and CPU seconds,
   peak RSS of the child (from os.wait4), and the size of site/.
2. Plain: a temp project with theme material (the repo's theme block without
   custom_dir), plugin search, the repo's markdown_extensions block verbatim,
   docs/index.md and N docs/projects/<id>.md pages of the same mean byte size
   and a similar structure (headings, a blockquote, a list, tables, an
   admonition, a collapsible block with a table, paragraphs), kept out of the
   nav exactly like ours (`nav:` lists index.md only; `not_in_nav: /projects/*.md`).
   Time `mkdocs build` the same way.
   With --repeat K (default 3) the two builds run K times, alternating, and the
   figures are those of each side's fastest run (the one least disturbed by other
   work on the machine); the spread of the wall times is printed beside them.
3. One line per N with both builds and their ratio, then two lines with CPU
   seconds and the in-process breakdown (run for every N: it also gives the
   page size the plain pages match), and at the end seconds per 1,000
   records for each N and the ratio of per-record time between the largest
   and smallest N (1.00x = linear).

Sizes are decimal megabytes (10^6 bytes): site sizes are the sum of file
sizes, peaks are the child's maximum resident set. Wall time suffers when
other processes compete for the CPUs (the load average is printed); CPU
seconds are the steadier figure then.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import BIN, PLAIN, REPO, Run, fastest, setup_plain, spread, timed
from synthetic import write_registry

from generator.check.run import run_checks
from generator.site.build import SiteSettings, build_site_files

AS_OF = dt.date(2026, 11, 25)
PAGE = re.compile(r"projects/(?!index\.md$)[^/]+\.md")


@dataclass(frozen=True, slots=True)
class Breakdown:
    """In-process timing of what the plugin's on_files does, and the page size it yields."""

    checks: float  # wall seconds
    build_files: float  # wall seconds
    cpu: float  # CPU seconds of both
    page_bytes: int  # mean size of a generated project page's Markdown


def breakdown(project: Path) -> Breakdown:
    """Time run_checks and build_site_files as the plugin calls them (no MkDocs)."""
    start, cpu = time.perf_counter(), time.process_time()
    report = run_checks(project / "registry", AS_OF)
    checked = time.perf_counter()
    files = build_site_files(report, SiteSettings(project / "site_theme" / "templates"))
    built, cpu = time.perf_counter(), time.process_time() - cpu
    pages = [len(str(text).encode()) for path, text in files.items() if PAGE.fullmatch(path)]
    return Breakdown(checked - start, built - checked, cpu, round(statistics.fmean(pages)))


OURS = [str(BIN / "portfolio"), "build", "--as-of", AS_OF.isoformat(), "-f", "mkdocs.yml"]


def setup_ours(project: Path, n: int) -> Breakdown:
    """Write our project with N synthetic records; return the in-process breakdown."""
    project.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "site_theme", project / "site_theme")
    write_registry(project, n, AS_OF)
    return breakdown(project)


def main(sizes: list[int], repeat: int) -> None:
    """Run both builds for each N and print the figures."""
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    print(f"as of {AS_OF}; load average {load:.1f} on {cpus} CPUs; fastest of {repeat}", flush=True)
    if load > cpus / 2:
        print("  (other processes compete for the CPUs: compare CPU seconds)", flush=True)
    results: dict[int, tuple[Run, Run]] = {}
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
            parts = setup_ours(Path(tmp) / "ours", n)
            setup_plain(Path(tmp) / "plain", n, parts.page_bytes)
            runs: tuple[list[Run], list[Run]] = ([], [])
            for _ in range(repeat):
                runs[0].append(timed(OURS, Path(tmp) / "ours"))
                runs[1].append(timed(PLAIN, Path(tmp) / "plain"))
        ours, plain = fastest(runs[0]), fastest(runs[1])
        results[n] = (ours, plain)
        rest = ours.wall - parts.checks - parts.build_files
        rest_cpu = ours.cpu - parts.cpu
        print(
            f"N={n}: portfolio build {ours.wall:.1f} s (site {ours.site_mb:.0f} MB,"
            f" peak {ours.peak_mb:.0f} MB) | plain mkdocs build {plain.wall:.1f} s"
            f" (site {plain.site_mb:.0f} MB) | ratio {ours.wall / plain.wall:.2f}x",
            flush=True,
        )
        if repeat > 1:
            print(f"  wall times: ours {spread(runs[0])}, plain {spread(runs[1])}", flush=True)
        print(
            f"  CPU {ours.cpu:.1f} s vs {plain.cpu:.1f} s (ratio {ours.cpu / plain.cpu:.2f}x);"
            f" plain peak {plain.peak_mb:.0f} MB; project page Markdown {parts.page_bytes:,} B",
            flush=True,
        )
        print(
            f"  ours in-process: checks {parts.checks:.2f} s, build_files {parts.build_files:.2f} s"
            f" (pages, charts, exports; CPU of both {parts.cpu:.2f} s); rest of the build"
            f" {rest:.1f} s, CPU {rest_cpu:.1f} s (startup, MkDocs: Markdown, theme, search,"
            " writing)",
            flush=True,
        )
    print("Growth, seconds per 1,000 records (wall, CPU):")
    for n, (ours, plain) in results.items():
        print(
            f"  N={n}: portfolio {ours.wall / n * 1000:.2f} s, {ours.cpu / n * 1000:.2f} s"
            f" | plain {plain.wall / n * 1000:.2f} s, {plain.cpu / n * 1000:.2f} s"
        )
    if len(results) > 1:
        low, high = min(results), max(results)
        for name, k in (("portfolio", 0), ("plain", 1)):
            small, large = results[low][k], results[high][k]
            growth = (large.wall / high) / (small.wall / low)
            growth_cpu = (large.cpu / high) / (small.cpu / low)
            marginal = (large.wall - small.wall) / (high - low) * 1000
            verdict = (
                "superlinear"
                if growth > 1.15
                else "about linear"
                if growth >= 0.85
                else "sublinear: fixed costs dominate"
            )
            print(
                f"  {name}: per-record time at N={high} vs N={low}: {growth:.2f}x wall,"
                f" {growth_cpu:.2f}x CPU ({verdict}; 1.00x = linear);"
                f" marginal {marginal:.2f} s per 1,000 records"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 3000], metavar="N")
    parser.add_argument("--repeat", type=int, default=3, metavar="K", help="runs per build")
    args = parser.parse_args()
    main(args.sizes, max(1, args.repeat))
