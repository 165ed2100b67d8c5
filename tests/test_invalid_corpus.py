"""The hostile corpus in tests/data/invalid: each file alone, all together, nothing executes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from generator.load.registry import load_entry

AS_OF = "2026-11-25"  # every corpus date is before it, but one (README)

DATA = Path(__file__).parent / "data"
CORPUS = sorted((DATA / "invalid").iterdir())
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (DATA / "invalid_expected.json").read_text(encoding="utf-8")
)


def test_corpus_is_large_and_fully_described() -> None:
    assert len(CORPUS) >= 25
    assert sorted(p.name for p in CORPUS) == sorted(EXPECTED)
    assert all(p.name.startswith(EXPECTED[p.name]["rule"].lower() + "-") for p in CORPUS)


@pytest.mark.parametrize("source", CORPUS, ids=lambda p: p.name)
def test_each_invalid_file_is_reported(
    source: Path, registry: Path, cli: Callable[..., Result]
) -> None:
    target = registry / "projects" / source.name
    shutil.copyfile(source, target)

    result = cli("validate", "--format", "json", "--as-of", AS_OF)

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    doc = json.loads(result.stdout)
    found = [(f["rule"], f["line"]) for f in doc["findings"]]
    expected = EXPECTED[source.name]
    assert (expected["rule"], expected["line"]) in found
    assert {f["file"] for f in doc["findings"]} == {f"registry/projects/{source.name}"}
    assert all(f["severity"] == "error" for f in doc["findings"] if f["rule"].startswith("R"))
    if load_entry(target).record is None:
        # Nothing but the record rules can judge a file that could not be read.
        assert all(f["rule"].startswith("R") for f in doc["findings"]), found


def test_one_bad_file_never_stops_the_others(
    registry: Path,
    write_record: Callable[..., Path],
    validate_json: Callable[..., dict[str, Any]],
) -> None:
    for source in CORPUS:
        shutil.copyfile(source, registry / "projects" / source.name)
    write_record(registry, "valid-record", title="Supplier onboarding")

    doc = validate_json()

    assert doc["records"] == len(CORPUS) + 1
    by_file: dict[str, set[tuple[str, int]]] = {}
    for f in doc["findings"]:
        by_file.setdefault(Path(f["file"]).name, set()).add((f["rule"], f["line"]))
    for source in CORPUS:
        expected = EXPECTED[source.name]
        assert (expected["rule"], expected["line"]) in by_file.get(source.name, set()), source.name
    valid = by_file.get("valid-record.yaml", set())
    assert not [rule for rule, _ in valid if rule.startswith("R")]


PAYLOADS = [
    'title: !!python/object/apply:os.system ["touch {marker}"]\n',
    "title: !!python/object/apply:os.system {{args: ['touch {marker}']}}\n",
    "--- !!python/object/apply:os.system ['touch {marker}']\n",
    "title: [!!python/object/apply:os.system ['touch {marker}']]\n",
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=["scalar", "mapping", "document", "nested"])
def test_python_tags_never_execute(
    payload: str,
    registry: Path,
    tmp_path: Path,
    minimal_record: Callable[..., str],
    validate_json: Callable[..., dict[str, Any]],
) -> None:
    marker = tmp_path / "pwned"
    text = payload.format(marker=marker)
    if text.startswith("title"):
        text = minimal_record("hostile", title=None) + text
    (registry / "projects" / "hostile.yaml").write_text(text, encoding="utf-8")

    doc = validate_json()

    assert [f["rule"] for f in doc["findings"]] == ["R001"]
    assert not marker.exists()
    # The payload is live: an unsafe loader would have run it.
    yaml.unsafe_load(text)
    assert marker.exists()


def test_corpus_python_tag_file_is_rejected_without_running(
    registry: Path, validate_json: Callable[..., dict[str, Any]], capfd: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(
        DATA / "invalid" / "r001-python-tag.yaml", registry / "projects" / "r001-python-tag.yaml"
    )

    doc = validate_json()

    assert [(f["rule"], f["line"], f["column"]) for f in doc["findings"]] == [("R001", 2, 8)]
    assert "PWNED" not in capfd.readouterr().out
