"""The build invariants of tests/invariants.py catch what they promise to catch."""

from __future__ import annotations

from pathlib import Path

import pytest
from invariants import assert_inert, built_site

GOOD_PAGE = (
    '<html><head><script>__md_scope=new URL("..",location)</script>'
    '<script id="__config" type="application/json">{"base": ".."}</script></head>'
    '<body><a href="https://example.com/x">x</a><a href="mailto:a@example.com">m</a>'
    '<a href="../projects/">p</a><img src="chart.svg" alt="">'
    '<script src="assets/app.js"></script></body></html>'
)


def _site(tmp_path: Path, page: str) -> tuple[Path, Path]:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True, exist_ok=True)
    (site / "assets" / "app.js").write_text("", encoding="utf-8")
    path = site / "index.html"
    path.write_text(page, encoding="utf-8")
    return site, path


def test_a_theme_page_is_inert(tmp_path: Path) -> None:
    site, path = _site(tmp_path, GOOD_PAGE)
    assert_inert(GOOD_PAGE, path, site)


@pytest.mark.parametrize(
    "html",
    [
        '<a href="x" onfocus="alert(1)" autofocus>x</a>',
        '<svg><g ONLOAD="alert(1)"></g></svg>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href=" JavaScript:alert(1)">x</a>',
        '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
        '<img srcset="ok.png 1x, javascript:alert(1) 2x">',
        '<form action="vbscript:x"></form>',
        "<script>alert(document.cookie)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<script src="../../../etc/passwd"></script>',
        '<script type="application/json">{"a": "</script><b>"}</script>',
    ],
)
def test_contributor_script_is_caught(tmp_path: Path, html: str) -> None:
    page = GOOD_PAGE.replace("</body>", html + "</body>")
    site, path = _site(tmp_path, page)
    with pytest.raises(AssertionError):
        assert_inert(page, path, site)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "registry" / "projects").mkdir(parents=True)
    return project


def _publish(project: Path, problems: str = "") -> None:
    site, _ = _site(project, GOOD_PAGE)
    (site / "problems").mkdir(exist_ok=True)
    (site / "problems" / "index.html").write_text(f"<p>{problems}</p>", encoding="utf-8")


def test_a_write_outside_the_site_is_caught(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with pytest.raises(AssertionError, match="wrote outside the site"), built_site(project):
        _publish(project)
        (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")


def test_the_chart_cache_may_be_written(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with built_site(project):
        _publish(project)
        (project / ".cache" / "portfolio").mkdir(parents=True)
        (project / ".cache" / "portfolio" / "a.svg").write_text("<svg/>", encoding="utf-8")


def test_a_linked_site_is_caught(tmp_path: Path) -> None:
    project = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    with pytest.raises(AssertionError, match="symbolic link"), built_site(project):
        _publish(elsewhere)
        (project / "site").symlink_to(elsewhere / "site")


def test_a_file_neither_published_nor_listed_is_caught(tmp_path: Path) -> None:
    project = _project(tmp_path)
    note = project / "registry" / "projects" / "notes.txt"
    note.write_text("x", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"notes\.txt"), built_site(project):
        _publish(project)
    with built_site(project):  # the same file, listed on /problems/
        _publish(project, problems="registry/projects/notes.txt R017")
