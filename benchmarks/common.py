"""Shared by site_bench.py and portfolio_bench.py: timing a build subprocess, and the
plain MkDocs + Material site both compare our build against.

The plain site has theme material (the repo's theme block without custom_dir),
plugin search, the repo's markdown_extensions block verbatim, docs/index.md and
N docs/projects/<id>.md pages of a given mean byte size (portfolio_bench.py sizes them so
their article HTML is as large as our project pages': `plain_bytes_for`) and a similar structure
to ours (headings, a blockquote, a list, tables, an admonition, a collapsible
block with a table, paragraphs), kept out of the nav exactly like ours (`nav:`
lists index.md only; `not_in_nav: /projects/*.md`).
"""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import markdown
from mkdocs.config import load_config
from synthetic import WORDS

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
RSS_UNIT = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
PLAIN = [str(BIN / "mkdocs"), "build"]


@dataclass(frozen=True, slots=True)
class Run:
    """Figures of one build subprocess."""

    wall: float  # seconds
    cpu: float  # user + system seconds of the child and its children
    peak_mb: float  # maximum resident set of the child
    site_mb: float  # total size of the files under site/


def tree_mb(folder: Path) -> float:
    """Return the total size of the files under folder, in MB."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def reap(child: subprocess.Popen[bytes], timeout: float | None) -> tuple[int, os.struct_rusage]:
    """Wait for a child (killing it after timeout seconds); return its exit code and rusage."""
    timer = threading.Timer(timeout, child.kill) if timeout else None
    if timer:
        timer.start()
    try:
        _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not a running max
    finally:
        if timer:
            timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage


def timed(
    command: list[str], cwd: Path, timeout: float | None = None, verdict: bool = False
) -> Run:
    """Run a build in cwd; return its wall and CPU time, peak RSS and output size.

    With `verdict`, exit 1 counts as done: `portfolio build` builds the whole site and
    exits 1 when the registry has errors, as a real portfolio's often does.
    """
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        code, usage = reap(child, timeout)
        wall = time.perf_counter() - start
        if code not in ((0, 1) if verdict else (0,)):
            log.seek(0)
            tail = log.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"{' '.join(command)} exited {code}:\n{tail}")
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss * RSS_UNIT / 1e6,
        site_mb=tree_mb(cwd / "site"),
    )


def fastest(runs: list[Run]) -> Run:
    """Return the run with the least wall time."""
    return min(runs, key=lambda run: run.wall)


def spread(runs: list[Run]) -> str:
    """Return the range of wall times, as "12.1-13.0 s"."""
    walls = [run.wall for run in runs]
    return f"{min(walls):.1f}-{max(walls):.1f} s"


def yaml_block(text: str, key: str) -> str:
    """Return the top-level `key:` block of a YAML text, verbatim (it may hold !!python tags)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    if start is None:
        raise SystemExit(f"mkdocs.yml has no top-level `{key}:`")
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " #"):
        end += 1
    return "\n".join(lines[start:end]).rstrip() + "\n"


def plain_config() -> str:
    """Return the plain site's mkdocs.yml: our theme and Markdown, no portfolio plugin."""
    ours = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    theme = "".join(
        line + "\n"
        for line in yaml_block(ours, "theme").splitlines()
        if not line.strip().startswith("custom_dir:")
    )
    head = (
        "site_name: Plain benchmark\ndocs_dir: docs\nsite_dir: site\n"
        "plugins:\n  - search\n"
        "not_in_nav: |\n  /projects/*.md\n"
        "nav:\n  - Overview: index.md\n"
    )
    return head + theme + yaml_block(ours, "markdown_extensions")


def sentence(rng: random.Random, words: int) -> str:
    """Return a sentence of random words from the synthetic vocabulary."""
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text.capitalize() + "."


def table(rng: random.Random, header: list[str], rows: int, indent: str = "") -> list[str]:
    """Return the lines of a Markdown table of short random cells."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for _ in range(rows):
        cells = [f"2026-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"] + [
            " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 5))) for _ in header[1:]
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [indent + line for line in lines]


def plain_page(i: int, target_bytes: int) -> str:
    """Return a hand-written-like project page of about target_bytes bytes."""
    rng = random.Random(i)
    title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} project {i}"
    lines = [
        "---",
        f'title: "{title}"',
        "---",
        "",
        f"# {title}",
        "",
        f"> {sentence(rng, 12)}",
        "",
        f"**Team** {rng.choice(WORDS)} · **Owner** Person {i} · **Started** 2026-03-0{i % 9 + 1}",
        "",
        "## Metrics",
        "",
        *(f"- **{rng.choice(WORDS).capitalize()}**: {sentence(rng, 8)}" for _ in range(5)),
        "",
        "## Sponsors",
        "",
        *table(rng, ["Since", "Sponsor", "Role", "Until", "State"], 2),
        "",
        "## Evidence",
        "",
        *table(rng, ["Date", "Kind", "Measurement"], 5),
        "",
        "## Timeline",
        "",
        *table(rng, ["Date", "Decision", "By", "Rationale"], 4),
        "",
        '!!! note "Review"',
        "",
        f"    {sentence(rng, 20)}",
        "",
        '??? success "Gate review"',
        "",
        *table(rng, ["Date", "Condition", "At the decision"], 5, indent="    "),
        "",
        "## Checks",
        "",
        *table(rng, ["Date", "Check", "Status"], 8),
        "",
        "## Notes",
        "",
    ]
    text = "\n".join(lines) + "\n"
    while len(text.encode()) < target_bytes:
        text += "\n" + " ".join(sentence(rng, 12) for _ in range(3)) + "\n"
    return text


ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)


def article_bytes(site: Path) -> int:
    """Return the mean size of the article HTML (UTF-8) of the site's project pages."""
    sizes = []
    for page in site.glob("projects/*/index.html"):
        found = ARTICLE.search(page.read_text(encoding="utf-8"))
        if found:
            sizes.append(len(found.group(1).encode()))
    return round(statistics.fmean(sizes)) if sizes else 0


def plain_bytes_for(article: int, samples: int = 20) -> int:
    """Return the Markdown size of a plain page whose article HTML is about `article` bytes.

    Plain pages of two sizes are converted with the plain site's Markdown settings; the
    HTML grows linearly with the Markdown, so the size in between is read off the line.
    """
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "docs").mkdir()
        (Path(tmp) / "mkdocs.yml").write_text(plain_config(), encoding="utf-8")
        config = load_config(str(Path(tmp) / "mkdocs.yml"))
    sizes = {}
    for target in (3_000, 15_000):
        html = []
        for i in range(samples):
            body = plain_page(i, target).split("---", 2)[2]
            md = markdown.Markdown(
                extensions=config.markdown_extensions, extension_configs=config.mdx_configs
            )
            html.append(len(md.convert(body).encode()))
        sizes[target] = statistics.fmean(html)
    slope = (sizes[15_000] - sizes[3_000]) / 12_000
    return max(500, round(3_000 + (article - sizes[3_000]) / slope))


def setup_plain(project: Path, n: int, page_bytes: int) -> None:
    """Write a plain MkDocs + Material project of N project pages of page_bytes each."""
    pages = project / "docs" / "projects"
    pages.mkdir(parents=True)
    (project / "mkdocs.yml").write_text(plain_config(), encoding="utf-8")
    (project / "docs" / "index.md").write_text(
        "# Plain benchmark\n\n" + f"{n} project pages, none in the nav.\n", encoding="utf-8"
    )
    for i in range(n):
        (pages / f"init-{i:05d}.md").write_text(plain_page(i, page_bytes), encoding="utf-8")
