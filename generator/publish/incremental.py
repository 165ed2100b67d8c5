"""Rebuilds under `portfolio serve` that render only the generated files a save changed.

`serve` runs MkDocs' dirty builds: MkDocs renders a page again only when its file says it
was modified, keeps the others' HTML from the previous build in the served folder, and
Material's search plugin merges the search index of the pages it rendered into the
previous one. A generated page has no file on disk to compare, so `Generated` keeps a
hash of what each generated file held at the previous build: a file is modified when its
hash differs, or when the MkDocs configuration or the theme changed (every page then).
Outside `serve` every file counts as modified, as in any MkDocs build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


class GeneratedFile(File):
    """A generated file that knows whether it differs from the previous build's."""

    changed = True

    def is_modified(self) -> bool:
        """Return whether the file differs from the previous build's (MkDocs asks)."""
        return self.changed


class Generated:
    """The hashes of the generated files of the previous build of a `serve` session."""

    def __init__(self) -> None:
        self.digests: dict[str, str] = {}

    def add(self, files: Files, config: MkDocsConfig, generated: Mapping[str, str | bytes]) -> None:
        """Add the generated files, each marked changed or not since the previous build."""
        base = _setup_digest(config)
        digests: dict[str, str] = {}
        for path, content in sorted(generated.items()):
            data = content.encode("utf-8") if isinstance(content, str) else content
            digests[path] = hashlib.sha256(base + data).hexdigest()
            file = _replace(files, config, path, content)
            file.changed = self.digests.get(path) != digests[path]
        self.digests = digests


def add_generated(files: Files, config: MkDocsConfig, generated: Mapping[str, str | bytes]) -> None:
    """Add the generated files, every one modified (a build outside `serve`)."""
    for path, content in sorted(generated.items()):
        _replace(files, config, path, content)


def _replace(files: Files, config: MkDocsConfig, path: str, content: str | bytes) -> GeneratedFile:
    existing = files.get_file_from_path(path)
    if existing is not None:
        files.remove(existing)
    file = GeneratedFile.generated(config, path, content=content)
    assert isinstance(file, GeneratedFile)
    files.append(file)
    return file


def _setup_digest(config: MkDocsConfig) -> bytes:
    """Return a hash of what every page's HTML depends on besides its own content: the
    MkDocs configuration and the theme's overrides (names, sizes and times)."""
    digest = hashlib.sha256()
    if config.config_file_path:
        digest.update(Path(config.config_file_path).read_bytes())
    custom = config.theme.custom_dir
    if custom:
        for file in sorted(Path(custom).rglob("*")):
            if file.is_file():
                stat = file.stat()
                digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.digest()


def merge_search_index(config: MkDocsConfig) -> None:
    """Give Material's search plugin the whole index after a dirty build that rendered
    several pages (run before its `on_post_build`).

    The plugin expects a dirty build to render one page: it drops that page's entries
    from the previous index and appends the new ones. A save here renders the record's
    page and the portfolio pages, so the previous entries of every page rendered now
    are dropped here, the rest kept, and the plugin is handed the merged list.
    """
    search = config.plugins.get("material/search") or config.plugins.get("search")
    previous = getattr(search, "search_index_prev", None)
    current = getattr(search, "search_index", None)
    if previous is None or current is None:
        return
    rendered = {_page(entry) for entry in current.entries}
    kept = [entry for entry in previous.entries if _page(entry) not in rendered]
    current.entries = kept + current.entries
    search.search_index_prev = None  # type: ignore[union-attr]


def _page(entry: Mapping[str, str]) -> str:
    """Return the page of a search entry: its location without the section anchor."""
    return entry["location"].split("#", 1)[0]
