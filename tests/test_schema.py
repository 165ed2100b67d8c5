"""registry/record.schema.json: committed, current, and usable by a third-party validator."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import scaffold

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "registry" / scaffold.SCHEMA_FILE
EXAMPLES = sorted(
    p for p in (ROOT / "registry" / "projects").glob("*") if p.suffix in (".yaml", ".yml")
)


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    """Run the check-jsonschema CLI of this environment on record files."""
    beside = Path(sys.executable).with_name("check-jsonschema")
    program = str(beside) if beside.exists() else shutil.which("check-jsonschema")
    assert program, "check-jsonschema is not installed (pip install -e '.[dev]')"
    return subprocess.run(
        [program, "--schemafile", str(SCHEMA), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_committed_schema_is_current() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == scaffold.schema_text(), (
        f"{SCHEMA.relative_to(ROOT)} is stale; run: portfolio schema"
    )


@pytest.mark.skipif(not EXAMPLES, reason="registry/projects has no example records yet")
def test_example_records_pass_the_third_party_validator() -> None:
    done = check_jsonschema(*EXAMPLES)
    assert done.returncode == 0, done.stdout + done.stderr


def test_starter_record_passes_the_third_party_validator(tmp_path: Path) -> None:
    path = tmp_path / "my-idea.yaml"
    path.write_text(
        scaffold.starter_text("my-idea", "My idea", "Ops", "Ana Lima", dt.date(2026, 1, 5)),
        encoding="utf-8",
    )
    done = check_jsonschema(path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_full_record_passes_the_third_party_validator(
    tmp_path: Path, minimal_record: Callable[..., str]
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        minimal_record(
            "a",
            stage="poc",
            success_metric="{name: Share matched, baseline: 0.1, target: 0.6, unit: ratio}",
            quality_target="{metric: accuracy, threshold: 0.85}",
            budget="{cost_per_inference: 0.01, monthly_forecast: 1500}",
            decisions="[{date: 2026-01-19, from: discovery, to: poc, outcome: advance, by: [A]}]",
            checks="[{name: x-legal, status: pending, date: 2026-01-15, link: 'mailto:a@b.c'}]",
            evidence="[{kind: quality, date: 2026-02-14, metric: accuracy, samples: 120, "
            "successes: 74, sampling: random}, {kind: shadow-ai, date: 2026-02-14, users: 3}]",
            learnings="[Plain text, {text: Tagged, tags: [evaluation]}]",
            waivers="[{rule: G204, reason: internal, approved_by: CTO, expires: 2026-03-10}]",
            links="{repo: 'https://example.com/repo'}",
        ),
        encoding="utf-8",
    )
    done = check_jsonschema(path)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"teem": "Finance"}, "'teem' was unexpected"),
        ({"stage": "prod"}, "$.stage: 'prod' is not one of"),
        ({"id": "Invoice_Matching"}, "$.id: 'Invoice_Matching' does not match"),
        ({"started": "2026-13-45"}, "is not a 'date'"),
        (
            {"links": "{repo: 'javascript:alert(1)'}"},
            "$.links.repo: 'javascript:alert(1)' does not",
        ),
        ({"owner": "{email: a@example.com}"}, "'name' is a required property"),
        ({"evidence": "[{kind: vibes, date: 2026-02-01}]"}, "$.evidence[0]: {'kind': 'vibes'"),
        ({"title": r'"Invoice\x03"'}, r"$.title: 'Invoice\x03' does not match"),
        ({"links": r'{"wiki\x7f": "https://x.example"}'}, r"'wiki\x7f' does not match"),
    ],
    ids=[
        "unknown-key",
        "bad-stage",
        "not-a-slug",
        "impossible-date",
        "bad-url",
        "missing",
        "bad-kind",
        "control-character",
        "control-character-in-a-link-name",
    ],
)
def test_schema_rejects_bad_records(
    overrides: dict[str, str], complaint: str, tmp_path: Path, minimal_record: Callable[..., str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(minimal_record("bad", **overrides), encoding="utf-8")
    done = check_jsonschema(path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert complaint in done.stdout


def test_schema_accepts_what_the_model_accepts(
    tmp_path: Path, minimal_record: Callable[..., str]
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(minimal_record("a", links="{repo: 'HTTPS://EXAMPLE.COM/A'}"), encoding="utf-8")
    done = check_jsonschema(path)
    assert done.returncode == 0, done.stdout
