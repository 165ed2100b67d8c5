"""Generated pages' HTML and search entries, kept by content between builds.

Every MkDocs build converts each page's Markdown to HTML, and Material's search plugin
then parses each page's HTML into search entries. For a generated page both are a pure
function of what goes in: its Markdown and front matter, its URL, the Markdown
configuration, the set of pages (which links resolve) and the versions of the code that
converts and indexes. `PageCache` keeps both results under a hash of exactly that, in
`.cache/portfolio/pages/` beside mkdocs.yml, so a rebuild after one record changed
converts and indexes only the pages whose inputs changed; the site is byte for byte the
one a cold build writes (tested).

Only generated pages are kept: a hand-written page may include other files (snippets),
which its Markdown does not show. The plugin calls `markdown` last among the
`on_page_markdown` handlers, `content` first among the `on_page_content` ones (so other
plugins see the same HTML either way), and `index` wraps the search plugin's indexing.
A build outside `serve` removes the entries it did not use, so the folder holds one
build's pages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

from ..site.charts.store import write_atomic

# The code that turns a page into HTML and search entries: a new version draws again.
CODE = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "ai-portfolio-registry")
OURS = ("rawhtml.py", "pagecache.py")  # and ours, which a development install does not version


def describe(value: object) -> object:
    """Return a plain, stable description of a configuration value (no memory addresses)."""
    if isinstance(value, Mapping):
        return {str(k): describe(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple | set | frozenset):
        items = [describe(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    kind = value if callable(value) and hasattr(value, "__qualname__") else type(value)
    return f"{getattr(kind, '__module__', '?')}.{getattr(kind, '__qualname__', repr(kind))}"


def _versions() -> list[str]:
    found = []
    for name in CODE:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    for module in OURS:
        source = (Path(__file__).parent / module).read_bytes()
        found.append(f"{module} {hashlib.sha256(source).hexdigest()}")
    return found


def _toc(items: Iterable[AnchorLink]) -> list[dict[str, Any]]:
    """Return a page's table of contents as the tokens MkDocs builds it from."""
    return [
        {"level": i.level, "id": i.id, "name": i.title, "children": _toc(i.children)} for i in items
    ]


class PageCache:
    """The folder of converted pages and search entries, and what this build used of it."""

    def __init__(self, folder: Path, setting: object, sources: Iterable[str]) -> None:
        """Open the folder; `setting` describes the Markdown and search configuration,
        `sources` are every page and file of the build (which links can resolve)."""
        self.folder = folder
        salt = json.dumps([_versions(), describe(setting), sorted(sources)], ensure_ascii=False)
        self.salt = hashlib.sha256(salt.encode()).digest()
        self.used: set[str] = set()
        self._pending: dict[str, tuple[str, str]] = {}  # page -> (key, its own Markdown)
        self._hits: dict[str, tuple[dict[str, Any], str]] = {}  # page -> (doc, Markdown)
        self._kept: set[str] = set()  # the pages whose HTML was kept
        self.hits = 0

    def _key(self, kind: str, *parts: str) -> str:
        digest = hashlib.sha256(self.salt + kind.encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _read(self, key: str) -> Any:
        self.used.add(key)
        try:
            return json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def _write(self, key: str, doc: object) -> None:
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        write_atomic(self.folder / f"{key}.json", text)

    def markdown(self, markdown: str, page: Page) -> str:
        """Return the Markdown to convert: none if the page's HTML is kept (see `content`)."""
        if "title" not in page.meta:  # MkDocs would take the title from the converted HTML
            return markdown
        meta = json.dumps(describe(page.meta), ensure_ascii=False)
        key = self._key("html", page.file.src_uri, page.url, meta, markdown)
        doc = self._read(key)
        if isinstance(doc, dict):
            self._hits[page.file.src_uri] = (doc, markdown)
            return ""
        self._pending[page.file.src_uri] = (key, markdown)
        return markdown

    def content(self, html: str, page: Page) -> str:
        """Return the page's HTML: the kept one (restoring its contents and anchors), or the
        one just converted, which is kept for the next build."""
        src = page.file.src_uri
        if src in self._hits:
            doc, page.markdown = self._hits.pop(src)
            page.toc = get_toc(doc["toc"])
            page.present_anchor_ids = set(doc["anchors"])
            self.hits += 1
            self._kept.add(src)
            return str(doc["html"])
        if src in self._pending:
            key, _ = self._pending.pop(src)
            toc = _toc(page.toc) if isinstance(page.toc, TableOfContents) else []
            anchors = sorted(page.present_anchor_ids or ())
            self._write(key, {"page": src, "html": html, "toc": toc, "anchors": anchors})
        return html

    def kept(self, page: Page) -> bool:
        """Return whether the page's HTML came from the cache (its entries likely too)."""
        return page.file.src_uri in self._kept

    def index(self, add: Callable[[Page], None], entries: list[Any]) -> Callable[[Page], None]:
        """Return the search plugin's `add_entry_from_context` with kept entries: a page
        whose HTML, contents, title and front matter are unchanged is not parsed again."""

        def add_kept(page: Page) -> None:
            if "title" not in page.meta or page.content is None:
                add(page)
                return
            toc = json.dumps(_toc(page.toc), ensure_ascii=False)
            meta = json.dumps(describe(page.meta), ensure_ascii=False)
            key = self._key("search", page.url, str(page.title), meta, toc, page.content)
            kept = self._read(key)
            if isinstance(kept, list):
                entries.extend(kept)
                return
            before = len(entries)
            add(page)
            self._write(key, entries[before:])

        return add_kept

    def prune(self) -> int:
        """Remove the kept pages this build did not use; return how many."""
        removed = 0
        for file in self.folder.glob("*.json"):
            if file.stem not in self.used:
                file.unlink(missing_ok=True)
                removed += 1
        return removed
