"""Property-based tests: records of arbitrary Unicode text and arbitrary numbers.

Each example is a registry of records drawn by `strategies.registries` and written
with `yaml.safe_dump`, as a user's editor or script might write them. Three layers:
loading and checking (many examples, in this process), the generated pages and
exports (fewer, in this process), and real `portfolio build` runs (a handful). In CI
(`CI` set) the examples are the same every run (the `ci` profile in conftest.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import math
import os
import re
import tempfile
import warnings
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import Drawn, registries
from test_site import Html, article, make_project, pages, portfolio_build, run, source, squash

from generator.check.engine import Report, check
from generator.core.findings import Finding, KeyPath
from generator.core.model import RECORD, Record
from generator.load.registry import load_registry
from generator.site import SiteSettings, build_site_files

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "site_theme" / "templates"
AS_OF = dt.date(2026, 11, 25)
RULE = re.compile(r"[RGS]\d{3}")
# PROPERTY_SCALE=20 runs twenty times the examples (about 15 minutes), to search harder.
SCALE = int(os.environ.get("PROPERTY_SCALE") or 1)


@contextmanager
def registry_of(drawn: list[Drawn], allow_unicode: bool) -> Iterator[Path]:
    """Write the records into a new registry folder and yield its root."""
    with tempfile.TemporaryDirectory(prefix="props-") as folder:
        root = Path(folder) / "registry"
        (root / "projects").mkdir(parents=True)
        for record in drawn:
            record.write(root, allow_unicode)
        yield root


def checked(root: Path) -> Report:
    """Load and check a registry as of AS_OF, without asking git."""
    return check(load_registry(root), AS_OF, {})


def dotted(path: KeyPath) -> str:
    """Return a key path as findings name it: `evidence[2].samples`."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def reread(step: str | int, allow_unicode: bool) -> str | int:
    """Return a key as YAML reads it back from `yaml.safe_dump` (see the NEL below)."""
    if isinstance(step, int):
        return step
    read: str = yaml.safe_load(yaml.safe_dump(step, allow_unicode=allow_unicode))
    return read


def by_file(findings: list[Finding]) -> dict[str, list[Finding]]:
    """Group findings by file."""
    out: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        out[finding.file].append(finding)
    return out


# --- A: loading and checking ----------------------------------------------------------


@settings(max_examples=200 * SCALE, deadline=None)
@given(drawn=registries(), allow_unicode=st.booleans())
def test_every_record_loads_as_written_or_is_refused_where_it_breaks_the_contract(
    drawn: list[Drawn], allow_unicode: bool
) -> None:
    with registry_of(drawn, allow_unicode) as root:
        report = checked(root)
        texts = {e.file: e.path.read_text(encoding="utf-8") for e in report.registry.entries}
    entries = {e.path.stem: e for e in report.registry.entries}
    findings = by_file(report.findings)
    for record in drawn:
        entry = entries[record.data["id"]]
        found = findings[entry.file]
        for f in found:
            assert RULE.fullmatch(f.rule) and f.line >= 1 and f.column >= 1, f
        if not record.bad:
            # PyYAML writes a NEL (U+0085) raw inside single quotes when allowed to write
            # Unicode, and every YAML reader folds it to a space: the file says what
            # PyYAML's own reader reads. Escaped (allow_unicode=False), nothing changes.
            assert entry.record == RECORD.validate_python(yaml.safe_load(texts[entry.file])), found
            if not allow_unicode:
                assert entry.record == RECORD.validate_python(record.data), found
            continue
        assert entry.record is None
        messages = [(f.rule, f.message) for f in found]
        for path, rule in record.bad:
            where = dotted(tuple(reread(s, allow_unicode) for s in path)) + ": "
            assert [m for r, m in messages if r == rule and m.startswith(where)], (where, messages)


# --- B: the generated pages and exports -------------------------------------------------

# A cell that starts with one of these runs as a formula in a spreadsheet, and so may one
# that starts with spaces and then one of them (some spreadsheets skip the spaces).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula(cell: str) -> bool:
    """Return whether a spreadsheet may run this cell as a formula."""
    return cell.startswith(FORMULA_STARTS) or cell.lstrip().startswith(FORMULA_STARTS)


# Computed figures: a spreadsheet or a script reads them as numbers (negative ones too).
NUMERIC_COLUMNS = ("days_in_stage", "errors", "warnings", "quality", "quality_low",
                   "quality_high", "quality_bar", "actual_monthly_cost")  # fmt: skip
# What the CSV export turns into one space: every break str.splitlines() knows.
LINE_BREAKS = re.compile("\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
SCRIPT = re.compile(r"<script|javascript:|\bon[a-z]+\s*=", re.IGNORECASE)


def _no_constant(name: str) -> float:
    """Refuse NaN, Infinity and -Infinity, which strict JSON does not have."""
    raise AssertionError(f"{name} is not JSON")


def csv_cell(text: str) -> str:
    """Return a text as the CSV export promises to write it: one line, never a formula."""
    text = LINE_BREAKS.sub(" ", text)
    return ("'" if formula(text) else "") + text


def site_of(drawn: list[Drawn], allow_unicode: bool) -> tuple[Report, dict[str, str | bytes]]:
    """Check the records and build every site file in this process."""
    with registry_of(drawn, allow_unicode) as root, warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        report = checked(root)
        files = build_site_files(report, SiteSettings(templates=TEMPLATES))
    assert [(str(w.message), w.filename, w.lineno) for w in seen] == []  # e.g. a plot collapsed
    return report, files


def front_matter(page: str) -> tuple[str, str]:
    """Split a generated Markdown page into its front matter and its body."""
    if not page.startswith("---\n"):
        return "", page
    end = page.index("\n---\n", 3)
    return page[4:end], page[end + 5 :]


def loaded(report: Report) -> list[Record]:
    """Return the records that loaded."""
    return [e.record for e in report.registry.entries if e.record is not None]


def assert_strict_json(report: Report, files: dict[str, str | bytes]) -> None:
    """Assert portfolio.json is strict JSON (no NaN, no Infinity) of every loaded record."""
    data = files["portfolio.json"]
    assert isinstance(data, bytes)  # UTF-8, as the site serves it
    doc = json.loads(data, parse_constant=_no_constant)
    records = {r.id: r for r in loaded(report)}
    assert sorted(r["id"] for r in doc["records"]) == sorted(records)
    for item in doc["records"]:
        record = records[item["id"]]
        assert (item["title"], item["problem"], item["team"]) == (
            record.title,
            record.problem,
            record.team,
        )
        assert [learning["text"] for learning in item["learnings"]] == [
            learning.text for learning in record.learnings
        ]
    assert len(doc["unreadable"]) == len(report.registry.entries) - len(records)


def assert_safe_csv(report: Report, files: dict[str, str | bytes]) -> None:
    """Assert portfolio.csv has a line per record, rows of one width, numbers, no formula."""
    text = files["portfolio.csv"]
    assert isinstance(text, str)
    records = {r.id: r for r in loaded(report)}
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(records)
    assert len(text.splitlines()) == len(rows)  # line-based tools see one line per record
    assert all(len(row) == len(rows[0]) for row in rows)
    assert not [line for line in text.splitlines() if formula(line)]
    for row in (dict(zip(rows[0], row, strict=True)) for row in rows[1:]):
        cells = {c: v for c, v in row.items() if c not in NUMERIC_COLUMNS}
        assert {c: v for c, v in cells.items() if formula(v)} == {}
        numbers = {c: row[c] for c in NUMERIC_COLUMNS if row[c]}
        assert {c: math.isfinite(float(v)) for c, v in numbers.items()} == dict.fromkeys(
            numbers, True
        )
        record = records[row["id"]]
        assert (row["title"], row["team"], row["owner"]) == (
            csv_cell(record.title),
            csv_cell(record.team),
            csv_cell(record.owner.name),
        )


def assert_inert_pages(report: Report, files: dict[str, str | bytes]) -> None:
    """Assert no page's Markdown carries a script, a javascript: URL or an on* handler."""
    pages = {path: text for path, text in files.items() if path.endswith(".md")}
    for record in loaded(report):
        assert f"projects/{record.id}.md" in pages
    for path, text in pages.items():
        assert isinstance(text, str)
        # The front matter holds the page title as YAML data, HTML-escaped for Material.
        front, body = front_matter(text)
        assert "<" not in front, path
        assert SCRIPT.findall(body) == [], path


def assert_charts_are_xml(files: dict[str, str | bytes]) -> None:
    """Assert every chart is an SVG document that an XML parser reads."""
    charts = {path: svg for path, svg in files.items() if path.endswith(".svg")}
    assert charts
    for path, svg in charts.items():
        root = ET.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg", path


@settings(max_examples=30 * SCALE, deadline=None)
@given(drawn=registries(), allow_unicode=st.booleans())
def test_pages_and_exports_of_any_records_are_inert_and_well_formed(
    drawn: list[Drawn], allow_unicode: bool
) -> None:
    report, files = site_of(drawn, allow_unicode)
    assert_strict_json(report, files)
    assert_safe_csv(report, files)
    assert_inert_pages(report, files)
    assert_charts_are_xml(files)


# --- C: real builds -----------------------------------------------------------------------

SAFE_SCHEMES = ("", "http", "https", "mailto")


def shown_on_the_page(data: dict[str, Any]) -> Iterator[str]:
    """Yield every text of a record (as YAML read it) that its page shows."""
    yield from (data["title"], data["problem"], data["team"], data["owner"]["name"])
    for key in ("success_metric", "quality_target"):
        if key in data:
            yield data[key]["name" if key == "success_metric" else "metric"]
    for sponsor in data["sponsors"]:
        yield sponsor["name"]
        yield from [sponsor["role"]] if "role" in sponsor else []
    yield from data["use_cases"]
    for decision in data["decisions"]:
        yield from decision["by"]
        yield from [decision["rationale"]] if "rationale" in decision else []
    yield from (e["metric"] for e in data["evidence"] if e["kind"] == "quality")
    for failure in data["failures"]:
        yield from (failure[k] for k in ("description", "mitigation") if k in failure)
    for learning in data["learnings"]:
        yield from (
            [learning] if isinstance(learning, str) else [learning["text"], *learning["tags"]]
        )
    for waiver in data["waivers"]:
        yield from (waiver["reason"], waiver["approved_by"])
    yield from data["tags"]
    yield from data["links"]


def learning_texts(data: dict[str, Any]) -> list[str]:
    """Return the text of every learning of a record."""
    return [item if isinstance(item, str) else item["text"] for item in data["learnings"]]


def assert_nothing_runs(page: Html, url: str) -> None:
    """Assert a built page has no handler, no injected script and no unsafe URL."""
    assert [(t, a) for t, attrs in page.tags for a in attrs if a.startswith("on")] == [], url
    assert [s for s in page.scripts if "alert" in s] == [], url
    refs = [v for _, attrs in page.tags for k, v in attrs.items() if k in ("href", "src")]
    assert [r for r in refs if urlsplit(r.strip()).scheme.lower() not in SAFE_SCHEMES] == [], url


def assert_shown(site: Path, records: dict[str, dict[str, Any]]) -> None:
    """Assert each record's page, the table, the graveyard and /learnings/ show its text."""
    table, graveyard = article(site, "projects/").text, article(site, "graveyard/").text
    learnings = article(site, "learnings/").text
    for rid, data in records.items():
        page = article(site, f"projects/{rid}/")
        assert [v for v in shown_on_the_page(data) if squash(v) not in page.text] == [], rid
        [tab] = re.findall(r"<title>(.*?)</title>", source(site, f"projects/{rid}/"), re.S)
        assert squash(html.unescape(tab)).startswith(squash(data["title"]) + " - ")
        assert squash(data["title"]) in table
        if data["status"] != "active":
            assert squash(data["title"]) in graveyard
        assert [t for t in learning_texts(data) if squash(t) not in learnings] == []


@settings(max_examples=5 * SCALE, deadline=None)
@given(drawn=registries(max_records=2), allow_unicode=st.booleans())
def test_a_real_build_shows_every_text_literally_and_runs_none_of_it(
    drawn: list[Drawn], allow_unicode: bool
) -> None:
    with registry_of(drawn, allow_unicode) as root, tempfile.TemporaryDirectory() as folder:
        files = {d.data["id"]: root / "projects" / f"{d.data['id']}.yaml" for d in drawn}
        read = {d.data["id"]: yaml.safe_load(files[d.data["id"]].read_text(encoding="utf-8"))
                for d in drawn if not d.bad}  # fmt: skip
        project = make_project(Path(folder) / "project", root)
        [result] = run(portfolio_build(project))
        assert "Traceback" not in result.stderr, result.stderr
        site = project / "site"
        assert (site / "index.html").is_file(), result.stdout + result.stderr
        assert_shown(site, read)
        problems = article(site, "problems/").text
        assert [rid for rid in files if rid not in read and f"{rid}.yaml" not in problems] == []
        for url in pages(site):
            assert_nothing_runs(Html(source(site, url)), url)
