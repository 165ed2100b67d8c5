"""Builders for gate, signal and policy tests: records that pass every gate, on disk.

`passing(stage)` returns a `Draft`: a record that has passed every gate up to
`stage`, with its decisions, checks and evidence dated so that every gate is
met on the day of its decision and no time-based signal fires as of `AS_OF`.
A test changes one thing (`draft.set`, `draft.item`), writes the YAML into a
registry folder and asserts on the findings of the real loader and engine.

Every scalar field and every list item is written on its own line, so a test
can name the line of anything it touches with `line_of(text, needle)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.check.run import run_checks
from generator.core.findings import Finding

AS_OF = dt.date(2026, 11, 25)
STAGES = ("discovery", "poc", "pilot", "scale", "optimize")
# Days a passing record spends in each stage before its advance decision.
STAGE_DAYS = {"discovery": 10, "poc": 20, "pilot": 30, "scale": 40}
# Gate items are dated this many days before the decision they justify.
LEAD = 2

SPONSOR_A = "Kim Ode"
SPONSOR_B = "Raj Patel"
OWNER = "Ana Lima"


def days_ago(days: int) -> dt.date:
    """Return the date `days` before the as-of date."""
    return AS_OF - dt.timedelta(days=days)


@dataclass
class Draft:
    """A record as ordered top-level fields; list fields are labelled items (one per line)."""

    fields: dict[str, str | dict[str, str]] = field(default_factory=dict)
    entries: dict[str, dt.date] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Return the record's id as written."""
        value = self.fields["id"]
        assert isinstance(value, str)
        return value

    def set(self, key: str, value: str | None) -> Draft:
        """Set a scalar or flow field (YAML text after `key: `), or drop it with None."""
        if value is None:
            self.fields.pop(key, None)
        else:
            self.fields[key] = value
        return self

    def item(self, key: str, label: str, value: str | None) -> Draft:
        """Set, add (at the end) or drop (None) one item of a list field."""
        items = self.fields.setdefault(key, {})
        assert isinstance(items, dict), f"{key} is not a list field"
        if value is None:
            del items[label]
        else:
            items[label] = value
        if not items:
            del self.fields[key]
        return self

    def text(self) -> str:
        """Return the record as YAML text."""
        lines = []
        for key, value in self.fields.items():
            if isinstance(value, dict):
                lines.append(f"{key}:")
                lines += [f"  - {item}" for item in value.values()]
            else:
                lines.append(f"{key}: {value}")
        return "\n".join(lines) + "\n"

    def write(self, root: Path) -> str:
        """Write the record to `root/projects/<id>.yaml` and return its text."""
        projects = root / "projects"
        projects.mkdir(parents=True, exist_ok=True)
        text = self.text()
        (projects / f"{self.id}.yaml").write_text(text, encoding="utf-8")
        return text


def _entry_dates(stage: str, entered: dt.date) -> dict[str, dt.date]:
    """Return when the record entered each stage up to `stage` (discovery = started)."""
    reached = STAGES.index(stage)
    dates = {stage: entered}
    for k in range(reached, 0, -1):
        dates[STAGES[k - 1]] = dates[STAGES[k]] - dt.timedelta(days=STAGE_DAYS[STAGES[k - 1]])
    return dates


def passing(
    stage: str = "pilot",
    *,
    project_id: str = "invoice-matching",
    entered: dt.date | None = None,
    title: str = "Invoice matching",
    problem: str = "Accounts payable clerks spend two days a month matching invoices by hand.",
) -> Draft:
    """Return a record at `stage` that passed every gate up to it, entered `entered`.

    Defaults: entered 5 days before the as-of date, quality 120/150 random
    against a bar of 0.70, cost per inference 2× target, 5 users for 25 days
    with 4 daily active, satisfaction 0.80, an outcome of 0.6 (the metric has no
    baseline), SLA met 30 days, actual monthly cost 1.1× forecast, two sponsors in office.
    """
    entry = _entry_dates(stage, entered or days_ago(5))
    started = entry["discovery"]
    reached = STAGES.index(stage)

    def before(target: str) -> str:
        return (entry[target] - dt.timedelta(days=LEAD)).isoformat()

    draft = Draft(entries=entry)
    draft.set("id", project_id).set("title", title).set("problem", problem)
    draft.set("success_metric", "{name: Invoices matched without a clerk, target: 0.8}")
    draft.set("quality_target", "{metric: accuracy, threshold: 0.70}")
    draft.set("team", "Finance").set("owner", f"{{name: {OWNER}}}")
    draft.item("sponsors", "a", f"{{name: {SPONSOR_A}, role: CFO, since: {started}}}")
    draft.item("sponsors", "b", f"{{name: {SPONSOR_B}, role: CIO, since: {started}}}")
    draft.set("stage", stage).set("status", "active").set("started", started.isoformat())
    draft.set("use_cases", "[Match supplier invoices to purchase orders]")
    draft.set("budget", "{cost_per_inference: 0.01, monthly_forecast: 1000}")
    for k in range(1, reached + 1):
        source, target = STAGES[k - 1], STAGES[k]
        draft.item(
            "decisions",
            target,
            f"{{date: {entry[target]}, from: {source}, to: {target}, outcome: advance, "
            f"by: [{SPONSOR_A}, {OWNER}]}}",
        )
    if reached >= 1:
        _check(draft, "data-access", before("poc"))
    if reached >= 2:
        _check(draft, "security-review", before("pilot"))
        _check(draft, "data-gaps", before("pilot"))
        draft.item(
            "evidence",
            "quality",
            f"{{kind: quality, date: {before('pilot')}, metric: accuracy, samples: 150, "
            "successes: 120, sampling: random}",
        )
        draft.item(
            "evidence", "cost", f"{{kind: cost, date: {before('pilot')}, per_inference: 0.02}}"
        )
    if reached >= 3:
        for name in ("integration-test", "rollback-plan", "sla-draft"):
            _check(draft, name, before("scale"))
        draft.item(
            "evidence",
            "adoption",
            f"{{kind: adoption, date: {before('scale')}, users: 5, daily_active: 4, days: 25}}",
        )
        draft.item(
            "evidence",
            "satisfaction",
            f"{{kind: satisfaction, date: {before('scale')}, score: 0.8, respondents: 5}}",
        )
        draft.item(
            "evidence",
            "outcome",
            f"{{kind: outcome, date: {before('scale')}, value: 0.6}}",
        )
    if reached >= 4:
        _check(draft, "monitoring-dashboards", before("optimize"))
        _check(draft, "on-call", before("optimize"))
        draft.item(
            "evidence",
            "sla",
            f"{{kind: sla, date: {before('optimize')}, target: 0.999, consecutive_days_met: 30}}",
        )
        draft.item(
            "evidence",
            "actual",
            f"{{kind: cost, date: {before('optimize')}, monthly: 1100, actual: true}}",
        )
    return draft


def _check(draft: Draft, name: str, date: str, status: str = "passed") -> None:
    draft.item("checks", name, f"{{name: {name}, status: {status}, date: {date}}}")


def check_item(name: str, date: dt.date | str, status: str = "passed") -> str:
    """Return the YAML flow text of one check."""
    return f"{{name: {name}, status: {status}, date: {date}}}"


def line_of(text: str, needle: str) -> int:
    """Return the 1-based line of the only line of `text` containing `needle`."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}"
    return lines[0]


def validate(
    root: Path, *drafts: Draft, policy: str | None = None, as_of: dt.date = AS_OF
) -> list[Finding]:
    """Write the drafts (and a policy file) under `root`, check it, return every finding."""
    (root / "projects").mkdir(parents=True, exist_ok=True)
    for draft in drafts:
        draft.write(root)
    if policy is not None:
        (root / "policy.yaml").write_text(policy, encoding="utf-8")
    return run_checks(root, as_of).findings


def codes(findings: list[Finding]) -> list[str]:
    """Return the rule codes of the findings, sorted."""
    return sorted(f.rule for f in findings)


def only(findings: list[Finding], rule: str) -> Finding:
    """Return the one finding of a rule, failing if there are none or several."""
    found = [f for f in findings if f.rule == rule]
    assert len(found) == 1, f"expected one {rule}, got {findings}"
    return found[0]
