"""axe-core on the built example site, in the light and the dark scheme: no serious or
critical violation on the pages people read most.

axe-core is an npm dev dependency pinned in package-lock.json, installed by `make test`
(`npm ci`) into node_modules/ and injected into each page by Playwright; nothing downloads
at run time. Without it, or without Chromium, these tests fail under CI and are skipped
elsewhere (tests/browser_support.py).

Nothing is excluded: every violation found was fixed in site_theme/ (badge colours, link
underlines, tab and footer contrast in portfolio.css; the search dialog's name in
overrides/main.html). Should a Material update bring one we cannot fix, exclude exactly
that selector in EXCLUDE with the reason beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import require_axe
from playwright.sync_api import Browser, Page, expect

PAGES = {"overview": "", "initiatives": "projects/", "record": "projects/it-ticket-triage/",
         "killed-record": "projects/claims-photo-assessment/", "graveyard": "graveyard/",
         "pilots": "pilots/"}  # fmt: skip
SCHEMES = {"light": "default", "dark": "slate"}  # emulated preference: Material's scheme
BLOCKING = ("serious", "critical")
EXCLUDE: list[str] = []  # CSS selectors axe skips; each needs a comment saying why


@pytest.fixture(scope="module")
def axe() -> Path:
    """Return axe-core's script (fail under CI, skip elsewhere, if npm did not install it)."""
    return require_axe()


@pytest.fixture(scope="module", params=list(SCHEMES))
def scheme_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    """Return a tab whose browser prefers the light or the dark colour scheme.

    The site's palette follows `prefers-color-scheme` until a visitor picks one with the
    toggle, and a new context has no stored choice, so the emulated preference decides.
    """
    preference = "dark" if request.param == "dark" else "light"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=preference)
    yield request.param, context.new_page()
    context.close()


def _luminance(css_colour: str) -> float:
    """Return the relative luminance (0 black to 1 white) of an `rgb(...)` colour."""
    channels = [float(c) / 255 for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            snippet = " ".join(node["html"].split())[:160]
            summary = " ".join(node.get("failureSummary", "").split())[:300]
            lines.append(f"    {target}\n      {snippet}\n      {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("url", list(PAGES.values()), ids=list(PAGES))
def test_no_serious_violations(
    scheme_page: tuple[str, Page], axe: Path, base_url: str, url: str
) -> None:
    scheme, page = scheme_page
    page.goto(base_url + url)
    page.wait_for_load_state("load")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    # The scheme is really drawn, not only named: a dark page on a dark background.
    background = _luminance(body.evaluate("b => getComputedStyle(b).backgroundColor"))
    assert background < 0.05 if scheme == "dark" else background > 0.9, background
    page.add_script_tag(path=str(axe))
    results = page.evaluate(
        "exclude => axe.run({exclude: exclude.map(s => [s])}, {resultTypes: ['violations']})",
        EXCLUDE,
    )
    ran = {r["id"] for key in ("passes", "violations", "incomplete") for r in results[key]}
    assert {"color-contrast", "aria-dialog-name"} <= ran  # the checks that matter here ran
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"axe on /{url} ({scheme}):\n{_describe(blocking)}"
