"""Render a report as text, GitHub workflow commands + Markdown summary, or JSON."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence

from ..core.catalog import CATALOG
from ..core.findings import Finding, Severity, failed
from .engine import Summary


def summary_line(report: Summary, shown: Sequence[Finding], strict: bool = False) -> str:
    """Return the one-line tally printed after the findings."""
    records = report.records
    errors = sum(f.severity is Severity.ERROR for f in shown)
    warnings = sum(f.severity is Severity.WARNING for f in shown)
    verdict = "FAILED" if failed(shown, strict) else "ok"
    return (
        f"{verdict}: {records} record{'s' * (records != 1)} checked as of {report.as_of}: "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    )


def _is_unseen(c: str) -> bool:
    """Return whether a character would act on a terminal or reorder text instead of showing."""
    return unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c != "\t"


def terminal(text: str, breaks: bool = True) -> str:
    """Return record text safe for a terminal: control and bidi characters as \\u escapes.

    Messages quote record text; an ESC sequence or a right-to-left override in a title
    must not recolour the terminal or make `a.yaml:3` read as something else. With
    `breaks=False` line breaks are left for the caller to encode.
    """
    if text.isprintable():  # no Cc, Cf, Zl or Zp character (nor any other unprintable one)
        return text
    return "".join(
        (r"\n" if c == "\n" else r"\r" if c == "\r" else f"\\u{ord(c):04x}")
        if _is_unseen(c) and (breaks or c not in "\r\n")
        else c
        for c in text
    )


def as_text(report: Summary, shown: Sequence[Finding], strict: bool = False) -> str:
    """Return `file:line:col: CODE message [project]` lines and a summary."""
    tally = summary_line(report, shown, strict)
    text = "\n".join([*(_line(f, str) for f in shown), tally])
    if text.count("\n") == len(shown) and text.replace("\n", " ").isprintable():
        return text + "\n"  # the usual report: one line a finding, nothing to escape
    return "\n".join([*(_line(f, terminal) for f in shown), tally]) + "\n"


def _line(finding: Finding, show: Callable[[str], str]) -> str:
    """Return one finding's line, its record text passed through `show`."""
    project = f" [{show(finding.project)}]" if finding.project else ""
    return (
        f"{show(finding.file)}:{finding.line}:{finding.column}: {finding.rule} "
        f"{show(finding.message)}{project}"
    )


def as_json(report: Summary, shown: Sequence[Finding], strict: bool = False) -> str:
    """Return the JSON document of `validate --format json` (README, "Command line")."""
    doc = {
        "as_of": report.as_of.isoformat(),
        "records": report.records,
        "errors": sum(f.severity is Severity.ERROR for f in shown),
        "warnings": sum(f.severity is Severity.WARNING for f in shown),
        "findings": [f.as_dict() for f in shown],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(report: Summary, shown: Sequence[Finding], strict: bool = False) -> str:
    """Return one workflow-command annotation per finding, then the summary line."""
    lines = []
    for f in shown:
        level = "error" if f.severity is Severity.ERROR else "warning"
        title = f"{f.rule} {CATALOG[f.rule].title}" if f.rule in CATALOG else f.rule
        props = ",".join(
            [
                f"file={_escape_property(terminal(f.file, breaks=False))}",
                f"line={f.line}",
                f"col={f.column}",
                f"title={_escape_property(title)}",
            ]
        )
        lines.append(f"::{level} {props}::{_escape_data(terminal(f.message, breaks=False))}")
    return "\n".join([*lines, summary_line(report, shown, strict)]) + "\n"


# --- Markdown (job summaries here, pull-request comments in diff/render) ---------------

_PLAIN = re.compile(r"^[\w./-]+$")


def one_line(text: str) -> str:
    """Collapse line breaks and runs of spaces in record text."""
    return " ".join(text.split())


_ZWSP = "\u200b"  # a zero-width space: keeps a word from being read as a mention or link


def cell(text: str) -> str:
    """Escape record text for a Markdown table cell or line in a job summary or PR comment.

    No HTML, pipes or line breaks; no links or images (brackets as references, which
    Markdown never reads as structure); no @mentions and no bare autolinks (a zero-width
    space after `@`, in `://` and in `www.`, which GitHub links on the rendered text).
    """
    return (
        terminal(one_line(text))
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("[", "&#91;")
        .replace("]", "&#93;")
        .replace("@", "@" + _ZWSP)
        .replace("://", ":" + _ZWSP + "//")
        .replace("www.", "www" + _ZWSP + ".")
    )


def code(text: str) -> str:
    """Return text as inline code when that is safe, else escaped plain text."""
    return f"`{text}`" if _PLAIN.match(text) else cell(text)


def findings_table(findings: Sequence[Finding]) -> list[str]:
    """Return the lines of a Markdown table of findings."""
    out = ["| | file | line | rule | project | message |", "|---|---|---|---|---|---|"]
    for f in findings:
        icon = "❌" if f.severity is Severity.ERROR else "⚠️"
        out.append(
            f"| {icon} | {code(f.file)} | {f.line} | {f.rule} | "
            f"{cell(f.project or '')} | {cell(f.message)} |"
        )
    return out


def markdown_summary(report: Summary, shown: Sequence[Finding], strict: bool = False) -> str:
    """Return a Markdown job summary listing every finding (annotations are capped)."""
    out = ["## Portfolio registry check", "", summary_line(report, shown, strict), ""]
    if shown:
        out += findings_table(shown)
    return "\n".join(out) + "\n"
