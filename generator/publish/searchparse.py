"""Material's search parsing of the generated pages, done in worker processes.

Material's search plugin parses every page's HTML into sections (its `Parser`, Python's
`html.parser`) when MkDocs renders the page, in the build's process: a third of a cold
build of 1,000 records, whose pages are dense with tables. Yet the sections depend on
nothing but the HTML, and MkDocs converts every page before it renders any. So as each
generated page is converted, its HTML goes to a worker process, which parses it with the
same `Parser` while MkDocs converts the other pages; when the search plugin indexes the
page, the entries are made from the sections the worker found by the plugin's own
`create_entry_for_section`, exactly as it makes them (a build is byte for byte the same,
tested). A page whose HTML changed after it was sent, or a worker that failed, is
parsed in place as before.

The workers are forked, so they start at once and need no import; where forking is not
safe (a `serve` session runs a server thread) or possible, pages are parsed in place.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from threading import active_count
from types import SimpleNamespace
from typing import Any

from mkdocs.structure.pages import Page

MAX_WORKERS = 4

Sections = list[tuple[str | None, list[str], list[str]]]  # id, title and text parts


def sections_of(compressed: bytes) -> bytes:
    """Return the indexed sections of a page's compressed HTML: what the search plugin's
    `add_entry_from_context` finds, compressed for the way back (in a worker)."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(zlib.decompress(compressed).decode("utf-8"))
    parser.close()
    found: Sections = [(s.id, s.title, s.text) for s in parser.data if not s.is_excluded()]
    return zlib.compress(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL), 1)


class SearchParsing:
    """Worker processes parsing pages for the search plugin, and what each page was sent."""

    def __init__(self, workers: int | None = None) -> None:
        count = workers if workers is not None else min((os.cpu_count() or 1) - 1, MAX_WORKERS)
        self.workers = max(count, 1)
        self.pool: ProcessPoolExecutor | None = None
        self.may_fork = "fork" in multiprocessing.get_all_start_methods()
        self.sent: dict[str, tuple[Future[bytes], str | None]] = {}  # page -> parse, HTML

    def send(self, page: Page, compressed: bytes) -> None:
        """Start parsing a page's HTML (compressed, as the page holds it).

        Workers are forked only from a process running no other thread (a server's thread
        could hold a lock the fork would copy); otherwise the page is parsed in place.
        """
        if self.pool is None:
            if not self.may_fork:
                return
            if active_count() > 1:
                self.may_fork = False
                return
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("fork")
            )
        self.sent[page.file.src_uri] = (self.pool.submit(sections_of, compressed), None)

    def restored(self, page: Page, html: str) -> None:
        """Note the HTML a sent page holds again: its sections are used only for that."""
        sent = self.sent.get(page.file.src_uri)
        if sent is not None:
            self.sent[page.file.src_uri] = (sent[0], html)

    def add(self, index: Any, add: Callable[[Page], None], page: Page) -> None:
        """Index a page from the sections a worker found, or with `add` (the plugin's own)."""
        sent = self.sent.pop(page.file.src_uri, None)
        search = page.meta.get("search") or {}
        if sent is None or sent[1] is None or page.content != sent[1] or search.get("exclude"):
            add(page)
            return
        try:
            found: Sections = pickle.loads(zlib.decompress(sent[0].result()))
        except Exception:
            add(page)
            return
        for key, title, text in found:
            section = SimpleNamespace(id=key, title=title, text=text)
            index.create_entry_for_section(section, page.toc, page.url, page)

    def close(self) -> None:
        """Stop the workers, dropping what no page asked for."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.sent.clear()


def can_parse_apart(index: object) -> bool:
    """Return whether the search index is Material's, whose entries this can make."""
    try:
        from material.plugins.search.plugin import Parser, SearchIndex
    except ImportError:
        return False
    return isinstance(index, SearchIndex) and callable(getattr(Parser, "feed", None))
