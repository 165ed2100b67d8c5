"""Under `serve`, project pages rendered from equal inputs are reused, and only those."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from generator.check.run import run_checks
from generator.site.build import PageMemo, SiteSettings, build_site_files

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 25)
EDITED = "cs-reply-drafting"


def _registry(tmp_path: Path) -> Path:
    registry = tmp_path / "registry"
    shutil.copytree(ROOT / "registry", registry)
    return registry


def _templates(tmp_path: Path) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "site_theme" / "templates", templates)
    return templates


def test_an_edit_renders_that_records_page_again_and_reuses_the_rest(tmp_path: Path) -> None:
    registry, memo = _registry(tmp_path), PageMemo()
    settings = SiteSettings(_templates(tmp_path))
    first = build_site_files(run_checks(registry, AS_OF, changes={}), settings, memo=memo)
    record = registry / "projects" / f"{EDITED}.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("learnings:\n", "learnings:\n  - text: Memo.\n"),
        encoding="utf-8",
    )
    second = build_site_files(run_checks(registry, AS_OF, changes={}), settings, memo=memo)
    fresh = build_site_files(run_checks(registry, AS_OF, changes={}), settings)
    assert second == fresh  # what a build without the memo renders
    page = f"projects/{EDITED}.md"
    assert "Memo." in str(second[page]) and "Memo." not in str(first[page])
    others = [
        p for p in first if p.startswith("projects/") and p not in (page, "projects/index.md")
    ]
    assert len(others) > 10
    assert all(second[p] is first[p] for p in others)  # the same text, not rendered again
    assert fresh[others[0]] is not first[others[0]]


def test_a_template_edit_renders_every_page_again(tmp_path: Path) -> None:
    registry, templates, memo = _registry(tmp_path), _templates(tmp_path), PageMemo()
    settings = SiteSettings(templates)
    report = run_checks(registry, AS_OF, changes={})
    first = build_site_files(report, settings, memo=memo)
    template = templates / "project.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nNew last line.\n", "utf-8")
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = build_site_files(report, settings, memo=memo)
    pages = [p for p in first if p.startswith("projects/") and p != "projects/index.md"]
    assert all("New last line." in str(second[p]) for p in pages)
    assert not any("New last line." in str(first[p]) for p in pages)
