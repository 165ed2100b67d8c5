"""Search parsing in worker processes: the same search index as parsing in the build's process.

Real in-process builds of a copy of the example registry: one as `portfolio build` runs
(generated pages parsed by workers) and one with every page parsed in place.
"""

from __future__ import annotations

import pickle
import shutil
import threading
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from builders import AS_OF
from material.plugins.search.plugin import Parser
from test_site import REPO, make_project

from generator.publish import mkdocs_run
from generator.publish.searchparse import SearchParsing, sections_of

HTML = """<h1 id="routing">Routing <code>access</code> requests</h1>
<p>Service desk agents in <strong>Antwerp</strong> look up each request.</p>
<table><tr><th>Gate</th><td>passed &amp; dated</td></tr></table>
<h2 id="hidden" data-search-exclude>Hidden</h2><p>Not indexed.</p>
<script>var skipped = 1;</script>
<h2 id="learnings">Learnings</h2><ul><li>Measure on random samples.</li></ul>"""


def test_a_worker_finds_the_sections_the_search_plugin_finds() -> None:
    parser = Parser()
    parser.feed(HTML)
    parser.close()
    expected = [(s.id, s.title, s.text) for s in parser.data if not s.is_excluded()]
    found = pickle.loads(zlib.decompress(sections_of(zlib.compress(HTML.encode()))))
    assert found == expected
    assert [key for key, _, _ in found] == [None, "learnings"]  # the h1 is the page's title


class _Counted(SearchParsing):
    """Search parsing that counts the pages indexed from a worker's sections."""

    used: list[str] = []

    def add(self, index: object, add: object, page: object) -> None:  # type: ignore[override]
        sent = self.sent.get(page.file.src_uri)  # type: ignore[attr-defined]
        if sent is not None and sent[1] is not None:
            _Counted.used.append(page.file.src_uri)  # type: ignore[attr-defined]
        super().add(index, add, page)  # type: ignore[arg-type]


class _InPlace(SearchParsing):
    """Search parsing that sends nothing: every page is parsed in the build's process."""

    def send(self, page: object, compressed: bytes) -> None:  # type: ignore[override]
        return None


def _search_index(project: Path) -> bytes:
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    mkdocs_run.build(project / "mkdocs.yml", AS_OF)
    return (project / "site" / "search" / "search_index.json").read_bytes()


def test_the_search_index_is_the_one_parsing_in_place_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", REPO / "registry")
    monkeypatch.chdir(project)
    monkeypatch.setattr("generator.publish.plugin.SearchParsing", _Counted)
    # As in `portfolio build`: no other thread (the test runner's may run here).
    monkeypatch.setattr("generator.publish.searchparse.active_count", lambda: 1)
    _Counted.used = []
    apart = _search_index(project)
    assert len(_Counted.used) >= 20  # every generated page: 18 records and the sections
    assert "projects/cs-reply-drafting.md" in _Counted.used
    monkeypatch.setattr("generator.publish.plugin.SearchParsing", _InPlace)
    in_place = _search_index(project)
    assert apart == in_place
    assert b"projects/cs-reply-drafting/" in apart


def test_no_worker_is_forked_beside_another_thread() -> None:
    """A server thread (as under `mkdocs serve`) could hold a lock a fork would copy."""
    page = SimpleNamespace(file=SimpleNamespace(src_uri="projects/x.md"))
    parsing, stop = SearchParsing(), threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        parsing.send(page, zlib.compress(HTML.encode()))  # type: ignore[arg-type]
    finally:
        stop.set()
        thread.join()
    assert parsing.pool is None and parsing.sent == {} and not parsing.may_fork
    parsing.close()
