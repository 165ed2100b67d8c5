"""Starter records and the JSON Schema that editors use to check records as you type."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

from .core.fields import SLUG, UNSHOWN
from .core.model import (
    PROJECTS_DIR,
    RECORD,
    RECORD_SUFFIXES,
    STARTER_METRIC,
    STARTER_PROBLEM,
)
from .errors import UsageError
from .load.paths import write_text
from .load.yamlsrc import quote

SCHEMA_FILE = "record.schema.json"
SCHEMA_ID = "https://example.com/portfolio-registry/record.schema.json"

_STARTER = """\
# yaml-language-server: $schema=../record.schema.json
# A new initiative starts at discovery. Fill in the problem and the success
# metric, find an executive sponsor, verify data access, then record the gate
# decision to move to poc. Field reference: the README, "Record format".
id: {id}
title: {title}
# ONE sentence about the business problem; no technology names.
problem: {problem}
success_metric:
  name: {metric}
  # baseline: 0.10
  # target: 0.60       # the discovery gate needs a target
  unit: ratio
  direction: higher
team: {team}
owner: {{name: {owner}}}
sponsors: []           # e.g. - {{name: Jane Roe, role: VP Sales, since: {today}}}
stage: discovery
status: active
started: {today}
use_cases: []
decisions: []
# Later gate decisions: - {{date: ..., from: pilot, to: scale, outcome: advance, by: [...]}};
# at scale and optimize, the quarterly ROI review (within 92 days of the last one):
#   - {{date: ..., from: optimize, outcome: review, by: [...], rationale: "ROI 3.1x; keep."}}
checks: []             # e.g. - {{name: data-access, status: passed, date: {today}}}
evidence: []
# What the pilot achieved, in the success metric's unit (the pilot gate needs one
# better than the baseline), and the USD a month it delivers:
#   - {{kind: outcome, date: ..., value: 5.5, monthly_value: 42000}}
learnings: []
tags: []
"""


def _quote(text: str) -> str:
    """Return text as a YAML scalar that reads back unchanged (NEL and U+2028 included)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{text!r} is not valid UTF-8 text") from None
    if not text.strip():
        raise UsageError(f"{text!r} is blank; a record cannot be")
    found = UNSHOWN.search(text)
    if found:
        code = f"U+{ord(found.group()):04X}"
        raise UsageError(f"{text!r} holds the control character {code}; a record cannot")
    return quote(text)


def _git_user() -> str | None:
    try:
        done = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return done.stdout.strip() or None


def starter_text(project_id: str, title: str, team: str, owner: str, today: dt.date) -> str:
    """Return the commented YAML of a starter record."""
    return _STARTER.format(
        id=project_id,
        title=_quote(title),
        problem=_quote(STARTER_PROBLEM),
        metric=_quote(STARTER_METRIC),
        team=_quote(team),
        owner=_quote(owner),
        today=today.isoformat(),
    )


def write_starter(
    registry: Path, project_id: str, *, title: str | None, team: str, owner: str | None
) -> Path:
    """Write registry/projects/<id>.yaml, refusing bad ids and existing files."""
    if not SLUG.match(project_id):
        raise UsageError(f"'{project_id}' is not a slug: use lowercase a-z, 0-9 and '-'")
    projects = registry / PROJECTS_DIR
    if not projects.is_dir():
        raise UsageError(f"{projects}: no such folder; run from the repository root")
    for suffix in RECORD_SUFFIXES:
        existing = projects / f"{project_id}{suffix}"
        if existing.exists() or existing.is_symlink():  # a dangling link "exists" too
            raise UsageError(f"{existing} already exists")
    path = projects / f"{project_id}.yaml"
    name = title or project_id.replace("-", " ").capitalize()
    text = starter_text(project_id, name, team, owner or _git_user() or "Unknown", dt.date.today())
    write_text(path, text, registry)
    return path


def schema_text() -> str:
    """Return the record JSON Schema (draft-07 compatible) as committed text."""
    schema = RECORD.json_schema(by_alias=True, mode="validation")
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **schema,
    }
    text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False)
    # draft-07 names reusable definitions `definitions`, not `$defs`.
    text = text.replace('"$defs"', '"definitions"').replace("#/$defs/", "#/definitions/")
    return text + "\n"
