"""Similarity and import at 5,000 initiatives: prints the figures.

1. `similarity`: the realistic 5,000-record registry (realistic.py) loaded, then the
   similarity index built and every pair found at S016's threshold (0.6) and at the
   project pages' (0.3), and one `portfolio similar` look-up; target under 3 s.
2. `import`: a 5,000-row XLSX inventory written with openpyxl, imported with the real
   `portfolio import` (target under 30 s), re-imported (a no-op), and the registry that
   results validated and built with `portfolio build`.

Run: `.venv/bin/python benchmarks/similar_import_bench.py [--records N]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
from common import BIN, REPO, timed
from realistic import write_registry

from generator.core.similarity import Index, compared_text, vocabulary
from generator.load import load_registry

AS_OF = dt.date(2026, 11, 25)
MAPPING = REPO / "tests" / "data" / "import" / "mapping.yaml"
VERBS = ["Match", "Draft", "Classify", "Summarise", "Forecast", "Extract", "Route", "Check"]
THINGS = ["supplier invoices", "customer emails", "maintenance reports", "contracts",
          "leave requests", "delivery notes", "claims", "shift rosters", "quality audits",
          "purchase orders", "job applications", "service tickets"]  # fmt: skip
WHO = ["Clerks", "Agents", "Planners", "Lawyers", "Recruiters", "Engineers", "Buyers"]
STAGES = ["Idea", "Pre-deployment", "Pilot", "Deployed", "Retired", "On hold", "pilot"]


def bench_similarity(folder: Path, n: int) -> None:
    """Time the similarity measure over a realistic registry of n records."""
    write_registry(folder, n, AS_OF)
    registry = load_registry(folder / "registry")
    records = [e.record for e in registry.entries if e.record is not None]
    start = time.perf_counter()
    index = Index([compared_text(r) for r in records], vocabulary())
    built = time.perf_counter() - start
    strict = list(index.pairs(0.6))
    at_06 = time.perf_counter() - start
    loose = list(index.pairs(0.3))
    at_03 = time.perf_counter() - at_06 - start
    start = time.perf_counter()
    index.query("our AP team reconciles vendor bills against POs")
    query = time.perf_counter() - start
    print(f"similarity, {len(records)} records: index {built:.2f} s; index + pairs >= 0.6 "
          f"{at_06:.2f} s ({len(strict)} pairs); pairs >= 0.3 {at_03:.2f} s ({len(loose)} "
          f"pairs); one look-up {query * 1000:.0f} ms")  # fmt: skip


def write_sheet(path: Path, n: int, seed: int = 3) -> None:
    """Write an n-row inventory in the sample's columns, with its kinds of mess."""
    rng = random.Random(seed)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Inventory")
    sheet.append(["Agency", "Use Case ID", "Use Case Name", "Bureau", "Problem Solved",
                  "Date Initiated", "Stage", "Topic Area", "Lessons", "Owner"])  # fmt: skip
    for i in range(n):
        verb, thing, who = rng.choice(VERBS), rng.choice(THINGS), rng.choice(WHO)
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(900))
        started = day if i % 3 else day.strftime("%m/%d/%Y")
        stage = rng.choice(STAGES)
        sheet.append([
            f"Agency {i % 40}", f"UC-{i:05d}", f"{verb} {thing} ({i})", rng.choice(["", "Ops"]),
            f"{who} handle {rng.randrange(20, 900)} {thing} a week by hand.", started, stage,
            f"{thing.split()[-1]}; automation", "Lesson one.\nLesson two." if
            stage in ("Retired", "On hold") else "", f"Owner {i % 97}",
        ])  # fmt: skip
    book.save(path)


def bench_import(folder: Path, n: int) -> None:
    """Time import, re-import, validate and build of an n-row sheet."""
    (folder / "registry" / "projects").mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "site_theme", folder / "site_theme")
    sheet = folder / "inventory.xlsx"
    write_sheet(sheet, n)
    command = [str(BIN / "portfolio"), "import", str(sheet), "--mapping", str(MAPPING)]
    first = timed(command, folder)
    again = timed(command, folder)
    check = timed([str(BIN / "portfolio"), "validate", "--as-of", AS_OF.isoformat()], folder)
    build = timed([str(BIN / "portfolio"), "build", "--as-of", AS_OF.isoformat()], folder)
    print(f"import, {n} rows: {first.wall:.1f} s (peak {first.peak_mb:.0f} MB); re-import "
          f"(no-op) {again.wall:.1f} s; validate {check.wall:.1f} s (0 errors); build "
          f"{build.wall:.1f} s, site {build.site_mb:.0f} MB")  # fmt: skip


def main() -> None:
    """Run both benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--only", choices=["similarity", "import"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.only != "import":
            bench_similarity(Path(tmp) / "sim", args.records)
        if args.only != "similarity":
            bench_import(Path(tmp) / "imp", args.records)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
