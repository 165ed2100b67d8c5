"""The Jinja environment that renders Markdown pages from plain data.

Record text is data, not markup. Every `{{ value }}` passes through
`finalize`, which turns ASCII punctuation into numeric character references:
the browser shows the literal text, while Markdown, HTML, MkDocs snippets and
admonitions see nothing they could interpret. Trusted fragments built by our
own code (links, chart images) are `Markup` and pass unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2
import jinja2.meta
from markupsafe import Markup

from ..core import urls
from ..core.fields import SLUG
from ..load.yamlsrc import quote

# Every character that Markdown, its extensions (attr_list, emoji, snippets,
# admonitions, tables) or HTML can act on. Plain `-`, `.` and `,` are safe
# inside a line and are left alone: escaping them doubled the Markdown work.
_ACTIVE = "\\`*_{}[]()#+!|<>&\"':~=^$"
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _ACTIVE}
# A value that starts a line could still open a list: "- x", "1. x".
_LIST_MARKER = re.compile(r"^(\d+)\.|^-")
_MARKER_STARTS = frozenset("-0123456789")


def _marker(match: re.Match[str]) -> str:
    return f"{match.group(1)}&#46;" if match.group(1) else "&#45;"


def md_text(value: object) -> Markup:
    """Return text that Markdown and HTML will both show literally."""
    return Markup(_line_start(" ".join(str(value).split()).translate(_ENTITIES)))


def _line_start(text: str) -> str:
    """Escape a list marker at the start of escaped text."""
    return _LIST_MARKER.sub(_marker, text, count=1) if text[:1] in _MARKER_STARTS else text


def code_spans(value: object) -> Markup:
    """Return escaped text with its `quoted` names as <code>, as our messages quote them.

    Each part is escaped like `md_text`; with an unmatched backtick (one inside a
    record's value) the whole text is shown literally instead.
    """
    parts = " ".join(str(value).split()).split("`")
    if len(parts) % 2 == 0:
        return Markup(_ISO_DATE.sub(_nowrap_date, md_text(value)))
    html = "".join(
        f"<code>{part.translate(_ENTITIES)}</code>" if i % 2 else part.translate(_ENTITIES)
        for i, part in enumerate(parts)
    )
    return Markup(_ISO_DATE.sub(_nowrap_date, _line_start(html)))


_ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")


def _nowrap_date(match: re.Match[str]) -> str:
    return f'<span class="pf-date">{match.group(0)}</span>'


def dated_text(value: object) -> object:
    """Return text escaped like `md_text`, its ISO dates in no-wrap spans; others unchanged."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(_ISO_DATE.sub(_nowrap_date, md_text(value)))


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, dt.date):
        # A date never wraps at its hyphens ("2026-" / "11-06"): see .pf-date in the CSS.
        return Markup('<span class="pf-date">{}</span>').format(value.isoformat())
    if isinstance(value, bool | int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    return md_text(value)


def yaml_str(value: object) -> Markup:
    """Return a value as a YAML double-quoted scalar for front matter (see `yamlsrc.quote`)."""
    return Markup(quote(value))


def file_path(value: object) -> Markup:
    """Return a file path as code that may wrap after a slash, never inside a name."""
    parts = str(value).split("/")
    names = [md_text(part + "/") for part in parts[:-1]] + [md_text(parts[-1])]
    spans = Markup("<wbr>").join(Markup("<span>{}</span>").format(name) for name in names)
    return Markup('<code class="pf-path">{}</code>').format(spans)


def _join(items: object, separator: str = "") -> Markup:
    """Join values, escaping each one (Jinja's own join would only HTML-escape)."""
    assert isinstance(items, list | tuple)
    return Markup(separator.translate(_ENTITIES)).join(md_text(i) for i in items)


_OUR_PATH = re.compile(r"[a-z0-9._-]+(/[a-z0-9._-]+)*")


def _our_path(path: str) -> list[str]:
    """Return the parts of one of our own site paths; refuse anything else."""
    parts = path.split("/")
    if not _OUR_PATH.fullmatch(path) or ".." in parts:
        raise ValueError(f"refusing to link to {path!r}")
    return [part for part in parts if part != "."]


def _relative(target: list[str], base: list[str]) -> str:
    """Return the relative path from folder `base` to `target` (parts of our own paths)."""
    common = 0
    while common < min(len(target), len(base)) and target[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:]) or "."


def _url_dir(page: list[str]) -> list[str]:
    """Return the folder a page is served from with directory URLs ("x/y.md" -> "x/y")."""
    stem = [*page[:-1], page[-1].removesuffix(".md")]
    return stem[:-1] if stem[-1] == "index" else stem


def site_url(from_page: str, to_page: str) -> Markup:
    """Return the relative URL of a page as served, for links in raw HTML blocks.

    MkDocs rewrites `.md` links only where Markdown parses them; in the raw HTML blocks
    (which Markdown never re-parses) a link must already be the page's directory URL.
    """
    rel = _relative(_url_dir(_our_path(to_page)), _url_dir(_our_path(from_page)))
    return Markup("./" if rel == "." else rel + "/")


def file_url(from_page: str, path: str) -> Markup:
    """Return the relative URL of a generated file (a chart, an export) from a page as
    served, for raw HTML blocks (see `site_url`)."""
    return Markup(_relative(_our_path(path), _url_dir(_our_path(from_page))))


def ext_link(url: str, text: object) -> Markup:
    """Return an HTML link to an outside URL (well-formed http, https or mailto only).

    The URL is re-serialised (`urls.safe`) and then written with every character that
    Markdown or HTML could act on as a numeric reference, which the browser turns back
    into the same URL: nothing in the attribute can end it or form a Markdown link.
    """
    href = urls.safe(url)
    if href is None:
        return md_text(text)
    return Markup('<a href="{}" rel="noopener">{}</a>').format(
        Markup(href.translate(_ENTITIES)), md_text(text)
    )


def project_page(project_id: str) -> str:
    """Return the source path of a record's page."""
    if not SLUG.match(project_id):
        raise ValueError(f"not a slug: {project_id!r}")
    return f"projects/{project_id}.md"


def _pct(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}%}"


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _usd(value: float | None) -> str:
    if value is None:
        return "–"
    return f"${value:,.0f}" if value >= 100 else f"${value:,.4g}"


def environment(templates: Path) -> jinja2.Environment:
    """Return the environment for the page templates in `templates`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        # `finalize` escapes every value for Markdown and returns Markup, so
        # autoescaping leaves it alone, while macros and links stay Markup.
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        pct=_pct,
        num=_num,
        usd=_usd,
        text=md_text,
        join=_join,
        code=code_spans,
        dates=dated_text,
        path=file_path,
        yaml_str=yaml_str,
    )
    env.globals.update(
        project_page=project_page,
        ext_link=ext_link,
        site_url=site_url,
        file_url=file_url,
    )
    return env


def reads(env: jinja2.Environment, name: str) -> frozenset[str]:
    """Return the variables a template reads from its context, with those of every template
    it includes or imports (macros imported with context read it too)."""
    assert env.loader is not None
    found: set[str] = set()
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        tree = env.parse(env.loader.get_source(env, current)[0])
        found |= jinja2.meta.find_undeclared_variables(tree)
        todo += [t for t in jinja2.meta.find_referenced_templates(tree) if t is not None]
    return frozenset(found)


def render(env: jinja2.Environment, name: str, **data: object) -> str:
    """Render one template to Markdown."""
    return env.get_template(name).render(**data)
