"""The README documents every rule and command the tool has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.core.catalog import CATALOG

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_readme_lists_every_rule_with_an_example(code: str) -> None:
    rows = [line for line in README.splitlines() if line.startswith(f"| {code} |")]
    assert len(rows) == 1, f"{code} needs exactly one row in the README's rule tables"
    example = rows[0].rsplit("|", 2)[-2].strip()
    assert example, f"{code} has no example message"


@pytest.mark.parametrize("command", sorted(main.commands))
def test_readme_documents_every_command(command: str) -> None:
    assert re.search(rf"`portfolio {command}\b", README), f"`portfolio {command}` is undocumented"


def test_readme_quick_start_is_the_two_make_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make \w+", quick, flags=re.MULTILINE) == ["make site", "make test"]
