"""Render a report as text, GitHub workflow commands + Markdown summary, or JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

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


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def as_text(report: Summary, shown: Sequence[Finding], strict: bool = False) -> str:
    """Return `file:line:col: CODE message [project]` lines and a summary."""
    lines = [
        f"{f.file}:{f.line}:{f.column}: {f.rule} {_one_line(f.message)}"
        + (f" [{f.project}]" if f.project else "")
        for f in shown
    ]
    return "\n".join([*lines, summary_line(report, shown, strict)]) + "\n"


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
                f"file={_escape_property(f.file)}",
                f"line={f.line}",
                f"col={f.column}",
                f"title={_escape_property(title)}",
            ]
        )
        lines.append(f"::{level} {props}::{_escape_data(f.message)}")
    return "\n".join([*lines, summary_line(report, shown, strict)]) + "\n"


# --- Markdown (job summaries here, pull-request comments in diff/render) ---------------

_PLAIN = re.compile(r"^[\w./-]+$")


def one_line(text: str) -> str:
    """Collapse line breaks and runs of spaces in record text."""
    return " ".join(text.split())


def cell(text: str) -> str:
    """Escape record text for a Markdown table cell or line: no HTML, pipes or line breaks."""
    return (
        one_line(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
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
