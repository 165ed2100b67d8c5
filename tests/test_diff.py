"""`portfolio diff`: what a change does to the registry, on real git repositories."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

Cli = Callable[..., Result]

AS_OF = "2026-11-25"
NO_SUMMARY: dict[str, str | None] = {"GITHUB_STEP_SUMMARY": None}
COMMIT_DATE = "2026-11-21T12:00:00+0000"  # fixed dates: S010 stays quiet, commits reproducible

PROBLEMS = {
    "invoice-matching": "Accounts payable clerks spend two days a month matching invoices by hand.",
    "claims-triage": "Insurance adjusters reread every damage claim twice before routing it.",
    "dock-scheduling": "Warehouse forklifts queue at loading bays because truck arrivals bunch.",
    "contract-review": "Lawyers check supplier agreements for renewal penalties line by line.",
}
TITLES = {
    "invoice-matching": "Invoice matching",
    "claims-triage": "Claims triage",
    "dock-scheduling": "Dock scheduling",
    "contract-review": "Contract review",
}
SPONSORS = "  - {name: Kim Ode, role: CFO, since: 2026-10-26}\n" + (
    "  - {name: Raj Patel, role: CIO, since: 2026-10-26}\n"
)
INTO_POC = "{date: 2026-11-05, from: discovery, to: poc, outcome: advance, by: [Kim Ode]}"
INTO_PILOT = "{date: 2026-11-20, from: poc, to: pilot, outcome: advance, by: [Kim Ode, Raj Patel]}"
DATA_ACCESS = "{name: data-access, status: passed, date: 2026-11-03}"
POC_CHECKS = (
    DATA_ACCESS,
    "{name: security-review, status: passed, date: 2026-11-18}",
    "{name: data-gaps, status: passed, date: 2026-11-18}",
)
COST = "{kind: cost, date: 2026-11-18, per_inference: 0.02}"


def quality(successes: int, samples: int = 150, date: str = "2026-11-18") -> str:
    """Return one random-sample accuracy measurement as YAML flow text."""
    return (
        f"{{kind: quality, date: {date}, metric: accuracy, samples: {samples}, "
        f"successes: {successes}, sampling: random}}"
    )


def record(
    rid: str,
    stage: str = "poc",
    *,
    status: str = "active",
    started: str = "2026-10-26",
    decisions: tuple[str, ...] = (INTO_POC,),
    checks: tuple[str, ...] = (DATA_ACCESS,),
    evidence: tuple[str, ...] = (),
    learnings: tuple[str, ...] = (),
) -> str:
    """Return a record's YAML: clean at `stage` unless the lists say otherwise."""
    text = (
        f"id: {rid}\ntitle: {TITLES.get(rid, 'Invoice matching')}\n"
        f"problem: {PROBLEMS.get(rid, PROBLEMS['invoice-matching'])}\n"
        "success_metric: {name: Work done without a person, target: 0.8}\n"
        "quality_target: {metric: accuracy, threshold: 0.7}\n"
        "team: Finance\nowner: {name: Ana Lima}\n"
        f"sponsors:\n{SPONSORS}stage: {stage}\nstatus: {status}\nstarted: {started}\n"
        "use_cases: [One use case]\nbudget: {cost_per_inference: 0.01, monthly_forecast: 1000}\n"
    )
    for key, items in (
        ("decisions", decisions),
        ("checks", checks),
        ("evidence", evidence),
        ("learnings", learnings),
    ):
        if items:
            text += f"{key}:\n" + "".join(f"  - {item}\n" for item in items)
    return text


DISCOVERY: dict[str, Any] = {"decisions": (), "checks": (), "started": "2026-11-16"}
KILL = (
    "{date: 2026-11-20, from: discovery, outcome: kill, by: [Kim Ode], "
    "rationale: 'Bay sensors cannot tell trucks apart; arrivals < 3 a day | rarely bunch.'}"
)


class Repo:
    """A git repository in the test's folder, with a registry at `registry/`."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.projects = top / "registry" / "projects"

    def git(self, *args: str) -> str:
        """Run git in the repository and return its output."""
        done = subprocess.run(
            ["git", *args], cwd=self.top, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def write(self, rid: str, text: str, name: str | None = None) -> None:
        """Write a record file (named after the id unless `name` says otherwise)."""
        (self.projects / (name or f"{rid}.yaml")).write_text(text, encoding="utf-8")

    def remove(self, rid: str) -> None:
        """Delete a record file."""
        (self.projects / f"{rid}.yaml").unlink()

    def commit(self, message: str) -> str:
        """Commit everything and return the commit's id."""
        self.git("add", "-A")
        self.git("commit", "--quiet", "-m", message)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(registry: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    """Return a repository on `main` whose first commit holds three clean records."""
    for key in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{key}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{key}_EMAIL", "test@example.com")
        monkeypatch.setenv(f"GIT_{key}_DATE", COMMIT_DATE)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")  # no user or system settings
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    top = registry.parent
    repo = Repo(top)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.write("invoice-matching", record("invoice-matching"))
    repo.write("claims-triage", record("claims-triage"))
    repo.write("dock-scheduling", record("dock-scheduling", "discovery", **DISCOVERY))
    repo.commit("base")
    yield repo


def diff(
    cli: Cli, *args: str, fmt: str = "text", env: dict[str, str | None] | None = None
) -> Result:
    """Run `portfolio diff ARGS --format FMT --as-of AS_OF`."""
    return cli("diff", *args, "--format", fmt, "--as-of", AS_OF, env=env)


def diff_json(cli: Cli, *args: str) -> dict[str, Any]:
    """Return the parsed JSON of `portfolio diff ARGS --format json`."""
    result = diff(cli, *args, fmt="json")
    doc: dict[str, Any] = json.loads(result.stdout)
    assert result.exit_code == (1 if doc["summary"]["failed"] else 0)
    assert doc["summary"]["failed"] == bool(doc["summary"]["new_errors"] or doc["kept_errors"])
    return doc


def header(repo: Repo, tally: str, label: str = "main") -> list[str]:
    """Return the first two lines of the text output."""
    sha = repo.git("rev-parse", "main")
    return [f"registry compared with {label} ({sha[:12]}) as of {AS_OF}", tally]


def markdown_header(repo: Repo, tally: str, verdict: str) -> list[str]:
    """Return the Markdown output's heading, base line, tally and verdict."""
    sha = repo.git("rev-parse", "main")
    return [
        "## Portfolio changes",
        "",
        f"Compared with `main` (`{sha[:12]}`) as of {AS_OF}.",
        "",
        f"**{tally}**",
        "",
        verdict,
    ]


PILOT: dict[str, Any] = {"decisions": (INTO_POC, INTO_PILOT), "checks": POC_CHECKS}
NOTHING = "0 added, 0 changed, 0 advanced, 0 killed, 0 shelved, 0 removed"
CLEAN = "ok: 0 new errors, 0 new warnings, 0 resolved"
GATE_MET = [
    "      [x] G201 Quality measured on 100+ real samples: "
    "accuracy 0.80 [0.73–0.86] on 150 random samples",
    "      [x] G202 Quality meets the bar: "
    "accuracy 0.80 [0.73–0.86] on 150 random samples vs bar ≥ 0.7",
    "      [x] G203 Cost per inference under 3× target: $0.02 per inference = 2.0× target $0.01",
    "      [x] G204 Security review passed: `security-review` passed on 2026-11-18",
    "      [x] G205 No blocking data gaps: `data-gaps` passed on 2026-11-18",
]
G202_MESSAGE = (
    "Quality meets the bar: not met at the poc→pilot decision of 2026-11-20: "
    "accuracy 0.40 [0.33–0.48] on 150 random samples vs bar ≥ 0.7; "
    "pivot back to poc or kill, or waive it with a reason"
)


def conditions(*met: tuple[str, str, bool, str]) -> list[dict[str, Any]]:
    """Return the JSON of gate conditions from (code, label, met, detail)."""
    return [
        {"code": code, "label": label, "met": ok, "waived": False, "detail": detail}
        for code, label, ok, detail in met
    ]


# --- nothing changed ------------------------------------------------------------------


def test_no_change_reports_nothing_and_exits_0(repo: Repo, cli: Cli) -> None:
    result = diff(cli, "main")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [*header(repo, NOTHING), CLEAN]


# --- added ----------------------------------------------------------------------------


def test_added_record(repo: Repo, cli: Cli) -> None:
    repo.write("contract-review", record("contract-review", "discovery", **DISCOVERY))

    result = diff(cli, "main")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        *header(repo, "1 added, 0 changed, 0 advanced, 0 killed, 0 shelved, 0 removed"),
        "added:",
        "  + contract-review (discovery, active): Contract review",
        CLEAN,
    ]
    assert diff_json(cli, "main") == {
        "base": repo.git("rev-parse", "main"),
        "base_label": "main",
        "as_of": AS_OF,
        "summary": {
            "added": 1,
            "changed": 0,
            "advanced": 0,
            "killed": 0,
            "shelved": 0,
            "removed": 0,
            "new_errors": 0,
            "new_warnings": 0,
            "resolved": 0,
            "kept_errors": 0,
            "standing_errors": 0,
            "failed": False,
        },
        "added": [
            {
                "id": "contract-review",
                "file": "registry/projects/contract-review.yaml",
                "title": "Contract review",
                "stage": "discovery",
                "status": "active",
                "resembles": [],
            }
        ],
        "removed": [],
        "changed": [],
        "new_findings": [],
        "resolved_findings": [],
        "kept_errors": [],
        "standing_errors": [],
    }
    markdown = diff(cli, "main", fmt="markdown").stdout
    assert markdown.splitlines() == [
        *markdown_header(
            repo, "1 added, 0 changed, 0 advanced, 0 killed, 0 shelved, 0 removed", f"✅ {CLEAN}"
        ),
        "",
        "### Added",
        "",
        "| id | title | stage | status |",
        "|---|---|---|---|",
        "| `contract-review` | Contract review | discovery | active |",
    ]


# --- stage transitions ----------------------------------------------------------------


def test_advance_with_the_gate_passing(repo: Repo, cli: Cli) -> None:
    repo.write(
        "invoice-matching",
        record("invoice-matching", "pilot", evidence=(quality(120), COST), **PILOT),
    )

    result = diff(cli, "main")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        *header(repo, "0 added, 1 changed, 1 advanced, 0 killed, 0 shelved, 0 removed"),
        "changed:",
        "  ~ invoice-matching: stage, decisions, checks, evidence",
        "    stage poc → pilot",
        "    gate poc → pilot, decided 2026-11-20:",
        *GATE_MET,
        CLEAN,
    ]
    (change,) = diff_json(cli, "main")["changed"]
    assert change["transition"]["gates"][0]["conditions"] == conditions(
        (
            "G201",
            "Quality measured on 100+ real samples",
            True,
            "accuracy 0.80 [0.73–0.86] on 150 random samples",
        ),
        (
            "G202",
            "Quality meets the bar",
            True,
            "accuracy 0.80 [0.73–0.86] on 150 random samples vs bar ≥ 0.7",
        ),
        (
            "G203",
            "Cost per inference under 3× target",
            True,
            "$0.02 per inference = 2.0× target $0.01",
        ),
        ("G204", "Security review passed", True, "`security-review` passed on 2026-11-18"),
        ("G205", "No blocking data gaps", True, "`data-gaps` passed on 2026-11-18"),
    )


def test_advance_with_a_gate_failing_shows_the_unmet_condition(repo: Repo, cli: Cli) -> None:
    repo.write(
        "claims-triage", record("claims-triage", "pilot", evidence=(quality(60), COST), **PILOT)
    )

    result = diff(cli, "main")

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        *header(repo, "0 added, 1 changed, 1 advanced, 0 killed, 0 shelved, 0 removed"),
        "changed:",
        "  ~ claims-triage: stage, decisions, checks, evidence",
        "    stage poc → pilot",
        "    gate poc → pilot, decided 2026-11-20:",
        "      [x] G201 Quality measured on 100+ real samples: "
        "accuracy 0.40 [0.33–0.48] on 150 random samples",
        "      [ ] G202 Quality meets the bar: "
        "accuracy 0.40 [0.33–0.48] on 150 random samples vs bar ≥ 0.7",
        *GATE_MET[2:],
        "new findings:",
        f"  registry/projects/claims-triage.yaml:24:5: G202 {G202_MESSAGE} [claims-triage]",
        "FAILED: 1 new error, 0 new warnings, 0 resolved",
    ]
    doc = diff_json(cli, "main")
    assert doc["summary"]["new_errors"] == 1
    assert doc["changed"][0]["transition"] == {
        "from": "poc",
        "to": "pilot",
        "gates": [
            {
                "source": "poc",
                "target": "pilot",
                "date": "2026-11-20",
                "conditions": conditions(
                    (
                        "G201",
                        "Quality measured on 100+ real samples",
                        True,
                        "accuracy 0.40 [0.33–0.48] on 150 random samples",
                    ),
                    (
                        "G202",
                        "Quality meets the bar",
                        False,
                        "accuracy 0.40 [0.33–0.48] on 150 random samples vs bar ≥ 0.7",
                    ),
                    (
                        "G203",
                        "Cost per inference under 3× target",
                        True,
                        "$0.02 per inference = 2.0× target $0.01",
                    ),
                    (
                        "G204",
                        "Security review passed",
                        True,
                        "`security-review` passed on 2026-11-18",
                    ),
                    ("G205", "No blocking data gaps", True, "`data-gaps` passed on 2026-11-18"),
                ),
            }
        ],
    }
    assert doc["new_findings"] == [
        {
            "file": "registry/projects/claims-triage.yaml",
            "line": 24,
            "column": 5,
            "project": "claims-triage",
            "rule": "G202",
            "severity": "error",
            "message": G202_MESSAGE,
        }
    ]
    markdown = diff(cli, "main", fmt="markdown").stdout.splitlines()
    assert markdown[6:] == [
        "❌ FAILED: 1 new error, 0 new warnings, 0 resolved",
        "",
        "### `claims-triage`",
        "",
        "Changed: `stage`, `decisions`, `checks`, `evidence`",
        "",
        "**Stage poc → pilot**",
        "",
        "Gate poc → pilot, decided 2026-11-20:",
        "",
        "| | condition | detail |",
        "|---|---|---|",
        "| ✅ | G201 Quality measured on 100+ real samples | "
        "accuracy 0.40 &#91;0.33–0.48&#93; on 150 random samples |",
        "| ❌ | G202 Quality meets the bar | "
        "accuracy 0.40 &#91;0.33–0.48&#93; on 150 random samples vs bar ≥ 0.7 |",
        "| ✅ | G203 Cost per inference under 3× target | "
        "$0.02 per inference = 2.0× target $0.01 |",
        "| ✅ | G204 Security review passed | `security-review` passed on 2026-11-18 |",
        "| ✅ | G205 No blocking data gaps | `data-gaps` passed on 2026-11-18 |",
        "",
        "### New findings",
        "",
        "| | file | line | rule | project | message |",
        "|---|---|---|---|---|---|",
        f"| ❌ | `registry/projects/claims-triage.yaml` | 24 | G202 | claims-triage | "
        f"{G202_MESSAGE.replace('[', '&#91;').replace(']', '&#93;')} |",
    ]


def test_waived_condition_is_marked(repo: Repo, cli: Cli) -> None:
    waiver = (
        "waivers:\n  - {rule: G202, reason: Pilot on easy claims only, approved_by: CFO, "
        "expires: 2026-12-31}\n"
    )
    text = record("claims-triage", "pilot", evidence=(quality(60), COST), **PILOT) + waiver
    repo.write("claims-triage", text)

    result = diff(cli, "main")

    assert result.exit_code == 0
    assert (
        "      [ ] G202 Quality meets the bar: "
        "accuracy 0.40 [0.33–0.48] on 150 random samples vs bar ≥ 0.7 (waived)"
    ) in result.stdout.splitlines()
    (change,) = diff_json(cli, "main")["changed"]
    g202 = change["transition"]["gates"][0]["conditions"][1]
    assert (g202["code"], g202["met"], g202["waived"]) == ("G202", False, True)
    assert "| ➖ waived | G202 Quality meets the bar |" in diff(cli, "main", fmt="markdown").stdout


def test_moving_back_a_stage_crosses_no_gate(repo: Repo, cli: Cli) -> None:
    pivot = "{date: 2026-11-20, from: poc, to: discovery, outcome: pivot, by: [Kim Ode]}"
    repo.write(
        "invoice-matching", record("invoice-matching", "discovery", decisions=(INTO_POC, pivot))
    )

    result = diff(cli, "main")

    assert result.stdout.splitlines()[1:5] == [
        "0 added, 1 changed, 0 advanced, 0 killed, 0 shelved, 0 removed",
        "changed:",
        "  ~ invoice-matching: stage, decisions",
        "    stage poc → discovery",
    ]
    (change,) = diff_json(cli, "main")["changed"]
    assert change["transition"] == {"from": "poc", "to": "discovery", "gates": []}


def test_advance_without_its_decision_is_judged_as_of_today(repo: Repo, cli: Cli) -> None:
    repo.write(
        "invoice-matching",
        record("invoice-matching", "pilot", evidence=(quality(120), COST), checks=POC_CHECKS),
    )

    result = diff(cli, "main")

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[5] == "    gate poc → pilot, no advance decision, judged as of 2026-11-25:"
    assert [line.split(": ")[1].split()[0] for line in lines if ": R0" in line] == ["R013"]
    (change,) = diff_json(cli, "main")["changed"]
    assert change["transition"]["gates"][0]["date"] is None


# --- evidence -------------------------------------------------------------------------


def test_added_evidence_is_a_changed_field(repo: Repo, cli: Cli) -> None:
    repo.write("invoice-matching", record("invoice-matching", evidence=(quality(90, 100),)))

    result = diff(cli, "main")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        *header(repo, "0 added, 1 changed, 0 advanced, 0 killed, 0 shelved, 0 removed"),
        "changed:",
        "  ~ invoice-matching: evidence",
        CLEAN,
    ]
    assert diff_json(cli, "main")["changed"] == [
        {
            "id": "invoice-matching",
            "file": "registry/projects/invoice-matching.yaml",
            "fields": ["evidence"],
            "transition": None,
            "ended": None,
            "outcomes": [],
            "reviews": [],
        }
    ]


# --- kills and shelvings --------------------------------------------------------------

KILLED = record(
    "dock-scheduling",
    "discovery",
    status="killed",
    decisions=(KILL,),
    checks=(),
    started="2026-11-16",
    learnings=(
        "Count arrivals before <b>modelling</b> them.",
        "{text: Ask the yard staff first, tags: [discovery]}",
    ),
)


SCALE_LOG = (
    INTO_POC,
    "{date: 2026-11-06, from: poc, to: pilot, outcome: advance, by: [Kim Ode]}",
    "{date: 2026-11-10, from: pilot, to: scale, outcome: advance, by: [Kim Ode]}",
)
REVIEW = (
    "{date: 2026-11-24, from: scale, outcome: review, by: [Kim Ode, Raj Patel], "
    "rationale: 'ROI 3.1x; keep.'}"
)
OUTCOME = "{kind: outcome, date: 2026-11-23, value: 0.85, monthly_value: 4200}"


def test_outcomes_and_reviews_added_are_reported(repo: Repo, cli: Cli) -> None:
    at_scale = {"decisions": SCALE_LOG, "started": "2026-10-26"}
    repo.write("claims-triage", record("claims-triage", "scale", **at_scale))
    repo.commit("claims triage at scale")
    later = {"decisions": (*SCALE_LOG, REVIEW), "evidence": (OUTCOME,)}
    repo.write("claims-triage", record("claims-triage", "scale", **later))

    lines = diff(cli, "HEAD").stdout.splitlines()

    assert "    outcome: Work done without a person 0.85 on 2026-11-23, worth $4,200/month" in lines
    assert "    review: scale review on 2026-11-24 by Kim Ode, Raj Patel: ROI 3.1x; keep." in lines
    (change,) = diff_json(cli, "HEAD")["changed"]
    assert change["outcomes"] == [{"date": "2026-11-23", "value": 0.85, "monthly_value": 4200}]
    assert change["reviews"] == [
        {"date": "2026-11-24", "stage": "scale", "by": ["Kim Ode", "Raj Patel"],
         "rationale": "ROI 3.1x; keep."}
    ]  # fmt: skip
    markdown = diff(cli, "HEAD", fmt="markdown").stdout
    assert "Outcomes measured:" in markdown and "Reviews:" in markdown
    # Unchanged outcomes and reviews are not reported again.
    repo.commit("review")
    assert diff_json(cli, "HEAD")["changed"] == []


def test_kill_shows_the_rationale_and_the_learnings(repo: Repo, cli: Cli) -> None:
    repo.write("dock-scheduling", KILLED)

    result = diff(cli, "main")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        *header(repo, "0 added, 1 changed, 0 advanced, 1 killed, 0 shelved, 0 removed"),
        "changed:",
        "  ~ dock-scheduling: status, decisions, learnings",
        "    killed at discovery on 2026-11-20: "
        "Bay sensors cannot tell trucks apart; arrivals < 3 a day | rarely bunch.",
        "    learning: Count arrivals before <b>modelling</b> them.",
        "    learning: Ask the yard staff first",
        CLEAN,
    ]
    (change,) = diff_json(cli, "main")["changed"]
    assert change["ended"] == {
        "status": "killed",
        "stage": "discovery",
        "date": "2026-11-20",
        "rationale": "Bay sensors cannot tell trucks apart; arrivals < 3 a day | rarely bunch.",
        "learnings": ["Count arrivals before <b>modelling</b> them.", "Ask the yard staff first"],
    }


YARD = (
    record("yard-arrivals", "discovery", **DISCOVERY)
    .replace("title: Invoice matching", "title: Loading bay <queue> forecasts")
    .replace(
        PROBLEMS["invoice-matching"],
        "Trucks queue at the warehouse loading bays when arrivals bunch.",
    )
)


def test_a_new_record_like_a_killed_one_names_it_loudly(repo: Repo, cli: Cli) -> None:
    """Before approving a new start, the reviewer sees the dead initiative it resembles."""
    repo.write("dock-scheduling", KILLED)
    repo.commit("kill dock scheduling")
    repo.write("yard-arrivals", YARD)

    text = diff(cli, "HEAD").stdout.splitlines()
    at = text.index("  + yard-arrivals (discovery, active): Loading bay <queue> forecasts")
    (line,) = [t for t in text[at + 1 :] if t.startswith("      resembles ")]
    assert line.startswith("      resembles dock-scheduling (Dock scheduling): KILLED, ")
    assert line.endswith("% similar; read its learnings before you start")
    score = int(line.split("KILLED, ")[1].split("%")[0])
    assert 30 <= score < 100

    (added,) = diff_json(cli, "HEAD")["added"]
    assert [(r["id"], r["status"]) for r in added["resembles"]] == [("dock-scheduling", "killed")]
    assert round(added["resembles"][0]["score"] * 100) == score

    markdown = diff(cli, "HEAD", fmt="markdown").stdout.splitlines()
    at = markdown.index("### New records that resemble others")
    assert markdown[at + 4 : at + 6] == [
        "- `yard-arrivals` resembles:",
        f"  - `dock-scheduling` (Dock scheduling): **KILLED**, {score}% similar; read its "
        "learnings before you start",
    ]
    assert (
        "| `yard-arrivals` | Loading bay &lt;queue&gt; forecasts | discovery | active |" in markdown
    )


def test_an_unrelated_new_record_resembles_nothing(repo: Repo, cli: Cli) -> None:
    repo.write("contract-review", record("contract-review", "discovery", **DISCOVERY))
    (added,) = diff_json(cli, "main")["added"]
    assert added["resembles"] == []
    assert "resemble" not in diff(cli, "main", fmt="markdown").stdout


def test_markdown_escapes_record_text(repo: Repo, cli: Cli) -> None:
    repo.write("dock-scheduling", KILLED)

    result = diff(cli, "main", fmt="markdown")

    assert result.stdout.splitlines() == [
        *markdown_header(
            repo, "0 added, 1 changed, 0 advanced, 1 killed, 0 shelved, 0 removed", f"✅ {CLEAN}"
        ),
        "",
        "### `dock-scheduling`",
        "",
        "Changed: `status`, `decisions`, `learnings`",
        "",
        "**Killed** at discovery on 2026-11-20: "
        "Bay sensors cannot tell trucks apart; arrivals &lt; 3 a day \\| rarely bunch.",
        "",
        "Learnings:",
        "",
        "- Count arrivals before &lt;b&gt;modelling&lt;/b&gt; them.",
        "- Ask the yard staff first",
    ]


def test_multiline_text_stays_on_one_line(repo: Repo, cli: Cli) -> None:
    shelve = (
        "  - date: 2026-11-20\n    from: discovery\n    outcome: shelve\n    by: [Kim Ode]\n"
        "    rationale: |\n      Budget frozen.\n      | Back in Q2 |\n"
    )
    text = record(
        "dock-scheduling",
        "discovery",
        status="shelved",
        decisions=(),
        checks=(),
        started="2026-11-16",
        learnings=("Wait for the budget.",),
    )
    repo.write(
        "dock-scheduling", text.replace("learnings:", "decisions:\n" + shelve + "learnings:")
    )

    markdown = diff(cli, "main", fmt="markdown").stdout
    text_out = diff(cli, "main").stdout

    assert "**Shelved** at discovery on 2026-11-20: Budget frozen. \\| Back in Q2 \\|\n" in markdown
    assert "    shelved at discovery on 2026-11-20: Budget frozen. | Back in Q2 |\n" in text_out
    assert "0 killed, 1 shelved" in text_out


# --- removed and renamed (R016) -------------------------------------------------------


def test_deleted_record_is_r016(repo: Repo, cli: Cli) -> None:
    repo.remove("claims-triage")

    result = diff(cli, "main")

    message = "record 'claims-triage' was deleted; ids are permanent: kill or shelve it instead"
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        *header(repo, "0 added, 0 changed, 0 advanced, 0 killed, 0 shelved, 1 removed"),
        "removed:",
        "  - claims-triage (registry/projects/claims-triage.yaml)",
        "new findings:",
        f"  registry/projects/claims-triage.yaml:1:1: R016 {message} [claims-triage]",
        "FAILED: 1 new error, 0 new warnings, 0 resolved",
    ]
    doc = diff_json(cli, "main")
    assert doc["removed"] == [
        {"id": "claims-triage", "file": "registry/projects/claims-triage.yaml", "renamed_to": None}
    ]
    assert doc["new_findings"] == [
        {
            "file": "registry/projects/claims-triage.yaml",
            "line": 1,
            "column": 1,
            "project": "claims-triage",
            "rule": "R016",
            "severity": "error",
            "message": message,
        }
    ]


def test_renamed_record_is_r016_naming_the_new_id(repo: Repo, cli: Cli) -> None:
    repo.git("mv", "registry/projects/claims-triage.yaml", "registry/projects/claim-routing.yaml")
    repo.write(
        "claim-routing", record("claims-triage").replace("id: claims-triage", "id: claim-routing")
    )

    result = diff(cli, "main")

    message = (
        "record 'claims-triage' was renamed to 'claim-routing'; "
        "ids are permanent: kill or shelve it instead"
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        *header(repo, "1 added, 0 changed, 0 advanced, 0 killed, 0 shelved, 1 removed"),
        "added:",
        "  + claim-routing (poc, active): Claims triage",
        "removed:",
        "  - claims-triage (registry/projects/claims-triage.yaml): renamed to claim-routing",
        "new findings:",
        f"  registry/projects/claims-triage.yaml:1:1: R016 {message} [claims-triage]",
        "FAILED: 1 new error, 0 new warnings, 0 resolved",
    ]
    assert diff(cli, "main", fmt="markdown").stdout.splitlines()[7:] == [
        "",
        "### Added",
        "",
        "| id | title | stage | status |",
        "|---|---|---|---|",
        "| `claim-routing` | Claims triage | poc | active |",
        "",
        "### Removed",
        "",
        "| id | file | renamed to |",
        "|---|---|---|",
        "| `claims-triage` | `registry/projects/claims-triage.yaml` | `claim-routing` |",
        "",
        "### New findings",
        "",
        "| | file | line | rule | project | message |",
        "|---|---|---|---|---|---|",
        f"| ❌ | `registry/projects/claims-triage.yaml` | 1 | R016 | claims-triage | {message} |",
    ]
    assert diff_json(cli, "main")["removed"] == [
        {
            "id": "claims-triage",
            "file": "registry/projects/claims-triage.yaml",
            "renamed_to": "claim-routing",
        }
    ]


def test_renamed_and_edited_record_is_found_by_title_and_start(repo: Repo, cli: Cli) -> None:
    repo.remove("claims-triage")
    edited = record("claims-triage", evidence=(quality(90, 100),))
    repo.write("claim-routing", edited.replace("id: claims-triage", "id: claim-routing"))

    (removed,) = diff_json(cli, "main")["removed"]

    assert removed["renamed_to"] == "claim-routing"


def test_id_changed_inside_the_same_file_is_r016(repo: Repo, cli: Cli) -> None:
    repo.write(
        "claims-triage", record("claims-triage").replace("id: claims-triage", "id: claim-routing")
    )

    doc = diff_json(cli, "main")

    assert doc["removed"][0]["renamed_to"] == "claim-routing"
    assert [(f["rule"], f["file"]) for f in doc["new_findings"]] == [
        ("R006", "registry/projects/claims-triage.yaml"),
        ("R016", "registry/projects/claims-triage.yaml"),
    ]


# --- findings new and resolved --------------------------------------------------------


def test_resolved_findings_are_listed(repo: Repo, cli: Cli) -> None:
    broken = record("claims-triage") + "related: [no-such-record]\n"
    repo.write("claims-triage", broken)
    repo.commit("refer to a record that does not exist")
    repo.write("claims-triage", record("claims-triage"))

    result = diff(cli, "main")

    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == [
        "changed:",
        "  ~ claims-triage: related",
        "resolved findings:",
        "  registry/projects/claims-triage.yaml:20:11: R012 related id 'no-such-record' "
        "does not exist [claims-triage]",
        "ok: 0 new errors, 0 new warnings, 1 resolved",
    ]
    doc = diff_json(cli, "main")
    assert [f["rule"] for f in doc["resolved_findings"]] == ["R012"]
    assert doc["summary"]["resolved"] == 1


def test_a_finding_that_only_moved_lines_is_neither_new_nor_resolved(repo: Repo, cli: Cli) -> None:
    curated = quality(120).replace("random", "curated")
    repo.write("invoice-matching", record("invoice-matching", evidence=(curated,)))
    repo.commit("curated evaluation")
    text = record("invoice-matching", evidence=(curated,))
    repo.write("invoice-matching", text.replace("team: Finance\n", "team: Finance\ntags: [ap]\n"))

    doc = diff_json(cli, "main")

    assert doc["changed"][0]["fields"] == ["tags"]
    assert (doc["new_findings"], doc["resolved_findings"]) == ([], [])


def test_warnings_alone_exit_0(repo: Repo, cli: Cli) -> None:
    curated = quality(120).replace("random", "curated")
    repo.write("invoice-matching", record("invoice-matching", evidence=(curated,)))

    result = diff(cli, "main")

    assert result.exit_code == 0
    assert result.stdout.splitlines()[-2:] == [
        "  registry/projects/invoice-matching.yaml:21:87: S003 latest quality evidence is not "
        "randomly sampled (curated); measure on random, unselected samples [invoice-matching]",
        "ok: 0 new errors, 1 new warning, 0 resolved",
    ]


# --- BASE -----------------------------------------------------------------------------


def test_default_base_is_the_merge_base_with_main(repo: Repo, cli: Cli) -> None:
    fork = repo.git("rev-parse", "HEAD")
    repo.git("switch", "--quiet", "-c", "feature")
    repo.write("contract-review", record("contract-review", "discovery", **DISCOVERY))
    repo.commit("add contract review")
    repo.git("switch", "--quiet", "main")
    repo.remove("dock-scheduling")  # on main after the fork: not this branch's change
    repo.commit("main moves on")
    repo.git("switch", "--quiet", "feature")

    result = cli("diff", "--as-of", AS_OF)

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"registry compared with merge base with main ({fork[:12]}) as of {AS_OF}",
        "1 added, 0 changed, 0 advanced, 0 killed, 0 shelved, 0 removed",
        "added:",
        "  + contract-review (discovery, active): Contract review",
        CLEAN,
    ]
    doc = diff_json(cli)
    assert (doc["base"], doc["base_label"]) == (fork, "merge base with main")


def test_default_base_prefers_origin_head(repo: Repo, cli: Cli) -> None:
    first = repo.git("rev-parse", "HEAD")
    repo.write("contract-review", record("contract-review", "discovery", **DISCOVERY))
    repo.commit("add contract review")
    repo.git("update-ref", "refs/remotes/origin/trunk", first)
    repo.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")

    doc = diff_json(cli)

    assert (doc["base"], doc["base_label"]) == (first, "merge base with origin/HEAD")
    assert [a["id"] for a in doc["added"]] == ["contract-review"]


def test_base_can_be_any_revision(repo: Repo, cli: Cli) -> None:
    first = repo.git("rev-parse", "HEAD")
    repo.write("contract-review", record("contract-review", "discovery", **DISCOVERY))
    repo.commit("add contract review")
    repo.git("tag", "v1")
    repo.remove("contract-review")

    assert diff_json(cli, "HEAD~1")["base"] == first
    assert [r["id"] for r in diff_json(cli, "v1")["removed"]] == ["contract-review"]


def test_base_without_a_registry_adds_everything(repo: Repo, cli: Cli) -> None:
    repo.git("checkout", "--quiet", "--orphan", "empty")
    repo.git("rm", "-r", "--quiet", "--cached", ".")
    repo.git("commit", "--quiet", "--allow-empty", "-m", "empty")

    doc = diff_json(cli, "empty")

    assert [a["id"] for a in doc["added"]] == [
        "claims-triage",
        "dock-scheduling",
        "invoice-matching",
    ]


def test_work_tree_is_left_alone(repo: Repo, cli: Cli) -> None:
    repo.remove("claims-triage")
    repo.write("contract-review", record("contract-review", "discovery", **DISCOVERY))
    before = repo.git("status", "--porcelain", "--untracked-files=all")

    diff(cli, "main")

    assert repo.git("status", "--porcelain", "--untracked-files=all") == before
    assert not (repo.projects / "claims-triage.yaml").exists()


def test_registry_below_the_repository_top(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo.top / "portfolio").mkdir()
    repo.git("mv", "registry", "portfolio/registry")
    repo.commit("move the registry")
    (repo.top / "portfolio" / "registry" / "projects" / "claims-triage.yaml").unlink()
    monkeypatch.chdir(repo.top / "portfolio")

    result = CliRunner().invoke(
        main, ["diff", "main", "--as-of", AS_OF, "--registry", "registry"], env=NO_SUMMARY
    )

    assert result.exit_code == 1
    assert "  - claims-triage (registry/projects/claims-triage.yaml)\n" in result.stdout


def test_policy_at_base_applies_to_base(repo: Repo, cli: Cli) -> None:
    (repo.top / "registry" / "policy.yaml").write_text("rules: {G202: warning}\n")
    repo.write(
        "claims-triage", record("claims-triage", "pilot", evidence=(quality(60), COST), **PILOT)
    )
    repo.commit("soften G202")
    (repo.top / "registry" / "policy.yaml").unlink()

    doc = diff_json(cli, "main")

    assert [(f["rule"], f["severity"]) for f in doc["new_findings"]] == [("G202", "error")]
    assert [(f["rule"], f["severity"]) for f in doc["resolved_findings"]] == [("G202", "warning")]


# --- usage errors exit 2 --------------------------------------------------------------


def test_unknown_revision_exits_2(repo: Repo, cli: Cli) -> None:
    result = diff(cli, "no-such-branch")
    assert result.exit_code == 2
    assert "unknown revision 'no-such-branch'; give a branch, tag or commit" in result.stderr
    assert result.stdout == ""


def test_unknown_revision_in_a_shallow_clone_says_so(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("contract-review", record("contract-review", "discovery", **DISCOVERY))
    repo.commit("add contract review")
    clone = tmp_path / "clone"
    repo.git("clone", "--quiet", "--depth=1", f"file://{repo.top}", str(clone))
    monkeypatch.chdir(clone)

    result = CliRunner().invoke(main, ["diff", "HEAD~1"], env=NO_SUMMARY)

    assert result.exit_code == 2
    assert (
        "unknown revision 'HEAD~1'; give a branch, tag or commit "
        "(this clone is shallow: fetch the whole history, e.g. fetch-depth: 0)"
    ) in result.stderr


def test_option_like_revision_is_not_an_option(repo: Repo, cli: Cli) -> None:
    result = CliRunner().invoke(main, ["diff", "--registry", "registry", "--", "--output=x"])
    assert result.exit_code == 2
    assert "unknown revision '--output=x'" in result.stderr
    assert not (repo.top / "x").exists()


def test_not_a_git_repository_exits_2(
    registry: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(registry.parent.parent))
    (registry / "projects" / "a.yaml").write_text(record("invoice-matching"))

    result = diff(cli, "main")

    assert result.exit_code == 2
    assert "Error: registry is not inside a git repository" in result.stderr


def test_git_missing_exits_2(repo: Repo, cli: Cli, tmp_path: Path) -> None:
    nowhere = tmp_path / "empty-bin"
    nowhere.mkdir()

    result = diff(cli, "main", env={"PATH": str(nowhere)})

    assert result.exit_code == 2
    assert "Error: cannot run git: " in result.stderr


def test_no_default_branch_exits_2(repo: Repo, cli: Cli) -> None:
    repo.git("branch", "-m", "main", "trunk")

    result = cli("diff")

    assert result.exit_code == 2
    assert (
        "no default branch (origin/HEAD, main, master, origin/main, origin/master) "
        "to compare with; name BASE"
    ) in result.stderr


# --- GitHub job summary ---------------------------------------------------------------


def test_markdown_is_appended_to_the_job_summary(repo: Repo, cli: Cli, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    repo.remove("claims-triage")

    result = diff(cli, "main", fmt="markdown", env={"GITHUB_STEP_SUMMARY": str(summary)})

    assert result.exit_code == 1
    assert summary.read_text() == "earlier step\n" + result.stdout


def test_text_leaves_the_job_summary_alone(repo: Repo, cli: Cli, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    diff(cli, "main", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not summary.exists()
