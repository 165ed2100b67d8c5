"""Registry -> site files: `{path: content}`. The one entry point of publishing.

This module knows nothing of MkDocs: the plugin adds these files to a build,
and any engine that renders Markdown with the same theme could do the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..check.engine import Report
from ..load.git import Commit
from ..load.registry import Entry
from . import sections
from .charts.history import Planned
from .charts.outcome import outcome_history
from .charts.select import (
    CHART_FILES,
    portfolio_charts,
    portfolio_drawings,
    record_chart,
    record_chart_path,
)
from .charts.store import ChartStore
from .charts.types import Chart
from .exports import EXPORTS
from .pages import environment, project_page, reads, render
from .portfolio import Portfolio, portfolio_of, similar_map
from .views import record_view
from .viewtypes import HistoryRow, RecordView

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


@dataclass(slots=True)
class PageMemo:
    """The pages of the previous build of a `serve` session, with what each was rendered
    from: a page whose inputs are all equal is not rendered again. A section page's
    inputs are the values of the variables its template and the templates it includes
    or imports read (`reads`), so an edit re-renders only the sections showing it."""

    env: jinja2.Environment | None = None
    common: object = None  # the date, every title and the templates' files
    pages: dict[str, tuple[object, str]] = field(default_factory=dict)
    reads: dict[str, frozenset[str]] = field(default_factory=dict)  # template -> variables


def _templates(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Return the name, size and modification time of every template file."""
    found = []
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            stat = file.stat()
            found.append((file.as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def build_files(
    portfolio: Portfolio,
    settings: SiteSettings,
    store: ChartStore | None = None,
    memo: PageMemo | None = None,
) -> Files:
    """Return every generated page, chart and export of the site (see `site_files`)."""
    return dict(site_files(portfolio, settings, store, memo))


def site_files(
    portfolio: Portfolio,
    settings: SiteSettings,
    store: ChartStore | None = None,
    memo: PageMemo | None = None,
) -> Iterator[tuple[str, str | bytes]]:
    """Yield every generated page, chart and export of the site, each path once.

    One at a time, so a caller that stores them more compactly (the MkDocs plugin keeps
    pages compressed) never holds every page's text at once: at 10,000 records that is
    the largest thing a build holds. With a `store`, the records' charts are not yielded:
    each is put in `store.files` and drawn into the store's folder (if it lacks it) before
    the pages are rendered. With a `memo` (under `serve`), pages rendered from equal
    inputs are taken from it (see `PageMemo`).
    """
    remember = memo is not None  # else the pages are not kept: a build forgets each it yields
    memo = memo if memo is not None else PageMemo()
    drawings = portfolio_drawings(portfolio)
    if store is not None:
        store.ahead(drawings.values())  # matplotlib's, in a worker while the pages render
    views = _views(portfolio, settings)
    titles = {v.row.id: v.row.title for v in views}
    common = {"as_of": portfolio.as_of, "titles": titles}
    inputs_of_all = (common, _templates(settings.templates))
    if memo.env is None or memo.common != inputs_of_all:  # new templates: compile them again
        memo.env, memo.pages, memo.reads = environment(settings.templates), {}, {}
    env, kept = memo.env, memo.pages
    memo.common, memo.pages = inputs_of_all, {}
    charts = [_record_chart(e, portfolio, store) for e in portfolio.records]
    if store is not None:
        store.start()  # draws the charts the store lacks, a fraction of a millisecond each
    for entry, view, chart in zip(portfolio.records, views, charts, strict=True):
        assert entry.record is not None
        path, chart_path = project_page(entry.record.id), record_chart_path(entry.record.id)
        if chart is not None and store is None:
            yield chart_path, chart.drawing.svg()
        impact, impact_path = _outcome_chart(view), f"charts/projects/{view.row.id}-outcome.svg"
        if impact is not None:
            yield impact_path, impact.svg
        inputs = (view, chart, impact)
        before = kept.get(path)
        if before is not None and before[0] == inputs:
            text = before[1]
        else:
            text = render(
                env, "project.md.j2", page=path, p=view, chart=chart, chart_path=chart_path,
                outcome_chart=impact, outcome_chart_path=impact_path, **common,
            )  # fmt: skip
        if remember:
            memo.pages[path] = (inputs, text)
        yield path, text
    overall = portfolio_charts(portfolio, store, drawings)  # waits for those drawn ahead
    for name, overall_chart in overall.items():
        yield CHART_FILES[name], overall_chart.svg
    data = _section_data(views, portfolio)
    for path, template in SECTION_PAGES.items():
        context = {"page": path, "charts": overall, "chart_files": CHART_FILES, **common, **data}
        if not remember:
            yield path, render(env, template, **context)
            continue
        if template not in memo.reads:
            memo.reads[template] = reads(env, template)
        read = tuple((k, context[k]) for k in sorted(memo.reads[template]) if k in context)
        before = kept.get(path)
        text = before[1] if before and before[0] == read else render(env, template, **context)
        memo.pages[path] = (read, text)
        yield path, text
    for path, export in EXPORTS.items():
        yield path, export(portfolio, views)


def _outcome_chart(view: RecordView) -> Chart | None:
    """Return the chart of a record's outcomes over time, when it measured two or more."""
    if len(view.outcomes) < 2:
        return None
    metric = view.success_metric
    return outcome_history(
        tuple((o.date, o.value) for o in view.outcomes),
        metric.baseline if metric else None,
        metric.target if metric else None,
        metric.name if metric else "outcome",
    )


def _record_chart(entry: Entry, portfolio: Portfolio, store: ChartStore | None) -> Planned | None:
    """Plan a record's chart, and put it in the store (if any) to draw before the pages."""
    assert entry.record is not None
    chart = record_chart(entry.record, portfolio.as_of)
    if chart is not None and store is not None:
        store.later(record_chart_path(entry.record.id), chart.drawing)
    return chart


def _views(portfolio: Portfolio, settings: SiteSettings) -> list[RecordView]:
    """Return the view of every record, in the order of `portfolio.records`."""
    similar = similar_map(portfolio)
    return [
        record_view(
            e,
            portfolio,
            similar.get(e.raw_id, []),
            edit_url=_edit_url(settings, e.file),
            history=_history(settings, e.file),
        )
        for e in portfolio.records
    ]


def _section_data(views: Sequence[RecordView], portfolio: Portfolio) -> dict[str, object]:
    """Return the template variables of the section pages."""
    rows = [v.row for v in views]
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


def _history(settings: SiteSettings, file: str) -> tuple[HistoryRow, ...]:
    """Return the newest commits that changed a record's file, with their links."""
    return tuple(
        HistoryRow(
            date=c.date,
            sha=c.sha[:7],
            subject=c.subject,
            url=settings.commit_url.format(sha=c.sha) if settings.commit_url else None,
        )
        for c in settings.history.get(file, [])[:HISTORY_SHOWN]
    )


def _edit_url(settings: SiteSettings, file: str) -> str | None:
    """Return the URL that edits a record's file, if the site has one."""
    return settings.edit_url.format(path=file) if settings.edit_url else None


def build_site_files(
    report: Report,
    settings: SiteSettings,
    store: ChartStore | None = None,
    memo: PageMemo | None = None,
) -> Files:
    """Return the site files for a report checked in this process (see `site_files`)."""
    return dict(site_files_of(report, settings, store, memo))


def site_files_of(
    report: Report,
    settings: SiteSettings,
    store: ChartStore | None = None,
    memo: PageMemo | None = None,
) -> Iterator[tuple[str, str | bytes]]:
    """Yield the site files for a report checked in this process (see `site_files`)."""
    return site_files(portfolio_of(report), settings, store, memo)
