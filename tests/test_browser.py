"""One real browser on the built example site: filters, sorting, charts, dark mode, and
every page loading without a console error or a request that leaves the site.

Drives the system Chromium (CI installs it; a browser is never downloaded): without it these
tests fail under CI and are skipped elsewhere (tests/browser_support.py). The site, its server
and the browser are conftest.py's fixtures. Set PORTFOLIO_SCREENSHOTS=<folder> to keep the
screenshots for a look.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import browser_support
import pytest
import yaml
from browser_support import REPO, page_urls
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect

RECORDS = [
    yaml.safe_load(p.read_text(encoding="utf-8"))
    for p in sorted((REPO / "registry" / "projects").glob("*.yaml"))
]
ROWS = "#pf-projects tbody tr"
SHOTS = {"overview": "", "projects": "projects/", "graveyard": "graveyard/",
         "record": "projects/it-ticket-triage/"}  # fmt: skip


@dataclass
class Tab:
    """A page, the errors it logged, and the outside requests it tried."""

    page: Page
    base: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def open(self, url: str) -> Page:
        """Load a site URL such as "projects/" and return the page."""
        self.page.goto(self.base + url)
        return self.page

    def assert_clean(self) -> None:
        """Fail on console errors, uncaught exceptions or requests that left the site."""
        assert self.errors == []
        assert self.outside == []


@pytest.fixture
def tab(browser: Browser, base_url: str) -> Iterator[Tab]:
    """Return a fresh light-mode tab that may only load the site itself."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    tab = Tab(page, base_url)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.errors.append(message.text)

    def route(r: Route) -> None:
        if r.request.url.startswith(base_url):
            r.continue_()
        else:
            tab.outside.append(r.request.url)
            r.abort()

    page.on("console", console)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    page.route("**/*", route)
    yield tab
    context.close()


@pytest.mark.parametrize("ci", ["true", "1", "", "0", "false"])
def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str
) -> None:
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(browser_support, "CHROMIUM", tmp_path / "chromium")
    outcome = pytest.fail.Exception if ci in ("true", "1") else pytest.skip.Exception
    with pytest.raises(outcome, match="chromium not found"):
        browser_support.require_chromium()


def _projects(tab: Tab) -> Page:
    page = tab.open("projects/")
    expect(page.locator(".pf-filters")).to_be_visible()  # the script ran
    expect(page.locator(".pf-count")).to_have_text(f"{len(RECORDS)} of {len(RECORDS)} shown")
    return page


def test_search_leaves_the_matching_row(tab: Tab) -> None:
    page = _projects(tab)
    [title] = [r["title"] for r in RECORDS if r["id"] == "it-ticket-triage"]
    page.locator(".pf-filter-text").fill(title)
    shown = page.locator(ROWS).filter(visible=True)
    expect(shown).to_have_count(1)
    expect(shown.locator("a")).to_have_text(title)
    expect(page.locator(".pf-count")).to_have_text(f"1 of {len(RECORDS)} shown")
    page.locator(".pf-filter-text").fill("")
    expect(shown).to_have_count(len(RECORDS))
    tab.assert_clean()


def test_stage_filter_shows_only_that_stage(tab: Tab) -> None:
    page = _projects(tab)
    pilots = sum(r["stage"] == "pilot" for r in RECORDS)
    assert pilots > 0
    page.locator("select[data-pf-filter=stage]").select_option("pilot")
    shown = page.locator(ROWS).filter(visible=True)
    expect(shown).to_have_count(pilots)
    assert set(shown.evaluate_all("rows => rows.map(r => r.dataset.stage)")) == {"pilot"}
    expect(page.locator(".pf-count")).to_have_text(f"{pilots} of {len(RECORDS)} shown")
    tab.assert_clean()


def test_filters_are_kept_in_the_query_string(tab: Tab) -> None:
    page = _projects(tab)
    page.locator("select[data-pf-filter=stage]").select_option("pilot")
    page.locator("select[data-pf-filter=status]").select_option("active")
    assert page.evaluate("window.location.search") == "?stage=pilot&status=active"
    shared = tab.open("projects/?stage=pilot&status=active")
    pilots = sum(r["stage"] == "pilot" and r["status"] == "active" for r in RECORDS)
    expect(shared.locator(ROWS).filter(visible=True)).to_have_count(pilots)
    expect(shared.locator("select[data-pf-filter=stage]")).to_have_value("pilot")
    tab.assert_clean()


def test_the_health_filter_offers_the_words_the_cells_show(tab: Tab) -> None:
    page = _projects(tab)
    options = page.locator("select[data-pf-filter=health] option").all_text_contents()
    cells = set(page.locator(f"{ROWS} td .pf-health").all_text_contents())
    assert cells and cells <= set(options)
    assert "ended (no verdict)" in options  # killed and shelved rows get no verdict
    tab.assert_clean()


def _days(page: Page, column: int) -> list[int]:
    cells = page.locator(ROWS).evaluate_all(
        "(rows, i) => rows.map(r => r.cells[i].textContent.trim())", column
    )
    return [int(c) if c else -1 for c in cells]  # killed and shelved rows have no count


def test_days_in_stage_header_sorts_rows(tab: Tab) -> None:
    page = _projects(tab)
    headers = page.locator("#pf-projects thead th")
    column = headers.all_inner_texts().index("Days in stage")
    header = headers.nth(column)
    header.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = _days(page, column)
    assert ascending == sorted(ascending)
    assert len(set(ascending)) > 2
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert _days(page, column) == sorted(ascending, reverse=True)
    tab.assert_clean()


def test_overview_charts_load(tab: Tab) -> None:
    page = tab.open("")
    funnel = page.locator('img[src="charts/funnel.svg"]')
    expect(funnel).to_have_count(1)
    assert funnel.evaluate("img => img.complete && img.naturalWidth") > 0
    widths = page.locator("article img").evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert widths and all(w > 0 for w in widths)
    tab.assert_clean()


def _go_dark(page: Page) -> None:
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.locator('label[for="__palette_1"]').click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")


def test_dark_mode_toggle_and_it_sticks(tab: Tab) -> None:
    _go_dark(tab.open(""))
    page = tab.open("graveyard/")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.locator('label[for="__palette_0"]').click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    tab.assert_clean()


def test_screenshots_in_light_and_dark(tab: Tab, tmp_path: Path) -> None:
    folder = Path(os.environ.get("PORTFOLIO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        for name, url in SHOTS.items():
            page = tab.open(url)
            if scheme == "dark" and name == "overview":
                _go_dark(page)
            expected = "slate" if scheme == "dark" else "default"
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
            page.wait_for_load_state("load")
            page.screenshot(
                path=folder / f"{name}-{scheme}.png", full_page=True, animations="disabled"
            )
    shots = sorted(folder.glob("*.png"))
    assert len(shots) == 2 * len(SHOTS)
    assert all(s.stat().st_size > 0 for s in shots)
    tab.assert_clean()


TABLE_PAGES = ["", "projects/", "pilots/", "graveyard/", "failure-modes/", "policy/",
               "problems/", "projects/carrier-invoice-audit/"]  # fmt: skip


@pytest.mark.parametrize("url", TABLE_PAGES)
def test_tables_fit_the_page_on_a_laptop_screen(tab: Tab, url: str) -> None:
    """At 1,280 px no table scrolls sideways (Material's 5rem columns made seven overflow)."""
    page = tab.open(url)
    page.wait_for_load_state("load")
    overflow = page.locator("article .md-typeset__scrollwrap").evaluate_all(
        "wraps => wraps.map(w => w.scrollWidth - w.clientWidth)"
    )
    assert overflow, "the page shows no table"
    assert max(overflow) <= 1, overflow
    tab.assert_clean()


def test_site_search_finds_a_dead_initiatives_learning(tab: Tab) -> None:
    """The search box answers from the site itself: a learning leads to its record."""
    page = tab.open("")
    query = page.locator("input.md-search__input")
    query.fill("deputy owner dies quietly")
    # Material reads the query on keyup, on focus and when its worker is ready, not on
    # input: fill() alone raced the focus event and was sometimes never searched. The
    # worker indexes the whole site first, which can take longer than 5 s on a busy machine.
    query.press("End")
    results = page.locator(".md-search-result__item > a")
    expect(results.first).to_be_visible(timeout=30_000)
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("projects/fleet-maintenance-prediction/" in h for h in hrefs), hrefs
    assert any("graveyard/" in h for h in hrefs), hrefs
    tab.assert_clean()


def test_every_page_loads_without_errors(tab: Tab, example_site: Path) -> None:
    """Each page of the site, in turn: no console error, no uncaught exception, no request
    that leaves the site (it must work on an intranet with no outside access)."""
    urls = page_urls(example_site)
    assert len(urls) > len(RECORDS)  # every record's page and the sections
    failures: dict[str, list[str]] = {}
    for url in urls:
        tab.open(url).wait_for_load_state("load")
        if tab.errors or tab.outside:
            failures[url or "/"] = [*tab.errors, *(f"left the site: {u}" for u in tab.outside)]
        tab.errors.clear()
        tab.outside.clear()
    assert failures == {}


def test_no_page_scrolls_sideways_on_a_phone(
    browser: Browser, base_url: str, example_site: Path
) -> None:
    """At 390 px a wide table scrolls in its own box; the page itself never does (visually
    hidden text in the initiatives table once widened /projects/ to 658 px)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    wide = {}
    for url in page_urls(example_site):
        page.goto(base_url + url)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width != 390:
            wide[url or "/"] = width
    context.close()
    assert wide == {}


def test_a_decision_due_is_one_block_on_a_phone(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url)
    row = page.locator("article tr.pf-overdue").first
    cells = row.locator("td")
    assert cells.evaluate_all("tds => tds.map(td => getComputedStyle(td).display)") == ["block"] * 5
    labels = cells.evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
    assert labels == ["none", "none", '"Decision: "', '"Owner and sponsors: "', '"Why: "']
    box = row.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    context.close()
