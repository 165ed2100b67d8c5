"""The chart store: charts kept by content between builds, drawn once, same bytes.

Real `portfolio build` runs on a project with records with an evidence history, whose
charts the store draws (cold) or keeps (warm), compared file by file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from builders import AS_OF, passing

from generator.site.charts import history
from generator.site.charts.store import ChartStore, Drawing, code_version

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHARTED = 30  # records with an evidence history
CACHE = Path(".cache/portfolio/charts")


def _project(root: Path) -> Path:
    """Write a project: the repo's mkdocs.yml and theme, CHARTED records with histories."""
    root.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "site_theme", root / "site_theme")
    registry = root / "registry"
    for i in range(CHARTED):
        draft = passing("scale" if i % 2 else "pilot", project_id=f"matching-{i:02d}")
        day = AS_OF - dt.timedelta(days=1)
        draft.item(
            "evidence",
            "quality-live",
            f"{{kind: quality, date: {day}, metric: accuracy, samples: {100 + i}, "
            f"successes: {70 + i}, sampling: random}}",
        )
        draft.write(registry)
    return root


def _build(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTFOLIO_")}
    argv = [str(BIN / "portfolio"), "build", "--as-of", AS_OF.isoformat()]
    done = subprocess.run(
        argv, cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert (project / "site" / "index.html").is_file(), done.stdout + done.stderr


def _tree(folder: Path) -> dict[str, str]:
    """Return every file under folder by relative path, as a hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _cold(project: Path) -> dict[str, str]:
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    _build(project)
    return _tree(project / "site")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("store") / "project")


def test_two_cold_builds_and_a_warm_build_are_byte_identical(project: Path) -> None:
    first = _cold(project)
    charts = [p for p in first if p.startswith("charts/projects/")]
    assert len(charts) == CHARTED  # every record's chart
    second = _cold(project)
    kept = _tree(project / CACHE)
    _build(project)  # warm: every chart from the store
    warm = _tree(project / "site")
    assert first == second
    assert warm == first
    assert _tree(project / CACHE) == kept  # nothing drawn again, nothing rewritten


def test_an_edit_redraws_that_records_chart_and_nothing_else(project: Path) -> None:
    _cold(project)
    before = _tree(project / CACHE)
    record = project / "registry" / "projects" / "matching-03.yaml"
    saved = record.read_text(encoding="utf-8")
    day = AS_OF.isoformat()
    extra = f"  - {{kind: quality, date: {day}, metric: accuracy, samples: 300, successes: 290}}\n"
    text = saved.replace("evidence:\n", "evidence:\n" + extra, 1)
    assert text != saved
    record.write_text(text, encoding="utf-8")
    try:
        _build(project)
        after = _tree(project / CACHE)
        new = sorted(set(after) - set(before))
        svgs = [p for p in new if p.endswith(".svg")]
        assert len(svgs) == 1  # the edited record's own chart
        assert all(p.endswith(".json") for p in set(new) - set(svgs))  # portfolio charts
        chart = (project / "site" / "charts" / "projects" / "matching-03.svg").read_bytes()
        assert chart == (project / CACHE / svgs[0]).read_bytes()
        assert b"0.97" in chart  # the new measurement, 290/300, is drawn
    finally:
        record.write_text(saved, encoding="utf-8")


def _drawing(bar: float) -> Drawing:
    points = ((dt.date(2026, 1, 1), 0.5, 0.4, 0.6), (dt.date(2026, 2, 1), 0.6, 0.5, 0.7))
    plan = history.evidence_plan([("accuracy", points)], bar, "higher")
    return plan.drawing


def test_key_follows_the_inputs_and_the_code_version(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _drawing(0.8).key() == _drawing(0.8).key()
    assert _drawing(0.8).key() != _drawing(0.81).key()  # the bar drawn is part of the key
    before = _drawing(0.8).key()
    monkeypatch.setattr("generator.site.charts.store.code_version", lambda: "other")
    assert _drawing(0.8).key() != before  # new drawing code: drawn again
    assert len(code_version()) == 16


def test_queued_charts_are_drawn_once_into_the_folder(tmp_path: Path) -> None:
    drawings = [_drawing(0.7 + i / 100) for i in range(CHARTED)]
    with ChartStore(tmp_path / "store") as store:
        for i, drawing in enumerate(drawings):
            store.later(f"charts/{i}.svg", drawing)
        store.finish()
        assert store.drawn == CHARTED
        for i, drawing in enumerate(drawings):
            text = store.files[f"charts/{i}.svg"].read_text(encoding="utf-8")
            assert text == drawing.svg()
    assert not list((tmp_path / "store").glob(".draw-*"))  # no half-written file left
    with ChartStore(tmp_path / "store") as again:
        for i, drawing in enumerate(drawings):
            again.later(f"charts/{i}.svg", drawing)
        again.finish()
        assert again.drawn == 0  # all kept from the first
        assert again.files == store.files


def test_a_drawing_error_reaches_the_build(tmp_path: Path) -> None:
    series = (("accuracy", (("not a date", 0.5, None, None),)),)
    bad = Drawing(history.evidence_svg, (series, None, "bar", True, "alt"))
    with ChartStore(tmp_path / "store") as store:
        store.later("charts/good.svg", _drawing(0.7))
        store.later("charts/bad.svg", bad)
        with pytest.raises(AttributeError):  # "not a date" has no toordinal
            store.finish()
    assert not (tmp_path / "store" / f"{bad.key()}.svg").exists()


def _portfolio_drawings() -> dict[str, Drawing]:
    from generator.check.run import run_checks
    from generator.site.charts.select import portfolio_drawings
    from generator.site.portfolio import portfolio_of

    return portfolio_drawings(portfolio_of(run_checks(REPO / "registry", AS_OF, changes={})))


def test_portfolio_charts_drawn_ahead_in_a_worker_are_those_drawn_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in `portfolio build`: no other thread (the test runner's may run here).
    monkeypatch.setattr("generator.site.charts.store.active_count", lambda: 1)
    drawings = _portfolio_drawings()
    with ChartStore(tmp_path / "here") as here:
        expected = {name: here.chart(d) for name, d in drawings.items()}
    with ChartStore(tmp_path / "ahead", fork=True) as store:
        store.ahead(drawings.values())
        assert store._ahead is not None and store._ahead.pid != os.getpid()
        got = {name: store.chart(d) for name, d in drawings.items()}
        assert store.drawn == len(drawings) == 7
    assert got == expected
    assert sorted(p.name for p in (tmp_path / "ahead").iterdir()) == sorted(
        p.name for p in (tmp_path / "here").iterdir()
    )
    with ChartStore(tmp_path / "ahead", fork=True) as again:
        again.ahead(drawings.values())  # every chart is kept: no worker
        assert again._ahead is None
        assert {name: again.chart(d) for name, d in drawings.items()} == expected
        assert again.drawn == 0


def test_a_chart_the_worker_could_not_draw_fails_the_build_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("generator.site.charts.store.active_count", lambda: 1)
    drawings = _portfolio_drawings()
    bad = Drawing(drawings["funnel"].draw, (("not", "stage", "counts"),))
    with ChartStore(tmp_path / "store", fork=True) as store:
        store.ahead([bad, drawings["status"]])
        assert store.chart(drawings["status"]) is not None  # drawn here: the worker stopped
        with pytest.raises(AttributeError):
            store.chart(bad)
    assert not (tmp_path / "store" / f"{bad.key()}.json").exists()


def test_no_worker_is_forked_beside_another_thread(tmp_path: Path) -> None:
    drawings = _portfolio_drawings()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with ChartStore(tmp_path / "store", fork=True) as store:
            store.ahead(drawings.values())
            assert store._ahead is None  # drawn here, when asked for
            assert store.chart(drawings["funnel"]).svg.startswith("<svg")
    finally:
        stop.set()
        thread.join()
