"""Time `portfolio validate` on N records of a realistic (default) or synthetic portfolio.

Usage: .venv/bin/python benchmarks/validate_bench.py [--kind realistic|synthetic]
           [--repeat K] [--format text|json|github] [--save FILE] [N ...]
       (default: realistic, K = 3, text (what `portfolio validate` prints), N = 10,000)

`realistic` is benchmarks/realistic.py, the portfolio portfolio_bench.py builds:
evidence histories (quality re-measured, monthly costs, usage, SLA), killed and
shelved records with their learnings, so its findings and its files' sizes are a
real registry's. `synthetic` is benchmarks/synthetic.py: short records that pass
every gate.

For each N, in a temporary project holding registry/, a git repository as a team's
registry is (`--no-git`: a plain folder, as before): each record is committed in the
month of its newest dated entry, one commit a month, dated at the month's end (or the
as-of date), so every file has a last commit for S010 and `validate` reads git's log.

1. The real CLI, K times: `portfolio validate --registry registry --format FMT
   --as-of DATE` run from the project folder, as a user runs it. Printed: the best
   wall time, records per second, the CPU seconds (user + system, the child and
   its worker processes) and the peak memory (the child's ru_maxrss from os.wait4,
   which counts the largest of the processes it waited for). --save FILE keeps the
   last run's output, to compare reports before and after a change.
2. An in-process breakdown, in a fresh interpreter (no memo of an earlier N) and in
   one process (the CLI spreads loading and record rules over a process pool):
   read files (listing, reading, decoding), YAML parse (`yamlsrc.parse`), model
   build (the rest of loading: pydantic validation, error locations), record rules,
   cross-record rules (duplicates, references, similarity) and report output (the
   FMT text). Stages are timed by wrapping the functions the loader and engine call;
   each figure is wall seconds with the CPU seconds beside it (the machine may be
   shared: CPU time is the steadier figure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import realistic
import synthetic
from common import BIN, ENV, RSS_UNIT, reap

AS_OF = dt.date(2026, 11, 25)
PORTFOLIO = BIN / "portfolio"
STAGES = ("read files", "YAML parse", "model build", "record rules", "cross-record rules")


def write(kind: str, project: Path, n: int) -> Path:
    """Write N records of the given kind under project/registry; return the registry."""
    if kind == "synthetic":
        return synthetic.write_registry(project, n, AS_OF)
    return realistic.write_registry(project, n, AS_OF).registry


_DATE = re.compile(rb"\b(20\d\d-\d\d)-\d\d\b")


def commit_history(project: Path) -> int:
    """Make the project a git repository of the registry's history; return the commits.

    A record is committed in the month of its newest date (a record's edits come with its
    evidence), so its last commit is as recent as its log; what is left (the policy) last.
    """
    months: dict[str, list[Path]] = {}
    for path in sorted((project / "registry" / "projects").iterdir()):
        found = _DATE.findall(path.read_bytes())
        months.setdefault(max(found).decode() if found else "2000-01", []).append(path)
    _git(project, "init", "-q", "-b", "main", day=AS_OF)
    for month, paths in sorted(months.items()):
        year, number = map(int, month.split("-"))
        day = min(AS_OF, dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(1))
        for start in range(0, len(paths), 1000):  # a bounded command line
            _git(project, "add", "--", *map(str, paths[start : start + 1000]), day=day)
        _git(project, "commit", "-q", "-m", f"Records of {month}", day=day)
    _git(project, "add", "-A", day=AS_OF)
    _git(project, "commit", "-q", "--allow-empty", "-m", "The rest", day=AS_OF)
    return len(months) + 1


def _git(project: Path, *args: str, day: dt.date) -> None:
    when = f"{day.isoformat()}T12:00:00"
    env = {**ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", "-C", str(project), "-c", "user.name=Bench", "-c", "user.email=bench@example.com",
         "-c", "commit.gpgsign=false", *args],
        check=True, capture_output=True, env=env,
    )  # fmt: skip


def cli_runs(project: Path, fmt: str, repeat: int) -> tuple[list[tuple[float, float, float]], str]:
    """Run the CLI `repeat` times; return (wall s, CPU s, peak MB) of each, and the last output."""
    command = [str(PORTFOLIO), "validate", "--registry", "registry", "--format", fmt]
    command += ["--as-of", AS_OF.isoformat()]
    runs, output = [], ""
    for _ in range(repeat):
        with tempfile.TemporaryFile() as log:
            start = time.perf_counter()
            child = subprocess.Popen(command, cwd=project, env=ENV, stdout=log)
            code, usage = reap(child, None)
            wall = time.perf_counter() - start
            log.seek(0)
            output = log.read().decode("utf-8")
        if code not in (0, 1):
            raise SystemExit(f"portfolio validate exited {code}")
        runs.append((wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * RSS_UNIT / 1e6))
    return runs, output


def tally(fmt: str, output: str) -> str:
    """Return "errors=E warnings=W" from the report (its JSON, or its last line)."""
    if fmt == "json":
        report = json.loads(output)
        return f"errors={report['errors']} warnings={report['warnings']}"
    lines = output.strip().splitlines()
    return lines[-1] if lines else "(no output)"


def breakdown(project: Path, fmt: str) -> dict[str, tuple[float, float]]:
    """Load, check and report in this process; return stage -> (wall s, CPU s)."""
    from generator.check import engine
    from generator.check.run import select
    from generator.cli import FORMATS
    from generator.load import files
    from generator.load import registry as loader
    from generator.load.git import last_changes

    spent: dict[str, list[float]] = {}

    def timer(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                total = spent.setdefault(name, [0.0, 0.0])
                total[0] += time.perf_counter() - wall
                total[1] += time.process_time() - cpu

        return timed

    loader.read_source = timer("read+parse", loader.read_source)
    files.parse = timer("YAML parse", files.parse)
    engine.check_portfolio = timer("cross-record rules", engine.check_portfolio)
    root = project / "registry"
    os.chdir(project)  # files are named relative to the project, as the CLI names them
    load = timer("load", loader.load_registry)
    registry = load(root)
    changes = last_changes(root)  # git's log, as the CLI reads it (empty with --no-git)
    report = timer("rules", engine.check)(registry, AS_OF, changes)
    timer("report output", FORMATS[fmt])(report, select(report, []), False)
    figures = {name: (wall, cpu) for name, (wall, cpu) in spent.items()}

    def sub(a: str, b: str) -> tuple[float, float]:
        return figures[a][0] - figures[b][0], figures[a][1] - figures[b][1]

    figures["read files"] = sub("read+parse", "YAML parse")
    figures["model build"] = sub("load", "read+parse")
    figures["record rules"] = sub("rules", "cross-record rules")
    return figures


def in_fresh_interpreter(project: Path, fmt: str) -> tuple[dict[str, tuple[float, float]], float]:
    """Run `breakdown` in a new Python process; return its figures and peak memory (MB)."""
    command = [sys.executable, __file__, "--breakdown-of", str(project), "--format", fmt]
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen(command, env=ENV, stdout=log)
        code, usage = reap(child, None)
        log.seek(0)
        text = log.read().decode("utf-8")
    if code != 0:
        raise SystemExit(f"breakdown exited {code}")
    figures = {name: (wall, cpu) for name, (wall, cpu) in json.loads(text).items()}
    return figures, usage.ru_maxrss * RSS_UNIT / 1e6


def main() -> None:
    """Run the benchmark for each N and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000], metavar="N")
    parser.add_argument("--kind", choices=("realistic", "synthetic"), default="realistic")
    parser.add_argument("--repeat", type=int, default=3, metavar="K")
    parser.add_argument("--format", dest="fmt", choices=("text", "json", "github"), default="text")
    parser.add_argument("--save", type=Path, help="write the last CLI run's output here")
    parser.add_argument("--no-git", action="store_true", help="a plain folder, no git history")
    parser.add_argument("--breakdown-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.breakdown_of:  # the child of in_fresh_interpreter
        print(json.dumps(breakdown(args.breakdown_of, args.fmt)))
        return
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp)
            write(args.kind, project, n)
            history = "no git" if args.no_git else f"{commit_history(project)} commits"
            runs, output = cli_runs(project, args.fmt, args.repeat)
            figures, peak = in_fresh_interpreter(project, args.fmt)
        if args.save:
            args.save.write_text(output, encoding="utf-8")
        wall, cpu, mb = min(runs)
        print(
            f"N={n} {args.kind} ({history}): portfolio validate {wall:.2f} s"
            f" (best of {args.repeat};"
            f" all {', '.join(f'{r[0]:.2f}' for r in runs)}), {n / wall:,.0f} records/s,"
            f" CPU {cpu:.2f} s, peak {mb:.0f} MB; {tally(args.fmt, output)}"
        )
        stages = (*STAGES, "report output")
        total = [sum(figures[s][k] for s in stages) for k in (0, 1)]
        print(f"  in one process: {total[0]:.2f} s, CPU {total[1]:.2f} s, peak {peak:.0f} MB")
        for name in stages:
            s, c = figures[name]
            print(f"    {name:<19} {s:6.2f} s  (CPU {c:5.2f} s)  {1000 * s / n:6.3f} ms/record")


if __name__ == "__main__":
    main()
