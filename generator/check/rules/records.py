"""Record rules that need the whole record or the whole registry (R006-R014)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

from ...core.findings import Hit
from ...core.model import STAGES, STARTER_METRIC, STARTER_PROBLEM, Record
from ...core.policy import Policy
from .context import Context, Ref


def id_matches_stem(ctx: Context) -> Iterator[Hit]:
    """R006: the id must equal the file name without its suffix."""
    if ctx.record.id != ctx.entry.stem:
        yield Hit(
            "R006",
            ("id",),
            f"id '{ctx.record.id}' differs from the file name '{ctx.entry.path.name}'; "
            f"rename the file to {ctx.record.id}.yaml or fix the id",
        )


def decision_log(ctx: Context) -> Iterator[Hit]:
    """R013: replay the gate log; stage and status must be where it ends."""
    record = ctx.record
    stage, status = "discovery", "active"
    previous = None
    for i, d in enumerate(record.decisions):
        here = ("decisions", i)
        if previous is not None and d.date < previous:
            yield Hit(
                "R013",
                here,
                f"decision dated {d.date} comes after one dated {previous}; "
                "keep the log oldest first",
            )
        previous = d.date
        if not d.by:
            yield Hit("R013", (*here, "by"), "name who decided: `by` is empty")
        if d.from_ is not None and d.from_ != stage:
            yield Hit(
                "R013",
                (*here, "from"),
                f"`from: {d.from_}` but the log has the initiative at {stage} then",
            )
        problem, stage, status = _apply(d.outcome, d.to, stage, status)
        if problem:
            yield Hit("R013", here, problem)
    if record.stage != stage:
        yield Hit("R013", ("stage",), _mismatch("stage", record.stage, stage, record))
    if record.status != status:
        yield Hit("R013", ("status",), _mismatch("status", record.status, status, record))


def _apply(outcome: str, to: str | None, stage: str, status: str) -> tuple[str, str, str]:
    """Return (problem, stage, status) after one decision."""
    now = STAGES.index(stage)
    if outcome in ("kill", "shelve", "resume"):
        if to is not None:
            return f"a {outcome} decision has no `to`; remove it", stage, status
        if outcome == "resume":
            ok = status == "shelved"
            return ("" if ok else "only a shelved initiative can resume"), stage, "active"
        if status == "killed":
            return f"cannot {outcome} an initiative that was killed", stage, status
        return "", stage, "killed" if outcome == "kill" else "shelved"
    if status != "active":
        return f"cannot {outcome} a {status} initiative; resume it first", stage, status
    if outcome == "pivot":
        target = stage if to is None else to
        if STAGES.index(target) > now:
            return f"a pivot restarts {stage} or an earlier stage, not {target}", stage, status
        return "", target, status
    if to is None:
        return "an advance needs `to`: the next stage", stage, status
    if STAGES.index(to) != now + 1:
        nxt = STAGES[now + 1] if now + 1 < len(STAGES) else None
        why = f"the next stage is {nxt}" if nxt else f"{stage} is the last stage"
        return f"advance from {stage} to {to} skips or reverses a stage; {why}", to, status
    return "", to, status


def _mismatch(key: str, written: str, derived: str, record: Record) -> str:
    last = (
        f"the last decision ({record.decisions[-1].date})"
        if record.decisions
        else ("an empty decision log")
    )
    return (
        f"{key} is {written}, but {last} leaves it {derived}; "
        f"record the gate decision or set {key}: {derived}"
    )


def known_failure_modes(ctx: Context) -> Iterator[Hit]:
    """R004: failure modes come from the taxonomy (built-in plus the policy's)."""
    modes = ctx.policy.all_failure_modes
    for i, failure in enumerate(ctx.record.failures):
        if failure.mode not in modes:
            yield Hit("R004", ("failures", i, "mode"), f"failures[{i}].mode: unknown failure "
                      f"mode '{failure.mode}'; use one of the taxonomy (see the policy page) "
                      "or add it to failure_modes in registry/policy.yaml")  # fmt: skip


def starter_text_replaced(ctx: Context) -> Iterator[Hit]:
    """R004: the placeholders of `portfolio new` are replaced before the record counts."""
    record = ctx.record
    if record.problem.strip() == STARTER_PROBLEM:
        yield Hit("R004", ("problem",), "problem: still the starter's placeholder; "
                  "state the business problem in one sentence")  # fmt: skip
    metric = record.success_metric
    if metric is not None and metric.name.strip() == STARTER_METRIC:
        yield Hit("R004", ("success_metric", "name"), "success_metric.name: still the "
                  "starter's placeholder; name the business outcome you will measure")  # fmt: skip


def plausible_dates(ctx: Context) -> Iterator[Hit]:
    """R014: no date after the as-of date; no log entry before the start."""
    record, as_of = ctx.record, ctx.as_of
    if record.started > as_of:
        yield Hit("R014", ("started",), f"started {record.started} is after {as_of}")
    for key in ("decisions", "checks", "evidence"):
        for i, item in enumerate(getattr(record, key)):
            if item.date > as_of:
                yield Hit("R014", (key, i), f"dated {item.date}, after {as_of}")
            elif item.date < record.started:
                yield Hit(
                    "R014",
                    (key, i),
                    f"dated {item.date}, before the initiative started ({record.started})",
                )
    for i, sponsor in enumerate(record.sponsors):
        if sponsor.since is not None and sponsor.since > as_of:
            yield Hit("R014", ("sponsors", i), f"sponsor since {sponsor.since}, after {as_of}")
    for i, failure in enumerate(record.failures):
        if failure.date is not None and failure.date > as_of:
            yield Hit("R014", ("failures", i), f"dated {failure.date}, after {as_of}")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def duplicate_ids(refs: Sequence[Ref], _policy: Policy) -> Iterator[tuple[Ref, Hit]]:
    """R007: ids must be unique, also after case-folding and Unicode normalisation."""
    seen: dict[str, Ref] = {}
    for ref in refs:
        first = seen.setdefault(_fold(ref.raw_id), ref)
        if first is not ref:
            yield (
                ref,
                Hit(
                    "R007",
                    ("id",),
                    f"id '{ref.raw_id}' is already used by {first.file}; ids must be unique "
                    "(ids that differ only in case or Unicode form collide)",
                ),
            )


def known_references(refs: Sequence[Ref], _policy: Policy) -> Iterator[tuple[Ref, Hit]]:
    """R012: `related` and `supersedes` must name records of this registry."""
    ids = {ref.raw_id for ref in refs}
    for ref in refs:
        for i, other in enumerate(ref.related):
            if other not in ids:
                yield ref, Hit("R012", ("related", i), f"related id '{other}' does not exist")
        if ref.supersedes is not None and ref.supersedes not in ids:
            yield (
                ref,
                Hit(
                    "R012", ("supersedes",), f"supersedes '{ref.supersedes}', which does not exist"
                ),
            )
