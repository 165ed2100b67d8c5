"""The site answers leadership's questions: what needs a decision, what died and why.

One registry on disk (an overdue pilot, an initiative far over its cost forecast, a
killed one, and a healthy pilot that supersedes the killed one), built once with the
real `portfolio build`; every assertion reads the built HTML or the exports.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from builders import AS_OF, days_ago, passing
from invariants import built_site

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KILLED_ON = days_ago(20)
RATIONALE = "Quality stalled at 0.6 on scanned invoices; the vendor cannot fix it."
LEARNING = "Test on scanned documents before the poc, not after it."


BLOCKS = frozenset(("p", "li", "td", "th", "tr", "div", "h1", "h2", "h3", "br", "table"))


class Page(HTMLParser):
    """A built page's article: its visible text and its links, in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.links: list[str] = []
        self.headers: list[str] = []
        self._th: list[str] | None = None
        start, end = html.find("<article"), html.find("</article>")
        self.feed(html[start:end] if start >= 0 else html)
        self.text = " ".join("".join(self.chunks).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.chunks.append(" ")
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag == "th":
            self._th = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._th is not None:
            self.headers.append(" ".join("".join(self._th).split()))
            self._th = None

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        if self._th is not None:
            self._th.append(data)


def _registry(root: Path) -> None:
    """Write the four records of this module's registry."""
    late = passing("pilot", project_id="late-pilot", title="Late pilot", entered=days_ago(40))
    late.item("evidence", "usage", f"{{kind: adoption, date: {days_ago(2)}, users: 5, "
              "daily_active: 4, days: 38}")  # fmt: skip
    late.write(root)
    costly = passing("optimize", project_id="costly", title="Costly optimizer")
    costly.item("evidence", "over", f"{{kind: cost, date: {days_ago(1)}, monthly: 5000, "
                "actual: true}")  # fmt: skip
    costly.write(root)
    dead = passing("poc", project_id="dead-end", title="Dead end", entered=days_ago(60))
    dead.set("status", "killed")
    dead.item("decisions", "kill", f"{{date: {KILLED_ON}, from: poc, outcome: kill, "
              f"by: [Kim Ode], rationale: \"{RATIONALE}\"}}")  # fmt: skip
    dead.item("learnings", "one", f'"{LEARNING}"')
    dead.write(root)
    # A restart that names the killed one three ways: supersedes, related and similar.
    again = passing("poc", project_id="dead-end-again", title="Dead end again")
    again.set("supersedes", "dead-end").set("related", "[dead-end, dead-end]")
    again.write(root)
    # At scale for 100 days with no review: the quarterly review (92 days) is 8 days late.
    passing(
        "scale", project_id="unreviewed", title="Unreviewed scale", entered=days_ago(100)
    ).write(root)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the built site of this module's registry."""
    project = tmp_path_factory.mktemp("leadership") / "project"
    project.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "site_theme", project / "site_theme")
    _registry(project / "registry")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    with built_site(project):  # the invariants every build keeps (tests/invariants.py)
        done = subprocess.run(
            [str(BIN / "portfolio"), "build", "--as-of", AS_OF.isoformat()],
            cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    assert (project / "site" / "index.html").is_file(), done.stdout + done.stderr
    return project / "site"


def html(site: Path, url: str) -> str:
    """Return the HTML of the page at `url`."""
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_the_overdue_pilot_heads_the_overview_with_its_due_date(site: Path) -> None:
    source = html(site, "")
    due, first_chart = source.index('id="decisions-due"'), source.index('class="pf-chart"')
    assert due < first_chart
    table = source[due : source.index("</table>", due)]
    rows = re.findall(r"<tr class=\"pf-(overdue|soon)\">(.*?)</tr>", table, re.S)
    first = Page(rows[0][1])
    pilot_due = days_ago(40 - 25)
    assert rows[0][0] == "overdue"
    assert first.text.startswith(f"15 days overdue (due {pilot_due}) Late pilot Go/no-go")
    assert "projects/late-pilot/" in first.links
    assert "Kim Ode" in first.text and "Ana Lima" in first.text  # sponsors and owner
    assert "S011 Pilot decision overdue" in first.text
    # The killed record needs no decision; the healthy restart none within 14 days.
    assert "Dead end" not in Page(table).text


def test_the_overview_reads_decisions_figures_charts_then_the_rest(site: Path) -> None:
    """The issue's order: decisions due, the headline figures (stage cards, then money),
    the charts; what needs attention and the recent decisions come after the charts."""
    body = html(site, "")
    body = body[body.index("<article") :]
    marks = ['id="decisions-due"', 'class="pf-overdue"', 'class="pf-due-soon"', 'class="pf-cards"',
             'data-money="spend"', 'class="pf-chart"', 'id="needs-attention"',
             'id="recent-decisions"']  # fmt: skip
    at = [body.index(m) for m in marks]
    assert at == sorted(at), dict(zip(marks, at, strict=True))
    # The gate out of scale falls due in 12 days: folded under the overdue rows.
    soon = body[body.index('class="pf-due-soon"') : body.index("</details>")]
    assert "<summary>1 more due within 14 days</summary>" in soon
    [row] = re.findall(r'<tr class="pf-soon">(.*?)</tr>', soon, re.S)
    assert Page(row).text.startswith(f"due in 12 days ({days_ago(-12)}) Unreviewed scale Gate")


def test_the_killed_page_opens_with_its_banner_and_no_health_verdict(site: Path) -> None:
    page = Page(html(site, "projects/dead-end/"))
    banner = page.text[page.text.index("Killed on") :]
    assert banner.startswith(f"Killed on {KILLED_ON} at poc by Kim Ode. Why: {RATIONALE}")
    assert f"What it taught: {LEARNING}" in banner
    assert page.text.index("Killed on") < page.text.index("Metrics")
    assert "healthy" not in page.text.lower()
    assert f"({60 - 20} days until it was killed)" in page.text


def test_each_finding_on_a_project_page_links_to_its_rule_on_policy(site: Path) -> None:
    policy = html(site, "policy/")
    seen = 0
    for url in ("projects/late-pilot/", "projects/costly/"):
        source = html(site, url)
        items = re.findall(r"<li>(<span class=\"pf-badge pf-severity-.*?)</li>", source, re.S)
        assert items, url
        for item in items:
            links = Page(item).links
            [code] = re.findall(r"^\.\./\.\./policy/#([RGS]\d{3})$", links[0])
            assert f'<tr id="{code}">' in policy
            seen += 1
    assert seen >= 3


def test_killed_records_have_no_verdict_in_the_table_or_exports(site: Path) -> None:
    source = html(site, "projects/")
    row = re.search(r'<tr data-stage="poc" data-status="killed".*?</tr>', source, re.S)
    assert row is not None
    assert "healthy" not in Page(row.group(0)).text
    doc = json.loads((site / "portfolio.json").read_text(encoding="utf-8"))
    [dead] = [r for r in doc["records"] if r["id"] == "dead-end"]
    assert dead["computed"]["health"] is None
    assert dead["computed"]["days_in_stage"] == 40  # stopped at the kill, not counting on
    csv = (site / "portfolio.csv").read_text(encoding="utf-8").splitlines()
    header = csv[0].split(",")
    [line] = [line.split(",") for line in csv if line.startswith("dead-end,")]
    assert line[header.index("health")] == "" and line[header.index("days_in_stage")] == "40"


def test_problems_names_initiatives_by_title_beside_the_file(site: Path) -> None:
    page = Page(html(site, "problems/"))
    assert "Late pilot" in page.text
    assert "registry/projects/late-pilot.yaml:" in page.text.replace(" ", "")


@pytest.mark.parametrize("url", ["", "projects/", "projects/late-pilot/", "policy/", "pilots/"])
def test_no_table_has_an_empty_header(site: Path, url: str) -> None:
    page = Page(html(site, url))
    assert page.headers and "" not in page.headers


def test_related_initiatives_name_each_one_once(site: Path) -> None:
    source = html(site, "projects/dead-end-again/")
    section = source[source.index('id="related-initiatives"') :]
    section = section[: section.index("</ul>")]
    assert section.count("dead-end/") == 1


@pytest.mark.parametrize("url", ["", "projects/dead-end/", "projects/late-pilot/", "problems/"])
def test_dates_do_not_wrap(site: Path, url: str) -> None:
    # Every ISO date in a table, a banner or a message sits in a no-wrap span.
    bare = re.findall(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w-])", _outside_dates(html(site, url)))
    assert bare == []


def _outside_dates(source: str) -> str:
    """Return the article's text with no-wrap date spans and every tag removed."""
    start, end = source.find("<article"), source.find("</article>")
    body = re.sub(r'<span class="pf-date">[^<]*</span>', "", source[start:end])
    body = re.sub(r"<(code|pre)\b.*?</\1>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_a_quarterly_review_overdue_is_a_decision_due(site: Path) -> None:
    source = html(site, "")
    due = source.index('id="decisions-due"')
    table = source[due : source.index("</table>", due)]
    rows = [Page(r) for r in re.findall(r"<tr class=\"pf-overdue\">(.*?)</tr>", table, re.S)]
    [review] = [r for r in rows if "Unreviewed scale" in r.text]
    assert review.text.startswith(
        f"8 days overdue (due {days_ago(8)}) Unreviewed scale Quarterly review: kill or continue"
    )
    assert "S017 Quarterly review overdue" in review.text
    assert "../policy/#S017" in review.links or "policy/#S017" in review.links


@pytest.mark.parametrize(
    ("chart", "title", "record_id"),
    [
        ("cost.svg", "Costly optimizer", "costly"),
        ("timeline.svg", "Dead end again", "dead-end-again"),
        ("time-in-stage.svg", "Late pilot", "late-pilot"),
    ],
)
def test_charts_name_initiatives_by_title_as_the_tables_do(
    site: Path, chart: str, title: str, record_id: str
) -> None:
    svg = (site / "charts" / chart).read_text(encoding="utf-8")
    assert title in svg
    assert record_id not in svg


def test_one_colour_per_status_in_charts_and_badges() -> None:
    """Shelved was optimize's purple in a chart and grey on the badges; now each status
    has one colour, and none is a stage's."""
    from generator.site.charts.style import STAGE_COLOURS, STATUS_COLOURS

    css = (REPO / "site_theme" / "docs" / "assets" / "portfolio.css").read_text(encoding="utf-8")
    for status in ("killed", "shelved"):  # active keeps the plain badge
        colour = STATUS_COLOURS[status]
        found = re.search(rf"\.pf-status-{status} {{ background: (#[0-9a-f]{{6}});", css)
        assert found and found.group(1) == colour.lower(), status
    assert STATUS_COLOURS["shelved"] not in STAGE_COLOURS.values()
    assert STATUS_COLOURS["killed"] not in STAGE_COLOURS.values()


def _contrast(a: str, b: str) -> float:
    from generator.site.charts.style import luminance

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_active_has_a_colour_no_stage_or_other_status_has() -> None:
    from generator.site.charts.style import STAGE_COLOURS, STATUS_COLOURS

    active = STATUS_COLOURS["active"]
    others = [*STAGE_COLOURS.values(), STATUS_COLOURS["killed"], STATUS_COLOURS["shelved"]]
    assert active == "#AA44FF"
    assert len({c.lower() for c in [active, *others]}) == 8
    # A chart is an image with a transparent background: its bars sit on the page's own
    # background, white or Material's slate, and reach 3:1 on both (WCAG 1.4.11).
    for page in ("#ffffff", "#1e2129"):
        assert _contrast(active, page) >= 3, page


def _fills(svg: str) -> set[str]:
    return set(re.findall(r"fill: (#[0-9a-f]{6})", svg))


def test_the_status_chart_draws_active_in_its_own_colour_not_the_poc_blue(site: Path) -> None:
    svg = (site / "charts" / "status-by-stage.svg").read_text(encoding="utf-8")
    # Violet active, vermillion killed, grey shelved (its legend swatch) and the grey ink of
    # text and axes; the numbers on violet and vermillion bars are black, SVG's default fill.
    assert _fills(svg) == {"#aa44ff", "#d55e00", "#6d6d6d", "#7f7f7f"}
    assert "#0072b2" not in svg


def test_the_funnel_and_time_in_stage_draw_active_in_the_active_colour(site: Path) -> None:
    funnel = (site / "charts" / "funnel.svg").read_text(encoding="utf-8")
    # active here, killed or shelved here, and the pale "moved on" that is no stage's colour
    assert _fills(funnel) >= {"#aa44ff", "#d55e00", "#d0d0d0"}
    assert "#0072b2" not in funnel and "#56b4e9" not in funnel  # poc blue, discovery sky
    time = (site / "charts" / "time-in-stage.svg").read_text(encoding="utf-8")
    assert "#aa44ff" in _fills(time) and "#0072b2" not in time


def test_the_ended_banner_and_card_take_the_status_colours(site: Path) -> None:
    from generator.site.charts.style import STATUS_COLOURS

    css = (REPO / "site_theme" / "docs" / "assets" / "portfolio.css").read_text(encoding="utf-8")
    killed, shelved = STATUS_COLOURS["killed"].lower(), STATUS_COLOURS["shelved"].lower()
    rules = dict(re.findall(r"\.(pf-ended(?:-\w+)?|pf-card-ended) \{ ([^}]*)\}", css))
    assert rules["pf-card-ended"] == f"--pf-c: {killed}; "
    assert rules["pf-ended"].startswith(f"border-left: .35rem solid {killed};")
    assert rules["pf-ended-killed"] == f"border-left-color: {killed}; "
    assert rules["pf-ended-shelved"] == f"border-left-color: {shelved}; "
    assert '<div class="pf-ended pf-ended-killed" role="note">' in html(site, "projects/dead-end/")
