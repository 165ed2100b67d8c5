"""Data of the portfolio-wide pages: overview, graveyard, learnings, pilots and more."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..core.catalog import CATALOG
from ..core.model import STAGES
from ..core.playbook import GATES
from .portfolio import Portfolio, rule_rows, stage_counts
from .views import findings_view

Row = dict[str, Any]


def overview(rows: list[Row], portfolio: Portfolio) -> dict[str, object]:
    """Return counts, the funnel, what needs attention and recent decisions."""
    by_status = {s: sum(r["status"] == s for r in rows) for s in ("active", "killed", "shelved")}
    attention = sorted(
        (r for r in rows if r["health"] != "ok" and r["status"] == "active"),
        key=lambda r: (-int(r["errors"]), -int(r["warnings"]), r["id"]),
    )
    return {
        "total": len(rows),
        "by_status": by_status,
        "stages": stage_counts(portfolio),
        "attention": attention[:25],
        "attention_total": len(attention),
        "recent": recent_decisions(portfolio, 12),
        "unreadable": len(portfolio.unreadable),
    }


def recent_decisions(portfolio: Portfolio, limit: int) -> list[Row]:
    """Return the newest gate decisions across the portfolio."""
    out = []
    for entry in portfolio.records:
        record = entry.record
        assert record is not None
        for d in record.decisions:
            out.append(
                {
                    "date": d.date,
                    "id": record.id,
                    "title": record.title,
                    "outcome": d.outcome,
                    "from": d.from_,
                    "to": d.to,
                    "rationale": d.rationale,
                }
            )
    out.sort(key=lambda r: (r["date"], r["id"]), reverse=True)
    return out[:limit]


def graveyard(views: list[Row]) -> list[Row]:
    """Return killed and shelved initiatives, most recent end first."""
    dead = []
    for v in views:
        if v["status"] == "active":
            continue
        ends = [d for d in v["decisions"] if d["outcome"] in ("kill", "shelve")]
        modes = sorted({f["mode"] for f in v["failures"]})
        dead.append({**v, "end": ends[-1] if ends else None, "modes": modes})
    return sorted(dead, key=lambda v: (str(v["ended"] or ""), v["id"]), reverse=True)


def learnings(views: list[Row]) -> dict[str, object]:
    """Return every learning grouped by tag and by failure mode."""
    by_tag: dict[str, list[Row]] = defaultdict(list)
    by_mode: dict[str, list[Row]] = defaultdict(list)
    for v in views:
        modes = sorted({f["mode"] for f in v["failures"]})
        for item in v["learnings"]:
            row = {"text": item["text"], "id": v["id"], "title": v["title"], "status": v["status"]}
            for tag in item["tags"] or ["untagged"]:
                by_tag[tag].append(row)
            for mode in modes or ["no failure mode recorded"]:
                by_mode[mode].append(row)
    return {"by_tag": sorted(by_tag.items()), "by_mode": sorted(by_mode.items())}


def failure_modes(views: list[Row], portfolio: Portfolio) -> list[Row]:
    """Return the taxonomy with counts and the initiatives that hit each mode."""
    hits: dict[str, list[Row]] = defaultdict(list)
    for v in views:
        for f in v["failures"]:
            hits[f["mode"]].append({"id": v["id"], "title": v["title"], "stage": f["stage"],
                                    "status": v["status"], "description": f["description"],
                                    "mitigation": f["mitigation"]})  # fmt: skip
    modes = list(portfolio.policy.all_failure_modes)
    modes += sorted(m for m in hits if m not in modes)
    return [
        {"mode": m, "count": len(hits[m]), "known": m in portfolio.policy.all_failure_modes,
         "hits": hits[m]}
        for m in modes
    ]  # fmt: skip


def pilots(views: list[Row]) -> list[Row]:
    """Return the active pilots, the most overdue first."""
    board = [v for v in views if v["pilot"] is not None]
    return sorted(board, key=lambda v: (-int(v["pilot"]["day"]), v["id"]))


def sponsors(views: list[Row]) -> dict[str, object]:
    """Return initiatives per sponsor (current and former) and per team."""
    by_sponsor: dict[str, list[Row]] = defaultdict(list)
    by_team: dict[str, list[Row]] = defaultdict(list)
    for v in views:
        for s in v["sponsor_rows"]:
            by_sponsor[s["name"]].append({**_brief(v), "role": s["role"], "active": s["active"]})
        by_team[v["team"]].append(_brief(v))
    return {"by_sponsor": sorted(by_sponsor.items()), "by_team": sorted(by_team.items())}


def _brief(v: Row) -> Row:
    return {k: v[k] for k in ("id", "title", "stage", "status", "health")}


def policy(views: list[Row], portfolio: Portfolio) -> dict[str, object]:
    """Return the rules, thresholds and vocabularies in force, and active waivers."""
    waivers = [
        {**w, "id": v["id"], "title": v["title"]}
        for v in views
        for w in v["waivers"]
        if w["active"]
    ]
    thresholds = portfolio.policy.thresholds.model_dump()
    stage_days = thresholds.pop("stage_max_days")
    gates = [
        {"source": g.source, "target": g.target, "decider": g.decider,
         "codes": [c for c in CATALOG if c.startswith(f"G{n}")]}
        for n, g in enumerate(GATES, start=1)
    ]  # fmt: skip
    return {
        "gates": gates,
        "rules": rule_rows(portfolio.policy),
        "thresholds": sorted(thresholds.items()),
        "stage_days": [(s, stage_days.get(s)) for s in STAGES],
        "technology_terms": list(portfolio.policy.technology_terms),
        "failure_modes": list(portfolio.policy.all_failure_modes),
        "waivers": sorted(waivers, key=lambda w: (w["expires"], w["id"])),
        "policy_file": portfolio.registry.policy_entry.file
        if portfolio.registry.policy_entry
        else None,
    }


def problems(portfolio: Portfolio) -> dict[str, object]:
    """Return unreadable records first, then every other finding by file."""
    unreadable = [
        {"file": e.file, "findings": findings_view(portfolio.findings_by_file.get(e.file, []))}
        for e in portfolio.unreadable
    ]
    bad_files = {e.file for e in portfolio.unreadable}
    others = [f for f in portfolio.report.findings if f.file not in bad_files]
    return {
        "unreadable": unreadable,
        "findings": findings_view(others),
        "errors": portfolio.report.errors,
        "warnings": portfolio.report.warnings,
    }
