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
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


class GeneratedFile(File):
    """A generated file that knows whether it differs from the previous build's."""

    changed = True

    def is_modified(self) -> bool:
        """Return whether the file differs from the previous build's (MkDocs asks)."""
        return self.changed


class GeneratedPage(GeneratedFile):
    """A generated page whose Markdown is kept compressed until MkDocs reads it.

    MkDocs holds every file from the start of a build to its end, and reads a page's
    Markdown once, when it converts the page. Compressed, the Markdown of 10,000 project
    pages takes tens of megabytes instead of hundreds.
    """

    html: bytes | None = None

    @classmethod
    def of(cls, config: MkDocsConfig, path: str, text: str) -> GeneratedPage:
        """Return the page at `path` holding `text`."""
        page = cls.generated(config, path, content=zlib.compress(text.encode("utf-8"), 1))
        assert isinstance(page, GeneratedPage)
        return page

    @property
    def content_bytes(self) -> bytes:
        """The page's Markdown as UTF-8 (MkDocs asks; set as any file's)."""
        content = self._content
        return zlib.decompress(content) if isinstance(content, bytes) else super().content_bytes

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self._content = zlib.compress(value, 1)

    @property
    def content_string(self) -> str:
        """The page's Markdown (MkDocs asks; a plugin may set it)."""
        return self.content_bytes.decode("utf-8")

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.content_bytes = value.encode("utf-8")

    def hold(self, html: str) -> str:
        """Keep the page's HTML compressed until MkDocs writes the page; return ''.

        MkDocs converts every page before it writes any, so it would hold the HTML of
        every page at once. The page holds '' meanwhile (see `release`).
        """
        self.html = zlib.compress(html.encode("utf-8"), 1)
        return ""

    def release(self) -> str:
        """Return the HTML `hold` kept, and forget it."""
        html, self.html = self.html, None
        return "" if html is None else zlib.decompress(html).decode("utf-8")


class Generated:
    """The hashes of the generated files of the previous build of a `serve` session."""

    def __init__(self) -> None:
        self.digests: dict[str, str] = {}

    def add(
        self, files: Files, config: MkDocsConfig, generated: Iterable[tuple[str, str | bytes]]
    ) -> None:
        """Add the generated files, each marked changed or not since the previous build."""
        base = _setup_digest(config)
        digests: dict[str, str] = {}
        made: dict[str, GeneratedFile] = {}
        for path, content in generated:
            data = content.encode("utf-8") if isinstance(content, str) else content
            digests[path] = hashlib.sha256(base + data).hexdigest()
            made[path] = file = _file(config, path, content)
            file.changed = self.digests.get(path) != digests[path]
        _replace(files, made)
        self.digests = digests


def add_generated(
    files: Files, config: MkDocsConfig, generated: Iterable[tuple[str, str | bytes]]
) -> None:
    """Add the generated files, every one modified (a build outside `serve`)."""
    _replace(files, {path: _file(config, path, content) for path, content in generated})


def _file(config: MkDocsConfig, path: str, content: str | bytes) -> GeneratedFile:
    """Return the generated file at `path`: a page is kept compressed (see GeneratedPage)."""
    if isinstance(content, str) and path.endswith(".md"):
        return GeneratedPage.of(config, path, content)
    file = GeneratedFile.generated(config, path, content=content)
    assert isinstance(file, GeneratedFile)
    return file


def _replace(files: Files, made: Mapping[str, GeneratedFile]) -> None:
    """Put the generated files in place of any file of the same path, in path order."""
    for path in sorted(made):
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(made[path])


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled, kept in memory between the builds of a `serve` session.

    MkDocs makes a new template environment for every build, so Material's templates
    would be compiled again on every save (half a second). Jinja checks each template's
    source against what was compiled, so an edited template is compiled again.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket with a template's code compiled earlier, if any (Jinja asks)."""
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a template's code just compiled (Jinja asks)."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


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
