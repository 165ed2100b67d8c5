"""`portfolio serve` and `mkdocs serve --livereload`: a saved record shows up in the browser.

Each test starts the real server on a free port in a copy of the example project,
edits a record on disk and polls the served page until the rebuild shows the change.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_site import BIN, REPO, _env, make_project

RECORD = "registry/projects/carrier-invoice-audit.yaml"
PAGE = "projects/carrier-invoice-audit/"
WAIT = 90.0  # seconds: a first build, then a rebuild, on a loaded CI machine
COMMANDS = {
    "portfolio serve": [str(BIN / "portfolio"), "serve", "-a"],
    "mkdocs serve --livereload": [str(BIN / "mkdocs"), "serve", "--livereload", "-a"],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    """Return the page at url, or None while the server is not answering it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, ready: Callable[[str], bool], server: subprocess.Popen[str]) -> str:
    """Poll url until its page satisfies ready; fail with the server's log otherwise."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        page = fetch(url)
        if page is not None and ready(page):
            return page
        time.sleep(0.3)
    server.terminate()
    log, _ = server.communicate(timeout=30)
    pytest.fail(f"{url} never became ready; server log:\n{log[-3000:]}")


@pytest.fixture(params=list(COMMANDS), ids=list(COMMANDS))
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, Callable]]:
    """Start the server in a copy of the example project; yield it and a page waiter."""
    project = make_project(tmp_path / "project", REPO / "registry")
    base = f"127.0.0.1:{free_port()}"
    (tmp_path / "tmp").mkdir()  # `mkdocs serve`, stopped by SIGTERM, leaves its site there
    server = subprocess.Popen(
        [*COMMANDS[request.param], base],
        cwd=project,
        env={**_env(), "TMPDIR": str(tmp_path / "tmp")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def waiter(url: str, ready: Callable[[str], bool]) -> str:
        return wait_for(f"http://{base}/{url}", ready, server)

    try:
        yield project, waiter
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_a_saved_record_is_rebuilt_and_reloaded(served: tuple[Path, Callable]) -> None:
    project, wait = served
    page = wait(PAGE, lambda text: "Carrier invoice audit against contracted rates" in text)
    assert "livereload" in page  # the script that reloads the browser after a rebuild

    record = project / RECORD
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("title: Carrier invoice", "title: Renamed carrier invoice"))
    wait(PAGE, lambda text: "Renamed carrier invoice audit against contracted rates" in text)


def test_a_broken_record_goes_to_problems_and_serving_goes_on(
    served: tuple[Path, Callable],
) -> None:
    project, wait = served
    wait(PAGE, lambda text: "<h1" in text)
    (project / "registry/projects/half-written.yaml").write_text("id: half-written\ntitle: [\n")
    page = wait("problems/", lambda text: "half-written.yaml" in text)
    assert "R001" in page
    assert wait(PAGE, lambda text: "<h1" in text)
    # What once stopped every rebuild: a raw control character, an absurd number, a folder.
    projects = project / "registry/projects"
    (projects / "escape.yaml").write_text("id: escape\ntitle: a\x1bb\n")
    digits = "1" + "0" * 400
    (projects / "huge-count.yaml").write_text(
        f"id: huge-count\nevidence:\n  - {{kind: quality, samples: {digits}}}\n"
    )
    (projects / "sub").mkdir()
    page = wait("problems/", lambda text: all(n in text for n in ("escape.yaml", "huge-count")))
    assert all(code in page for code in ("R009", "R004", "R017"))
    (projects / "escape.yaml").write_text("id: escape\ntitle: Escape fixed\n")
    wait("problems/", lambda text: "R009" not in text)  # rebuilt once it reads again


@pytest.mark.parametrize("served", ["portfolio serve"], indirect=True)
def test_a_save_renders_only_what_it_changed_and_search_keeps_every_page(
    served: tuple[Path, Callable],
) -> None:
    """`portfolio serve` rebuilds dirty: the saved record's page and the portfolio pages
    are rendered again, the other records' pages are kept, and the search index holds
    every page once, the new text included."""
    project, wait = served
    wait(PAGE, lambda text: "Carrier invoice audit against contracted rates" in text)
    before = json.loads(wait("search/search_index.json", lambda text: '"docs"' in text))
    pages = {doc["location"].split("#")[0] for doc in before["docs"]}
    record = project / RECORD
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("title: Carrier invoice", "title: Renamed carrier invoice"))
    wait(PAGE, lambda text: "Renamed carrier invoice audit against contracted rates" in text)
    after = json.loads(wait("search/search_index.json", lambda text: "Renamed carrier" in text))
    locations = [doc["location"] for doc in after["docs"]]
    assert len(locations) == len(set(locations))  # no page's entries twice
    assert {loc.split("#")[0] for loc in locations} == pages  # and none lost


def test_a_stopped_server_leaves_no_temporary_site(tmp_path: Path) -> None:
    """SIGTERM (as `kill` or a service manager sends) ends `portfolio serve` as Ctrl-C does."""
    project = make_project(tmp_path / "project", REPO / "registry")
    temp = tmp_path / "tmp"
    temp.mkdir()
    base = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [*COMMANDS["portfolio serve"], base],
        cwd=project,
        env={**_env(), "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(f"http://{base}/{PAGE}", lambda page: "Carrier invoice" in page, server)
        assert [p.name[:7] for p in temp.iterdir()] == ["mkdocs_"]  # the served site
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=30)
    assert server.returncode == 0, log[-2000:]
    assert list(temp.iterdir()) == [], log[-2000:]
