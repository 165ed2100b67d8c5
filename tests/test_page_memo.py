"""Under `serve`, what equal inputs gave is reused, and only that: pages, files, templates."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import jinja2

from generator.check.engine import Report
from generator.check.run import CheckMemo, run_checks
from generator.publish.incremental import CompiledTemplates
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
    # Section pages: those showing the edit are rendered again, the others kept.
    assert "Memo." in str(second["learnings.md"]) and "Memo." not in str(first["learnings.md"])
    assert second["policy.md"] is first["policy.md"]
    assert second["failure-modes.md"] is first["failure-modes.md"]


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


def _fields(report: Report) -> tuple[object, ...]:
    return (report.as_of, report.records, report.files, report.findings)


def test_an_edit_checks_that_file_again_and_reuses_the_rest(tmp_path: Path) -> None:
    registry, memo = _registry(tmp_path), CheckMemo()
    first = run_checks(registry, AS_OF, changes={}, memo=memo)
    record = registry / "projects" / f"{EDITED}.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text + "sponsor: Ana\n", "utf-8")
    second = run_checks(registry, AS_OF, changes={}, memo=memo)
    assert _fields(second) == _fields(run_checks(registry, AS_OF, changes={}))  # as without
    assert any(f.file.endswith(f"{EDITED}.yaml") and f.rule == "R003" for f in second.findings)
    assert first.registry is not None and second.registry is not None
    before = {e.file: e for e in first.registry.entries}
    renewed = [e.path for e in second.registry.entries if e is not before[e.file]]
    assert renewed == [record]


def test_a_new_date_a_new_commit_or_a_policy_edit_checks_every_file_again(
    tmp_path: Path,
) -> None:
    registry, memo = _registry(tmp_path), CheckMemo()
    first = run_checks(registry, AS_OF, changes={}, memo=memo)
    assert first.registry is not None
    entries = set(map(id, first.registry.entries))
    later = AS_OF + dt.timedelta(days=400)
    again = run_checks(registry, later, changes={}, memo=memo)
    assert _fields(again) == _fields(run_checks(registry, later, changes={}))
    assert again.registry is not None and not entries & set(map(id, again.registry.entries))
    file = next(e.file for e in first.registry.entries if e.path.stem == EDITED)
    committed = run_checks(registry, later, changes={file: later}, memo=memo)
    assert committed.registry is not None
    kept = set(map(id, again.registry.entries))
    renewed = [e.file for e in committed.registry.entries if id(e) not in kept]
    assert renewed == [file]
    policy = registry / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("neglect_days: 60", "neglect_days: 9"), "utf-8"
    )
    edited = run_checks(registry, later, changes={file: later}, memo=memo)
    fresh = run_checks(registry, later, changes={file: later})
    assert _fields(edited) == _fields(fresh)
    assert edited.registry is not None
    assert not set(map(id, committed.registry.entries)) & set(map(id, edited.registry.entries))


def test_the_theme_is_compiled_once_a_session_and_again_when_edited(tmp_path: Path) -> None:
    (tmp_path / "main.html").write_text("<p>{{ title }}</p>", encoding="utf-8")
    compiled = CompiledTemplates()

    def env() -> jinja2.Environment:  # MkDocs makes a new one for every build
        made = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path))
        made.bytecode_cache = compiled
        return made

    assert env().get_template("main.html").render(title="One") == "<p>One</p>"
    assert len(compiled.compiled) == 1
    code = next(iter(compiled.compiled.values()))
    assert env().get_template("main.html").render(title="Two") == "<p>Two</p>"
    assert next(iter(compiled.compiled.values())) is code  # not compiled again
    (tmp_path / "main.html").write_text("<h1>{{ title }}</h1>", encoding="utf-8")
    assert env().get_template("main.html").render(title="Three") == "<h1>Three</h1>"
    assert next(iter(compiled.compiled.values())) is not code
