"""The page cache: generated pages converted and indexed once, the site the same bytes.

Real `portfolio build` runs on a copy of the example registry, compared file by file
with a cold build; the cache folder tells which pages were converted again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from builders import AS_OF

from generator.publish.pagecache import PageCache, describe
from generator.site.pages import md_text

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAGES = Path(".cache/portfolio/pages")
EDITED = "cs-reply-drafting"


def _build(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTFOLIO_")}
    argv = [str(BIN / "portfolio"), "build", "--as-of", AS_OF.isoformat()]
    done = subprocess.run(
        argv, cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert (project / "site" / "index.html").is_file(), done.stdout + done.stderr


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _cold(project: Path) -> dict[str, str]:
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    _build(project)
    return _tree(project / "site")


def _converted(project: Path) -> dict[str, str]:
    """Return the kept pages' HTML entries: file name -> the page it holds."""
    docs = {}
    for file in (project / PAGES).glob("*.json"):
        doc = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(doc, dict):
            docs[file.name] = doc["page"]
    return docs


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages") / "project"
    root.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "site_theme", root / "site_theme")
    shutil.copytree(REPO / "registry", root / "registry")
    return root


def test_a_warm_build_converts_nothing_and_writes_the_same_site(project: Path) -> None:
    cold = _cold(project)
    kept = _tree(project / PAGES)
    pages = _converted(project)
    assert f"projects/{EDITED}.md" in pages.values()
    assert "problems.md" in pages.values()
    assert len(pages) == len([p for p in cold if p.endswith("index.html")])  # every page
    _build(project)
    assert _tree(project / "site") == cold
    assert _tree(project / PAGES) == kept  # nothing converted or indexed again


def test_an_edit_converts_the_pages_it_changes_and_no_other(project: Path) -> None:
    _cold(project)
    before = _converted(project)
    record = project / "registry" / "projects" / f"{EDITED}.yaml"
    saved = record.read_text(encoding="utf-8")
    edited = saved.replace("learnings:\n", "learnings:\n  - text: Cache-proof learning.\n", 1)
    assert edited != saved
    record.write_text(edited, encoding="utf-8")
    try:
        _build(project)
        warm = _tree(project / "site")
        after = _converted(project)
        again = _cold(project)
    finally:
        record.write_text(saved, encoding="utf-8")
    assert warm == again  # the same bytes as a cold build of the edited registry
    new = {after[name] for name in set(after) - set(before)}
    assert f"projects/{EDITED}.md" in new
    assert "learnings.md" in new  # the learning is listed there too
    assert not any(p.startswith("projects/") and p != f"projects/{EDITED}.md" for p in new), new
    assert len(after) == len(before)  # the edited pages' old entries were removed
    page = (project / "site" / "projects" / EDITED / "index.html").read_text(encoding="utf-8")
    assert "Cache-proof learning." in page


def test_an_unreadable_entry_is_converted_again(project: Path) -> None:
    cold = _cold(project)
    for file in (project / PAGES).glob("*.json"):
        file.write_text("{not json", encoding="utf-8")
    _build(project)
    assert _tree(project / "site") == cold
    assert all(json.loads(f.read_text()) is not None for f in (project / PAGES).glob("*.json"))


def test_the_key_follows_the_markdown_configuration(tmp_path: Path) -> None:
    sources = ["index.md\0index.html"]
    one = PageCache(tmp_path, {"markdown_extensions": ["toc"], "mdx_configs": {}}, sources)
    same = PageCache(tmp_path, {"markdown_extensions": ["toc"], "mdx_configs": {}}, sources)
    other = PageCache(tmp_path, {"markdown_extensions": ["toc", "tables"]}, sources)
    more = PageCache(tmp_path, {"markdown_extensions": ["toc"], "mdx_configs": {}}, [*sources, "a"])
    assert one.salt == same.salt
    assert len({one.salt, other.salt, more.salt}) == 3


def test_describe_has_no_memory_addresses() -> None:
    class Extension:
        pass

    config = {"b": [Extension(), md_text], "a": {"emoji_generator": len, "x": 1.5}}
    text = json.dumps(describe(config))
    assert " at 0x" not in text
    assert text == json.dumps(describe({"a": {"x": 1.5, "emoji_generator": len}, "b": [
        Extension(), md_text]}))  # fmt: skip
    assert "generator.site.pages.md_text" in text
    assert "test_describe_has_no_memory_addresses.<locals>.Extension" in text
