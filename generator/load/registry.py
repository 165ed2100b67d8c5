"""Registry folder -> entries (record or not) with every loading finding.

Each file is read as bytes, screened (size, encoding, NUL bytes: `files`), parsed
safely (see `yamlsrc`) and validated against the `Record` model. Pydantic's
error locations are mapped onto the parser's key-position table, so every
finding names the line and column of the key a user must edit.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import os
import re
import stat
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..core.fields import error_message, fields_of, is_model
from ..core.findings import KeyPath
from ..core.model import POLICY_FILE, PROJECTS_DIR, RECORD, RECORD_SUFFIXES, Record
from ..core.policy import Policy, rule_key_problem
from ..errors import RegistryNotFound
from .files import lstatus, read_source
from .value_hints import value_hint
from .yamldata import Parsed, Problem


@dataclass(slots=True)
class Entry:
    """One record file: where it is, what it held, and what was wrong with it."""

    path: Path
    file: str
    source: Parsed
    record: Record | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def stem(self) -> str:
        """Return the file name without its suffix (the id it must carry)."""
        return _printable_name(self.path.stem)

    @property
    def raw_id(self) -> str:
        """Return the id as written, or the stem when the file has none."""
        data = self.source.data
        value = data.get("id") if isinstance(data, dict) else None
        return value if isinstance(value, str) else self.stem

    def drop_source(self) -> None:
        """Forget the parsed YAML but the id, once the file is checked: positions and data
        are half a record's memory, and the site reads only the record and `raw_id`."""
        self.source.data = {"id": self.raw_id}
        self.source.positions = {}


@dataclass(slots=True)
class Registry:
    """Everything read from a registry folder."""

    root: Path
    entries: list[Entry]
    policy: Policy
    policy_entry: Entry | None = None


def display_path(path: Path) -> str:
    """Return `path` relative to the working directory when inside it, in POSIX form.

    A file name that is not UTF-8 shows its undecodable bytes as U+FFFD, so it can be
    printed and written into pages like any other.
    """
    try:
        shown = Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()  # noqa: PTH100 - keep symlinks
    except ValueError:
        shown = path.as_posix()
    return _printable_name(shown)


def _printable_name(name: str) -> str:
    """Return a file name with bytes that are not UTF-8 shown as U+FFFD.

    So is every character that would let a name forge a line of the report: line
    breaks, control and format characters (direction overrides) and the colon that
    separates `file:line:col:`. Such names are refused (R017) and shown this way.
    """
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _FORGING.sub("\ufffd", text)


# Line breaks, C0/C1 controls, format characters such as U+202E, and ':'.
_FORGING = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff:]")


# Files an empty folder or a hand-written note may need; everything else is a record or
# reported.
_NOT_RECORDS = frozenset({".gitkeep", ".keep", "README.md", "README"})


def name_problem(path: Path, status: os.stat_result | None = None) -> Problem | None:
    """Say why a file in projects/ will not be read as a record, if it will not.

    `status` is the file's `os.lstat`, when the caller has it already.
    """
    name = path.name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return Problem("R009", 1, 1, "the file name is not UTF-8; rename it to <id>.yaml")
    forged = _FORGING.search(name)
    if forged:
        what = "':'" if forged.group() == ":" else f"the character U+{ord(forged.group()):04X}"
        return Problem(
            "R017", 1, 1, f"the file name holds {what}, which reports cannot show; "
            "rename it to <id>.yaml",
        )  # fmt: skip
    if status is None:
        status = lstatus(path)
    if status is not None and stat.S_ISDIR(status.st_mode):  # a link to a folder is a link
        return Problem(
            "R017", 1, 1, "is a folder; records live directly in projects/: move them up"
        )
    if name != name.strip():
        return Problem("R017", 1, 1, "the file name starts or ends with a space; remove it")
    suffix = path.suffix
    if suffix in RECORD_SUFFIXES:
        return None
    if suffix.lower() in RECORD_SUFFIXES:
        return Problem(
            "R017",
            1,
            1,
            f"the suffix must be lowercase: rename the file to {path.stem}{suffix.lower()}",
        )
    if name.lower() in RECORD_SUFFIXES:
        return Problem("R017", 1, 1, "the file has no name before its suffix: call it <id>.yaml")
    return Problem("R017", 1, 1, "is not a record: record files are named <id>.yaml or <id>.yml")


def load_entry(path: Path, file: str | None = None) -> Entry:
    """Load one file of projects/ into an Entry, validating it when it parsed."""
    status = lstatus(path)
    problem = name_problem(path, status)
    source = Parsed(problems=[problem]) if problem else read_source(path, status)
    entry = Entry(path, file or display_path(path), source, problems=list(source.problems))
    if isinstance(source.data, dict):
        try:
            entry.record = RECORD.validate_python(source.data)
        except ValidationError as err:
            entry.problems.extend(model_problems(err, source, Record))
    return entry


def projects_folder(root: Path) -> Path:
    """Return the registry's projects folder, refusing one that lives elsewhere."""
    projects = root / PROJECTS_DIR
    if root.is_symlink():
        raise RegistryNotFound(
            f"{display_path(root)} is a symbolic link; commit the registry (R011)"
        )
    if not projects.is_dir():
        raise RegistryNotFound(f"{display_path(projects)}: no such folder; is this a registry?")
    if projects.is_symlink() or not projects.resolve().is_relative_to(root.resolve()):
        raise RegistryNotFound(f"{display_path(projects)} is a link out of the registry (R011)")
    return projects


def record_files(root: Path) -> list[tuple[Path, str]]:
    """Return (path, display path) of every file in projects/, sorted by name.

    Not only the record files: a file that will not be read is loaded as an entry
    with the reason (R017, R009), so nothing in projects/ disappears without a word.
    """
    projects = projects_folder(root)
    prefix = display_path(projects)
    try:
        paths = sorted(
            (p for p in projects.iterdir() if p.name not in _NOT_RECORDS), key=lambda p: p.name
        )
    except OSError as err:
        raise RegistryNotFound(f"{prefix}: cannot be read ({err.strerror})") from None
    return [(p, f"{prefix}/{_printable_name(p.name)}") for p in paths]


def load_registry(root: Path) -> Registry:
    """Load every record and the policy of the registry at `root`."""
    policy, policy_entry = load_policy(root)
    with collector_paused():
        entries = [load_entry(path, file) for path, file in record_files(root)]
    return Registry(root, entries, policy, policy_entry)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while records pile up in memory.

    Loading (and checking: `engine.check`) allocates millions of objects that all stay
    alive and form no cycles; the collector would scan everything loaded so far again
    and again (10,000 records: load 13.8 s with it, 7.5 s without; checking them 7.6 s
    and 6.1-7.1 s). Reference counting still frees what is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- the policy file ----------------------------------------------------------------


def load_policy(root: Path) -> tuple[Policy, Entry | None]:
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


# --- pydantic errors -> problems -------------------------------------------------------


def model_problems(err: ValidationError, source: Parsed, model: type) -> list[Problem]:
    """Translate pydantic's errors into located problems with actionable messages."""
    problems = []
    for error in err.errors(include_url=False):
        path = _data_path(source.data, error["loc"])
        line, column = source.locate(path)
        rule, message = _describe(error, path, source.data, model)
        problems.append(Problem(rule, line, column, message))
    return problems


def _data_path(data: object, loc: tuple[int | str, ...]) -> KeyPath:
    """Keep the loc elements that exist in the data (drops union tags, missing keys)."""
    path: list[str | int] = []
    for step in loc:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            continue  # a union tag or a key that is missing
        path.append(step)
    return tuple(path)


def dotted(path: KeyPath) -> str:
    """Render a key path as `evidence[2].samples`."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or "record"


def _describe(error: Any, path: KeyPath, data: object, model: type) -> tuple[str, str]:
    kind = error["type"]
    where = dotted(path)
    if kind == "missing":
        return "R005", f"{where}: missing required field '{error['loc'][-1]}'"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):  # a model's, a record's
        return "R003", _unknown_field(path, data, model)
    if kind in ("R006", "R015"):
        return kind, f"{where}: {error['msg']}"
    if kind == "union_tag_not_found":
        return "R005", f"{where}: missing required field 'kind'"
    message = f"{where}: {error_message(error)}"
    message += value_hint(kind, error.get("input"), error.get("ctx", {}))
    return "R004", message


def _unknown_field(path: KeyPath, data: object, model: type) -> str:
    key = str(path[-1])
    names = sorted(_fields_at(path[:-1], data, model))
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    where = f" in {dotted(path[:-1])}" if path[:-1] else ""
    hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(names)}"
    return f"unknown field '{key}'{where}; {hint}"


def _fields_at(path: KeyPath, data: object, model: type) -> set[str]:
    """Return the field names (by alias) of the model that holds the data at `path`."""
    typ: Any = model
    for step in path:
        typ = _unwrap(typ, data)
        if is_model(typ):
            info = next((f for n, f in fields_of(typ).items() if (f.alias or n) == step), None)
            typ = info.annotation if info else None
        else:
            args = typing.get_args(typ)
            typ = args[-1] if args else None
        data = data[step] if isinstance(data, dict | list) else None  # type: ignore[index]
    typ = _unwrap(typ, data)
    if is_model(typ):
        return {f.alias or n for n, f in fields_of(typ).items()}
    return set()


def _unwrap(typ: Any, data: object) -> Any:
    """Strip Annotated/Optional and pick a union member by the data's `kind`."""
    while True:
        origin = typing.get_origin(typ)
        if origin is typing.Annotated:
            typ = typing.get_args(typ)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(typ) if a is not type(None)]
            kind = data.get("kind") if isinstance(data, dict) else None
            typ = next((m for m in members if _kind_of(m) == kind), members[0])
        else:
            return typ


def _kind_of(model: Any) -> object:
    if is_model(model) and "kind" in fields_of(model):
        args = typing.get_args(fields_of(model)["kind"].annotation)
        return args[0] if args else None
    return None
