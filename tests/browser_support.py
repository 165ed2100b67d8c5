"""What the browser tests share: the example site built and served, the system Chromium, axe.

Nothing here downloads anything. Chromium is Debian's (`.ci/run` installs it) and axe-core
comes from npm through `make test` (`npm ci`, pinned in package-lock.json). When either is
missing, a test fails under CI (the CI environment variable is set) and is skipped elsewhere,
with a message that says what to install.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn

import pytest
from invariants import built_site
from playwright.sync_api import Browser, sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
AS_OF = "2026-11-25"


def in_ci() -> bool:
    """Return whether the tests run in CI: CI set to anything but empty, 0 or false."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str, fix: str) -> NoReturn:
    """Fail under CI, skip elsewhere: `what` is not there and `fix` installs it."""
    message = f"{what} not found: {fix}"
    if in_ci():
        pytest.fail(f"{message} (CI is set, so this fails instead of skipping)")
    pytest.skip(message)


def require_chromium() -> Path:
    """Return the system Chromium, or fail (CI) or skip (elsewhere) without it."""
    if not CHROMIUM.is_file():
        missing(str(CHROMIUM), "install the distribution's chromium package (.ci/run does)")
    return CHROMIUM


def require_axe() -> Path:
    """Return axe-core's script from node_modules, or fail (CI) or skip (elsewhere)."""
    if not AXE.is_file():
        missing(str(AXE.relative_to(REPO)), "run `make test`, or `npm ci` in the repository")
    return AXE


def build_example_site(folder: Path) -> Path:
    """Build the example registry with `portfolio build` in a copy under `folder`; return site/."""
    project = folder / "project"
    project.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("site_theme", "registry"):
        shutil.copytree(REPO / name, project / name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)  # never write to a real CI job's summary
    with built_site(project):  # the invariants every build keeps (tests/invariants.py)
        done = subprocess.run(
            [str(Path(sys.executable).parent / "portfolio"), "build", "--as-of", AS_OF],
            cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    site = project / "site"
    assert (site / "index.html").is_file(), done.stdout + done.stderr
    return site


def page_urls(site: Path) -> list[str]:
    """Return the URL of every page of a built site ("" for the home page, "projects/x/" ...)."""
    folders = (p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return sorted("" if f == "." else f + "/" for f in folders)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of access logs."""


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 and yield its base URL, ending in "/"."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Launch the system Chromium, headless (fail or skip first if it is missing)."""
    path = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(path), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
