"""`portfolio build --engine`: the example registry built with MkDocs and with ProperDocs.

Both builds run as a user runs them, in copies of the example project; each must hold
every record's page, the search index and the exports, and ProperDocs (which builds
the written docs tree, without our plugin) must produce the same pages as MkDocs.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_serve import free_port
from test_site import AS_OF, BIN, RECORDS, REPO, _env, make_project, run

from generator.publish.engines import engine_config

ENGINES = ("mkdocs", "properdocs")
GENERATOR_META = re.compile(r'<meta name="generator" content="[^"]*">')
FINAL = re.compile(
    r"^site: (\d+) pages in site/; preview: python3 -m http\.server -d site "
    r"\(http://127\.0\.0\.1:8000/\) or portfolio serve$"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Build the example project once per engine; return engine -> (project, stdout)."""
    root = tmp_path_factory.mktemp("engines")
    projects = {e: make_project(root / e, REPO / "registry") for e in ENGINES}
    commands = [
        ([str(BIN / "portfolio"), "build", "--as-of", AS_OF, "--engine", e], projects[e])
        for e in ENGINES
    ]
    results = run(*commands)
    out = {}
    for engine, result in zip(ENGINES, results, strict=True):
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        out[engine] = (projects[engine], result.stdout)
    return out


def pages(site: Path) -> list[str]:
    """Return the URL of every page of a built site."""
    return sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))


@pytest.mark.parametrize("engine", ENGINES)
def test_every_record_has_its_page(built: dict[str, tuple[Path, str]], engine: str) -> None:
    project, _ = built[engine]
    site = project / "site"
    for rid, record in RECORDS.items():
        page = (site / "projects" / rid / "index.html").read_text(encoding="utf-8")
        assert html.escape(record["title"], quote=False) in page, (engine, rid)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_search_index_holds_every_page_and_record(
    built: dict[str, tuple[Path, str]], engine: str
) -> None:
    project, _ = built[engine]
    site = project / "site"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {f"projects/{rid}/" for rid in RECORDS} <= locations
    assert {"", "graveyard/", "learnings/", "problems/"} <= locations
    for record in RECORDS.values():  # every learning is found by the search
        for item in record.get("learnings") or []:
            words = " ".join((item if isinstance(item, str) else item["text"]).split()[:4])
            assert any(words in html.unescape(doc["text"]) for doc in index["docs"]), words


@pytest.mark.parametrize("engine", ENGINES)
def test_the_exports_are_there(built: dict[str, tuple[Path, str]], engine: str) -> None:
    project, _ = built[engine]
    site = project / "site"
    data = json.loads((site / "portfolio.json").read_text(encoding="utf-8"))
    assert data == json.loads((built["mkdocs"][0] / "site" / "portfolio.json").read_text())
    with (site / "portfolio.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["id"] for row in rows) == sorted(RECORDS)


@pytest.mark.parametrize("engine", ENGINES)
def test_build_ends_with_the_site_folder_the_page_count_and_a_preview(
    built: dict[str, tuple[Path, str]], engine: str
) -> None:
    project, stdout = built[engine]
    last = stdout.splitlines()[-1]
    found = FINAL.match(last)
    assert found, last
    assert int(found[1]) == len(pages(project / "site")) == len(RECORDS) + 9


def test_properdocs_builds_the_same_pages_as_mkdocs(built: dict[str, tuple[Path, str]]) -> None:
    mkdocs_site = built["mkdocs"][0] / "site"
    properdocs_site = built["properdocs"][0] / "site"
    assert pages(mkdocs_site) == pages(properdocs_site)
    for url in pages(mkdocs_site):
        ours, theirs = (
            GENERATOR_META.sub("", (s / url / "index.html").read_text(encoding="utf-8"))
            for s in (mkdocs_site, properdocs_site)
        )
        assert ours == theirs, url
    charts = sorted(p.name for p in (mkdocs_site / "charts").rglob("*.svg"))
    assert charts and charts == sorted(p.name for p in (properdocs_site / "charts").rglob("*.svg"))


def test_the_docs_tree_is_complete(built: dict[str, tuple[Path, str]]) -> None:
    project, _ = built["properdocs"]
    tree = project / ".portfolio-build" / "docs"
    assert (tree / "assets" / "portfolio.css").is_file()  # the project's docs folder
    assert (tree / "index.md").is_file() and (tree / "portfolio.json").is_file()
    assert sorted(p.stem for p in (tree / "projects").glob("*.md")) == sorted([*RECORDS, "index"])
    svgs = {p.relative_to(tree).as_posix() for p in tree.rglob("*.svg")}
    built_svgs = {
        p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*.svg")
    }
    assert svgs and svgs <= built_svgs


def test_the_engine_configuration_inherits_the_project_without_the_plugin(
    tmp_path: Path,
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: X\ntheme: {name: material, custom_dir: theme/overrides}\n"
        "plugins:\n  - search\n  - portfolio: {registry: registry}\n  - tags: {}\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    derived = engine_config(config, tmp_path / "tree", tmp_path / "out")
    assert derived == {
        "INHERIT": str(config),
        "docs_dir": str(tmp_path / "tree"),
        "site_dir": str(tmp_path / "out"),
        "plugins": ["search", {"tags": {}}],
        "edit_uri": "",
        "theme": {"custom_dir": str(tmp_path / "theme" / "overrides")},
    }


@pytest.mark.skipif(shutil.which("zensical") is not None, reason="zensical is installed")
def test_a_missing_engine_says_how_to_install_it(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", REPO / "registry")
    env = {**_env(), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [str(BIN / "portfolio"), "build", "--engine", "zensical"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert (
        done.stderr == "Error: zensical is not installed; install it with: pip install zensical\n"
    )
    assert not (project / "site").exists()


def test_serve_prints_its_url(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", REPO / "registry")
    address = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [str(BIN / "portfolio"), "serve", "-a", address],
        cwd=project,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert first == f"serving the site at http://{address}/ (Ctrl+C stops)\n"


def test_an_engine_refuses_a_site_folder_that_is_a_link(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", REPO / "registry")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    (project / "site").symlink_to(elsewhere)
    done = subprocess.run(
        [str(BIN / "portfolio"), "build", "--engine", "properdocs"],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Error: portfolio: site_dir: "), done.stderr
    assert (elsewhere / "keep.txt").read_text() == "mine"
    assert not (project / ".portfolio-build").exists()
