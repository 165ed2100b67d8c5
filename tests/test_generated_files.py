"""The generated files the plugin hands MkDocs: pages held compressed, read back unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from generator.publish.incremental import (
    Generated,
    GeneratedFile,
    GeneratedPage,
    add_generated,
)

PAGE = "# Routing access requests \u2192 Antwerp\n\n" + "| Gate | Passed |\n|---|---|\n" * 400


@pytest.fixture
def config(tmp_path: Path) -> MkDocsConfig:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Portfolio\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = "portfolio"  # as MkDocs sets it while on_files runs
    return config


def test_a_page_reads_back_its_markdown_while_holding_much_less(config: MkDocsConfig) -> None:
    page = GeneratedPage.of(config, "projects/x.md", PAGE)
    assert page.content_string == PAGE
    assert page.content_bytes == PAGE.encode("utf-8")
    held = page._content
    assert isinstance(held, bytes) and len(held) * 10 < len(PAGE)


def test_a_page_set_by_another_plugin_reads_back_what_it_set(config: MkDocsConfig) -> None:
    page = GeneratedPage.of(config, "projects/x.md", PAGE)
    page.content_string = "# Changed \u00e9\n"
    assert page.content_string == "# Changed \u00e9\n"
    page.content_bytes = b"# Bytes\n"
    assert page.content_string == "# Bytes\n"
    assert page.abs_src_path is None


def test_held_html_comes_back_once(config: MkDocsConfig) -> None:
    page = GeneratedPage.of(config, "projects/x.md", PAGE)
    html = "<h1>Routing \u2192 Antwerp</h1>" + "<tr><td>gate</td></tr>" * 500
    assert page.hold(html) == ""
    assert page.html is not None and len(page.html) * 10 < len(html)
    assert page.release() == html
    assert page.html is None
    assert page.release() == ""


def _generated() -> Iterator[tuple[str, str | bytes]]:
    yield "projects/b.md", PAGE
    yield "charts/b.svg", "<svg/>"
    yield "portfolio.json", b'{"records": []}'
    yield "index.md", "# Overview\n"


def test_generated_files_are_added_in_path_order_pages_compressed(config: MkDocsConfig) -> None:
    files = Files([])
    add_generated(files, config, _generated())
    assert [f.src_uri for f in files] == sorted(path for path, _ in _generated())
    kinds = {f.src_uri: type(f) for f in files}
    assert kinds["projects/b.md"] is GeneratedPage and kinds["index.md"] is GeneratedPage
    assert kinds["charts/b.svg"] is GeneratedFile and kinds["portfolio.json"] is GeneratedFile
    contents = {f.src_uri: f.content_bytes for f in files}
    assert contents == {
        path: c.encode("utf-8") if isinstance(c, str) else c for path, c in _generated()
    }


def test_under_serve_only_files_that_changed_are_marked(config: MkDocsConfig) -> None:
    generated = Generated()
    generated.add(Files([]), config, _generated())
    files = Files([])
    changed = dict(_generated())
    changed["index.md"] = "# Overview, edited\n"
    generated.add(files, config, iter(changed.items()))
    marked = {f.src_uri: f.is_modified() for f in files if isinstance(f, GeneratedFile)}
    assert marked == {
        "charts/b.svg": False,
        "index.md": True,
        "portfolio.json": False,
        "projects/b.md": False,
    }
