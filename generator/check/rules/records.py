"""Record rules that need the whole record or the whole registry (R006-R014)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

from ...core.findings import Hit
from ...core.model import STARTER_METRIC, STARTER_PROBLEM
from ...core.policy import Policy
from ...core.record_log import log_problems
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
    for path, message in log_problems(ctx.record):
        yield Hit("R013", path, message)


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
