"""Run MkDocs with the portfolio plugin: build once, or serve with live reload."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import gc
import logging
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from ..check.engine import Summary
from ..errors import PortfolioError
from .plugin import AS_OF_ENV, PortfolioPlugin, check_site_dir
from .tree import write_tree


def _config(config_file: Path, as_of: dt.date | None, strict: bool) -> MkDocsConfig:
    if not config_file.is_file():
        raise PortfolioError(f"{config_file}: no such MkDocs configuration")
    try:
        config = load_config(str(config_file), strict=strict or None)
    except MkDocsException as err:
        raise PortfolioError(str(err)) from err
    plugin = _plugin(config)
    plugin.as_of_override = as_of
    return config


def _plugin(config: MkDocsConfig) -> PortfolioPlugin:
    for plugin in config.plugins.values():
        if isinstance(plugin, PortfolioPlugin):
            return plugin
    raise PortfolioError("mkdocs.yml does not enable the `portfolio` plugin")


def _show_mkdocs_log(level: int) -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
        handler.setLevel(level)
        logger.addHandler(handler)
        logger.setLevel(min(level, logger.getEffectiveLevel()))


@contextlib.contextmanager
def _build_process(when: dt.date) -> Iterator[None]:
    """Set what a reproducible, fast build needs, and put the process back afterwards.

    MkDocs stamps sitemaps with SOURCE_DATE_EPOCH when set. A build allocates millions
    of short-lived objects and no cycles worth collecting early; fewer collections cut
    about a tenth of the build time.
    """
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    threshold = gc.get_threshold()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(when.timetuple()))
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build(config_file: Path, as_of: dt.date | None, *, strict: bool = False) -> Summary:
    """Build the site and return the report of the checks it ran."""
    return build_site(config_file, as_of, strict=strict)[0]


def build_site(
    config_file: Path, as_of: dt.date | None, *, strict: bool = False
) -> tuple[Summary, Path]:
    """Build the site with MkDocs; return the report and the site folder."""
    _show_mkdocs_log(logging.WARNING)
    when = as_of or dt.date.today()
    with _build_process(when):
        config = _config(config_file, when, strict)
        try:
            mkdocs_build.build(config)
        except MkDocsException as err:
            raise PortfolioError(str(err)) from err
    report = _plugin(config).report
    assert report is not None
    return report, Path(config.site_dir)


def docs_tree(config_file: Path, as_of: dt.date | None, dest: Path) -> tuple[Summary, MkDocsConfig]:
    """Write the complete docs tree (the docs folder and every generated file) into `dest`.

    Returns the report and the loaded configuration, whose docs and site folders
    are the project's own.
    """
    config = _config(config_file, as_of or dt.date.today(), strict=False)
    try:
        check_site_dir(config)  # the engine empties it, as MkDocs would
    except MkDocsException as err:
        raise PortfolioError(str(err)) from err
    plugin = _plugin(config)
    generated = plugin.generate(config)
    report = plugin.report
    assert report is not None
    write_tree(Path(config.docs_dir), generated, dest)
    return report, config


def serve(config_file: Path, as_of: dt.date | None, dev_addr: str) -> None:
    """Serve with live reload on (MkDocs 1.6.1 with some click versions turns it off)."""
    if not config_file.is_file():
        raise PortfolioError(f"{config_file}: no such MkDocs configuration")

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _show_mkdocs_log(logging.INFO)
    if as_of is not None:
        os.environ[AS_OF_ENV] = as_of.isoformat()  # each rebuild reloads the config
    # Dirty builds: a save renders only the pages it changed (`incremental`).
    logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_warning)
    _stop_on_sigterm()
    mkdocs_serve.serve(str(config_file), livereload=True, build_type="dirty", dev_addr=dev_addr)


def _stop_on_sigterm() -> None:
    """Let SIGTERM (`kill`, a service manager, a container stopping) end the server as
    Ctrl-C does: MkDocs then shuts it down and removes its temporary site folder."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that a dirty build may leave navigation stale: the portfolio's
    generated pages are compared by content (`incremental`), and its navigation is fixed."""
    return "A 'dirty' build is being performed" not in record.getMessage()
