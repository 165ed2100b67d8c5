"""The site core on the example registry: links to the record's source and its history."""

from __future__ import annotations

import datetime as dt
import gc
import html
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from builders import passing
from invariants import built_site

from generator.check.run import run_checks
from generator.load.git import Commit
from generator.site.build import SiteSettings, build_site_files
from generator.site.charts.select import portfolio_charts
from generator.site.charts.types import Chart
from generator.site.portfolio import portfolio_of

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 25)
SVG = "{http://www.w3.org/2000/svg}"
RECORD = "registry/projects/cs-reply-drafting.yaml"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | bytes]:
    monkey = pytest.MonkeyPatch()
    monkey.chdir(ROOT)
    try:
        report = run_checks(Path("registry"), AS_OF, changes={})
        commit = Commit("0123456789abcdef0123456789abcdef01234567", AS_OF, "Advance to pilot")
        settings = SiteSettings(
            ROOT / "site_theme" / "templates",
            edit_url="https://git.example.com/org/repo/edit/main/{path}",
            commit_url="https://git.example.com/org/repo/commit/{sha}",
            history={RECORD: [commit]},
        )
        return build_site_files(report, settings)
    finally:
        monkey.undo()


def page(files: dict[str, str | bytes], path: str) -> str:
    content = files[path]
    assert isinstance(content, str)
    return content


def hrefs(text: str, label: str) -> list[str]:
    """Return the targets of the page's outside links labelled `label`, entities decoded."""
    pattern = rf'<a href="([^"]*)" rel="noopener">{re.escape(label)}</a>'
    return [html.unescape(href) for href in re.findall(pattern, text)]


def test_project_page_links_to_its_record_for_editing(files: dict[str, str | bytes]) -> None:
    text = page(files, "projects/cs-reply-drafting.md")
    href = f"https://git.example.com/org/repo/edit/main/{RECORD}"
    assert hrefs(text, "Edit this record") == [href]


def test_project_page_lists_its_change_history_with_commit_links(
    files: dict[str, str | bytes],
) -> None:
    text = page(files, "projects/cs-reply-drafting.md")
    assert "## Change history" in text
    assert '<strong>Record last changed</strong> <span class="pf-date">2026-11-25</span>' in text
    href = "https://git.example.com/org/repo/commit/0123456789abcdef0123456789abcdef01234567"
    assert re.search(r'<td><a href="[^"]*" rel="noopener">0123456</a></td>', text)
    assert hrefs(text, "0123456") == [href]
    assert "Advance to pilot" in text


def test_without_history_there_is_no_history_section(files: dict[str, str | bytes]) -> None:
    text = page(files, "projects/hr-policy-assistant.md")
    assert "## Change history" not in text
    assert "Edit this record" in text


def test_every_record_and_section_is_generated(files: dict[str, str | bytes]) -> None:
    ids = sorted(p.stem for p in (ROOT / "registry" / "projects").glob("*.yaml"))
    assert (
        sorted(p[9:-3] for p in files if p.startswith("projects/") and p != "projects/index.md")
        == ids
    )
    sections = ["index.md", "graveyard.md", "learnings.md", "failure-modes.md", "pilots.md"]
    sections += ["sponsors.md", "policy.md", "problems.md", "portfolio.json", "portfolio.csv"]
    assert set(sections) <= set(files)


def test_portfolio_charts_are_redrawn_only_when_their_numbers_change(tmp_path: Path) -> None:
    """`serve` rebuilds after every save; an edit to words alone reuses the drawn charts."""
    shutil.copytree(ROOT / "registry", tmp_path / "registry")
    record = tmp_path / "registry" / "projects" / "carrier-invoice-audit.yaml"

    def charts() -> dict[str, Chart]:
        return portfolio_charts(portfolio_of(run_checks(tmp_path / "registry", AS_OF)))

    before = charts()
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("Auditors trusted", "Auditors came to trust"))
    after_words = charts()
    assert all(after_words[name] is chart for name, chart in before.items())

    record.write_text(text.replace("status: active", "status: shelved"))
    after_status = charts()
    changed = {name for name, chart in before.items() if after_status[name] is not chart}
    assert {"funnel", "status", "timeline"} <= changed
    assert after_status["funnel"].svg != before["funnel"].svg


def test_cost_chart_marks_and_counts_the_policy_thresholds(tmp_path: Path) -> None:
    """G404 and S009 judge on the policy's multiples; the cost chart must mark the same."""
    root = tmp_path / "registry"
    # Actual monthly cost against a forecast of 1,000: within, over the default 1.2× only,
    # over 1.5×, and between 3× and the default 4×.
    for project_id, monthly in (("aa", 1100), ("bb", 1300), ("cc", 1600), ("dd", 3500)):
        problem = f"Clerks in team {project_id} match {monthly} invoices a month by hand."
        draft = passing("optimize", project_id=project_id, title=project_id, problem=problem)
        when = draft.entries["optimize"] - dt.timedelta(days=2)  # before the gate decision
        cost = f"{{kind: cost, date: {when}, monthly: {monthly}, actual: true}}"
        draft.item("evidence", "actual", cost)
        draft.write(root)
    (root / "policy.yaml").write_text(
        "thresholds: {cost_overrun_max: 1.5, cost_explosion: 3}\n", encoding="utf-8"
    )
    report = run_checks(root, AS_OF)
    files = build_site_files(report, SiteSettings(ROOT / "site_theme" / "templates"))
    # The rules judge on the policy: G404 for cc and dd, S009 for dd alone.
    assert sorted(f.project for f in report.findings if f.rule == "G404") == ["cc", "dd"]
    assert sorted(f.project for f in report.findings if f.rule == "S009") == ["dd"]

    svg = page(files, "charts/cost.svg")
    alt = "Monthly cost of 4 initiatives (active only), 4 with both an actual and a forecast: "
    alt += "2 above 1.5× forecast, 1 at 3× or more. "
    alt += "Furthest over: dd at 3.5× (3,500 against 1,000 USD a month)."
    assert ET.fromstring(svg).get("aria-label") == alt
    assert alt in html.unescape(page(files, "index.md"))  # the figure caption
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]
    legend = ["actual ≤ 1.5×", "actual > 1.5×", "actual ≥ 3×", "1.5× forecast", "3× forecast"]
    assert set(legend) <= set(texts)
    assert not [t for t in texts if "1.2×" in t or "4×" in t]

    # Same records, default policy: the memoised chart must not be reused across policies.
    (root / "policy.yaml").unlink()
    default = portfolio_charts(portfolio_of(run_checks(root, AS_OF)))["cost"]
    assert default.alt.startswith(
        "Monthly cost of 4 initiatives (active only), 4 with both an actual and a forecast: "
        "3 above 1.2× forecast, 0 at 4× or more."
    )


def test_a_build_leaves_the_process_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`publish.build` sets SOURCE_DATE_EPOCH and a GC threshold only while it builds."""
    from generator.publish import mkdocs_run

    for item in ("mkdocs.yml", "site_theme", "registry"):
        source = ROOT / item
        target = tmp_path / item
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "kept")
    threshold = gc.get_threshold()
    with built_site(tmp_path):
        report = mkdocs_run.build(tmp_path / "mkdocs.yml", AS_OF)
    assert report.records == len(list((tmp_path / "registry" / "projects").glob("*.yaml")))
    assert (tmp_path / "site" / "index.html").is_file()
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert os.environ["NO_MKDOCS_2_WARNING"] == "kept"
    assert gc.get_threshold() == threshold
