"""Hypothesis strategies: whole records of arbitrary text and numbers, written as YAML.

`records(ids)` draws a `Drawn`: the data of one valid-shaped record (every field of the
format, every string any Unicode text, every number any number of its type) and the
places where a value breaks the documented contract (README, "Record format by
example"): a blank text or one holding a control character, a number out of its range,
infinity or NaN, an integer field given a float, a link that is not http(s), evidence
whose figures disagree. A record with none of those must load as it was drawn; one with
any must be refused there. `registries()` draws a few records that refer to each other.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hostile import HOSTILE
from hypothesis import strategies as st

from generator.core.catalog import CATALOG
from generator.core.fields import MAX_COUNT, MAX_NUMBER, UNSHOWN
from generator.core.findings import KeyPath
from generator.core.model import CHECK_NAMES, FAILURE_MODES, PROJECTS_DIR, STAGES

# Every code point a UTF-8 file can hold (surrogates cannot be encoded), astral ones too.
CHARS = st.characters(exclude_categories=("Cs",))
# Pieces that mean something to YAML, Markdown, HTML, Jinja, CSV or a terminal.
FRAGMENTS = [
    *HOSTILE,
    "javascript:alert(1)",
    '" onmouseover="alert(1)',
    "<svg onload=alert(1)>",
    "\x02wzxhzdk:0\x03",  # Python-Markdown's placeholder for stashed HTML
    "\u202e",  # right-to-left override
    "\u2028",
    "\x85",
    "\r\n",
    "\t",
    "\x00",
    "\ufeff",
    "\U0010ffff",
    "🚀",
    '=HYPERLINK("http://x.example")',
    "+1",
    "-1",
    "@SUM(A1)",
    "1. ",
    "- ",
    "# ",
    "---",
    "...",
    "&lt;",
    "%",
    "\\",
    "'",
    "yes",
    "null",
    "017",
    "1:30",
]
STAGE_DAYS = 40  # at most this many days between two dated entries of the log
FIRST_START = dt.date(1900, 1, 1)
LAST_START = dt.date(2990, 1, 1)  # a log of up to 10 entries stays before 2999-12-31
RECENT, AS_OF = dt.date(2024, 1, 1), dt.date(2026, 11, 25)  # the tests' as-of date
BOUNDS: dict[str, tuple[int | float, int | float, type]] = {
    "number": (-MAX_NUMBER, MAX_NUMBER, float),
    "nonneg": (0, MAX_NUMBER, float),
    "ratio": (0, 1, float),
    "count": (0, MAX_COUNT, int),
    "samples": (1, MAX_COUNT, int),
}
HOSTILE_NUMBERS = [math.inf, -math.inf, math.nan, 1e308, -1e308, 10**400, -(10**400),
                   MAX_NUMBER * 2, MAX_COUNT + 1, -1, 1.5, 3.0, 2**63, 2**64 + 1]  # fmt: skip


def texts(min_size: int = 1) -> st.SearchStrategy[str]:
    """Return any text, often mixed with fragments other tools would interpret."""
    pieces = st.one_of(st.text(CHARS, max_size=12), st.sampled_from(FRAGMENTS))
    mixed = st.lists(pieces, min_size=1, max_size=5).map("".join)
    return st.one_of(st.text(CHARS, min_size=min_size), mixed.map(lambda s: s or "?" * min_size))


def shown_as_is(text: str) -> bool:
    """Return whether record text may hold this: not blank, no control character."""
    return bool(text.strip()) and not UNSHOWN.search(text)


def shown(text: str) -> str:
    """Return the text without its control characters, or "?" for a blank one."""
    text = UNSHOWN.sub("", text)
    return text if text.strip() else text + "?"


def in_contract(kind: str, value: object) -> bool:
    """Return whether a number is what a field of this kind accepts."""
    low, high, typ = BOUNDS[kind]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if typ is int and not isinstance(value, int):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return low <= value <= high


def slugs() -> st.SearchStrategy[str]:
    """Return record ids (short, so that a few are often alike)."""
    word = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)
    return st.lists(word, min_size=1, max_size=3).map("-".join)


@dataclass
class Drawn:
    """One record's data and the places where a value breaks the contract, by rule."""

    data: dict[str, Any]
    bad: list[tuple[KeyPath, str]] = field(default_factory=list)

    def dump(self, allow_unicode: bool) -> str:
        """Return the record as `yaml.safe_dump` writes it."""
        return yaml.safe_dump(self.data, allow_unicode=allow_unicode, sort_keys=False)

    def write(self, root: Path, allow_unicode: bool) -> str:
        """Write the record to `root/projects/<id>.yaml`; return the text."""
        text = self.dump(allow_unicode)
        folder = root / PROJECTS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{self.data['id']}.yaml").write_text(text, encoding="utf-8")
        return text


class _Builder:
    """Draw the values of one record, noting each one outside the contract."""

    def __init__(self, draw: st.DrawFn, spoil: bool) -> None:
        self.draw = draw
        self.spoil = spoil
        self.bad: list[tuple[KeyPath, str]] = []
        self.metrics: list[str] = []

    def text(self, path: KeyPath) -> str:
        """Draw a text; when spoiling, it may be empty or hold a control character (R004)."""
        value = self.draw(texts(min_size=0 if self.spoil else 1))
        if not self.spoil:
            return shown(value)
        if not shown_as_is(value):
            self.bad.append((path, "R004"))
        return value

    def metric(self, path: KeyPath) -> str:
        """Draw a metric name, often one drawn before: a series to chart against its bar."""
        if self.metrics and self.draw(st.integers(0, 2)):  # two times in three
            name = self.draw(st.sampled_from(self.metrics))
            if shown_as_is(name):
                return name
        name = self.text(path)
        self.metrics.append(name)
        return name

    def texts(self, path: KeyPath, max_size: int = 3) -> list[str]:
        """Draw a list of texts."""
        count = self.draw(st.integers(0, max_size))
        return [self.text((*path, i)) for i in range(count)]

    def number(self, path: KeyPath, kind: str) -> int | float:
        """Draw a number of a kind; when spoiling, any int or float at all."""
        low, high, typ = BOUNDS[kind]
        valid: st.SearchStrategy[int | float] = st.integers(int(low), int(high))
        if typ is float:
            valid = st.floats(low, high) | valid
        if self.spoil:
            wild = st.floats() | st.integers() | st.sampled_from(HOSTILE_NUMBERS)
            value = self.draw(valid | wild)
        else:
            value = self.draw(valid)
        if not in_contract(kind, value):
            self.bad.append((path, "R004"))
        return value

    def maybe(self, key: str, make: Any, out: dict[str, Any]) -> None:
        """Set `out[key] = make()` or leave the key out."""
        if self.draw(st.booleans()):
            out[key] = make()

    def date(self, low: dt.date, high: dt.date | None = None) -> dt.date:
        """Draw a date from `low` to `high` (default STAGE_DAYS later)."""
        return self.draw(st.dates(low, high or low + dt.timedelta(days=STAGE_DAYS)))

    def url(self, path: KeyPath) -> str:
        """Draw a link: http(s) with any path, mailto, or (spoiling) one that is refused."""
        seen = st.characters(exclude_categories=("Cs", "Cc", "Cf", "Co", "Cn", "Zl", "Zp"))
        good = st.builds(
            "{}{}/end".format,
            st.sampled_from(
                ["https://example.com/", "http://x.example:8080/", "HTTPS://ü.example/"]
            ),
            st.text(seen, max_size=20),
        ) | st.just("mailto:someone@example.com")
        refused = ["javascript:alert(1)", "data:text/html,x", " https://x.example",
                   "https://user:pw@x.example", "https://x.example/\u202e", "//x"]  # fmt: skip
        bad = st.sampled_from(refused)
        if self.spoil and self.draw(st.booleans()):
            self.bad.append((path, "R015"))
            return self.draw(bad)
        return self.draw(good)


def _log(b: _Builder, started: dt.date) -> tuple[str, str, list[dict[str, Any]]]:
    """Draw a decision log (consistent or not) and the stage and status it leaves."""
    decisions: list[dict[str, Any]] = []
    day = started
    if b.draw(st.booleans()):  # any sequence of outcomes, often inconsistent (R013)
        for i in range(b.draw(st.integers(0, 3))):
            day = b.date(day)
            d: dict[str, Any] = {"date": day, "outcome": b.draw(st.sampled_from(
                ["advance", "pivot", "kill", "shelve", "resume"]))}  # fmt: skip
            b.maybe("from", lambda: b.draw(st.sampled_from(STAGES)), d)
            b.maybe("to", lambda: b.draw(st.sampled_from(STAGES)), d)
            d["by"] = b.texts(("decisions", i, "by"))
            b.maybe("rationale", lambda i=i: b.text(("decisions", i, "rationale")), d)
            decisions.append(d)
        return (
            b.draw(st.sampled_from(STAGES)),
            b.draw(st.sampled_from(["active", "killed", "shelved"])),
            decisions,
        )
    reached = b.draw(st.integers(0, len(STAGES) - 1))
    for k in range(1, reached + 1):
        day = b.date(day)
        i = len(decisions)
        decisions.append({"date": day, "from": STAGES[k - 1], "to": STAGES[k], "outcome": "advance",
                          "by": [b.text(("decisions", i, "by", 0))]})  # fmt: skip
    status = b.draw(st.sampled_from(["active", "killed", "shelved"]))
    if status != "active":
        i = len(decisions)
        outcome = "kill" if status == "killed" else "shelve"
        decisions.append({"date": b.date(day), "from": STAGES[reached], "outcome": outcome,
                          "by": [b.text(("decisions", i, "by", 0))],
                          "rationale": b.text(("decisions", i, "rationale"))})  # fmt: skip
    return STAGES[reached], status, decisions


def _quality(b: _Builder, i: int, day: dt.date) -> dict[str, Any]:
    """Draw quality evidence of one of the three shapes (figures consistent unless spoiling)."""
    at: KeyPath = ("evidence", i)
    spoilt = len(b.bad)
    e: dict[str, Any] = {"kind": "quality", "date": day, "metric": b.metric((*at, "metric"))}
    shape = b.draw(st.sampled_from(["wilson", "mean", "given"]))
    if shape == "wilson":
        e["samples"] = b.number((*at, "samples"), "samples")
        if b.spoil or not isinstance(e["samples"], int):
            e["successes"] = b.number((*at, "successes"), "count")
        else:
            e["successes"] = b.draw(st.integers(0, e["samples"]))
    elif shape == "mean":
        e["samples"] = b.number((*at, "samples"), "samples")
        e["value"] = b.number((*at, "value"), "number")
        e["stdev"] = b.number((*at, "stdev"), "nonneg")
    else:
        figures = [b.number((*at, key), "number") for key in ("ci_low", "value", "ci_high")]
        if not b.spoil:
            figures.sort()
        e["ci_low"], e["value"], e["ci_high"] = figures
    b.maybe("sampling", lambda: b.draw(st.sampled_from(["random", "curated", "unknown"])), e)
    b.maybe("dataset", lambda: b.text((*at, "dataset")), e)
    # The figures are compared only once every field is valid: then they must agree.
    if len(b.bad) == spoilt and not _figures_agree(e):
        b.bad.append((at, "R004"))
    return e


def _figures_agree(e: dict[str, Any]) -> bool:
    """Return whether valid quality figures agree: successes within samples, value within CI."""
    if "successes" in e:
        return bool(e["successes"] <= e["samples"])
    if "ci_low" in e:
        return bool(e["ci_low"] <= e["value"] <= e["ci_high"])
    return True


def _evidence(b: _Builder, i: int, day: dt.date) -> dict[str, Any]:
    """Draw one evidence item of any kind."""
    at: KeyPath = ("evidence", i)
    kind = b.draw(st.sampled_from(["quality", "quality", "quality", "cost", "cost", "adoption",
                                   "satisfaction", "sla", "shadow-ai"]))  # fmt: skip
    if kind == "quality":
        return _quality(b, i, day)
    e: dict[str, Any] = {"kind": kind, "date": day}
    if kind == "cost":
        b.maybe("per_inference", lambda: b.number((*at, "per_inference"), "nonneg"), e)
        b.maybe("monthly", lambda: b.number((*at, "monthly"), "nonneg"), e)
        b.maybe("actual", lambda: b.draw(st.booleans()), e)
    elif kind == "adoption":
        e["users"] = b.number((*at, "users"), "count")
        b.maybe("daily_active", lambda: b.number((*at, "daily_active"), "count"), e)
        b.maybe("days", lambda: b.number((*at, "days"), "count"), e)
    elif kind == "satisfaction":
        e["score"] = b.number((*at, "score"), "ratio")
        b.maybe("respondents", lambda: b.number((*at, "respondents"), "count"), e)
    elif kind == "sla":
        b.maybe("target", lambda: b.number((*at, "target"), "ratio"), e)
        e["consecutive_days_met"] = b.number((*at, "consecutive_days_met"), "count")
    else:
        e["users"] = b.number((*at, "users"), "count")
    return e


def _people(b: _Builder, started: dt.date) -> list[dict[str, Any]]:
    """Draw the sponsors."""
    sponsors = []
    for i in range(b.draw(st.integers(0, 3))):
        s: dict[str, Any] = {"name": b.text(("sponsors", i, "name"))}
        b.maybe("role", lambda i=i: b.text(("sponsors", i, "role")), s)
        b.maybe("since", lambda: b.date(started), s)
        b.maybe("until", lambda: b.date(started, started + dt.timedelta(days=400)), s)
        sponsors.append(s)
    return sponsors


def _learnings(b: _Builder) -> list[object]:
    """Draw learnings, as plain strings or {text, tags}."""
    out: list[object] = []
    for i in range(b.draw(st.integers(0, 3))):
        if b.draw(st.booleans()):
            out.append(b.text(("learnings", i)))
        else:
            out.append({"text": b.text(("learnings", i, "text")),
                        "tags": b.texts(("learnings", i, "tags"))})  # fmt: skip
    return out


def _metric(b: _Builder) -> dict[str, Any]:
    """Draw a success metric."""
    metric: dict[str, Any] = {"name": b.text(("success_metric", "name"))}
    b.maybe("baseline", lambda: b.number(("success_metric", "baseline"), "number"), metric)
    b.maybe("target", lambda: b.number(("success_metric", "target"), "number"), metric)
    b.maybe("unit", lambda: b.draw(st.sampled_from(["ratio", "percent", "usd", "count"])), metric)
    b.maybe("direction", lambda: b.draw(st.sampled_from(["higher", "lower"])), metric)
    return metric


def _bar(b: _Builder) -> dict[str, Any]:
    """Draw a quality target."""
    return {"metric": b.metric(("quality_target", "metric")),
            "threshold": b.number(("quality_target", "threshold"), "number")}  # fmt: skip


def _budget(b: _Builder) -> dict[str, Any]:
    """Draw a budget."""
    return {"cost_per_inference": b.number(("budget", "cost_per_inference"), "nonneg"),
            "monthly_forecast": b.number(("budget", "monthly_forecast"), "nonneg")}  # fmt: skip


def _owner(b: _Builder) -> dict[str, Any]:
    """Draw the owner."""
    owner = {"name": b.text(("owner", "name"))}
    b.maybe("email", lambda: b.text(("owner", "email")), owner)
    return owner


def _checks(b: _Builder, started: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Draw the checks, dated within the log."""
    checks = []
    for i in range(b.draw(st.integers(0, 3))):
        check: dict[str, Any] = {
            "name": b.draw(st.sampled_from([*CHECK_NAMES, "x-legal"])),
            "status": b.draw(st.sampled_from(["passed", "failed", "pending"])),
            "date": b.date(started, last),
        }
        b.maybe("link", lambda i=i: b.url(("checks", i, "link")), check)
        checks.append(check)
    return checks


def _failures(b: _Builder) -> list[dict[str, Any]]:
    """Draw the failure modes hit."""
    failures = []
    for i in range(b.draw(st.integers(0, 2))):
        f: dict[str, Any] = {"mode": b.draw(st.sampled_from(FAILURE_MODES))}
        b.maybe("stage", lambda: b.draw(st.sampled_from(STAGES)), f)
        b.maybe("description", lambda i=i: b.text(("failures", i, "description")), f)
        b.maybe("mitigation", lambda i=i: b.text(("failures", i, "mitigation")), f)
        failures.append(f)
    return failures


def _waivers(b: _Builder, started: dt.date) -> list[dict[str, Any]]:
    """Draw the waivers."""
    return [
        {"rule": b.draw(st.sampled_from(sorted(CATALOG))),
         "reason": b.text(("waivers", i, "reason")),
         "approved_by": b.text(("waivers", i, "approved_by")), "expires": b.date(started)}
        for i in range(b.draw(st.integers(0, 2)))
    ]  # fmt: skip


def _links(b: _Builder) -> dict[str, str]:
    """Draw the links: any name (even an empty one) to a URL."""
    links: dict[str, str] = {}
    for key in b.draw(st.lists(texts(min_size=0), max_size=3, unique=True)):
        name = key if b.spoil else shown(key)
        if name in links:
            continue
        if not shown_as_is(name):
            b.bad.append((("links", name), "R004"))
        links[name] = b.url(("links", name))
    return links


@st.composite
def records(draw: st.DrawFn, ids: list[str], index: int = 0, spoil: bool = False) -> Drawn:
    """Draw record `ids[index]`, relating it to the others; `spoil` breaks the contract."""
    b = _Builder(draw, spoil)
    # Often in the years before AS_OF, so that pilots run, evidence counts and charts draw.
    started = draw(st.dates(RECENT, AS_OF) | st.dates(FIRST_START, LAST_START))
    data: dict[str, Any] = {"id": ids[index], "title": b.text(("title",)),
                            "problem": b.text(("problem",))}  # fmt: skip
    b.maybe("success_metric", lambda: _metric(b), data)
    b.maybe("quality_target", lambda: _bar(b), data)
    data["team"] = b.text(("team",))
    data["owner"] = _owner(b)
    data["sponsors"] = _people(b, started)
    data["stage"], data["status"], decisions = _log(b, started)
    data["started"] = started
    data["use_cases"] = b.texts(("use_cases",))
    b.maybe("budget", lambda: _budget(b), data)
    data["decisions"] = decisions
    last = decisions[-1]["date"] if decisions else started
    data["checks"] = _checks(b, started, last)
    data["evidence"] = [_evidence(b, i, b.date(started, last + dt.timedelta(days=STAGE_DAYS)))
                        for i in range(draw(st.integers(0, 6)))]  # fmt: skip
    data["failures"] = _failures(b)
    data["learnings"] = _learnings(b)
    data["waivers"] = _waivers(b, started)
    data["tags"] = b.texts(("tags",))
    others = [other for other in ids if other != ids[index]]
    data["related"] = draw(st.lists(st.sampled_from(others), unique=True)) if others else []
    b.maybe("supersedes", lambda: draw(st.sampled_from([*others, "no-such-record"])), data)
    data["links"] = _links(b)
    return Drawn(data, b.bad)


@st.composite
def registries(draw: st.DrawFn, max_records: int = 3, spoil: bool | None = None) -> list[Drawn]:
    """Draw one to `max_records` records with distinct ids (spoilt or not, when None)."""
    ids = draw(st.lists(slugs(), min_size=1, max_size=max_records, unique=True))
    return [
        draw(records(ids, i, draw(st.booleans()) if spoil is None else spoil))
        for i in range(len(ids))
    ]
