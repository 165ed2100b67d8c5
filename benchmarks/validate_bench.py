"""Time `portfolio validate` on N synthetic records (default 10,000).

Usage: python benchmarks/validate_bench.py [N ...]
Prints wall time of the real CLI (best of 3), records per second, peak memory,
and an in-process split between loading and rules.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_registry

from generator.check.engine import check
from generator.load.registry import load_registry

AS_OF = dt.date(2026, 11, 25)
PORTFOLIO = Path(sys.executable).with_name("portfolio")


def cli_seconds(registry: Path) -> tuple[float, dict[str, object]]:
    """Return the best wall time of 3 CLI runs and the last JSON report."""
    best, report = float("inf"), {}
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(
            [
                str(PORTFOLIO),
                "validate",
                "--registry",
                str(registry),
                "--format",
                "json",
                "--as-of",
                AS_OF.isoformat(),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        best = min(best, time.perf_counter() - start)
        report = json.loads(done.stdout)
    return best, report


def main(sizes: list[int]) -> None:
    """Run the benchmark for each N and print one line per figure."""
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            registry = write_registry(Path(tmp), n, AS_OF)
            seconds, report = cli_seconds(registry)
            start = time.perf_counter()
            loaded = load_registry(registry)
            loaded_at = time.perf_counter()
            check(loaded, AS_OF)
            checked_at = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"N={n}: portfolio validate {seconds:.2f} s (best of 3), {n / seconds:,.0f} records/s;"
            f" errors={report['errors']} warnings={report['warnings']}"
        )
        print(
            f"  in-process: load {loaded_at - start:.2f} s, rules {checked_at - loaded_at:.2f} s,"
            f" peak RSS {peak:.0f} MiB"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000])
