"""CI and pre-commit files: valid for their platforms, shaped as documented, and they run.

actionlint cannot be installed offline, so the workflows are checked with
check-jsonschema's vendored SchemaStore schemas; the PR job's own `run:` lines
are then executed against a real git repository with a base branch.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's bin: portfolio, check-jsonschema
PR = ROOT / ".github" / "workflows" / "pr.yml"
PUBLISH = ROOT / ".github" / "workflows" / "publish.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
RECORD_FILES = r"^registry/projects/.*\.ya?ml$"


def load(path: Path) -> Any:
    """Parse a YAML file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """Return a workflow's `on:` (YAML 1.1 reads the bare key `on` as True)."""
    found: dict[str, Any] = workflow.get("on", workflow.get(True))
    return found


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    """Return the steps of one job."""
    found: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return found


def named(workflow: dict[str, Any], job: str, name: str) -> dict[str, Any]:
    """Return the step of a job with the given name."""
    (step,) = [s for s in steps(workflow, job) if s.get("name") == name]
    return step


def using(workflow: dict[str, Any], job: str, action: str) -> dict[str, Any]:
    """Return the one step of a job that uses an action (`owner/name`, any version)."""
    (step,) = [s for s in steps(workflow, job) if s.get("uses", "").split("@")[0] == action]
    return step


# --- the platforms' schemas -----------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", [PR, PUBLISH]),
        ("custom.github-workflows-require-timeout", [PR, PUBLISH]),
        ("vendor.gitlab-ci", [GITLAB]),
    ],
    ids=["github-workflows", "github-timeouts", "gitlab-ci"],
)
def test_ci_files_match_the_vendored_schemas(schema: str, files: list[Path]) -> None:
    done = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "ok -- validation done"


def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "pr.yml"
    broken.write_text(PR.read_text().replace("runs-on:", "run-on:"))
    done = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", broken],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1


# --- pr.yml ---------------------------------------------------------------------------


def test_pr_runs_on_changes_to_the_registry_and_the_site() -> None:
    assert triggers(load(PR)) == {
        "pull_request": {"paths": ["registry/**", "site_theme/**", "mkdocs.yml", "generator/**"]}
    }


@pytest.mark.parametrize("path", [PR, PUBLISH])
def test_setup_is_full_history_python_311_and_a_pip_cache(path: Path) -> None:
    workflow = load(path)
    job = "check" if path == PR else "build"
    assert using(workflow, job, "actions/checkout") == {
        "uses": "actions/checkout@v4",
        "with": {"fetch-depth": 0},
    }
    assert using(workflow, job, "actions/setup-python") == {
        "uses": "actions/setup-python@v5",
        "with": {
            "python-version": "3.11",
            "cache": "pip",
            "cache-dependency-path": "requirements.lock",
        },
    }
    assert named(workflow, job, "Install")["run"] == (
        "python -m pip install -r requirements.lock && python -m pip install --no-deps -e ."
    )


def test_pr_steps_validate_then_diff_then_build() -> None:
    workflow = load(PR)
    validate = named(workflow, "check", "Validate records")
    diff = named(workflow, "check", "Judge the change against the base branch")
    build = named(workflow, "check", "Build the site (strict)")
    # Validation reports (exit 1: findings) and fails only when the tool itself fails;
    # the diff's exit code judges the pull request.
    assert validate == {
        "name": "Validate records",
        "run": "portfolio validate --format github || test $? -eq 1",
    }
    assert [s.get("name") for s in steps(workflow, "check")][-4:] == [
        validate["name"],
        diff["name"],
        "Chart cache",  # restored right before the build that reads it
        build["name"],
    ]
    assert "continue-on-error" not in diff
    assert diff["if"] == build["if"] == "${{ !cancelled() }}"
    assert diff["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert diff["run"] == 'portfolio diff "origin/$BASE_REF" --format markdown'
    # MkDocs' strict mode (broken links fail); registry warnings do not fail a PR.
    assert build["run"] == "mkdocs build --strict"
    assert workflow["permissions"] == {"contents": "read"}


def test_no_expression_is_spliced_into_a_script() -> None:
    for path in (PR, PUBLISH):
        workflow = load(path)
        for job in workflow["jobs"]:
            for step in steps(workflow, job):
                assert "${{" not in step.get("run", ""), (path.name, step)


# --- publish.yml ----------------------------------------------------------------------


def test_publish_runs_on_the_default_branch_and_by_hand() -> None:
    on = triggers(load(PUBLISH))
    assert on["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in on


def test_publish_has_pages_permissions_and_one_deployment_at_a_time() -> None:
    workflow = load(PUBLISH)
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_publish_builds_uploads_and_deploys() -> None:
    workflow = load(PUBLISH)
    site = named(workflow, "build", "Build the site")
    assert site["run"] == "portfolio build"
    # The daily build surfaces date-based errors in its job summary, after the site.
    summary = named(workflow, "build", "Findings in the job summary")
    assert summary == {
        "name": "Findings in the job summary",
        "if": "${{ !cancelled() }}",
        "run": "portfolio validate --format github || test $? -eq 1",
    }
    order = [s.get("name") or s["uses"].split("@")[0] for s in steps(workflow, "build")]
    assert order[-3:] == ["Build the site", summary["name"], "actions/upload-pages-artifact"]
    assert workflow["jobs"]["build"]["outputs"] == {"checks": "${{ steps.site.outcome }}"}
    assert using(workflow, "build", "actions/upload-pages-artifact") == {
        "uses": "actions/upload-pages-artifact@v3",
        "with": {"path": "site"},
    }
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    assert using(workflow, "deploy", "actions/deploy-pages") == {
        "name": "Deploy to GitHub Pages",
        "id": "deployment",
        "uses": "actions/deploy-pages@v4",
    }
    # Errors do not stop the site (it lists them on /problems/) but still fail the run.
    fail = named(workflow, "deploy", "Fail if the registry has errors")
    assert fail["if"] == "${{ needs.build.outputs.checks == 'failure' }}"


BUILDS = [(PR, "check", "Build the site (strict)"), (PUBLISH, "build", "Build the site")]


@pytest.mark.parametrize(("path", "job", "build"), BUILDS)
def test_the_build_restores_and_saves_the_chart_cache(path: Path, job: str, build: str) -> None:
    workflow = load(path)
    names = [step.get("name") for step in steps(workflow, job)]
    cache = named(workflow, job, "Chart cache")
    assert names.index("Chart cache") == names.index(build) - 1
    assert cache["uses"] == "actions/cache@v4"
    # A new key each run saves what it drew; the prefix restores the latest cache.
    assert cache["with"] == {
        "path": ".cache/portfolio",
        "key": "portfolio-charts-${{ github.run_id }}",
        "restore-keys": "portfolio-charts-",
    }


@pytest.mark.parametrize("path", [PR, PUBLISH])
def test_actions_are_on_their_current_major_versions(path: Path) -> None:
    current = {
        "actions/checkout": "v4",
        "actions/setup-python": "v5",
        "actions/upload-pages-artifact": "v3",
        "actions/deploy-pages": "v4",
        "actions/cache": "v4",
    }
    workflow = load(path)
    for job in workflow["jobs"]:
        for step in steps(workflow, job):
            if "uses" in step:
                action, version = step["uses"].split("@")
                assert current[action] == version


# --- .gitlab-ci.yml -------------------------------------------------------------------


def test_gitlab_checks_merge_requests_and_publishes_pages() -> None:
    ci = load(GITLAB)
    assert ci["variables"]["GIT_DEPTH"] == 0
    assert ci["default"]["cache"] == {
        "key": {"files": ["requirements.lock"]},
        "paths": [".cache/pip"],
    }
    assert ci["variables"]["PIP_CACHE_DIR"] == "$CI_PROJECT_DIR/.cache/pip"
    assert ci["validate"]["script"] == ["portfolio validate"]
    # Merge requests are judged by the diff job on what they change, not by validate.
    assert ci["validate"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert ci["diff"]["script"][0].startswith(
        'portfolio diff "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --format markdown'
    )
    merge_requests = ci[".merge-requests"]["rules"][0]
    assert merge_requests["if"] == '$CI_PIPELINE_SOURCE == "merge_request_event"'
    assert ci["diff"]["extends"] == ci["build"]["extends"] == ".merge-requests"
    assert ci["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert ci["pages"]["artifacts"] == {"paths": ["public"]}
    assert ci["pages"]["script"][-1] == "rm -rf public && mv site public"


def test_gitlab_diff_script_keeps_the_exit_code(tmp_path: Path) -> None:
    script = "\n".join(load(GITLAB)["diff"]["script"])
    fake = tmp_path / "portfolio"
    fake.write_text("#!/bin/sh\necho '## Portfolio changes'\nexit 1\n")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stdout == "## Portfolio changes\n"
    assert (tmp_path / "portfolio-diff.md").read_text() == "## Portfolio changes\n"


# --- pre-commit -----------------------------------------------------------------------


def test_pre_commit_hook_for_other_repositories() -> None:
    assert load(HOOKS) == [
        {
            "id": "portfolio-validate",
            "name": "portfolio validate",
            "description": (
                "Check AI-initiative records (format, stage gates, early-warning signals)."
            ),
            "entry": "portfolio validate",
            "language": "python",
            "files": RECORD_FILES,
            "pass_filenames": True,
            "require_serial": True,
        }
    ]


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("registry/projects/invoice-matching.yaml", True),
        ("registry/projects/invoice-matching.yml", True),
        ("registry/policy.yaml", False),
        ("registry/record.schema.json", False),
        ("docs/registry/projects/x.yaml", False),
    ],
)
def test_hook_files_pattern(path: str, matches: bool) -> None:
    (hook,) = load(HOOKS)
    assert bool(re.search(hook["files"], path)) is matches


def test_hook_entry_runs_as_pre_commit_runs_it(
    registry: Path, write_record: Callable[..., Path]
) -> None:
    write_record(registry, "good")
    write_record(registry, "bad", stage="prod")
    (hook,) = load(HOOKS)
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}

    def run(*files: str) -> subprocess.CompletedProcess[str]:
        command = [*shlex.split(hook["entry"]), *files]
        return subprocess.run(
            command, cwd=registry.parent, env=env, capture_output=True, text=True, check=False
        )

    good = run("registry/projects/good.yaml")
    bad = run("registry/projects/bad.yaml", "registry/projects/good.yaml")

    assert good.returncode == 0, good.stdout
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[0] == (
        "registry/projects/bad.yaml:7:1: R004 stage: Input should be 'discovery', 'poc', "
        "'pilot', 'scale' or 'optimize' [bad]"
    )


def test_pre_commit_config_of_this_repository() -> None:
    local, schema, ruff = load(PRE_COMMIT)["repos"]
    (hook,) = load(HOOKS)
    assert local["repo"] == "local"
    (validate,) = local["hooks"]
    for key in ("id", "files", "pass_filenames", "require_serial"):
        assert validate[key] == hook[key]
    assert validate["entry"] == ".venv/bin/portfolio validate"
    assert schema["repo"] == "https://github.com/python-jsonschema/check-jsonschema"
    (check,) = schema["hooks"]
    assert (check["id"], check["args"], check["files"]) == (
        "check-jsonschema",
        ["--schemafile", "registry/record.schema.json"],
        RECORD_FILES,
    )
    assert ruff["repo"] == "https://github.com/astral-sh/ruff-pre-commit"
    assert [h["id"] for h in ruff["hooks"]] == ["ruff-check", "ruff-format"]


def test_pre_commit_tools_are_the_locked_versions() -> None:
    lock = (ROOT / "requirements-dev.lock").read_text()  # development tools
    _, schema, ruff = load(PRE_COMMIT)["repos"]
    assert f"check-jsonschema=={schema['rev']}\n" in lock
    assert f"ruff=={ruff['rev'].removeprefix('v')}\n" in lock


def test_check_jsonschema_hook_accepts_the_example_records() -> None:
    _, schema, _ = load(PRE_COMMIT)["repos"]
    (hook,) = schema["hooks"]
    records = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "registry" / "projects").iterdir()
        if re.search(hook["files"], p.relative_to(ROOT).as_posix())
    )
    assert len(records) == 18
    done = subprocess.run(
        [str(BIN / "check-jsonschema"), *hook["args"], *records],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- the PR job, run for real ---------------------------------------------------------


def git(top: Path, *args: str) -> str:
    """Run git in `top` and return its output."""
    done = subprocess.run(["git", *args], cwd=top, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def pr_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a clone of this repo's registry and site on a PR branch, with `origin/main`.

    The PR advances returns-reason-analysis to poc (data access now verified)
    and breaks carrier-invoice-audit (an unknown stage).
    """
    for key in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{key}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{key}_EMAIL", "test@example.com")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    top = tmp_path / "checkout"
    shutil.copytree(ROOT / "registry", top / "registry")
    shutil.copytree(ROOT / "site_theme", top / "site_theme")
    shutil.copy(ROOT / "mkdocs.yml", top)
    git(top, "init", "--quiet", "--initial-branch=main")
    git(top, "add", "-A")
    git(top, "commit", "--quiet", "-m", "base")
    git(top, "switch", "--quiet", "-c", "feature")
    projects = top / "registry" / "projects"
    advance(projects / "returns-reason-analysis.yaml")
    broken = projects / "carrier-invoice-audit.yaml"
    broken.write_text(broken.read_text().replace("stage: scale\n", "stage: prod\n"))
    git(top, "commit", "--quiet", "-am", "advance returns analysis; break carrier audit")
    git(top, "remote", "add", "origin", str(top))
    git(top, "fetch", "--quiet", "origin")  # as actions/checkout with fetch-depth: 0
    return top


def days_ago(days: int) -> str:
    """Return an ISO date `days` before today (the workflow validates as of today)."""
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


def advance(path: Path) -> None:
    """Record a passed data-access check and the discovery -> poc decision."""
    text = path.read_text()
    pending = "  - {name: data-access, status: pending, date: 2026-09-18}\n"
    assert pending in text
    passed = f"  - {{name: data-access, status: passed, date: {days_ago(5)}}}\n"
    decision = (
        f"decisions:\n  - {{date: {days_ago(3)}, from: discovery, to: poc, outcome: advance, "
        "by: [Erik Dahl]}\n"
    )
    text = text.replace(pending, pending + passed).replace("checks:\n", decision + "checks:\n")
    path.write_text(text.replace("stage: discovery\n", "stage: poc\n"))


def run_step(step: dict[str, Any], top: Path, summary: Path) -> subprocess.CompletedProcess[str]:
    """Run a step's script as the runner does: bash -eo pipefail, the step's env set."""
    expressions = {"${{ github.base_ref }}": "main"}
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "GITHUB_STEP_SUMMARY": str(summary)}
    for name, value in step.get("env", {}).items():
        for expression, replacement in expressions.items():
            value = value.replace(expression, replacement)
        assert "${{" not in value
        env[name] = value
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=top,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_pr_job_annotates_and_summarises(pr_checkout: Path, tmp_path: Path) -> None:
    workflow = load(PR)
    summary = tmp_path / "step_summary.md"
    summary.write_text("")
    broken = "registry/projects/carrier-invoice-audit.yaml"
    line = (pr_checkout / broken).read_text().splitlines().index("stage: prod") + 1
    message = "stage: Input should be 'discovery', 'poc', 'pilot', 'scale' or 'optimize'"

    validate = run_step(named(workflow, "check", "Validate records"), pr_checkout, summary)

    assert validate.returncode == 0, validate.stderr
    annotation = f"::error file={broken},line={line},col=1,title=R004 Invalid value or type::"
    assert annotation + message in validate.stdout.splitlines()
    findings_row = f"| ❌ | `{broken}` | {line} | R004 | carrier-invoice-audit | {message} |"
    assert summary.read_text().startswith("## Portfolio registry check\n")
    assert findings_row in summary.read_text().splitlines()

    diff = run_step(
        named(workflow, "check", "Judge the change against the base branch"), pr_checkout, summary
    )

    assert diff.returncode == 1, diff.stderr
    validated, changes = summary.read_text().split("## Portfolio changes\n")
    assert findings_row in validated
    assert changes == diff.stdout.removeprefix("## Portfolio changes\n")
    base = git(pr_checkout, "rev-parse", "origin/main").strip()
    lines = changes.splitlines()
    assert lines[1] == f"Compared with `origin/main` (`{base[:12]}`) as of {dt.date.today()}."
    assert lines[3] == "**0 added, 2 changed, 1 advanced, 0 killed, 0 shelved, 0 removed**"
    assert lines[5].startswith("❌ FAILED: 1 new error, ")
    assert "**Stage discovery → poc**" in lines
    assert f"| ✅ | G104 Data access verified | `data-access` passed on {days_ago(5)} |" in lines
    assert f"| ❌ | `{broken}` | {line} | R004 | carrier-invoice-audit | {message} |" in lines


@pytest.fixture
def bomb_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a PR checkout whose base holds a waiver that expired after the base commit.

    The base is committed ten days ago, when cs-reply-drafting's waiver of G203 was in
    force; it expired yesterday. The PR only retags it-ticket-triage.
    """
    base_date = f"{days_ago(10)}T09:00:00+0000"
    for key in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{key}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{key}_EMAIL", "test@example.com")
        monkeypatch.setenv(f"GIT_{key}_DATE", base_date)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    top = tmp_path / "checkout"
    shutil.copytree(ROOT / "registry", top / "registry")
    bomb = top / "registry" / "projects" / "cs-reply-drafting.yaml"
    bomb.write_text(bomb.read_text().replace("expires: 2027-01-15", f"expires: {days_ago(1)}"))
    git(top, "init", "--quiet", "--initial-branch=main")
    git(top, "add", "-A")
    git(top, "commit", "--quiet", "-m", "base")
    git(top, "switch", "--quiet", "-c", "feature")
    other = top / "registry" / "projects" / "it-ticket-triage.yaml"
    other.write_text(other.read_text().replace("routing]\n", "triage]\n"))
    git(top, "commit", "--quiet", "-am", "retag it-ticket-triage")
    git(top, "remote", "add", "origin", str(top))
    git(top, "fetch", "--quiet", "origin")
    return top


def test_pr_job_passes_a_change_elsewhere_and_reports_the_date_bomb(
    bomb_checkout: Path, tmp_path: Path
) -> None:
    workflow = load(PR)
    summary = tmp_path / "step_summary.md"
    summary.write_text("")
    bomb = "registry/projects/cs-reply-drafting.yaml"

    validate = run_step(named(workflow, "check", "Validate records"), bomb_checkout, summary)
    judge = run_step(
        named(workflow, "check", "Judge the change against the base branch"),
        bomb_checkout,
        summary,
    )

    assert validate.returncode == 0, validate.stderr
    assert any(
        line.startswith(f"::error file={bomb},") and "title=G203 " in line
        for line in validate.stdout.splitlines()
    )
    assert judge.returncode == 0, judge.stdout + judge.stderr
    lines = judge.stdout.splitlines()
    assert lines[6].startswith("✅ ok: 0 new errors, ")
    assert lines[6].endswith(" elsewhere, not failed on")
    assert "### Errors elsewhere, not failed on" in lines
    (row,) = [line for line in lines if line.startswith(f"| `{bomb}` |") and "| G203 |" in line]
    assert row.endswith(f" | due to the date (none on {days_ago(10)}, its last change) |")
    assert judge.stdout in summary.read_text()


def test_pr_job_fails_a_change_to_the_record_with_the_date_bomb(
    bomb_checkout: Path, tmp_path: Path
) -> None:
    bomb = bomb_checkout / "registry" / "projects" / "cs-reply-drafting.yaml"
    bomb.write_text(bomb.read_text().replace("email, b2b]", "email]"))
    git(bomb_checkout, "commit", "--quiet", "-am", "retag cs-reply-drafting")
    step = named(load(PR), "check", "Judge the change against the base branch")

    judge = run_step(step, bomb_checkout, tmp_path / "summary.md")

    assert judge.returncode == 1, judge.stdout + judge.stderr
    assert "### Errors left in changed records" in judge.stdout.splitlines()
