"""Read `registry/policy.yaml` into a Policy, with located problems."""

from __future__ import annotations

from pathlib import Path as FsPath

from pydantic import ValidationError

from .loading import Entry, display_path, model_problems, read_source
from .policy import Policy, rule_key_problem
from .yamlsrc import Problem

POLICY_FILE = "policy.yaml"


def load_policy(root: FsPath) -> tuple[Policy, Entry | None]:
    """Return the policy in force and the policy file's entry (None when absent).

    A policy file with problems yields the default policy, and its problems
    are reported on the entry: a broken policy must not silently soften rules.
    """
    path = root / POLICY_FILE
    if not path.exists() and not path.is_symlink():
        return Policy(), None
    source = read_source(path)
    entry = Entry(path, display_path(path), source, problems=list(source.problems))
    if source.empty:
        entry.problems = []  # empty or comments only: the defaults apply
        return Policy(), entry
    if not isinstance(source.data, dict):
        return Policy(), entry
    rules = source.data.get("rules")
    if isinstance(rules, dict):
        # Point at the offending key itself, not at `rules:`.
        for key, severity in rules.items():
            problem = rule_key_problem(str(key), "off" if severity is False else severity)
            if problem:
                line, column = source.locate(("rules", key))
                entry.problems.append(Problem("R004", line, column, f"rules.{key}: {problem}"))
        if entry.problems:
            return Policy(), entry
    try:
        return Policy.model_validate(source.data), entry
    except ValidationError as err:
        entry.problems.extend(model_problems(err, source, Policy))
        return Policy(), entry
