"""MkDocs adapter: adds the generated portfolio pages to a build. Glue only."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..check.engine import Summary
from ..check.run import CheckMemo, run_checks
from ..core.fields import FIRST_DAY, LAST_DAY
from ..errors import PortfolioError
from ..load.git import file_history
from ..load.paths import no_links
from ..site.build import PageMemo, SiteSettings, site_files_of
from ..site.charts.store import ChartStore
from .drawn import DrawnFile, add_drawn, copy_drawn
from .incremental import (
    CompiledTemplates,
    Generated,
    GeneratedFile,
    GeneratedPage,
    add_generated,
    merge_search_index,
)
from .pagecache import PageCache
from .rawhtml import RawTablesExtension
from .searchparse import SearchParsing, can_parse_apart

AS_OF_ENV = "PORTFOLIO_AS_OF"
CHART_CACHE = ".cache/portfolio/charts"  # beside mkdocs.yml; kept between builds
PAGE_CACHE = ".cache/portfolio/pages"  # converted pages and their search entries, alike


class PortfolioConfig(Config):
    """Options of the `portfolio` plugin in mkdocs.yml."""

    registry = c.Type(str, default="registry")
    templates = c.Type(str, default="site_theme/templates")
    as_of = c.Optional(c.Type(str))
    edit_url = c.Optional(c.Type(str))


def check_site_dir(config: MkDocsConfig) -> None:
    """Refuse a site folder MkDocs would empty through a symbolic link (or that is a file)."""
    site = Path(config.site_dir)
    try:
        no_links(site, Path(config.config_file_path or ".").absolute().parent)
    except PortfolioError as err:
        raise PluginError(f"portfolio: site_dir: {err}") from err
    if site.exists() and not site.is_dir():
        raise PluginError(f"portfolio: site_dir {site} is a file; remove it or set another")


class PortfolioPlugin(BasePlugin[PortfolioConfig]):
    """Check the registry and add its pages, charts and exports as generated files."""

    def __init__(self) -> None:
        self.report: Summary | None = None  # the verdict; the registry is not kept
        self.as_of_override: dt.date | None = None
        self.store: ChartStore | None = None
        self.drawn: list[DrawnFile] = []
        self.generated: Generated | None = None  # under `portfolio serve`: see incremental
        self.pages: PageCache | None = None
        self.memo: PageMemo | None = None  # under `serve`: the previous build's pages
        self.checked: CheckMemo | None = None  # under `serve`: the previous build's files
        self.compiled: CompiledTemplates | None = None  # under `serve`: the theme's templates
        self.parsing: SearchParsing | None = None  # a build's search parsing in workers

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Under `portfolio serve` (dirty builds), keep the generated files between builds."""
        self.generated = Generated() if dirty else None
        self.memo = PageMemo() if dirty else None
        self.checked = CheckMemo() if dirty else None
        self.compiled = CompiledTemplates() if dirty else None

    def _root(self, config: MkDocsConfig, option: str) -> Path:
        base = Path(config.config_file_path or ".").parent
        return (base / option).resolve()

    def _as_of(self) -> dt.date | None:
        if self.as_of_override is not None:
            return self.as_of_override
        text = self.config.as_of or os.environ.get(AS_OF_ENV)
        if not text:
            return None
        try:
            day = dt.date.fromisoformat(text)
        except ValueError as err:
            raise PluginError(f"portfolio: as_of: {err}") from err
        if not FIRST_DAY <= day <= LAST_DAY:
            raise PluginError(f"portfolio: as_of: {text} is not from {FIRST_DAY} to {LAST_DAY}")
        return day

    def _edit_url(self, config: MkDocsConfig) -> str | None:
        """Return the edit-link pattern of a record: the plugin's edit_url, else MkDocs' own.

        MkDocs' `edit_uri` points at the docs folder in the repository; a record lives
        elsewhere in the same repository, so its link is resolved from the docs folder
        (`../../registry/...`), exactly as MkDocs resolves a page's. No `edit_uri` (MkDocs
        sets none for most hosts), no edit link, as on MkDocs' own pages.
        """
        if self.config.edit_url:
            return str(self.config.edit_url)
        if not config.repo_url or not config.edit_uri:
            return None
        docs = urljoin(str(config.repo_url).rstrip("/") + "/", str(config.edit_uri))
        root = Path(config.config_file_path or ".").resolve().parent
        up = os.path.relpath(root, Path(config.docs_dir).resolve()).replace(os.sep, "/")
        return urljoin(docs, up.rstrip("/") + "/") + "{path}"

    def _commit_url(self, config: MkDocsConfig) -> str | None:
        if config.repo_url:
            return str(config.repo_url).rstrip("/") + "/commit/{sha}"
        return None

    def on_config(self, config: MkDocsConfig, /) -> MkDocsConfig:
        """Pass the generated pages' HTML tables through Markdown unparsed (same HTML, faster)."""
        config.markdown_extensions.append(RawTablesExtension())  # type: ignore[arg-type]
        check_site_dir(config)
        return config

    def generate(
        self, config: MkDocsConfig, store: ChartStore | None = None
    ) -> Iterator[tuple[str, str | bytes]]:
        """Check the registry and yield every generated file (the verdict is kept).

        With a chart store, the records' charts are left to it (drawn into its folder, or
        taken from it) and are not among the files yielded; without one, as for the docs
        tree another engine builds, every chart is drawn here.
        """
        registry = self._root(config, self.config.registry)
        history = file_history(registry)
        changes = {file: commits[0].date for file, commits in history.items()}
        report = run_checks(registry, self._as_of(), changes=changes, memo=self.checked)
        settings = SiteSettings(
            self._root(config, self.config.templates),
            self._edit_url(config),
            self._commit_url(config),
            history,
        )
        self.report = Summary(report.as_of, report.records, report.files, report.findings)
        return site_files_of(report, settings, store, self.memo)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Check the registry and add every generated file."""
        try:
            # Not under `serve`, whose threads forbid forking (see ChartStore.ahead).
            self.store = ChartStore(self._root(config, CHART_CACHE), fork=self.generated is None)
            generated = self.generate(config, self.store)
            if self.generated is not None:
                self.generated.add(files, config, generated)  # only what changed is rendered
            else:
                add_generated(files, config, generated)
        except PortfolioError as err:
            raise PluginError(f"portfolio: {err}") from err
        self.drawn = add_drawn(files, config, self.store.files)
        if self.generated is None:  # not under `serve`, whose threads forbid forking
            self.parsing = SearchParsing()
        self.pages = self._page_cache(config, files)
        return files

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """Under `serve`, compile the theme's templates once for the whole session."""
        if self.compiled is not None and env.bytecode_cache is None:
            env.bytecode_cache = self.compiled
        return env

    def _page_cache(self, config: MkDocsConfig, files: Files) -> PageCache:
        """Open the page cache for this build, and let it keep the search entries."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        setting = {
            "markdown_extensions": config.markdown_extensions,
            "mdx_configs": config.mdx_configs,
            "use_directory_urls": config.use_directory_urls,
            "validation": dict(config.validation),
            "search": dict(getattr(search, "config", {}) or {}),
        }
        sources = (f"{file.src_uri}\0{file.dest_uri}" for file in files)
        pages = PageCache(self._root(config, PAGE_CACHE), setting, sources)
        index = getattr(search, "search_index", None)
        add, entries = (
            getattr(index, "add_entry_from_context", None),
            getattr(index, "entries", None),
        )
        if callable(add) and isinstance(entries, list):  # Material's search plugin
            if self.parsing is not None and can_parse_apart(index):
                add = functools.partial(self.parsing.add, index, add)
            index.add_entry_from_context = pages.index(add, entries)  # type: ignore[union-attr]
        return pages

    @event_priority(-100)  # last: the Markdown every other plugin has seen
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Skip converting a generated page whose HTML is kept from an earlier build."""
        if not isinstance(page.file, GeneratedFile):
            return markdown
        page.file.content_string = ""  # read: the page holds its Markdown now, one copy
        return self.pages.markdown(markdown, page) if self.pages is not None else markdown

    @event_priority(100)  # first: every other plugin sees the HTML Markdown gave
    def _restore_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Put back a kept page's HTML, or keep the one just converted."""
        if self.pages is not None:
            return self.pages.content(html, page)
        return html

    @event_priority(-100)  # last: every plugin has seen the page's Markdown and HTML
    def _hold_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Forget a generated page's Markdown once it is HTML, and compress the HTML.

        MkDocs converts every page before it writes any, so each page's Markdown and
        HTML would otherwise be held until the end of the build: at 10,000 records that
        is most of the memory it takes. The HTML is back in the page when its template
        is rendered (`on_page_context`).
        """
        if not isinstance(page.file, GeneratedPage):
            return html
        page.markdown = ""
        held = page.file.hold(html)
        if self.parsing is not None and self.pages is not None and not self.pages.kept(page):
            assert page.file.html is not None
            self.parsing.send(page, page.file.html)  # see searchparse
        return held

    on_page_content = CombinedEvent(_restore_content, _hold_content)

    @event_priority(100)  # first: every other plugin sees the page's HTML
    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Give a generated page back the HTML it held compressed since its conversion."""
        if isinstance(page.file, GeneratedPage) and page.file.html is not None:
            page.content = page.file.release()
            if self.parsing is not None:
                self.parsing.restored(page, page.content)
        return context

    @event_priority(-100)  # last: every plugin has seen the page's HTML
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Forget a generated page's HTML once it is written into its template (see above)."""
        if isinstance(page.file, GeneratedFile):
            page.content = ""
        return output

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Copy the records' charts into the site from the chart store."""
        if self.generated is not None:
            merge_search_index(config)
        elif self.pages is not None:
            self.pages.prune()  # a whole build: what it did not use is no page of the site
        if self.store is not None:
            with self.store:
                copy_drawn(self.store, self.drawn)
            self.store = None
        self._stop_parsing()

    def _stop_parsing(self) -> None:
        if self.parsing is not None:
            self.parsing.close()
            self.parsing = None

    def on_build_error(self, *, error: Exception) -> None:
        """Drop the chart store and the search parsing of a failed build."""
        self._stop_parsing()
        if self.store is not None:
            self.store.close()
            self.store = None

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a record, the policy or a page template changes."""
        server.watch(str(self._root(config, self.config.registry)))
        server.watch(str(self._root(config, self.config.templates)))
        return server
