"""What a change does to the registry: the registry at a git revision vs the work tree.

`compare(root, base)` materialises the registry as it was at `base` in a
temporary folder (the work tree is never touched), loads and checks both sides
on the same as-of date, and reports per record id: added, removed or renamed
(R016: ids are permanent), changed fields, stage transitions with the verdict
of every gate crossed, kills and shelvings, and the findings the change
introduces or resolves. It also sorts the errors already standing: those left in
records the change touches (which fail it, as new ones do) and those elsewhere, which
it reports without answering for them (`standing.py`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..check.engine import check
from ..core.fields import fields_of
from ..core.findings import Finding, Severity
from ..core.model import STAGES, OutcomeEvidence, Record
from ..core.playbook import Condition, judge_crossed
from ..core.policy import Policy
from ..core.record_log import waived_rules
from ..load.git import commit_dates, last_changes, load_as, materialise, repository, resolve_base
from ..load.registry import Entry, Registry, load_registry
from .resembles import Resembles, resemblances
from .standing import Standing, split_errors, standing

ENDED = ("killed", "shelved")
_FIELD_ORDER = {(info.alias or name): i for i, (name, info) in enumerate(fields_of(Record).items())}


@dataclass(frozen=True, slots=True)
class Added:
    """A record that did not exist at the base revision, and the closest records to it."""

    id: str
    file: str
    title: str | None
    stage: str | None
    status: str | None
    resembles: tuple[Resembles, ...] = ()


@dataclass(frozen=True, slots=True)
class Removed:
    """A record id that existed at the base revision and is gone (R016)."""

    id: str
    file: str
    renamed_to: str | None


@dataclass(frozen=True, slots=True)
class GateVerdict:
    """A gate crossed by a change, judged on what the record showed at its decision."""

    source: str
    target: str
    date: dt.date | None  # the advance decision; None when the log lacks it (R013)
    conditions: tuple[Condition, ...]
    waived: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Transition:
    """A stage change and the gates it crossed (none when moving back)."""

    source: str
    target: str
    gates: tuple[GateVerdict, ...]

    @property
    def advanced(self) -> bool:
        """Return whether the record moved to a later stage."""
        return STAGES.index(self.target) > STAGES.index(self.source)


@dataclass(frozen=True, slots=True)
class Ending:
    """A record killed or shelved by the change, with its rationale and learnings."""

    status: str
    stage: str
    date: dt.date | None
    rationale: str | None
    learnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Measured:
    """An outcome measurement the change adds: the success metric's value and its worth."""

    date: dt.date
    value: float
    monthly_value: float | None
    metric: str | None
    baseline: float | None


@dataclass(frozen=True, slots=True)
class Review:
    """A quarterly kill/continue review the change records."""

    date: dt.date
    stage: str | None
    by: tuple[str, ...]
    rationale: str | None


@dataclass(frozen=True, slots=True)
class Changed:
    """A record present on both sides whose content differs."""

    id: str
    file: str
    fields: tuple[str, ...]
    transition: Transition | None = None
    ended: Ending | None = None
    outcomes: tuple[Measured, ...] = ()
    reviews: tuple[Review, ...] = ()


@dataclass(frozen=True, slots=True)
class Diff:
    """Everything a change does to the registry."""

    base: str
    base_label: str
    as_of: dt.date
    added: tuple[Added, ...]
    removed: tuple[Removed, ...]
    changed: tuple[Changed, ...]
    new_findings: tuple[Finding, ...]
    resolved_findings: tuple[Finding, ...]
    kept_errors: tuple[Finding, ...] = ()  # already at BASE, in records the change touches
    standing: tuple[Standing, ...] = ()  # errors in records the change does not touch

    def counts(self) -> dict[str, int]:
        """Return the summary tally: added, changed, advanced, killed, shelved, removed."""
        transitions = [c.transition for c in self.changed if c.transition]
        endings = [c.ended.status for c in self.changed if c.ended]
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "advanced": sum(t.advanced for t in transitions),
            "killed": endings.count("killed"),
            "shelved": endings.count("shelved"),
            "removed": len(self.removed),
        }

    @property
    def errors(self) -> int:
        """Return the number of error findings the change introduces (R016 included)."""
        return sum(f.severity is Severity.ERROR for f in self.new_findings)

    @property
    def failed(self) -> bool:
        """Return whether the change fails review: errors it adds or leaves in its records."""
        return bool(self.errors or self.kept_errors)


# --- the comparison -------------------------------------------------------------------


def compare(root: Path, base: str | None = None, as_of: dt.date | None = None) -> Diff:
    """Compare the registry at `root` (the work tree) with the same registry at `base`.

    Args:
        root: the registry folder.
        base: a git revision; None for the merge base of HEAD with the default branch.
        as_of: the date both sides are checked on (default today).

    Raises:
        GitError: not a git repository, unknown revision, or no default branch.
        RegistryNotFound: `root` is not a registry.
    """
    when = as_of or dt.date.today()
    new = load_registry(root)
    top, prefix = repository(root)
    sha, label = resolve_base(top, base)
    changes = last_changes(root)
    new_report = check(new, when, changes)
    with tempfile.TemporaryDirectory(prefix="portfolio-base-") as tmp:
        materialise(top, sha, prefix, Path(tmp))
        old = load_as(Path(tmp), root)
        old_report = check(old, when, commit_dates(top, sha, prefix))
    change = diff_registries(old, new, old_report.findings, new_report.findings, sha, label, when)
    touched = frozenset([a.file for a in change.added] + [c.file for c in change.changed])
    kept, other = split_errors(new_report.findings, change.new_findings, touched)
    return dataclasses.replace(change, kept_errors=kept, standing=standing(other, new, changes))


def diff_registries(
    old: Registry,
    new: Registry,
    old_findings: Sequence[Finding],
    new_findings: Sequence[Finding],
    base: str,
    label: str,
    as_of: dt.date,
) -> Diff:
    """Compare two loaded registries and their findings, record by record."""
    before, after = _by_id(old.entries), _by_id(new.entries)
    near = resemblances(new.policy, after, frozenset(after) - frozenset(before))
    added = [_added(e, near.get(rid, ())) for rid, e in after.items() if rid not in before]
    removed = _removed(before, after)
    changed = [
        change
        for rid, entry in after.items()
        if rid in before and (change := _changed(before[rid], entry, new.policy, as_of)) is not None
    ]
    deleted = [_r016(r) for r in removed]
    return Diff(
        base,
        label,
        as_of,
        tuple(added),
        tuple(removed),
        tuple(changed),
        tuple(sorted([*deleted, *_subtract(new_findings, old_findings)])),
        tuple(_subtract(old_findings, new_findings)),
    )


def _by_id(entries: Iterable[Entry]) -> dict[str, Entry]:
    """Index entries by id, in file order; of duplicate ids (R007) the first counts."""
    out: dict[str, Entry] = {}
    for entry in entries:
        out.setdefault(entry.raw_id, entry)
    return out


def _content(entry: Entry) -> dict[str, object]:
    """Return the record's top-level mapping as parsed (empty when it is not one)."""
    data = entry.source.data
    return dict(data) if isinstance(data, dict) else {}


def _added(entry: Entry, resembles: tuple[Resembles, ...]) -> Added:
    """Describe an added record, as far as it could be read."""
    record = entry.record
    if record is None:
        return Added(entry.raw_id, entry.file, None, None, None)
    return Added(entry.raw_id, entry.file, record.title, record.stage, record.status, resembles)


def _removed(before: Mapping[str, Entry], after: Mapping[str, Entry]) -> list[Removed]:
    """Return ids gone from the registry, naming the new id when one was renamed."""
    fresh = [e for rid, e in after.items() if rid not in before]
    out = []
    for rid, entry in before.items():
        if rid not in after:
            twin = _renamed_to(entry, fresh)
            out.append(Removed(rid, entry.file, twin.raw_id if twin else None))
    return out


def _renamed_to(entry: Entry, fresh: Sequence[Entry]) -> Entry | None:
    """Return the added record that is this one under a new id.

    That is one with the same content but for the id or, failing that, the
    same title and start date (renamed and edited in one change).
    """
    body = _content(entry)
    body.pop("id", None)
    if not body:
        return None
    for other in fresh:
        if {k: v for k, v in _content(other).items() if k != "id"} == body:
            return other
    key = (body.get("title"), body.get("started"))
    if key[0] is None:
        return None
    return next((o for o in fresh if _title_start(o) == key), None)


def _title_start(entry: Entry) -> tuple[object, object]:
    """Return the title and start date as written."""
    data = _content(entry)
    return data.get("title"), data.get("started")


def _r016(removed: Removed) -> Finding:
    """Return the R016 error of a removed or renamed record, on its file at BASE."""
    what = f"renamed to '{removed.renamed_to}'" if removed.renamed_to else "deleted"
    message = f"record '{removed.id}' was {what}; ids are permanent: kill or shelve it instead"
    return Finding(removed.file, 1, 1, "R016", message, Severity.ERROR, removed.id)


def _changed(old: Entry, new: Entry, policy: Policy, as_of: dt.date) -> Changed | None:
    """Compare one record on both sides; None when its content is the same."""
    before, after = _content(old), _content(new)
    missing = object()  # tells a dropped key from one set to null
    keys = {
        k for k in before.keys() | after.keys() if before.get(k, missing) != after.get(k, missing)
    }
    if not keys:
        return None
    fields = tuple(sorted(keys, key=lambda k: (_FIELD_ORDER.get(k, len(_FIELD_ORDER)), k)))
    a, b = old.record, new.record
    if a is None or b is None:
        return Changed(new.raw_id, new.file, fields)
    transition = None
    if a.stage != b.stage:
        transition = _transition(a.stage, b, policy, as_of, waived_rules(b, as_of))
    ended = _ending(b) if b.status != a.status and b.status in ENDED else None
    return Changed(new.raw_id, new.file, fields, transition, ended, *_impact_added(a, b))


def _impact_added(old: Record, new: Record) -> tuple[tuple[Measured, ...], tuple[Review, ...]]:
    """Return the outcome measurements and review decisions `new` has and `old` had not."""
    metric = new.success_metric
    outcomes = tuple(
        Measured(e.date, e.value, e.monthly_value, metric.name if metric else None,
                 metric.baseline if metric else None)
        for e in new.evidence
        if isinstance(e, OutcomeEvidence) and e not in old.evidence
    )  # fmt: skip
    reviews = tuple(
        Review(d.date, d.from_ or new.stage, tuple(d.by), d.rationale)
        for d in new.decisions
        if d.outcome == "review" and d not in old.decisions
    )
    return outcomes, reviews


def _transition(
    source: str, record: Record, policy: Policy, as_of: dt.date, waived: frozenset[str]
) -> Transition:
    """Judge every gate between two stages at its advance decision (none when moving back)."""
    verdicts = []
    if STAGES.index(record.stage) > STAGES.index(source):
        for judged in judge_crossed(record, policy, as_of, since=source):
            used = frozenset(c.code for c in judged.conditions) & waived
            gate = judged.gate
            verdicts.append(
                GateVerdict(gate.source, gate.target, judged.date, judged.conditions, used)
            )
    return Transition(source, record.stage, tuple(verdicts))


def _ending(record: Record) -> Ending:
    """Describe a kill or shelving by the last decision that made it."""
    outcome = "kill" if record.status == "killed" else "shelve"
    decision = next((d for d in reversed(record.decisions) if d.outcome == outcome), None)
    return Ending(
        record.status,
        record.stage,
        decision.date if decision else None,
        decision.rationale if decision else None,
        tuple(learning.text for learning in record.learnings),
    )


def _subtract(these: Sequence[Finding], those: Sequence[Finding]) -> list[Finding]:
    """Return findings of `these` absent from `those`, compared without their position.

    A finding whose severity changed (a policy edit) counts as new: a warning
    that became an error is an error this change introduces.
    """
    left = Counter((f.file, f.rule, f.severity, f.message) for f in those)
    out = []
    for finding in these:
        key = (finding.file, finding.rule, finding.severity, finding.message)
        if left[key]:
            left[key] -= 1
        else:
            out.append(finding)
    return out
