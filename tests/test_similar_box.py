"""The "Has anyone tried this?" box on the overview and the graveyard, in a real Chromium.

It ranks from similar-index.json in the browser; these tests type into the built example
site and compare what the page shows with `portfolio similar` on the same registry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from browser_support import REPO
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, expect

from generator.cli import main

QUERIES = [
    "Our finance team matches incoming customer payments to open invoices by hand",
    "adjusters look at photos of car damage to estimate insurance claims",
    "customer service agents answer the same emails again and again",
]
RESULTS = ".pf-similar-results li"


def python_ranking(query: str) -> list[tuple[str, float]]:
    """Return `portfolio similar`'s ids and scores for the example registry."""
    done = CliRunner().invoke(main, ["similar", query, "--format", "json", "--registry",
                                     str(REPO / "registry")])  # fmt: skip
    return [(r["id"], r["score"]) for r in json.loads(done.output)["results"]]


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """Return a tab that fails the test on a console error or a request off the site."""
    context = browser.new_context()
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("request", lambda r: None if r.url.startswith(base_url) else problems.append(r.url))
    yield tab
    context.close()
    assert problems == []


@pytest.mark.parametrize("url", ["", "graveyard/"])
def test_the_box_ranks_like_portfolio_similar(page: Page, base_url: str, url: str) -> None:
    page.goto(base_url + url)
    box = page.locator(".pf-similar")
    expect(box).to_be_visible()
    for query in QUERIES:
        page.fill("#pf-similar-input", query)
        expected = python_ranking(query)
        expect(page.locator(RESULTS).first).to_have_attribute("data-id", expected[0][0])
        shown = page.eval_on_selector_all(
            RESULTS, "items => items.map(i => [i.dataset.id, Number(i.dataset.score)])"
        )
        assert [i for i, _ in shown] == [i for i, _ in expected]
        assert all(abs(s - e) < 1e-3 for (_, s), (_, e) in zip(shown, expected, strict=True))


def test_killed_matches_are_marked_and_link_to_their_record(page: Page, base_url: str) -> None:
    page.goto(base_url + "graveyard/")
    page.fill("#pf-similar-input", QUERIES[1])
    first = page.locator(RESULTS).first
    expect(first).to_have_attribute("data-id", "claims-photo-assessment")
    expect(first.locator(".pf-similar-status")).to_have_text("KILLED: read its learnings first")
    first.locator("a").click()
    expect(page).to_have_url(base_url + "projects/claims-photo-assessment/")


def test_nothing_similar_says_so(page: Page, base_url: str) -> None:
    page.goto(base_url)
    page.fill("#pf-similar-input", "zzzz qqqq")
    expect(page.locator(".pf-similar-count")).to_have_text(
        "Nothing similar yet: you may be the first."
    )
    expect(page.locator(RESULTS)).to_have_count(0)


def test_scores_match_in_full_precision(page: Page, base_url: str) -> None:
    """The script repeats the measure exactly: the same scores to 4 places."""
    page.goto(base_url)
    ranking: Callable[[str], list[tuple[str, float]]] = lambda q: [  # noqa: E731
        (r["record"]["id"], round(r["score"], 4))
        for r in page.evaluate("q => window.pfSimilar.rank(q)", q)
    ]
    for query in QUERIES:
        assert ranking(query) == python_ranking(query)


FOLDED = [
    "STRASSE und Straße",  # ß folds to "ss": lower case alone keeps it
    "ΟΔΟΣ, οδος and ὁδός",  # final sigma folds to σ, accents go
    "किताब पढ़ना",  # vowel signs are marks: they never split a word
    "ﬁnance ＡＰ invoices",  # ligature and full-width letters fold by NFKC
    "Ꭰꭰ Cherokee and İstanbul",  # Cherokee folds to its capitals
    "Ⅻ² claims ௰ and рауmеnt",  # numbers that are letters; Cyrillic look-alikes
]


def test_the_box_cuts_text_into_the_same_terms(page: Page, base_url: str) -> None:
    """Case folding, marks and letters are the same in the browser as in Python."""
    from generator.core.similarity import terms, vocabulary
    from generator.load import load_registry

    vocab = vocabulary(load_registry(REPO / "registry").policy.synonyms)
    page.goto(base_url)
    for text in FOLDED:
        assert page.evaluate("t => window.pfSimilar.terms(t)", text) == terms(text, vocab), text
