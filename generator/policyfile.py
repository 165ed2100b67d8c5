"""Read `registry/policy.yaml` into a Policy, with located problems."""

from __future__ import annotations

from pathlib import Path as FsPath

from pydantic import ValidationError

from .loading import Entry, display_path, model_problems, read_source
from .policy import Policy

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
    try:
        return Policy.model_validate(source.data), entry
    except ValidationError as err:
        entry.problems.extend(model_problems(err, source, Policy))
        return Policy(), entry
