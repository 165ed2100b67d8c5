"""The two locks: the runtime one holds no development tool, and they agree on every pin."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def name(requirement: str) -> str:
    """Return a requirement's normalized project name (PEP 503)."""
    found = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert found, requirement
    return re.sub(r"[-_.]+", "-", found.group()).lower()


def pins(lock: str) -> dict[str, str]:
    """Return {name: version} for each `name==version` line of a lock file."""
    text = (ROOT / lock).read_text(encoding="utf-8")
    found = re.findall(r"^([A-Za-z0-9._-]+)==(\S+)$", text, flags=re.MULTILINE)
    assert found, lock
    return {name(package): version for package, version in found}


def test_the_runtime_lock_pins_the_dependencies_and_no_development_tool() -> None:
    runtime = pins("requirements.lock")
    assert {name(r) for r in PROJECT["dependencies"]} <= runtime.keys()
    dev_only = {name(r) for r in PROJECT["optional-dependencies"]["dev"]}
    assert dev_only.isdisjoint(runtime), dev_only & runtime.keys()


def test_the_dev_lock_has_every_runtime_pin_at_the_same_version() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {package: dev.get(package) for package in runtime} == runtime
    assert {name(r) for r in PROJECT["optional-dependencies"]["dev"]} <= dev.keys()


def test_every_install_step_is_pinned() -> None:
    """`make setup` installs pip itself at a pinned version, never `--upgrade` to the newest."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if "pip install" in line]
    assert installs and not [line for line in installs if "--upgrade" in line]
    assert re.search(r"^PIP := pip==\d+(\.\d+)+$", makefile, flags=re.MULTILINE)
