"""One real browser on the built example site: filters, sorting, charts, dark mode.

Drives the system Chromium (CI installs it; a browser is never downloaded). Set
PORTFOLIO_SCREENSHOTS=<folder> to keep the screenshots for a look.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
AS_OF = "2026-11-25"
RECORDS = [
    yaml.safe_load(p.read_text(encoding="utf-8"))
    for p in sorted((REPO / "registry" / "projects").glob("*.yaml"))
]
ROWS = "#pf-projects tbody tr"
SHOTS = {"overview": "", "projects": "projects/", "graveyard": "graveyard/",
         "record": "projects/it-ticket-triage/"}  # fmt: skip


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of access logs."""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the example registry with `portfolio build` and serve it on 127.0.0.1."""
    project = tmp_path_factory.mktemp("browser") / "project"
    project.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("site_theme", "registry"):
        shutil.copytree(REPO / folder, project / folder)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "portfolio"), "build", "--as-of", AS_OF],
        cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert (project / "site" / "index.html").is_file(), done.stdout + done.stderr
    handler = functools.partial(_Quiet, directory=str(project / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Return the system Chromium, headless."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: install the distribution's chromium package")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


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
    # Material's search worker fetches and indexes the whole site first: on a busy
    # machine that takes longer than Playwright's default 5 s, so wait until it is ready.
    page.wait_for_function(
        "() => document.querySelector('.md-search__output') !== null", timeout=30_000
    )
    page.locator("input.md-search__input").fill("deputy owner dies quietly")
    results = page.locator(".md-search-result__item > a")
    expect(results.first).to_be_visible(timeout=30_000)
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("projects/fleet-maintenance-prediction/" in h for h in hrefs), hrefs
    assert any("graveyard/" in h for h in hrefs), hrefs
    tab.assert_clean()
