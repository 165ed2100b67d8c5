"""Generate a synthetic registry of N varied, valid records for benchmarks."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

STAGES = ["discovery", "poc", "pilot", "scale", "optimize"]
TEAMS = ["Finance", "Sales", "Customer Service", "Logistics", "HR", "Legal", "IT", "Procurement"]
WORDS = [
    "invoice",
    "contract",
    "claim",
    "ticket",
    "shipment",
    "forecast",
    "supplier",
    "customer",
    "order",
    "payment",
    "refund",
    "schedule",
    "route",
    "warehouse",
    "audit",
    "review",
    "report",
    "request",
    "email",
    "call",
]


def record_text(i: int, rng: random.Random, as_of: dt.date) -> str:
    """Return the YAML of one synthetic record that passes the gates of its stage."""
    stage_index = rng.randrange(len(STAGES))
    started = as_of - dt.timedelta(days=20 + 30 * stage_index + rng.randrange(20))
    noun, verb = rng.choice(WORDS), rng.choice(WORDS)
    lines = [
        "# yaml-language-server: $schema=../record.schema.json",
        f"id: init-{i:05d}",
        f"title: {noun.capitalize()} {verb} automation {i}",
        f"problem: Staff spend {rng.randrange(5, 60)}% of their week on {noun} {verb} work.",
        "success_metric: {name: Hours saved per week, baseline: 0, target: 20, unit: hours}",
        "quality_target: {metric: accuracy, threshold: 0.8}",
        f"team: {rng.choice(TEAMS)}",
        f"owner: {{name: Owner {i}, email: owner{i}@example.com}}",
        "sponsors:",
        f"  - {{name: Sponsor {i % 97}, role: VP, since: {started}}}",
        f"  - {{name: Sponsor {i % 89 + 100}, role: CTO, since: {started}}}",
        f"stage: {STAGES[stage_index]}",
        "status: active",
        f"started: {started}",
        "use_cases: [One workflow]",
        "budget: {cost_per_inference: 0.01, monthly_forecast: 2000}",
        "decisions:" if stage_index else "decisions: []",
    ]
    day = started
    for k in range(stage_index):
        day += dt.timedelta(days=25)
        lines.append(
            f"  - {{date: {day}, from: {STAGES[k]}, to: {STAGES[k + 1]}, "
            f"outcome: advance, by: [Sponsor {i % 97}]}}"
        )
    first = started + dt.timedelta(days=5)
    lines += ["checks:"] + [
        f"  - {{name: {name}, status: passed, date: {first}}}"
        for name in (
            "data-access",
            "security-review",
            "data-gaps",
            "integration-test",
            "rollback-plan",
            "sla-draft",
            "monitoring-dashboards",
            "on-call",
        )
    ]
    lines += [
        "evidence:",
        f"  - {{kind: quality, date: {first}, metric: accuracy, samples: 150, "
        f"successes: {rng.randrange(130, 150)}, sampling: random}}",
        f"  - {{kind: cost, date: {first}, per_inference: 0.012, monthly: 1800, actual: true}}",
        f"  - {{kind: adoption, date: {first}, users: 6, daily_active: 5, days: 30}}",
        f"  - {{kind: satisfaction, date: {first}, score: 0.8, respondents: 6}}",
        f"  - {{kind: sla, date: {first}, target: 0.999, consecutive_days_met: 31}}",
        "learnings:",
        "  - text: Measure on random samples from the first week.",
        "    tags: [evaluation]",
        f"tags: [{noun}, {verb}]",
    ]
    return "\n".join(lines) + "\n"


def write_registry(root: Path, n: int, as_of: dt.date, seed: int = 7) -> Path:
    """Write N records under root/registry/projects and return the registry folder."""
    rng = random.Random(seed)
    projects = root / "registry" / "projects"
    projects.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (projects / f"init-{i:05d}.yaml").write_text(record_text(i, rng, as_of), encoding="utf-8")
    return root / "registry"
