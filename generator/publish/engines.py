"""Build the site with MkDocs, ProperDocs or Zensical from the same generated pages.

MkDocs runs the `portfolio` plugin in process. The other engines get the complete docs
tree written into `.portfolio-build/docs` beside `mkdocs.yml`, and a configuration there
that inherits the project's (`INHERIT`) with the docs folder pointed at that tree and the
plugin left out, so they need no plugin of ours (Zensical runs none).
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..check.engine import Summary
from ..errors import PortfolioError
from . import mkdocs_run

ENGINES = ("mkdocs", "properdocs", "zensical")
BUILD_DIR = ".portfolio-build"
PLUGIN = "portfolio"


@dataclass(frozen=True, slots=True)
class Built:
    """What a build produced: the checks' report, the site folder and its page count."""

    report: Summary
    site_dir: Path
    pages: int


class _Tolerant(yaml.SafeLoader):
    """Read mkdocs.yml for its plain keys; tagged values (`!!python/name:`, `!ENV`) are None."""


_Tolerant.add_multi_constructor("", lambda _loader, _suffix, _node: None)
_Tolerant.add_multi_constructor("tag:yaml.org,2002:python/", lambda _l, _s, _n: None)


def _raw_config(config_file: Path) -> dict[str, Any]:
    """Return the top-level mapping of a MkDocs configuration file as written."""
    try:
        # A SafeLoader: tags construct nothing, so this is as safe as yaml.safe_load.
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Tolerant)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise PortfolioError(f"{config_file}: {err}") from err
    return data if isinstance(data, dict) else {}


def _plugins_without_ours(raw: dict[str, Any]) -> list[Any]:
    """Return the configured plugins but `portfolio`, as written (names or {name: options})."""
    plugins = raw.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    out = []
    for item in plugins:
        name = item if isinstance(item, str) else next(iter(item), None)
        if name != PLUGIN:
            out.append(item)
    return out


def engine_config(config_file: Path, docs: Path, site: Path) -> dict[str, Any]:
    """Return the configuration an engine builds the written docs tree with."""
    root = config_file.resolve().parent
    raw = _raw_config(config_file)
    derived: dict[str, Any] = {
        "INHERIT": str(config_file.resolve()),
        "docs_dir": str(docs.resolve()),
        "site_dir": str(site.resolve()),
        "plugins": _plugins_without_ours(raw),
        # Every page is a file of the tree now; an edit link would point into the build
        # folder. Project pages keep their own "Edit this record" link.
        "edit_uri": "",
    }
    theme = raw.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        # Paths resolve against the configuration file that is read, now in BUILD_DIR.
        derived["theme"] = {"custom_dir": str(root / theme["custom_dir"])}
    return derived


def _executable(engine: str) -> str:
    """Return the engine's command, from this Python's environment first."""
    beside = Path(sys.executable).parent / engine
    found = str(beside) if beside.is_file() else shutil.which(engine)
    if found is None:
        raise PortfolioError(f"{engine} is not installed; install it with: pip install {engine}")
    return found


def count_pages(site: Path) -> int:
    """Return the number of HTML pages of a built site (one index.html per page)."""
    return sum(1 for _ in site.rglob("index.html")) if site.is_dir() else 0


def build(engine: str, config_file: Path, as_of: dt.date | None, *, strict: bool) -> Built:
    """Build the site with `engine` (one of ENGINES) and return what it produced."""
    if engine == "mkdocs":
        report, site = mkdocs_run.build_site(config_file, as_of, strict=strict)
        return Built(report, site, count_pages(site))
    if engine not in ENGINES:
        raise PortfolioError(f"unknown engine '{engine}'; use one of {', '.join(ENGINES)}")
    command = _executable(engine)
    when = as_of or dt.date.today()
    work = config_file.resolve().parent / BUILD_DIR
    report, config = mkdocs_run.docs_tree(config_file, when, work / "docs")
    site = Path(config.site_dir)
    derived = work / "mkdocs.yml"
    text = yaml.safe_dump(engine_config(config_file, work / "docs", site), sort_keys=False)
    derived.write_text(text, encoding="utf-8")
    argv = [command, "build", "-f", str(derived)] + (["--strict"] if strict else [])
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(calendar.timegm(when.timetuple()))}
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        done = subprocess.run(argv, env=env, check=False, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise PortfolioError(f"cannot run {engine}: {err}") from err
    if done.returncode != 0:
        raise PortfolioError(f"{engine} build failed (exit {done.returncode}); see above")
    return Built(report, site, count_pages(site))
