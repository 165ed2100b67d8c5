"""The rule catalogue: one source of truth for codes, titles, severities and advice.

Code, the README and the site's policy page all read this table, so a rule's
description can never drift between them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .findings import Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """Metadata of one rule."""

    code: str
    title: str
    severity: Severity
    family: str
    why: str

    @property
    def waivable(self) -> bool:
        """Return whether a record's `waivers` may switch this rule off."""
        return self.family != "record"


def _rules(family: str, rows: list[tuple[str, str, Severity, str]]) -> list[RuleInfo]:
    return [RuleInfo(code, title, sev, family, why) for code, title, sev, why in rows]


_RECORD = _rules(
    "record",
    [
        ("R001", "YAML syntax error", E, "The file must parse as plain YAML."),
        ("R002", "Duplicate key", E, "YAML parsers silently keep the last value."),
        ("R003", "Unknown field", E, "A typo would otherwise drop data without a word."),
        ("R004", "Invalid value or type", E, "Values must match the record format."),
        ("R005", "Missing required field", E, "Every record needs its core facts."),
        ("R006", "Id is not a slug or not the file's stem", E, "Ids become URLs and links."),
        ("R007", "Duplicate id", E, "Two records would overwrite each other's page."),
        ("R008", "Input too large or too deep", E, "Protects every reader of the registry."),
        ("R009", "Not UTF-8, or contains NUL bytes", E, "Records are UTF-8 text."),
        ("R010", "Not a single mapping", E, "A record is exactly one YAML mapping."),
        ("R011", "Symlink or path outside the registry", E, "Records must live in the repo."),
        ("R012", "Reference to an unknown id", E, "Links between records must resolve."),
        (
            "R013",
            "Stage or status disagrees with the decision log",
            E,
            "The gate log is the source of truth for where an initiative stands.",
        ),
        ("R014", "Date in the future or before the start", E, "Dates must be plausible."),
        (
            "R015",
            "URL not a well-formed http, https or mailto link",
            E,
            "Links reach every reader's browser; only well-formed web and mail links are safe.",
        ),
        ("R016", "Record deleted or renamed", E, "Ids are permanent: kill or shelve instead."),
        (
            "R017",
            "Not a readable record file",
            E,
            "Every file in projects/ is read or reported, never skipped without a word.",
        ),
    ],
)

_GATES = _rules(
    "gate",
    [
        ("G101", "Problem is not one sentence", E, "Discovery ends with a crisp problem."),
        ("G102", "Success metric has no target", E, "Define 'good enough' before building."),
        ("G103", "No executive sponsor", E, "Unsponsored initiatives rarely survive a pilot."),
        ("G104", "Data access not verified", E, "No data, no AI project: a data project."),
        ("G201", "Quality measured on too few samples", E, "Small samples hide the truth."),
        ("G202", "Quality below the bar", E, "Missing the bar calls for pivot or kill."),
        ("G203", "Cost per inference too high", E, "Cost at scale must be near the target."),
        ("G204", "Security review not passed", E, "Security before users, not after."),
        ("G205", "Blocking data gaps", E, "Data gaps surface as pilot failures."),
        ("G301", "Too few users or days of use", E, "Five real users for 25+ days."),
        ("G302", "Users not satisfied", E, "Satisfaction must clear the bar."),
        ("G303", "Integration not tested", E, "Integration is most of the work."),
        ("G304", "No rollback plan", E, "Scale needs a way back."),
        ("G305", "No approved SLA draft", E, "Agree the service level before scaling."),
        (
            "G306",
            "No measured business impact",
            E,
            "A pilot proves value on the success metric, measured against its baseline.",
        ),
        ("G401", "SLA not met for 30 consecutive days", E, "Prove reliability first."),
        ("G402", "Monitoring dashboards not live", E, "Unmonitored models decay unseen."),
        ("G403", "No on-call rotation", E, "Someone must answer at 3 a.m."),
        ("G404", "Actual cost above forecast", E, "Cost must stay within the forecast."),
    ],
)

_SIGNALS = _rules(
    "signal",
    [
        ("S001", "Problem names a technology", W, "Solution-first thinking."),
        ("S002", "More than one use case at poc or pilot", W, "Scope creep."),
        ("S003", "Quality evidence not randomly sampled", W, "Cherry-picked evaluation."),
        ("S004", "Quality passes only on the point estimate", W, "The interval is too wide."),
        ("S005", "Fewer than two active sponsors", W, "Champion departure risk."),
        ("S006", "No active sponsor", E, "The champion has left."),
        ("S007", "Shadow-AI use is growing", W, "The pilot is not solving the real need."),
        ("S008", "Quality is drifting down", W, "Data drift."),
        ("S009", "Cost explosion", W, "Actual monthly cost far above forecast."),
        ("S010", "No change for a long time", W, "Neglect."),
        ("S011", "Pilot decision overdue", W, "The 1-5-25 rule: decide within 25 days."),
        ("S012", "Low pilot adoption", W, "Workflow integration, not the AI, is failing."),
        ("S013", "Too long in stage", W, "Stalled initiatives burn budget quietly."),
        (
            "S014",
            "Killed or shelved without rationale or learning",
            E,
            "A dead initiative's lessons are the registry's point.",
        ),
        ("S015", "Waiver expired or invalid", W, "Exceptions must stay deliberate."),
        ("S016", "Similar initiative exists", W, "Do not repeat a dead project unknowingly."),
        ("S017", "Quarterly review overdue", W, "Scale and optimize need a kill/continue review."),
        ("S018", "Costs more than it delivers", W, "Value below cost calls for a decision."),
    ],
)

CATALOG: dict[str, RuleInfo] = {r.code: r for r in (*_RECORD, *_GATES, *_SIGNALS)}


def rule_info(code: str) -> RuleInfo:
    """Return the catalogue entry for a code (KeyError for unknown codes)."""
    return CATALOG[code]
