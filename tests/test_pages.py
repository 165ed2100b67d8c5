"""Escaping and linking helpers of the page templates (generator.site.pages)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from hostile import HOSTILE as SHARED
from markupsafe import Markup

from generator.site.pages import (
    code_spans,
    environment,
    ext_link,
    file_path,
    file_url,
    md_text,
    site_url,
)

Render = Callable[..., str]

# The shared hostile strings, and more that only the escaping unit tests need.
HOSTILE = [
    *SHARED,
    "_under_ ~strike~ ^sup^ ==mark== # heading",
    "1. not a list",
    "- not a list",
    "<!-- comment -->",
    "\\*escaped\\*",
    "{: .attr }",
    "$x$ 100% @user; a/b?c=d",
]
_ENTITY = re.compile(r"&#\d+;")
# Every ASCII character that has a meaning in Markdown, HTML or the extensions in use
# anywhere in a line. `-` and `.` only matter where a value starts a line (list markers),
# which test_md_text_escapes_a_leading_list_marker covers.
_ACTIVE = set("\\`*_{}[]()#+!|<>&\"':~=^$")


def _bare(text: str) -> str:
    """Return `text` without its numeric character references."""
    return _ENTITY.sub("", text)


@pytest.mark.parametrize("value", HOSTILE)
def test_md_text_leaves_no_active_character(value: str) -> None:
    out = md_text(value)
    assert isinstance(out, Markup)
    assert not _ACTIVE & set(_bare(out)), out
    assert html.unescape(out) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [("- item", "&#45; item"), ("12. item", "12&#46; item"), ("a - b. c", "a - b. c")],
)
def test_md_text_escapes_a_leading_list_marker(value: str, expected: str) -> None:
    assert md_text(value) == expected


def test_code_spans_show_quoted_names_as_code() -> None:
    assert code_spans("no `sla-draft` check recorded") == "no <code>sla-draft</code> check recorded"
    assert code_spans("list it in `related` or `supersedes`") == (
        "list it in <code>related</code> or <code>supersedes</code>"
    )
    assert code_spans("- `x`  and\n y") == "&#45; <code>x</code> and y"


def test_code_spans_with_an_unmatched_backtick_show_it_literally() -> None:
    assert code_spans("say `hi") == md_text("say `hi") == "say &#96;hi"


@pytest.mark.parametrize("value", HOSTILE)
def test_code_spans_escape_every_part(value: str) -> None:
    out = code_spans(f"`{value}` in {value}")
    bare = out.replace("<code>", "").replace("</code>", "")
    assert not _ACTIVE & set(_bare(bare)), out
    if value.count("`") % 2:  # then one backtick is unmatched: all of it is literal
        assert html.unescape(out) == " ".join(f"`{value}` in {value}".split())
    else:
        assert html.unescape(bare) == " ".join(f"{value} in {value}".replace("`", "").split())


def test_file_path_wraps_only_after_a_slash() -> None:
    assert file_path("registry/projects/a-b.yaml") == (
        '<code class="pf-path"><span>registry/</span><wbr><span>projects/</span><wbr>'
        "<span>a-b.yaml</span></code>"
    )


@pytest.mark.parametrize("value", HOSTILE)
def test_file_path_escapes_names(value: str) -> None:
    out = file_path(f"registry/{value}.yaml")
    bare = re.sub(r"</?(code|span|wbr)( class=\"pf-path\")?>", "", out)
    assert not _ACTIVE & set(_bare(bare)), out
    assert html.unescape(bare) == " ".join(f"registry/{value}.yaml".split())


def test_md_text_collapses_whitespace() -> None:
    assert md_text("  two\n\n  lines\tand\r\ntabs  ") == "two lines and tabs"
    assert md_text("\n") == ""


def test_md_text_stringifies_values() -> None:
    assert md_text(12) == "12"
    assert md_text(None) == "None"


@pytest.fixture
def render(tmp_path: Path) -> Render:
    """Return `render(source, **data)`: one template rendered through `environment()`."""
    env = environment(tmp_path)

    def run(source: str, **data: object) -> str:
        (tmp_path / "t.md.j2").write_text(source, encoding="utf-8")
        return env.get_template("t.md.j2").render(**data)

    return run


@pytest.mark.parametrize("value", HOSTILE)
def test_values_are_escaped(render: Render, value: str) -> None:
    out = render("before {{ value }} after", value=value)
    assert out.startswith("before ") and out.endswith(" after")
    assert not _ACTIVE & set(_bare(out[7:-6]))
    assert html.unescape(out) == f"before {value} after"


def test_plain_values_are_formatted(render: Render) -> None:
    out = render(
        "{{ nothing }}|{{ day }}|{{ n }}|{{ x }}|{{ yes }}",
        nothing=None,
        day=dt.date(2026, 11, 25),
        n=-3,
        x=0.125,
        yes=True,
    )
    assert out == '|<span class="pf-date">2026-11-25</span>|-3|0.125|True'


def test_undefined_values_fail(render: Render) -> None:
    with pytest.raises(jinja2.UndefinedError):
        render("{{ missing }}")


def test_macro_output_stays_markup(render: Render) -> None:
    source = '{% macro badge(v) %}<span class="b">{{ v }}</span>{% endmacro %}{{ badge(value) }}'
    out = render(source, value="<b>x</b>")
    assert out.startswith('<span class="b">') and out.endswith("</span>")
    assert "<b>" not in out
    assert html.unescape(out) == '<span class="b"><b>x</b></span>'


def test_site_url_is_not_escaped(render: Render) -> None:
    out = render('{{ site_url("projects/a.md", "graveyard.md") }}')
    assert out == "../../graveyard/"


def test_project_page_link(render: Render) -> None:
    out = render('<a href="{{ site_url(page, project_page("it-ticket-triage")) }}">{{ title }}</a>',
                 title="Tickets [1]", page="graveyard.md")  # fmt: skip
    assert out == '<a href="../projects/it-ticket-triage/">Tickets &#91;1&#93;</a>'


@pytest.mark.parametrize(
    ("from_page", "path", "url"),
    [
        ("projects/a.md", "charts/projects/a.svg", "../../charts/projects/a.svg"),
        ("index.md", "charts/funnel.svg", "charts/funnel.svg"),
        ("graveyard.md", "charts/deaths.svg", "../charts/deaths.svg"),
        ("projects/index.md", "portfolio.json", "../portfolio.json"),
    ],
)
def test_file_url_is_relative_to_the_served_page(from_page: str, path: str, url: str) -> None:
    assert file_url(from_page, path) == url


@pytest.mark.parametrize("path", ["../etc/passwd", "/charts/a.svg", "charts/a b.svg"])
def test_file_url_refuses_odd_paths(path: str) -> None:
    with pytest.raises(ValueError, match="refusing"):
        file_url("index.md", path)


@pytest.mark.parametrize("separator", [", ", "; ", " | ", "", " "])
def test_join_escapes_each_item(render: Render, separator: str) -> None:
    items = ["a*b", "<c>", "[d](e)"]
    out = render("{{ items|join(sep) }}", items=items, sep=separator)
    assert html.unescape(out) == separator.join(items)
    assert "*" not in out and "<" not in out and "[" not in out


def test_join_keeps_the_space_after_a_comma(render: Render) -> None:
    out = render('{{ names|join(", ") }}', names=["Margit Aalders", "Lotte Kramer"])
    assert html.unescape(out) == "Margit Aalders, Lotte Kramer"


def test_text_filter_escapes_markup(render: Render) -> None:
    out = render("{{ value|text }}", value=Markup("<b>x</b>"))
    assert html.unescape(out) == "<b>x</b>"
    assert "<" not in out


@pytest.mark.parametrize(
    ("from_page", "to_page", "link"),
    [
        ("index.md", "projects/a.md", "projects/a/"),
        ("projects/a.md", "projects/b.md", "../b/"),
        ("projects/a.md", "projects/a.md", "./"),
        ("projects/index.md", "projects/a.md", "a/"),
        ("projects/a.md", "projects/index.md", "../"),
        ("projects/a.md", "index.md", "../../"),
        ("graveyard.md", "policy.md", "../policy/"),
        ("index.md", "index.md", "./"),
    ],
)
def test_site_url_is_relative_to_the_served_page(from_page: str, to_page: str, link: str) -> None:
    assert site_url(from_page, to_page) == link
    assert isinstance(site_url(from_page, to_page), Markup)


@pytest.mark.parametrize(
    "to_page",
    [
        "",
        "javascript:alert(1)",
        "https://evil.example/x.md",
        "Projects/A.md",
        "a b.md",
        "a.md#x",
        "a.md?x=1",
        'a.md"onclick="x',
        "a.md\n",
        "projekt/ä.md",
        "/etc/passwd",
        "../outside.md",
        "projects/../../x.md",
    ],
)
def test_links_refuse_odd_paths(to_page: str) -> None:
    for link in (site_url, file_url):
        with pytest.raises(ValueError, match="refusing"):
            link("index.md", to_page)
        with pytest.raises(ValueError, match="refusing"):
            link(to_page, "index.md")


class _Anchors(HTMLParser):
    """Collect the attributes of every <a> tag."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[dict[str, str | None]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.anchors.append(dict(attrs))


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "ftp://example.com/",
        "",
    ],
)
def test_ext_link_refuses_unsafe_schemes(url: str) -> None:
    out = ext_link(url, "Edit [me]")
    assert "<a" not in out and "href" not in out
    assert html.unescape(out) == "Edit [me]"


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://wiki.example.com/a?b=1&c=2", "https://wiki.example.com/a?b=1&c=2"),
        ("HTTP://example.com/", "http://example.com/"),
        ("mailto:ana@example.com", "mailto:ana@example.com"),
        (
            'https://x.example/"onmouseover="alert(1)',
            "https://x.example/%22onmouseover=%22alert(1)",
        ),
        ("https://x.example/<script>", "https://x.example/%3Cscript%3E"),
        ("https://x.example/[a](b)_c_*d*", "https://x.example/%5Ba%5D(b)_c_*d*"),
    ],
)
def test_ext_link_links_safe_urls(url: str, href: str) -> None:
    out = ext_link(url, "<b>docs</b>")
    anchors = _Anchors(out).anchors
    assert anchors == [{"href": href, "rel": "noopener"}]
    # Nothing Markdown could act on is left in the attribute as written.
    assert not re.search(r"[\[\]()_*`<>]", out.split('"')[1])
    assert "<b>" not in out and "<script>" not in out
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == "<b>docs</b>"
