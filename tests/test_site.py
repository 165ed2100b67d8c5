"""End to end: real MkDocs builds of whole sites, checked on the HTML they produce.

Each registry is copied with mkdocs.yml and site_theme/ into a temporary project and
built once per module by a subprocess, as a user would: `mkdocs build --strict` for the
example registry, `portfolio build` for the others.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from hostile import HOSTILE
from invariants import built_site

from generator.core.catalog import CATALOG

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "site-registries"
BIN = Path(sys.executable).parent  # the virtualenv that runs the tests
AS_OF = "2026-11-25"
EXAMPLE = REPO / "registry"
RECORD_FILES = sorted((EXAMPLE / "projects").glob("*.yaml"))
RECORDS = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in RECORD_FILES}
DEAD = [i for i, r in RECORDS.items() if r["status"] in ("killed", "shelved")]
LEARNINGS = [
    pytest.param(item if isinstance(item, str) else item["text"], id=f"{i}-{n}")
    for i, r in RECORDS.items()
    for n, item in enumerate(r.get("learnings") or [])
]
SECTIONS = ["", "projects/", "graveyard/", "learnings/", "failure-modes/", "pilots/",
            "sponsors/", "policy/", "problems/"]  # fmt: skip
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Return text with every run of whitespace turned into one space."""
    return _SPACE.sub(" ", text).strip()


# --- building ---------------------------------------------------------------------------


def _env() -> dict[str, str]:
    # Never write to a CI job's summary; let each build choose its own sitemap date.
    drop = ("GITHUB_STEP_SUMMARY", "SOURCE_DATE_EPOCH")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return {**env, "NO_MKDOCS_2_WARNING": "1", "PORTFOLIO_AS_OF": AS_OF}


def make_project(root: Path, registry: Path) -> Path:
    """Copy mkdocs.yml, the theme and `registry` into a new project folder `root`."""
    root.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "site_theme", root / "site_theme")
    shutil.copytree(registry, root / "registry")
    return root


def run(*commands: tuple[list[str], Path]) -> list[subprocess.CompletedProcess[str]]:
    """Run (argv, working directory) commands side by side and return their results."""

    def one(command: tuple[list[str], Path]) -> subprocess.CompletedProcess[str]:
        argv, cwd = command
        # Every build keeps the invariants of tests/invariants.py, whatever it was given.
        site = Path(argv[argv.index("-d") + 1]) if "-d" in argv else cwd / "site"
        with built_site(cwd, site):
            return subprocess.run(
                argv, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=300,
                check=False,
            )  # fmt: skip

    with ThreadPoolExecutor() as pool:
        return list(pool.map(one, commands))


def portfolio_build(project: Path, *args: str) -> tuple[list[str], Path]:
    """Return the command that runs `portfolio build` in `project`."""
    return [str(BIN / "portfolio"), "build", "--as-of", AS_OF, *args], project


def _built(result: subprocess.CompletedProcess[str], site: Path) -> Path:
    assert "Traceback" not in result.stderr, result.stderr
    assert (site / "index.html").is_file(), result.stdout + result.stderr
    return site


# --- reading the built HTML -------------------------------------------------------------


class Html(HTMLParser):
    """A built page: its tags with attributes, script bodies, and visible text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._chunks: list[str] = []
        self._raw = 0
        self.feed(source)
        self.close()
        self.text = squash("".join(self._chunks))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style"):
            self._raw += 1
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._raw:
            self._raw -= 1

    def handle_data(self, data: str) -> None:
        if self._raw:
            self.scripts[-1] += data
        else:
            self._chunks.append(data)

    def find(self, tag: str) -> list[dict[str, str]]:
        """Return the attributes of every `tag` element."""
        return [attrs for name, attrs in self.tags if name == tag]


def page_file(site: Path, url: str) -> Path:
    """Return the file of a directory URL such as "" or "projects/x/"."""
    return site / url / "index.html"


def source(site: Path, url: str) -> str:
    """Return the HTML of the page at `url`."""
    return page_file(site, url).read_text(encoding="utf-8")


def article(site: Path, url: str) -> Html:
    """Return the page content only, without header, navigation and table of contents."""
    text = source(site, url)
    return Html(text[text.index("<article") : text.index("</article>")])


def pages(site: Path) -> list[str]:
    """Return the URL of every HTML page of a site."""
    folders = (p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return sorted("" if f == "." else f + "/" for f in folders)


def _refs(page: Html) -> Iterator[str]:
    """Yield every URL a page refers to: any element's href or src, and srcset entries."""
    for _, attrs in page.tags:
        yield from (attrs[k] for k in ("href", "src") if k in attrs)
        for candidate in attrs.get("srcset", "").split(","):
            yield from candidate.split()[:1]


def _ids(file: Path, cache: dict[Path, set[str]]) -> set[str]:
    if file not in cache:
        page = Html(file.read_text(encoding="utf-8"))
        cache[file] = {attrs["id"] for _, attrs in page.tags if attrs.get("id")}
    return cache[file]


def broken_links(site: Path, url: str, ids: dict[Path, set[str]] | None = None) -> Iterator[str]:
    """Yield each reference of a page that misses: a relative path to no file of the site, a
    fragment naming no id of its page, or a path from the server root (which breaks when the
    site is served under a sub-path). Outside URLs (with a scheme or host) are not followed.
    """
    ids = {} if ids is None else ids
    here = page_file(site, url)
    for ref in _refs(Html(here.read_text(encoding="utf-8"))):
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            continue
        if parts.path.startswith("/"):
            yield ref
            continue
        target = (here.parent / unquote(parts.path)).resolve() if parts.path else here
        if target.is_dir():
            target /= "index.html"
        anchor = unquote(parts.fragment)
        if not target.is_file() or site.resolve() not in target.parents:
            yield ref
        elif anchor and target.suffix == ".html" and anchor not in _ids(target, ids):
            yield ref


def tree(site: Path) -> dict[str, bytes]:
    """Return every file of a built site by its relative path."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


# --- the example registry through `mkdocs build --strict` --------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the example registry's site, built by `mkdocs build --strict`."""
    project = make_project(tmp_path_factory.mktemp("example") / "project", EXAMPLE)
    out = project.parent / "out"
    argv = [str(BIN / "mkdocs"), "build", "--strict", "-f", str(project / "mkdocs.yml")]
    [result] = run(([*argv, "-d", str(out)], project))
    assert result.returncode == 0, result.stderr
    return _built(result, out)


@pytest.fixture(scope="module")
def search_text(site: Path) -> str:
    """Return all text of the search index, with entities decoded."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return squash(" ".join(html.unescape(d["title"] + " " + d["text"]) for d in index["docs"]))


@pytest.mark.parametrize("url", SECTIONS)
def test_every_section_page_exists(site: Path, url: str) -> None:
    page = article(site, url)
    assert page.find("h1"), f"/{url} has no heading"


@pytest.mark.parametrize("record", RECORD_FILES, ids=lambda p: p.stem)
def test_every_record_has_a_page(site: Path, record: Path) -> None:
    data = RECORDS[record.stem]
    page = article(site, f"projects/{record.stem}/")
    assert squash(data["title"]) in page.text
    assert squash(data["problem"]) in page.text
    [title] = re.findall(r"<title>(.*?)</title>", source(site, f"projects/{record.stem}/"))
    assert html.unescape(title) == f"{squash(data['title'])} - AI Portfolio"


def test_the_initiatives_table_lists_every_record(site: Path) -> None:
    page = article(site, "projects/")
    rows = [a for name, a in page.tags if name == "tr" and "data-stage" in a]
    links = {a["href"] for a in page.find("a")}
    assert len(rows) == len(RECORDS)
    assert {f"{i}/" for i in RECORDS} <= links
    for data in RECORDS.values():
        assert squash(data["title"]) in page.text
    assert f"{len(RECORDS)} initiatives as of {AS_OF}" in page.text


def test_the_example_has_a_graveyard() -> None:
    assert DEAD, "the example registry should show killed and shelved initiatives"


def test_the_graveyard_holds_exactly_the_dead(site: Path) -> None:
    headings = re.findall(r"<h2[^>]*>(.*?)<a class=\"headerlink\"", source(site, "graveyard/"))
    assert sorted(html.unescape(h) for h in headings) == sorted(
        squash(RECORDS[i]["title"]) for i in DEAD
    )


@pytest.mark.parametrize("project_id", DEAD)
def test_the_graveyard_says_why_and_what_was_learned(site: Path, project_id: str) -> None:
    data = RECORDS[project_id]
    page = article(site, "graveyard/")
    assert squash(data["title"]) in page.text
    ends = [d for d in data.get("decisions") or [] if d["outcome"] in ("kill", "shelve")]
    if ends and ends[-1].get("rationale"):
        assert squash(ends[-1]["rationale"]) in page.text
    for learning in data.get("learnings") or []:
        assert squash(learning if isinstance(learning, str) else learning["text"]) in page.text


@pytest.mark.parametrize("project_id", DEAD)
def test_the_graveyard_links_each_dead_record(site: Path, project_id: str) -> None:
    links = [a["href"] for a in article(site, "graveyard/").find("a")]
    assert f"../projects/{project_id}/" in links


def test_quoted_names_in_messages_show_as_code(site: Path) -> None:
    """Gate details and findings quote check and field names; pages show them as code."""
    assert not any("`" in p.read_text(encoding="utf-8") for p in RECORD_FILES)
    quoted = 0
    for project_id in RECORDS:
        page = article(site, f"projects/{project_id}/")
        assert "`" not in page.text, project_id
        quoted += len(page.find("code"))
    assert "<code>monitoring-dashboards</code>" in source(site, "projects/carrier-invoice-audit/")
    assert quoted > len(RECORDS)


@pytest.mark.parametrize("learning", LEARNINGS)
def test_every_learning_is_searchable(search_text: str, learning: str) -> None:
    assert squash(learning) in search_text


@pytest.mark.parametrize("url", SECTIONS)
def test_every_section_is_searchable(site: Path, search_text: str, url: str) -> None:
    heading = Html(re.findall(r"<h1.*?</h1>", source(site, url))[0]).text.rstrip("¶ ")
    assert heading in search_text


def test_json_export_has_every_record_with_computed_fields(site: Path) -> None:
    doc = json.loads((site / "portfolio.json").read_text(encoding="utf-8"))
    assert doc["as_of"] == AS_OF
    assert doc["unreadable"] == []
    assert sorted(r["id"] for r in doc["records"]) == sorted(RECORDS)
    for record in doc["records"]:
        assert record["title"] == RECORDS[record["id"]]["title"]
        computed = record["computed"]
        # A killed or shelved record gets no health verdict.
        verdicts = ("ok", "warning", "error") if record["status"] == "active" else (None,)
        assert computed["health"] in verdicts
        assert isinstance(computed["days_in_stage"], int)
        assert {"errors", "warnings", "stage_since", "findings"} <= set(computed)


def test_csv_export_has_one_row_per_record(site: Path) -> None:
    with (site / "portfolio.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["id"] for r in rows) == sorted(RECORDS)
    for row in rows:
        data = RECORDS[row["id"]]
        assert (row["title"], row["stage"], row["status"]) == (
            data["title"],
            data["stage"],
            data["status"],
        )


def test_charts_are_accessible_svg(site: Path) -> None:
    charts = sorted((site / "charts").rglob("*.svg"))
    assert {"funnel.svg", "deaths.svg"} <= {c.name for c in charts}
    for chart in charts:
        root = ET.fromstring(chart.read_bytes())
        assert root.tag == "{http://www.w3.org/2000/svg}svg", chart
        assert root.get("role") == "img" and root.get("aria-label"), chart


def test_every_chart_is_shown_with_a_text_alternative(site: Path) -> None:
    shown: set[Path] = set()
    for url in pages(site):
        for img in Html(source(site, url)).find("img"):
            if img.get("src", "").endswith(".svg"):
                assert img.get("alt", "").strip(), f"/{url}: {img['src']} has no alt text"
                shown.add((page_file(site, url).parent / img["src"]).resolve())
    assert shown == {c.resolve() for c in (site / "charts").rglob("*.svg")}


def test_the_overview_shows_the_funnel(site: Path) -> None:
    imgs = [i for i in article(site, "").find("img") if i["src"] == "charts/funnel.svg"]
    assert len(imgs) == 1
    assert "Initiatives that reached each stage" in imgs[0]["alt"]


def test_the_policy_page_lists_every_rule(site: Path) -> None:
    page = article(site, "policy/")
    cells = re.findall(r'<tr id="([RGS]\d{3})">', source(site, "policy/"))
    assert set(CATALOG) <= set(cells)
    for rule in CATALOG.values():
        assert squash(rule.title) in page.text


def test_links_of_every_page_resolve(site: Path) -> None:
    """Every page of the built site (site/**/index.html), every href, src and srcset."""
    urls = pages(site)
    assert set(SECTIONS) | {f"projects/{i}/" for i in RECORDS} <= set(urls)
    ids: dict[Path, set[str]] = {}
    broken = {url or "/": list(broken_links(site, url, ids)) for url in urls}
    assert {url: refs for url, refs in broken.items() if refs} == {}


# --- hostile record text -----------------------------------------------------------------

MARKER = "Zebraquux"  # plain letters: shown wherever the hostile text is, whatever happens
TEXT = " ".join([MARKER, *HOSTILE])
HOSTILE_PAGES = ["", "projects/", "projects/hostile/", "projects/plain/", "graveyard/",
                 "learnings/", "failure-modes/", "sponsors/", "policy/", "problems/"]  # fmt: skip


# Markdown link syntax inside a URL: Python-Markdown once turned it into an inner <a>
# whose quotes closed the outer href, and autofocus ran the handler on page load.
FOCUS_URL = 'https://x.example.com/[a](b"onfocus=alert(3) autofocus x=")'
FOCUS_HREF = "https://x.example.com/%5Ba%5D(b%22onfocus=alert(3)%20autofocus%20x=%22)"


def _hostile_record() -> str:
    s = json.dumps(TEXT)  # a JSON string is a YAML double-quoted scalar
    return f"""id: hostile
title: {s}
problem: {s}
team: {s}
owner: {{name: {s}}}
sponsors: [{{name: {s}, role: CFO, since: 2026-01-01}}]
stage: poc
status: killed
started: 2026-01-05
decisions:
  - {{date: 2026-02-01, from: discovery, to: poc, outcome: advance, by: [{s}], rationale: {s}}}
  - {{date: 2026-03-01, from: poc, outcome: kill, by: [{s}], rationale: {s}}}
failures:
  - {{mode: solution-first, stage: poc, description: {s}, mitigation: {s}}}
learnings:
  - {{text: {s}, tags: [{s}]}}
tags: [{s}]
use_cases: [{s}]
waivers:
  - {{rule: G102, reason: {s}, approved_by: {s}, expires: 2027-01-01}}
links:
  {s}: {json.dumps('https://example.com/"><script>alert(2)</script>')}
  focus: {json.dumps(FOCUS_URL)}
related: [plain]
"""


_PLAIN = """id: plain
title: Plain neighbour
problem: Dispatchers rebuild the next day's van routes by hand every evening.
team: Operations
owner: {name: Joris Veen}
stage: discovery
status: active
started: 2026-11-20
related: [hostile]
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the site of a registry whose text tries every kind of injection."""
    registry = tmp_path_factory.mktemp("hostile") / "registry"
    (registry / "projects").mkdir(parents=True)
    (registry / "projects" / "hostile.yaml").write_text(_hostile_record(), encoding="utf-8")
    (registry / "projects" / "plain.yaml").write_text(_PLAIN, encoding="utf-8")
    project = make_project(registry.parent / "project", registry)
    [result] = run(portfolio_build(project))
    return _built(result, project / "site")


def test_the_hostile_record_is_read(hostile_site: Path) -> None:
    doc = json.loads((hostile_site / "portfolio.json").read_text(encoding="utf-8"))
    assert doc["unreadable"] == []
    [record] = [r for r in doc["records"] if r["id"] == "hostile"]
    assert record["title"] == record["problem"] == record["learnings"][0]["text"] == TEXT


def test_every_page_that_shows_the_text_is_checked(hostile_site: Path) -> None:
    showing = [u for u in pages(hostile_site) if MARKER in Html(source(hostile_site, u)).text]
    assert sorted(showing) == sorted(HOSTILE_PAGES)


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_no_tag_or_handler_comes_from_record_text(hostile_site: Path, url: str) -> None:
    page = Html(source(hostile_site, url))
    assert not [s for s in page.scripts if "alert" in s]
    handlers = [(t, a) for t, attrs in page.tags for a in attrs if a.startswith("on")]
    assert handlers == []
    assert [a for a in page.find("img") if a.get("src") == "x"] == []


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_no_javascript_url(hostile_site: Path, url: str) -> None:
    page = Html(source(hostile_site, url))
    urls = [v for _, attrs in page.tags for k, v in attrs.items() if k in ("href", "src")]
    assert [u for u in urls if u.strip().lower().startswith("javascript:")] == []


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_no_markdown_or_extension_runs_on_record_text(hostile_site: Path, url: str) -> None:
    text = source(hostile_site, url)
    assert "root:x:0:" not in text  # no snippet included
    assert "admonition note" not in text and ">hi</p>" not in text
    assert re.findall(r"<t[dh][^>]*>\s*[ab]\s*</t[dh]>", text) == []  # no table cells
    assert "<strong>bold</strong>" not in text
    assert "<code>code</code>" not in text
    assert "site_name" not in text  # `{{ config }}` was not rendered


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_record_text_is_shown_literally(hostile_site: Path, url: str) -> None:
    page = Html(source(hostile_site, url))
    assert TEXT in page.text
    assert page.text.count(TEXT) == page.text.count(MARKER), "some copy was changed"


def test_hostile_text_is_escaped_in_the_search_index(hostile_site: Path) -> None:
    index = (hostile_site / "search" / "search_index.json").read_text(encoding="utf-8")
    docs = json.loads(index)["docs"]
    text = " ".join(d["title"] + d["text"] for d in docs)
    assert "<script" not in text and "<img" not in text
    assert TEXT in squash(html.unescape(text))


def test_links_to_and_from_the_hostile_record_work(hostile_site: Path) -> None:
    def hrefs(url: str) -> list[str]:
        return [a["href"] for a in Html(source(hostile_site, url)).find("a")]

    assert "hostile/" in hrefs("projects/")
    assert "../plain/" in hrefs("projects/hostile/")
    assert "../hostile/" in hrefs("projects/plain/")
    # Links are parsed and written out again, with what may not stand in a URL encoded.
    assert "https://example.com/%22%3E%3Cscript%3Ealert(2)%3C/script%3E" in hrefs(
        "projects/hostile/"
    )


def test_markdown_inside_a_link_url_stays_in_the_url(hostile_site: Path) -> None:
    page = article(hostile_site, "projects/hostile/")
    links = [a for a in page.find("a") if a.get("href", "").startswith("https://x.example")]
    assert links == [{"href": FOCUS_HREF, "rel": "noopener"}]
    assert [a for _, attrs in page.tags for a in attrs if a in ("autofocus", "onfocus")] == []


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_links_of_hostile_pages_resolve(hostile_site: Path, url: str) -> None:
    assert list(broken_links(hostile_site, url)) == []


# --- titles from every plane of Unicode ---------------------------------------------------

# One character from each plane in use: front matter that cannot hold one is silently
# kept as page text by MkDocs, and the title line is then read as Markdown.
PLANE_TITLES = {
    "plane-0": "Счета и накладные Ж ✓",
    "plane-1": "Rocket launch 🚀 review",
    "plane-2": "Supplier 𠀀 matching",
    "plane-3": "Archive 𰀀 search",
    "plane-14": "Tagged \U000e0041 text",
    "plane-15": "Private \U000f0000 use",
    "plane-16": "Private \U00100000 use",
    "specials": 'Quotes " and \\ back\u2028slash \x85 line',
}


@pytest.fixture(scope="module")
def plane_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the site of records whose titles hold characters from every Unicode plane."""
    registry = tmp_path_factory.mktemp("planes") / "registry"
    (registry / "projects").mkdir(parents=True)
    for rid, title in PLANE_TITLES.items():
        text = _PLAIN.replace("id: plain", f"id: {rid}").replace("related: [hostile]\n", "")
        text = text.replace(
            "title: Plain neighbour", f"title: {json.dumps(title, ensure_ascii=False)}"
        )
        (registry / "projects" / f"{rid}.yaml").write_text(text, encoding="utf-8")
    project = make_project(registry.parent / "project", registry)
    [result] = run(portfolio_build(project))
    return _built(result, project / "site")


@pytest.mark.parametrize("rid", PLANE_TITLES)
def test_a_title_from_any_plane_is_the_page_title(plane_site: Path, rid: str) -> None:
    title = PLANE_TITLES[rid]
    text = source(plane_site, f"projects/{rid}/")
    [tab] = re.findall(r"<title>(.*?)</title>", text, re.DOTALL)
    assert squash(html.unescape(tab)).startswith(squash(title) + " - ")
    page = article(plane_site, f"projects/{rid}/")
    [h1] = re.findall(r"<h1[^>]*>(.*?)</h1>", text[text.index("<article") :], re.DOTALL)
    h1 = re.sub(r'<a class="headerlink".*?</a>', "", h1)
    assert squash(html.unescape(re.sub("<[^>]+>", "", h1))) == squash(title)
    assert "title:" not in page.text  # the front matter was read, not shown


# --- edit links follow MkDocs' edit_uri ---------------------------------------------------

EDIT_URIS = {
    "edit/main/site_theme/docs/": "https://git.example.com/veldhaven/ai-portfolio/edit/main/",
    "-/edit/trunk/site_theme/docs/": "https://git.example.com/veldhaven/ai-portfolio/-/edit/trunk/",
    "": None,  # MkDocs' own meaning: no edit links
}


def test_edit_links_follow_mkdocs_edit_uri(tmp_path: Path) -> None:
    projects = []
    for n, edit_uri in enumerate(EDIT_URIS):
        project = make_project(tmp_path / f"p{n}", DATA / "clean")
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^edit_uri: .*$", f'edit_uri: "{edit_uri}"', text)
        config.write_text(text, encoding="utf-8")
        projects.append(project)
    results = run(*(portfolio_build(p) for p in projects))
    record = sorted((DATA / "clean" / "projects").glob("*.yaml"))[0]
    for project, result, prefix in zip(projects, results, EDIT_URIS.values(), strict=True):
        site = _built(result, project / "site")
        page = article(site, f"projects/{record.stem}/")
        edit = [a["href"] for a in page.find("a") if "/edit/" in a.get("href", "")]
        assert edit == ([f"{prefix}registry/projects/{record.name}"] if prefix else [])


# --- nothing lost: broken files ----------------------------------------------------------

UNREADABLE = {"registry/projects/unclosed-bracket.yaml": "R001",
              "registry/projects/stage-prod.yaml": "R004"}  # fmt: skip


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """Return the exit code and site of a build with two valid and two broken files."""
    project = make_project(tmp_path_factory.mktemp("broken") / "project", DATA / "broken")
    [result] = run(portfolio_build(project))
    return result.returncode, _built(result, project / "site")


def test_a_broken_file_fails_the_build(broken: tuple[int, Path]) -> None:
    assert broken[0] == 1


@pytest.mark.parametrize("url", SECTIONS)
def test_the_site_is_still_written(broken: tuple[int, Path], url: str) -> None:
    assert article(broken[1], url).find("h1")


def test_valid_records_still_have_pages(broken: tuple[int, Path]) -> None:
    site = broken[1]
    assert sorted(p.name for p in (site / "projects").iterdir() if p.is_dir()) == [
        "invoice-matching",
        "route-planning",
    ]
    assert "Delivery route planning" in article(site, "projects/route-planning/").text


def test_problems_lists_unreadable_files_first(broken: tuple[int, Path]) -> None:
    text = article(broken[1], "problems/").text
    first_finding = text.index("S013")
    for file, code in UNREADABLE.items():
        assert text.index(file) < text.index(code, text.index(file)) < first_finding
    assert text.index("Records that could not be read") < text.index("Findings")


def test_the_overview_counts_unreadable_files(broken: tuple[int, Path]) -> None:
    assert "2 record files could not be read" in article(broken[1], "").text


def test_json_export_lists_unreadable_files(broken: tuple[int, Path]) -> None:
    doc = json.loads((broken[1] / "portfolio.json").read_text(encoding="utf-8"))
    unreadable = {u["file"]: [f["rule"] for f in u["findings"]] for u in doc["unreadable"]}
    assert unreadable == {file: [code] for file, code in UNREADABLE.items()}
    assert sorted(r["id"] for r in doc["records"]) == ["invoice-matching", "route-planning"]


def test_every_file_in_projects_is_published_or_listed(tmp_path: Path) -> None:
    """No file disappears: each is a record with a page, or named on /problems/."""
    registry = tmp_path / "registry"
    shutil.copytree(DATA / "broken", registry)
    projects = registry / "projects"
    (projects / "INVOICE.YAML").write_text(_PLAIN.replace("id: plain", "id: invoice"))
    (projects / "notes.txt").write_text("call the vendor\n", encoding="utf-8")
    (projects / "sub").mkdir()
    (projects / "sub" / "x.yaml").write_text(_PLAIN.replace("id: plain", "id: x"))
    forged = {
        "a\nb.yaml:1:1: R001 x.yaml": "a\ufffdb.yaml\ufffd1\ufffd1\ufffd R001 x.yaml",
        "<img src=x onerror=alert(1)>:.yaml": "<img src=x onerror=alert(1)>\ufffd.yaml",
    }
    for name in forged:
        (projects / name).write_text(_PLAIN.replace("id: plain", "id: forged"))
    [result] = run(portfolio_build(make_project(tmp_path / "project", registry)))
    site = _built(result, tmp_path / "project" / "site")
    problems = article(site, "problems/").text
    for path in sorted(projects.iterdir()):
        published = page_file(site, f"projects/{path.stem}/").is_file() and path.suffix == ".yaml"
        shown = forged.get(path.name, path.name)
        assert published or f"registry/projects/{shown}" in problems, path.name
    assert "R017" in problems and result.returncode == 1


def test_a_site_folder_that_is_a_link_is_never_emptied(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", DATA / "clean")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep me\n", encoding="utf-8")
    (project / "site").symlink_to(victim)
    plain_file = make_project(tmp_path / "file", DATA / "clean")
    (plain_file / "site").write_text("not a folder\n", encoding="utf-8")
    linked, file_result = run(portfolio_build(project), portfolio_build(plain_file))
    assert linked.returncode == 1 and "Traceback" not in linked.stderr
    assert "site is a symbolic link; refusing to write through it" in linked.stderr
    assert [p.name for p in victim.iterdir()] == ["keep.txt"]
    assert file_result.returncode == 1 and "Traceback" not in file_result.stderr
    assert "is a file; remove it or set another" in file_result.stderr


def test_an_unknown_related_id_is_named_not_linked(tmp_path: Path) -> None:
    """R012 is reported; the page names the id instead of linking to a page that is not."""
    registry = tmp_path / "registry"
    (registry / "projects").mkdir(parents=True)
    text = _PLAIN.replace("related: [hostile]", "related: [ghost]\nsupersedes: old-ghost")
    (registry / "projects" / "plain.yaml").write_text(text, encoding="utf-8")
    [result] = run(portfolio_build(make_project(tmp_path / "project", registry)))
    site = _built(result, tmp_path / "project" / "site")
    page = article(site, "projects/plain/")
    assert "ghost (no such initiative)" in page.text
    assert "old-ghost (no such initiative)" in page.text
    assert list(broken_links(site, "projects/plain/")) == []
    assert "R012" in article(site, "problems/").text


# --- reproducible output, strict mode ----------------------------------------------------


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    first = make_project(tmp_path / "first", EXAMPLE)
    second = make_project(tmp_path / "elsewhere" / "second", EXAMPLE)
    results = run(portfolio_build(first), portfolio_build(second))
    a, b = (tree(_built(r, p / "site")) for r, p in zip(results, (first, second), strict=True))
    assert sorted(a) == sorted(b)
    assert [path for path in sorted(a) if a[path] != b[path]] == []
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json"} <= set(a)


@pytest.fixture(scope="module")
def strict_runs(tmp_path_factory: pytest.TempPathFactory) -> list[subprocess.CompletedProcess[str]]:
    """Return the results of building a clean registry and a warning one, strict or not."""
    root = tmp_path_factory.mktemp("strict")
    return run(
        portfolio_build(make_project(root / "clean", DATA / "clean"), "--strict"),
        portfolio_build(make_project(root / "warning", DATA / "warning"), "--strict"),
        portfolio_build(make_project(root / "lenient", DATA / "warning")),
    )


def test_strict_fails_on_warnings_only(strict_runs: list[subprocess.CompletedProcess[str]]) -> None:
    codes = [r.returncode for r in strict_runs]
    assert codes == [0, 1, 0], [r.stdout + r.stderr for r in strict_runs]


def test_a_strict_failure_is_not_reported_as_ok(
    strict_runs: list[subprocess.CompletedProcess[str]],
) -> None:
    failed = strict_runs[1]
    assert failed.returncode == 1
    assert not failed.stdout.startswith("ok"), failed.stdout


def test_the_example_shows_value_next_to_cost(site: Path) -> None:
    # IT ticket triage delivers more than it costs; customs pre-fill now less (S018).
    for project, cost, value in (
        ("it-ticket-triage", "$790", "$7,300"),
        ("customs-doc-extraction", "$2,180", "$1,700"),
    ):
        page = source(site, f"projects/{project}/")
        assert f'<td data-money="cost">{cost.replace("$", "&#36;")}</td>' in page
        assert f'<td data-money="value">{value.replace("$", "&#36;")}</td>' in page
    overview = source(site, "")
    assert 'data-money="spend"' in overview and 'data-money="stopped"' in overview
