"""Registry -> site files: `{path: content}`. The one entry point of publishing.

This module knows nothing of MkDocs: the plugin adds these files to a build,
and any engine that renders Markdown with the same theme could do the same.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..check.engine import Report
from ..load.git import Commit
from . import sections
from .charts.select import CHART_FILES, portfolio_charts, record_chart, record_chart_path
from .pages import environment, project_page, render
from .portfolio import Portfolio, portfolio_of, similar_map
from .views import record_row, record_view

Files = dict[str, str | bytes]
HISTORY_SHOWN = 20

SECTION_PAGES = {
    "index.md": "overview.md.j2",
    "projects/index.md": "projects.md.j2",
    "graveyard.md": "graveyard.md.j2",
    "learnings.md": "learnings.md.j2",
    "failure-modes.md": "failure-modes.md.j2",
    "pilots.md": "pilots.md.j2",
    "sponsors.md": "sponsors.md.j2",
    "policy.md": "policy.md.j2",
    "problems.md": "problems.md.j2",
}


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """Where templates live and how to link a record to its source."""

    templates: Path
    edit_url: str | None = None  # e.g. "https://git.example.com/org/repo/edit/main/{path}"
    commit_url: str | None = None  # e.g. "https://git.example.com/org/repo/commit/{sha}"
    history: Mapping[str, Sequence[Commit]] = field(default_factory=dict)


def build_files(portfolio: Portfolio, settings: SiteSettings) -> Files:
    """Return every generated page, chart and export of the site."""
    env = environment(settings.templates)
    similar = similar_map(portfolio)
    views = [record_view(e, portfolio, similar.get(e.raw_id, [])) for e in portfolio.records]
    for view in views:
        view["edit_url"] = _edit_url(settings, str(view["file"]))
        view["history"] = _history(settings, str(view["file"]))
    rows = [record_row(e, portfolio) for e in portfolio.records]
    titles = {str(v["id"]): str(v["title"]) for v in views}
    common = {"as_of": portfolio.as_of, "titles": titles}
    data = _section_data(views, rows, portfolio)
    overall = portfolio_charts(portfolio)
    files: Files = {CHART_FILES[name]: chart.svg for name, chart in overall.items()}
    for path, template in SECTION_PAGES.items():
        files[path] = render(
            env, template, page=path, charts=overall, chart_files=CHART_FILES, **common, **data
        )
    for entry, view in zip(portfolio.records, views, strict=True):
        assert entry.record is not None
        path = project_page(entry.record.id)
        chart = record_chart(entry.record, portfolio.as_of)
        chart_path = record_chart_path(entry.record.id)
        if chart is not None:
            files[chart_path] = chart.svg
        files[path] = render(
            env, "project.md.j2", page=path, p=view, chart=chart, chart_path=chart_path, **common
        )
    files["portfolio.json"] = export_json(portfolio, views)
    files["portfolio.csv"] = export_csv(rows, views)
    return files


def _section_data(views: list[Any], rows: list[Any], portfolio: Portfolio) -> dict[str, object]:
    return {
        "rows": rows,
        "overview": sections.overview(rows, portfolio),
        "graveyard": sections.graveyard(views),
        "learnings": sections.learnings(views),
        "failure_modes": sections.failure_modes(views, portfolio),
        "pilots": sections.pilots(views),
        "sponsors": sections.sponsors(views),
        "policy": sections.policy(views, portfolio),
        "problems": sections.problems(portfolio),
    }


def _history(settings: SiteSettings, file: str) -> list[dict[str, object]]:
    return [
        {
            "date": c.date,
            "sha": c.sha[:7],
            "subject": c.subject,
            "url": settings.commit_url.format(sha=c.sha) if settings.commit_url else None,
        }
        for c in settings.history.get(file, [])[:HISTORY_SHOWN]
    ]


def _edit_url(settings: SiteSettings, file: str) -> str | None:
    return settings.edit_url.format(path=file) if settings.edit_url else None


def export_json(portfolio: Portfolio, views: list[dict[str, Any]]) -> str:
    """Return the whole registry as JSON, each record with its computed fields."""
    computed_keys = ("health", "errors", "warnings", "days_in_stage", "stage_since", "quality",
                     "next_gate", "pilot", "actual_cost", "findings")  # fmt: skip
    by_id = {v["id"]: v for v in views}
    records = []
    for entry in portfolio.records:
        assert entry.record is not None
        view = by_id[entry.record.id]
        data = entry.record.model_dump(mode="json", by_alias=True)
        data["computed"] = {k: view[k] for k in computed_keys}
        records.append(data)
    unreadable = [
        {"file": e.file, "findings": [f.as_dict() for f in portfolio.findings_by_file[e.file]]}
        for e in portfolio.unreadable
    ]
    doc = {
        "as_of": portfolio.as_of.isoformat(),
        "records": records,
        "unreadable": unreadable,
        "errors": portfolio.report.errors,
        "warnings": portfolio.report.warnings,
    }
    # Compact: Python's encoder is several times slower with indent (measured at 1,000 records).
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return text + "\n"


CSV_COLUMNS = ("id", "title", "team", "owner", "stage", "status", "started", "stage_since",
               "days_in_stage", "sponsors", "tags", "health", "errors", "warnings",
               "quality", "quality_low", "quality_high", "quality_bar", "actual_monthly_cost",
               "ended", "file")  # fmt: skip


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    # A leading = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(rows: list[dict[str, Any]], views: list[dict[str, Any]]) -> str:
    """Return one CSV row per record, safe to open in a spreadsheet."""
    quality = {v["id"]: v["quality"] or {} for v in views}
    cost = {v["id"]: v["actual_cost"] for v in views}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        q = quality[row["id"]]
        full = {**row, "quality": q.get("point"), "quality_low": q.get("low"),
                "quality_high": q.get("high"), "quality_bar": q.get("bar"),
                "actual_monthly_cost": cost[row["id"]]}  # fmt: skip
        writer.writerow([_cell(full[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def build_site_files(report: Report, settings: SiteSettings) -> Files:
    """Return the site files for a report checked in this process."""
    return build_files(portfolio_of(report), settings)
