"""The JSON and CSV exports: one CSV line per record, no live formula, strict JSON."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check.run import run_checks
from generator.site.build import SiteSettings, build_site_files
from generator.site.exports import CSV_COLUMNS, EXPORTS, export_json
from generator.site.portfolio import portfolio_of, similar_map
from generator.site.views import record_view
from generator.site.viewtypes import Quality

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 25)
FORMULA = '=HYPERLINK("https://evil.example/")'
# YAML double-quoted scalars, where \r, \n and \u2028 are those characters.
EVIL = r'=HYPERLINK(\"https://evil.example/\")"'  # and the scalar's closing quote
BROKEN_LINES = {
    "cr-inside": {"title": r'"a\r' + EVIL, "team": r'"Fin\nance"'},
    "cr-bare": {"title": r'"a\r@SUM(1)"'},  # no quote character: the writer left it bare
    "cr-first": {"title": r'"\r' + EVIL, "owner": r'{name: "\r\n@Ana"}'},
    "ls-inside": {"title": r'"a\u2028+1"'},
    # A formula after spaces or a leading line break: some spreadsheets skip the spaces.
    "lf-first": {"title": r'"\n' + EVIL, "team": '"   -2+3"'},
}


@pytest.fixture
def csv_text(registry: Path, write_record: Callable[..., Path]) -> str:
    """Return the CSV export of a registry whose text breaks lines inside cells."""
    for project_id, fields in BROKEN_LINES.items():
        write_record(registry, project_id, **fields)
    write_record(registry, "plain", title="Plain neighbour")
    report = run_checks(registry, AS_OF, changes={})
    files = build_site_files(report, SiteSettings(ROOT / "site_theme" / "templates"))
    text = files["portfolio.csv"]
    assert isinstance(text, str)
    return text


def test_each_record_is_one_csv_row(csv_text: str) -> None:
    rows = list(csv.reader(io.StringIO(csv_text, newline="")))
    assert rows[0] == list(CSV_COLUMNS)
    assert [r[0] for r in rows[1:]] == [
        "cr-bare", "cr-first", "cr-inside", "lf-first", "ls-inside", "plain"
    ]  # fmt: skip
    assert all(len(r) == len(CSV_COLUMNS) for r in rows)


def test_each_record_is_one_line(csv_text: str) -> None:
    """A tool that splits on any line break sees the same rows as a CSV reader."""
    lines = csv_text.splitlines()
    assert len(lines) == 1 + len(BROKEN_LINES) + 1
    assert [line.split(",", 1)[0] for line in lines[1:]] == [
        "cr-bare",
        "cr-first",
        "cr-inside",
        "lf-first",
        "ls-inside",
        "plain",
    ]


def test_no_line_starts_a_formula(csv_text: str) -> None:
    for line in csv_text.splitlines():
        assert line[:1] not in ("=", "+", "-", "@", "\t"), line


def test_a_line_break_in_a_cell_is_a_space(csv_text: str) -> None:
    reader = csv.reader(io.StringIO(csv_text, newline=""))
    rows = {r[0]: dict(zip(CSV_COLUMNS, r, strict=True)) for r in reader}
    assert rows["cr-inside"]["title"] == "a " + FORMULA
    assert rows["cr-inside"]["team"] == "Fin ance"
    assert rows["cr-bare"]["title"] == "a @SUM(1)"
    assert rows["ls-inside"]["title"] == "a +1"
    # A leading CR is neutralised as before, and then becomes a space.
    assert rows["cr-first"]["title"] == "' " + FORMULA
    assert rows["cr-first"]["owner"] == "' @Ana"
    assert (rows["lf-first"]["title"], rows["lf-first"]["team"]) == ("' " + FORMULA, "'   -2+3")
    assert rows["plain"]["title"] == "Plain neighbour"


def test_negative_figures_stay_numbers(registry: Path, write_record: Callable[..., Path]) -> None:
    """Only text is guarded against formulas: a computed "-3" was written "'-3"."""
    write_record(registry, "future", started="2026-11-28", title="-1+2")  # starts in 3 days
    write_record(registry, "below", stage="poc", title="Below zero",
                 decisions="[{date: 2026-01-10, from: discovery, to: poc, outcome: advance, "
                           "by: [Kim Ode]}]",
                 quality_target="{metric: delta, threshold: -0.5}",
                 evidence="[{kind: quality, date: 2026-01-20, metric: delta, value: -0.7, "
                          "ci_low: -0.9, ci_high: -0.2}]")  # fmt: skip
    report = run_checks(registry, AS_OF, changes={})
    text = build_site_files(report, SiteSettings(ROOT / "site_theme" / "templates"))[
        "portfolio.csv"
    ]
    assert isinstance(text, str)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert (rows["future"]["days_in_stage"], rows["future"]["title"]) == ("-3", "'-1+2")
    below = rows["below"]
    assert [below[c] for c in ("quality", "quality_low", "quality_high", "quality_bar")] == [
        "-0.7", "-0.9", "-0.2", "-0.5"
    ]  # fmt: skip


def test_every_export_is_built() -> None:
    assert list(EXPORTS) == ["portfolio.json", "portfolio.csv", "similar-index.json"]


def test_json_is_strict(registry: Path, write_record: Callable[..., Path]) -> None:
    """The model bounds every number and views become dicts; the encoder checks both."""
    write_record(registry, "plain")
    portfolio = portfolio_of(run_checks(registry, AS_OF, changes={}))
    [entry] = portfolio.records
    view = record_view(entry, portfolio, similar_map(portfolio).get(entry.raw_id, []),
                       edit_url=None, history=())  # fmt: skip
    assert (
        json.loads(export_json(portfolio, [view]))["records"][0]["computed"]["actual_cost"] is None
    )
    with pytest.raises(ValueError, match="not JSON compliant"):
        export_json(portfolio, [dataclasses.replace(view, actual_cost=float("nan"))])
    # A value the encoder cannot hold fails instead of being written as its repr.
    quality = Quality("90%", 0.9, None, None, None, "higher", AS_OF)
    with pytest.raises(TypeError, match="not JSON: Quality"):
        export_json(portfolio, [dataclasses.replace(view, actual_cost=quality)])


def test_json_is_one_sorted_compact_document(
    registry: Path, write_record: Callable[..., Path]
) -> None:
    """Written a record at a time, the export is byte for byte one `json.dumps` of it."""
    write_record(registry, "zeta", title="Zeta – routing → triage")
    write_record(registry, "alpha", title="Alpha")
    write_record(registry, "broken", stage="nowhere")
    (registry / "projects" / "unreadable.yaml").write_text("id: [\n", encoding="utf-8")
    report = run_checks(registry, AS_OF, changes={})
    files = build_site_files(report, SiteSettings(ROOT / "site_theme" / "templates"))
    data = files["portfolio.json"]
    assert isinstance(data, bytes)
    doc = json.loads(data)
    assert [r["id"] for r in doc["records"]] == ["alpha", "zeta"]
    assert doc["records"][1]["title"] == "Zeta – routing → triage"
    assert [u["file"] for u in doc["unreadable"]] == [
        "registry/projects/broken.yaml", "registry/projects/unreadable.yaml"
    ]  # fmt: skip
    again = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert data == (again + "\n").encode()


def test_a_ratio_beyond_any_float_is_no_figure(
    registry: Path, write_record: Callable[..., Path]
) -> None:
    """A tiny forecast makes actual / forecast overflow: the export stays strict JSON."""
    evidence = (
        "\n  - {kind: cost, date: 2026-10-31, per_inference: 0.01, monthly: 800000000000000, "
        "actual: true}"
    )
    write_record(
        registry, "tiny", budget="{cost_per_inference: 0.01, monthly_forecast: 1.0e-308}",
        evidence=evidence,
    )  # fmt: skip
    report = run_checks(registry, AS_OF, changes={})
    files = build_site_files(report, SiteSettings(ROOT / "site_theme" / "templates"))
    data = files["portfolio.json"]
    assert isinstance(data, bytes)
    [record] = json.loads(data)["records"]
    money = record["computed"]["money"]
    assert (money["monthly_cost"], money["forecast"]) == (800000000000000, 1.0e-308)
    assert money["overrun"] is None
