"""Every code in the rule catalogue is reported by a registered rule, and no rule lies.

A rule written but forgotten in `check/rules/__init__.py` would silently never run; a
code in the catalogue that nothing reports would be documented but dead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.check import engine
from generator.check.rules import (
    DIFF_CODES,
    LOADING_CODES,
    PORTFOLIO_RULES,
    RECORD_RULES,
)
from generator.core.catalog import CATALOG
from generator.load.registry import load_registry

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 25)
REGISTRIES = [REPO / "registry", *sorted((DATA / "site-registries").glob("*/"))]


def test_every_catalogue_code_has_a_rule() -> None:
    declared = {c for codes in (*RECORD_RULES.values(), *PORTFOLIO_RULES.values()) for c in codes}
    assert declared | set(LOADING_CODES) | set(DIFF_CODES) == set(CATALOG)
    assert declared <= set(CATALOG)


def test_gate_and_signal_codes_each_have_one_rule() -> None:
    owners = [c for codes in (*RECORD_RULES.values(), *PORTFOLIO_RULES.values()) for c in codes]
    gates_and_signals = [c for c in owners if c[0] in "GS"]
    assert sorted(gates_and_signals) == sorted(set(gates_and_signals))


def _watch(rule: Any, declared: tuple[str, ...], seen: dict[str, str]) -> Any:
    """Wrap a rule so each code it reports is checked against its declaration."""

    def watched(*args: Any) -> Iterator[Any]:
        for item in rule(*args):
            hit = item[1] if isinstance(item, tuple) else item
            assert hit.rule in declared, f"{rule.__name__} reported undeclared {hit.rule}"
            seen[hit.rule] = rule.__name__
            yield item

    return watched


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Run the engine with every registered rule watched; return code -> rule seen."""
    found: dict[str, str] = {}
    records = tuple(_watch(r, c, found) for r, c in RECORD_RULES.items())
    portfolio = tuple(_watch(r, c, found) for r, c in PORTFOLIO_RULES.items())
    monkeypatch.setattr(engine, "RECORD_CHECKS", records)
    monkeypatch.setattr(engine, "PORTFOLIO_CHECKS", portfolio)
    return found


def _problem_codes(roots: Iterable[Path]) -> set[str]:
    return {p.rule for root in roots for e in load_registry(root).entries for p in e.problems}


def test_rules_report_only_their_declared_codes(
    seen: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "projects").mkdir(parents=True)
    for path in sorted((DATA / "invalid").iterdir()):
        if path.is_file() and not path.is_symlink():
            (corpus / "projects" / path.name).write_bytes(path.read_bytes())
    monkeypatch.chdir(tmp_path)
    for root in [*REGISTRIES, corpus]:
        engine.check(load_registry(root), AS_OF)
    # the data exercise most rules, so the declarations are really tested
    assert len(seen) >= 12, sorted(seen)
    assert _problem_codes([*REGISTRIES, corpus]) <= set(LOADING_CODES)
