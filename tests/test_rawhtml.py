"""The raw-block extension: the same HTML as Markdown alone, without parsing our tables
and divs."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hostile import HOSTILE
from mkdocs.config import load_config

from generator.check.run import run_checks
from generator.publish.rawhtml import RawTables, RawTablesExtension
from generator.site.build import SiteSettings, build_site_files
from generator.site.pages import md_text

REPO = Path(__file__).resolve().parent.parent
TABLE = "<table>\n<tr><td>a</td><td>b</td></tr>\n</table>"


def converters() -> tuple[markdown.Markdown, markdown.Markdown]:
    """Return Markdown with the site's extensions, without and with ours."""
    config = load_config(str(REPO / "mkdocs.yml"))
    names, options = config.markdown_extensions, config.mdx_configs
    plain = markdown.Markdown(extensions=names, extension_configs=options)
    ours = markdown.Markdown(extensions=[*names, RawTablesExtension()], extension_configs=options)
    return plain, ours


CASES = {
    "plain table": f"Intro.\n\n{TABLE}\n\nAfter.\n",
    "table first and last": f"{TABLE}\n",
    "attributes": '<table id="pf-projects" class="x">\n<tr><td>1</td></tr>\n</table>\n\nEnd.\n',
    "two tables": f"{TABLE}\n\n## Heading\n\n{TABLE}\n",
    "no blank line before": f"Para\n{TABLE}\n\nAfter.\n",
    "no blank line after": f"{TABLE}\nAfter.\n",
    "markdown attribute": '<table markdown="1">\n<tr><td>*a*</td></tr>\n</table>\n',
    "nested table": "<table>\n<tr><td>\n<table><tr><td>x</td></tr></table>\n</td></tr>\n</table>\n",
    "never closed": "<table>\n<tr><td>a</td></tr>\n\nText *here*.\n",
    "inside a list": f"- item\n\n    {TABLE.replace(chr(10), chr(10) + '    ')}\n",
    "inside an admonition": f'!!! note "N"\n\n    {TABLE.replace(chr(10), chr(10) + "    ")}\n',
    "in a fenced block": f"```html\n{TABLE}\n```\n",
    "not a table": "<tablet>\n</tablet>\n\n<divan>\n</divan>\n",
    "plain div": '<div class="admonition warning">\n<p class="admonition-title">2</p>\n<ul>\n'
    "<li>a &#60;b&#62;</li>\n</ul>\n</div>\n\nAfter.\n",
    "nested div": "<div>\n<div>x</div>\n</div>\n\n*After*.\n",
    "div closing a table's name": "<div>\n</table>\n</div>\n",
    "paragraph": "<p>One <strong>line</strong>.</p>\n\n<p>Two\nlines.</p>\n\n*After*.\n",
    "text after the closing tag": "<p>a</p> *tail*\n\nAfter.\n",
    "list, quote, figure, details": "<ul>\n<li>a</li>\n</ul>\n\n<blockquote>\n<p>q</p>\n"
    '</blockquote>\n\n<figure>\n<img alt="x" src="x.svg" />\n</figure>\n\n'
    '<details class="info">\n<summary>S</summary>\n<table>\n<tr><td>1</td></tr>\n</table>\n'
    "</details>\n",
    "nested list": "<ul>\n<li>a<ul><li>b</li></ul></li>\n</ul>\n\nAfter.\n",
    "unbalanced": "<div>\n<div>\n</div>\n\nText *here*.\n",
    "a tag's prefix": "<p>x <pre>y</pre> <param> z</p>\n",
    "entities in cells": "<table>\n<tr><td>&#60;script&#62; &#124; a &#124;</td></tr>\n</table>\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_html_is_identical_to_markdown_alone(text: str) -> None:
    plain, ours = converters()
    assert ours.convert(text) == plain.convert(text)


@pytest.mark.parametrize("site_extensions", [True, False], ids=["mkdocs.yml", "bare Markdown"])
def test_generated_pages_are_identical(site_extensions: bool) -> None:
    """Every page built from the example registry converts to the same HTML, with the
    site's extensions (md_in_html among them) and with Python-Markdown's defaults."""
    report = run_checks(REPO / "registry", None)
    files = build_site_files(report, SiteSettings(REPO / "site_theme" / "templates"))
    pages = {path: text for path, text in files.items() if path.endswith(".md")}
    assert len(pages) > 20
    if site_extensions:
        plain, ours = converters()
    else:
        plain, ours = markdown.Markdown(), markdown.Markdown(extensions=[RawTablesExtension()])
    for path, text in pages.items():
        assert isinstance(text, str)
        assert ours.reset().convert(text) == plain.reset().convert(text), path


def stash(lines: list[str]) -> tuple[list[str], list[str]]:
    """Run the preprocessor alone; return its lines and what it stashed."""
    md = markdown.Markdown()
    out = RawTables(md).run(lines)
    return out, [str(block) for block in md.htmlStash.rawHtmlBlocks]


def test_a_plain_div_becomes_one_placeholder() -> None:
    lines = CASES["plain div"].split("\n")
    out, stashed = stash(lines)
    assert stashed == ["\n".join(lines[:6]) + "\n"]
    assert out == [markdown.util.HTML_PLACEHOLDER % 0, *lines[6:]]


@pytest.mark.parametrize("key", ["nested div", "nested table", "nested list"])
def test_a_nested_block_becomes_one_placeholder(key: str) -> None:
    lines = CASES[key].split("\n")
    out, stashed = stash(lines)
    end = lines.index("")  # the first blank line ends the block
    assert stashed == ["\n".join(lines[:end]) + "\n"]
    assert out == [markdown.util.HTML_PLACEHOLDER % 0, *lines[end:]]


def test_a_plain_table_becomes_one_placeholder() -> None:
    lines = ["Intro.", "", *TABLE.split("\n"), "", "After."]
    out, stashed = stash(lines)
    assert stashed == [TABLE + "\n"]
    assert out == ["Intro.", "", markdown.util.HTML_PLACEHOLDER % 0, "", "After."]


@pytest.mark.parametrize(
    "key", ["no blank line before", "no blank line after", "markdown attribute", "never closed",
            "inside a list", "not a table", "text after the closing tag", "unbalanced"],
)  # fmt: skip
def test_other_html_is_left_to_markdown(key: str) -> None:
    lines = CASES[key].split("\n")
    out, stashed = stash(lines)
    assert (out, stashed) == (lines, [])


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_cell_text_stays_inside_its_table(text: str) -> None:
    """Escaped record text cannot close the block early or open a new one."""
    block = f"<table>\n<tr><td>{md_text(text)}</td></tr>\n</table>"
    _, stashed = stash(["", *block.split("\n"), "", "After."])
    assert stashed == [block + "\n"]
    plain, ours = converters()
    assert ours.convert(block) == plain.convert(block)


def test_the_plugin_adds_the_extension_to_every_build() -> None:
    config = load_config(str(REPO / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    added = [e for e in config.markdown_extensions if isinstance(e, RawTablesExtension)]
    assert len(added) == 1


def test_generated_pages_leave_only_headings_to_markdown() -> None:
    """Every line of every generated page is a raw block but the headings (and the front
    matter): a template line that slips back into Markdown is parsed on every page again."""
    report = run_checks(REPO / "registry", None)
    files = build_site_files(report, SiteSettings(REPO / "site_theme" / "templates"))
    pages = {path: text for path, text in files.items() if path.endswith(".md")}
    left: dict[str, list[str]] = {}
    for path, text in pages.items():
        assert isinstance(text, str)
        body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
        out = RawTables(markdown.Markdown()).run(body.split("\n"))
        rest = [line for line in out if line.strip() and not line.startswith(("\x02", "#"))]
        if rest:
            left[path] = rest
    assert left == {}
