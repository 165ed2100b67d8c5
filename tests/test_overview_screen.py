"""The example overview on a laptop screen: decisions due and the headline figures, all of
them, before the first chart, in one 1440x900 viewport without scrolling.

Drives the system Chromium on the example registry's site built as of 2026-11-25 (conftest's
fixtures; tests/browser_support.py): three decisions overdue, eight due within 14 days.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

SCREEN = {"width": 1440, "height": 900}
OVERDUE = "article tr.pf-overdue"
SOON = "article details.pf-due-soon"


@pytest.fixture(scope="module")
def overview(browser: Browser, base_url: str) -> Iterator[Page]:
    """Return the example overview open at 1440x900 in light mode, scrolled to the top."""
    context = browser.new_context(viewport=SCREEN, color_scheme="light")
    page = context.new_page()
    page.goto(base_url)
    page.wait_for_load_state("load")
    yield page
    context.close()


def _box(page: Page, selector: str) -> dict[str, float]:
    """Return the top and bottom of the first element that `selector` matches, in CSS px
    from the top of the viewport."""
    box = page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }"
    )
    assert isinstance(box, dict)
    return box


def test_everything_before_the_first_chart_fits_the_first_screen(overview: Page) -> None:
    chart = _box(overview, "article .pf-chart")
    last_overdue = _box(overview, f"{OVERDUE} >> nth=-1")
    money = _box(overview, "article .pf-money")
    stages = _box(overview, "article .pf-cards")
    assert overview.evaluate("window.scrollY") == 0
    assert last_overdue["bottom"] <= SCREEN["height"] and last_overdue["bottom"] < chart["top"]
    assert money["bottom"] <= SCREEN["height"] and money["bottom"] < chart["top"]
    # In the order: decisions due, then the stage cards, then the money, then charts.
    due = _box(overview, "article h2#decisions-due")
    assert due["bottom"] < last_overdue["top"] < stages["top"] < money["top"]


def test_every_overdue_decision_shows_and_those_due_soon_are_folded(overview: Page) -> None:
    overdue = overview.locator(OVERDUE)
    expect(overdue).to_have_count(3)
    expect(overdue.first).to_be_visible()
    assert overdue.first.locator("td").first.inner_text() == "58 days overdue\n(due 2026-09-28)"
    soon = overview.locator(SOON)
    expect(soon.locator("summary")).to_have_text("8 more due within 14 days")
    expect(soon).not_to_have_attribute("open", "")
    expect(soon.locator("tr.pf-soon").first).to_be_hidden()


def test_the_folded_decisions_open_from_the_keyboard(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport=SCREEN, color_scheme="light")
    page = context.new_page()
    page.goto(base_url)
    summary = page.locator(f"{SOON} > summary")
    summary.focus()
    page.keyboard.press("Enter")
    rows = page.locator(f"{SOON} tr.pf-soon")
    expect(rows).to_have_count(8)
    expect(rows.first).to_be_visible()
    assert rows.first.locator("td").first.inner_text() == "due in 2 days\n(2026-11-27)"
    page.keyboard.press("Enter")
    expect(rows.first).to_be_hidden()
    context.close()


def test_needs_attention_and_recent_decisions_follow_the_charts(overview: Page) -> None:
    last_chart = _box(overview, "article .pf-chart >> nth=-1")
    assert _box(overview, "article h2#needs-attention")["top"] > last_chart["bottom"]
    assert _box(overview, "article h2#recent-decisions")["top"] > last_chart["bottom"]
