"""Render a `Diff` as text for a terminal, Markdown for a pull request, or JSON.

The JSON shape is a public interface (CI jobs read it):

    {"base": "<commit>", "base_label": "<what BASE named>", "as_of": "YYYY-MM-DD",
     "summary": {"added": n, "changed": n, "advanced": n, "killed": n, "shelved": n,
                 "removed": n, "new_errors": n, "new_warnings": n, "resolved": n,
                 "kept_errors": n, "standing_errors": n, "failed": bool},
     "added": [{"id", "file", "title", "stage", "status",
                "resembles": [{"id", "title", "status", "score"}]}],
     "removed": [{"id", "file", "renamed_to"}],
     "changed": [{"id", "file", "fields": [...],
                  "transition": null | {"from", "to", "gates": [{"source", "target", "date",
                      "conditions": [{"code", "label", "met", "waived", "detail"}]}]},
                  "ended": null | {"status", "stage", "date", "rationale", "learnings": [...]},
                  "outcomes": [{"date", "value", "monthly_value"}],
                  "reviews": [{"date", "stage", "by": [...], "rationale"}]}],
     "new_findings": [finding], "resolved_findings": [finding],
     "kept_errors": [finding], "standing_errors": [finding + {"by_date": bool,
         "clean_on": null | "YYYY-MM-DD"}]}

`resembles` lists, closest first, up to three records an added one is at least 30%
alike (the measure of S016 and `portfolio similar`). A finding has the shape of
`portfolio validate --format json`, and
`new_findings` includes the R016 finding of every removed record. `kept_errors` are
errors already at BASE in records the change adds or edits (they fail it, as new
errors do); `standing_errors` are errors in records it does not touch (reported, never
failed on), `by_date` when the record had none on `clean_on`, the day it last changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from ..check.report_out import cell, code, findings_table, one_line, terminal
from ..core.findings import Finding
from .compare import Changed, Diff, GateVerdict, Measured, Review
from .resembles import Resembles
from .standing import Standing


def _plural(n: int, word: str) -> str:
    """Return `1 error` or `2 errors`."""
    return f"{n} {word}{'s' * (n != 1)}"


def tally(diff: Diff) -> str:
    """Return `2 added, 1 changed, 1 advanced, 1 killed, 0 shelved, 0 removed`."""
    return ", ".join(f"{n} {what}" for what, n in diff.counts().items())


def verdict(diff: Diff) -> str:
    """Return the closing line: `FAILED: 2 new errors, 0 new warnings, 1 resolved`.

    Errors left in touched records and errors standing elsewhere are added when there
    are any: `…; 1 error left in changed records; 2 errors elsewhere, not failed on`.
    """
    errors = diff.errors
    warnings = len(diff.new_findings) - errors
    line = (
        f"{'FAILED' if diff.failed else 'ok'}: {_plural(errors, 'new error')}, "
        f"{_plural(warnings, 'new warning')}, {len(diff.resolved_findings)} resolved"
    )
    if diff.kept_errors:
        line += f"; {_plural(len(diff.kept_errors), 'error')} left in changed records"
    if diff.standing:
        line += f"; {_plural(len(diff.standing), 'error')} elsewhere, not failed on"
    return line


STANDING_NOTE = (
    "Errors in records this change does not touch: they fail no pull request; "
    "fix them on their own records."
)


def _cause(item: Standing) -> str:
    """Return why an untouched record has an error: the date, or already at the base."""
    if item.clean_on is not None:
        return f"due to the date (none on {item.clean_on}, its last change)"
    return "already there before this change"


def _gate_heading(gate: GateVerdict, as_of: object) -> str:
    """Return `gate poc → pilot, decided 2026-11-20`."""
    when = f"decided {gate.date}" if gate.date else f"no advance decision, judged as of {as_of}"
    return f"gate {gate.source} → {gate.target}, {when}"


# --- text -----------------------------------------------------------------------------


def as_text(diff: Diff) -> str:
    """Return the change as indented lines for a terminal."""
    out = [
        f"registry compared with {diff.base_label} ({diff.base[:12]}) as of {diff.as_of}",
        tally(diff),
    ]
    if diff.added:
        out.append("added:")
        for a in diff.added:
            out.append(f"  + {a.id} ({a.stage or '?'}, {a.status or '?'}): "
                       f"{one_line(a.title or a.file)}")  # fmt: skip
            out += [f"      resembles {_resembles(r)}" for r in a.resembles]
    if diff.removed:
        out.append("removed:")
        out += [
            f"  - {r.id} ({r.file})" + (f": renamed to {r.renamed_to}" if r.renamed_to else "")
            for r in diff.removed
        ]
    if diff.changed:
        out.append("changed:")
        for change in diff.changed:
            out += _text_change(change, diff)
    for title, findings in (("new", diff.new_findings), ("resolved", diff.resolved_findings)):
        if findings:
            out.append(f"{title} findings:")
            out += [f"  {_text_finding(f)}" for f in findings]
    if diff.kept_errors:
        out.append("errors left in changed records:")
        out += [f"  {_text_finding(f)}" for f in diff.kept_errors]
    if diff.standing:
        out.append("errors elsewhere, not failed on:")
        out += [f"  {_text_finding(i.finding)} ({_cause(i)})" for i in diff.standing]
    out.append(verdict(diff))
    return "\n".join(terminal(line) for line in out) + "\n"


def _text_change(change: Changed, diff: Diff) -> list[str]:
    """Return the text lines of one changed record."""
    out = [f"  ~ {change.id}: {', '.join(change.fields)}"]
    if change.transition:
        out.append(f"    stage {change.transition.source} → {change.transition.target}")
        for gate in change.transition.gates:
            out.append(f"    {_gate_heading(gate, diff.as_of)}:")
            for c in gate.conditions:
                mark = "[x]" if c.met else "[ ]"
                waived = " (waived)" if c.code in gate.waived else ""
                out.append(f"      {mark} {c.code} {c.label}: {one_line(c.detail)}{waived}")
    if change.ended:
        end = change.ended
        out.append(f"    {end.status} at {end.stage} on {end.date or '?'}: ")
        out[-1] += one_line(end.rationale or "no rationale")
        out += [f"    learning: {one_line(text)}" for text in end.learnings]
    out += [f"    outcome: {_measured(m)}" for m in change.outcomes]
    out += [f"    review: {_review(r)}" for r in change.reviews]
    return out


def _measured(m: Measured) -> str:
    """Describe an added outcome measurement in one line."""
    text = f"{m.metric or 'success metric'} {m.value:g} on {m.date}"
    text += f" (baseline {m.baseline:g})" if m.baseline is not None else ""
    return text + (f", worth ${m.monthly_value:,.0f}/month" if m.monthly_value is not None else "")


def _review(r: Review) -> str:
    """Describe an added review decision in one line."""
    who = ", ".join(r.by) or "?"
    return f"{r.stage} review on {r.date} by {who}: {one_line(r.rationale or 'no rationale')}"


RESEMBLES_NOTE = (
    "The closest existing records by the measure S016 and `portfolio similar` use. "
    "Read a killed or shelved one's learnings before approving a new start."
)


def _resembles(r: Resembles, markdown: bool = False) -> str:
    """Return one resembled record: id, title, status (loud when it ended) and score."""
    ident, title = (code(r.id), cell(r.title)) if markdown else (r.id, one_line(r.title))
    if r.status == "active":
        return f"{ident} ({title}): active, {r.score:.0%} similar"
    status = f"**{r.status.upper()}**" if markdown else r.status.upper()
    return (
        f"{ident} ({title}): {status}, {r.score:.0%} similar; read its learnings before you start"
    )


def _text_finding(f: Finding) -> str:
    """Return `file:line:col: CODE message [project]`."""
    project = f" [{f.project}]" if f.project else ""
    return f"{f.file}:{f.line}:{f.column}: {f.rule} {one_line(f.message)}{project}"


# --- Markdown -------------------------------------------------------------------------


def as_markdown(diff: Diff) -> str:
    """Return the change as Markdown for a pull-request comment or a job summary."""
    icon = "❌" if diff.failed else "✅"
    out = [
        "## Portfolio changes",
        "",
        f"Compared with {code(diff.base_label)} ({code(diff.base[:12])}) as of {diff.as_of}.",
        "",
        f"**{tally(diff)}**",
        "",
        f"{icon} {verdict(diff)}",
    ]
    if diff.added:
        out += ["", "### Added", "", "| id | title | stage | status |", "|---|---|---|---|"]
        out += [
            f"| {code(a.id)} | {cell(a.title or '')} | {a.stage or ''} | {a.status or ''} |"
            for a in diff.added
        ]
    if any(a.resembles for a in diff.added):
        out += ["", "### New records that resemble others", "", RESEMBLES_NOTE, ""]
        for a in diff.added:
            if a.resembles:
                out.append(f"- {code(a.id)} resembles:")
                out += [f"  - {_resembles(r, markdown=True)}" for r in a.resembles]
    if diff.removed:
        out += ["", "### Removed", "", "| id | file | renamed to |", "|---|---|---|"]
        out += [
            f"| {code(r.id)} | {code(r.file)} | {code(r.renamed_to) if r.renamed_to else ''} |"
            for r in diff.removed
        ]
    for change in diff.changed:
        out += _markdown_change(change, diff)
    for title, findings in (("New", diff.new_findings), ("Resolved", diff.resolved_findings)):
        if findings:
            out += ["", f"### {title} findings", "", *findings_table(findings)]
    if diff.kept_errors:
        out += ["", "### Errors left in changed records", "", *findings_table(diff.kept_errors)]
    if diff.standing:
        out += ["", "### Errors elsewhere, not failed on", "", STANDING_NOTE, ""]
        out += ["| file | line | rule | project | message | cause |", "|---|---|---|---|---|---|"]
        out += [
            f"| {code(i.finding.file)} | {i.finding.line} | {i.finding.rule} | "
            f"{cell(i.finding.project or '')} | {cell(i.finding.message)} | {_cause(i)} |"
            for i in diff.standing
        ]
    return "\n".join(out) + "\n"


def _markdown_change(change: Changed, diff: Diff) -> list[str]:
    """Return the Markdown section of one changed record."""
    out = ["", f"### {code(change.id)}", ""]
    out.append("Changed: " + ", ".join(code(name) for name in change.fields))
    if change.transition:
        t = change.transition
        out += ["", f"**Stage {t.source} → {t.target}**"]
        for gate in t.gates:
            out += ["", f"{_gate_heading(gate, diff.as_of).capitalize()}:", ""]
            out += ["| | condition | detail |", "|---|---|---|"]
            for c in gate.conditions:
                mark = "✅" if c.met else ("➖ waived" if c.code in gate.waived else "❌")
                out.append(f"| {mark} | {c.code} {cell(c.label)} | {cell(c.detail)} |")
    if change.ended:
        end = change.ended
        out += [
            "",
            f"**{end.status.capitalize()}** at {end.stage} on {end.date or '?'}: "
            + cell(end.rationale or "no rationale"),
        ]
        if end.learnings:
            out += ["", "Learnings:", "", *[f"- {cell(text)}" for text in end.learnings]]
    if change.outcomes:
        out += ["", "Outcomes measured:", "", *[f"- {cell(_measured(m))}" for m in change.outcomes]]
    if change.reviews:
        out += ["", "Reviews:", "", *[f"- {cell(_review(r))}" for r in change.reviews]]
    return out


# --- JSON -----------------------------------------------------------------------------


def as_json(diff: Diff) -> str:
    """Return the JSON document described in this module's docstring."""
    summary: dict[str, int] = dict(diff.counts())
    summary["new_errors"] = diff.errors
    summary["new_warnings"] = len(diff.new_findings) - diff.errors
    summary["resolved"] = len(diff.resolved_findings)
    summary["kept_errors"] = len(diff.kept_errors)
    summary["standing_errors"] = len(diff.standing)
    doc: dict[str, object] = {
        "base": diff.base,
        "base_label": diff.base_label,
        "as_of": diff.as_of.isoformat(),
        "summary": summary,
        "added": [
            {
                "id": a.id,
                "file": a.file,
                "title": a.title,
                "stage": a.stage,
                "status": a.status,
                "resembles": [
                    {"id": r.id, "title": r.title, "status": r.status, "score": r.score}
                    for r in a.resembles
                ],
            }
            for a in diff.added
        ],
        "removed": [{"id": r.id, "file": r.file, "renamed_to": r.renamed_to} for r in diff.removed],
        "changed": [_json_change(c) for c in diff.changed],
        "new_findings": [f.as_dict() for f in diff.new_findings],
        "resolved_findings": [f.as_dict() for f in diff.resolved_findings],
        "kept_errors": [f.as_dict() for f in diff.kept_errors],
        "standing_errors": [
            {
                **i.finding.as_dict(),
                "by_date": i.by_date,
                "clean_on": i.clean_on.isoformat() if i.clean_on else None,
            }
            for i in diff.standing
        ],
    }
    doc["summary"] = {**summary, "failed": diff.failed}
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _json_change(change: Changed) -> dict[str, object]:
    """Return the JSON object of one changed record."""
    t, end = change.transition, change.ended
    transition = t and {
        "from": t.source,
        "to": t.target,
        "gates": [
            {
                "source": g.source,
                "target": g.target,
                "date": g.date.isoformat() if g.date else None,
                "conditions": [
                    {
                        "code": c.code,
                        "label": c.label,
                        "met": c.met,
                        "waived": c.code in g.waived,
                        "detail": c.detail,
                    }
                    for c in g.conditions
                ],
            }
            for g in t.gates
        ],
    }
    ended = end and {
        "status": end.status,
        "stage": end.stage,
        "date": end.date.isoformat() if end.date else None,
        "rationale": end.rationale,
        "learnings": list(end.learnings),
    }
    return {
        "id": change.id,
        "file": change.file,
        "fields": list(change.fields),
        "transition": transition,
        "ended": ended,
        "outcomes": [
            {"date": m.date.isoformat(), "value": m.value, "monthly_value": m.monthly_value}
            for m in change.outcomes
        ],
        "reviews": [
            {
                "date": r.date.isoformat(),
                "stage": r.stage,
                "by": list(r.by),
                "rationale": r.rationale,
            }
            for r in change.reviews
        ],
    }


FORMATS: dict[str, Callable[[Diff], str]] = {
    "text": as_text,
    "markdown": as_markdown,
    "json": as_json,
}
