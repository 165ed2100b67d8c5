"""What every build in the test suite must leave behind, whatever the registry held.

`with built_site(project):` wraps one real build: it records the project's files first,
runs the build and then asserts, on the files it produced:

- `site/` is a real folder, never a symbolic link, and nothing outside it changed
  (the chart cache under `.cache/` and the engine's docs tree under
  `.portfolio-build/` are the other places a build may write);
- every file in `registry/projects/` is published on a project page or named on
  `/problems/`, so no record disappears without a word;
- no page or chart runs contributor code: no `on*` attribute, no URL whose scheme is
  not http, https or mailto, no script but the theme's own files and inline snippets.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from generator.load.registry import load_entry, record_files

# Folders a build may write besides the site (both git-ignored): the chart cache and the
# docs tree a build hands to its engine.
WRITABLE = (".cache", ".portfolio-build")
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href",
     "background", "cite", "ping", "longdesc", "manifest", "codebase", "icon"}
)  # fmt: skip
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# The inline scripts Material for MkDocs writes on every page, by how each begins.
THEME_SNIPPETS = (
    "__md_scope=new URL(",
    "var palette=__md_get(",
    "var tabs=__md_get(",
    "var target=document.getElementById(location.hash",
)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# What browsers drop from a URL before they read its scheme: "java\tscript:" is live.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")


def snapshot(project: Path, site: Path) -> dict[str, tuple[int, int]]:
    """Return (size, modification time) of every file under `project` outside `site`."""
    files: dict[str, tuple[int, int]] = {}
    for folder, dirs, names in os.walk(project):
        here = Path(folder)
        dirs[:] = [
            d for d in dirs if (here / d) != site and not (here == project and d in WRITABLE)
        ]
        for name in names:
            path = here / name
            info = path.lstat()
            files[path.relative_to(project).as_posix()] = (info.st_size, info.st_mtime_ns)
    return files


@contextmanager
def built_site(project: Path, site: Path | None = None) -> Iterator[None]:
    """Assert the build run inside the `with` block kept every invariant above."""
    site = site or project / "site"
    before = snapshot(project, site)
    yield
    if not (site / "index.html").is_file():
        return  # the caller asserts on a build that failed
    assert_build_invariants(project, site, before)


def assert_build_invariants(project: Path, site: Path, before: dict[str, tuple[int, int]]) -> None:
    """Assert the invariants on a finished build (see the module docstring)."""
    assert not site.is_symlink(), f"{site} is a symbolic link"
    after = snapshot(project, site)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == [], f"the build wrote outside the site: {changed}"
    registry = project / "registry"
    if (registry / "projects").is_dir():
        assert_every_file_is_shown(registry, site)
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".svg"):
            assert_inert(path.read_text(encoding="utf-8"), path, site)


def assert_every_file_is_shown(registry: Path, site: Path) -> None:
    """Assert each file of projects/ has its page (by id) or is listed on /problems/."""
    problems = _text(site / "problems" / "index.html")
    missing = []
    for path, shown in record_files(registry):
        # Display paths are relative to the folder the build ran in: the project.
        listed = f"registry/projects/{shown.rsplit('/', 1)[-1]}" in problems
        record = load_entry(path).record
        if not listed and not (record and (site / "projects" / record.id / "index.html").is_file()):
            missing.append(shown)
    assert missing == [], f"neither published nor on /problems/: {missing}"


def assert_inert(source: str, path: Path, site: Path) -> None:
    """Assert one page or chart runs nothing but the theme's own scripts."""
    doc = _Tags(source)
    where = path.relative_to(site).as_posix()
    for tag, attrs in doc.tags:
        handlers = [name for name in attrs if name.startswith("on")]
        assert handlers == [], f"{where}: <{tag}> has {handlers}"
        for name in URL_ATTRIBUTES & attrs.keys():
            for url in attrs[name].split(",") if name == "srcset" else [attrs[name]]:
                scheme = _SCHEME.match(_IGNORED_IN_URL.sub("", url))
                assert scheme is None or scheme.group(1).lower() in SAFE_SCHEMES, (
                    f"{where}: <{tag} {name}={url!r}>"
                )
        if tag == "script" and "src" in attrs:
            script = (path.parent / urlsplit(attrs["src"]).path).resolve()
            if attrs["src"].startswith("/"):
                script = (site / attrs["src"].lstrip("/")).resolve()
            assert script.is_relative_to(site.resolve()) and script.is_file(), (
                f"{where}: script {attrs['src']!r} is not a file of the site"
            )
    for attrs, body in doc.scripts:
        if not body.strip():
            continue
        if attrs.get("type") == "application/json":
            try:  # data, and whole: text that closed the tag early would break it
                json.loads(body)
            except ValueError as err:
                raise AssertionError(f"{where}: a JSON script is cut short ({err})") from None
        else:
            assert body.startswith(THEME_SNIPPETS), f"{where}: inline script {body[:80]!r}"


def _text(path: Path) -> str:
    return _Tags(path.read_text(encoding="utf-8")).text if path.is_file() else ""


class _Tags(HTMLParser):
    """Every tag with its attributes, every script with its body, and the visible text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._chunks: list[str] = []
        self._in_script = False
        self.feed(source)
        self.close()
        self.text = "".join(self._chunks)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k.lower(): v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag == "script":
            self._in_script = True
            self.scripts.append((found, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self._chunks.append(data)
