"""Generate a portfolio whose evidence histories look like a real one's, for benchmarks.

`write_registry(project, n, as_of, seed)` writes N valid records under
project/registry/projects, the same for the same seed. Unlike synthetic.py,
each record lives a dated life: it passes the gates of every stage it reached
on checks and evidence dated before each advance decision, and it keeps being
measured afterwards, as teams do:

- quality: a small early sample at poc (sometimes curated), the 100+ random
  gate sample, a live sample in pilot, then every month or two at scale and
  optimize (some drift down); some records measure a second metric too;
- cost: estimates at poc (an early high one, then a better one), pilot actuals,
  then monthly actuals that drift, with a few overruns and explosions;
- adoption and satisfaction from pilot on, SLA figures at scale and optimize,
  shadow-AI counts at a few discovery records;
- about a quarter of records are killed or shelved, with a rationale, the
  failures that ended them and their learnings; some active ones pivoted,
  paused, hold waivers or restart a killed initiative.

About half the records end with two or more measurements of their quality
metric, which is what gives a project page its evidence-history chart.
`edit_record` saves a meaningful edit to one record (a new measurement and a
learning), for warm-rebuild and serve benchmarks.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

STAGES = ("discovery", "poc", "pilot", "scale", "optimize")
STAGE_WEIGHTS = (18, 30, 22, 17, 13)  # where initiatives are, or died: most never leave poc
KILLED = (0.22, 0.28, 0.24, 0.14, 0.04)  # chance an initiative at that stage was killed there
SHELVED = (0.07, 0.09, 0.07, 0.05, 0.02)
LEFT_DAYS = ((8, 45), (25, 75), (40, 90), (60, 200))  # days in a stage that was left
NOW_DAYS = ((2, 30), (3, 60), (5, 70), (10, 150), (20, 420))  # days so far in the current one
GATE_CHECKS = (
    ("data-access",),
    ("data-gaps", "security-review"),
    ("integration-test", "rollback-plan", "sla-draft"),
    ("monitoring-dashboards", "on-call"),
)
CAUSES = (  # the failure mode that ends an initiative, by the stage it dies at
    ("solution-first", "data-not-ready", "champion-departure", "neglect"),
    ("quality-below-bar", "cherry-picked-evaluation", "data-not-ready", "security-gap",
     "scope-creep", "neglect"),
    ("low-adoption", "integration-gap", "latency", "autonomy-regression", "champion-departure"),
    ("cost-explosion", "data-drift", "integration-gap", "latency"),
    ("cost-explosion", "data-drift"),
)  # fmt: skip
FAILED_CHECK = {
    "data-not-ready": "data-gaps",
    "security-gap": "security-review",
    "integration-gap": "integration-test",
}


@dataclass(frozen=True, slots=True)
class Domain:
    """A part of the company: who does the work, on what, and who judges a sample."""

    team: str
    actor: str
    items: tuple[str, ...]
    verb: str
    outcome: str  # what a good result is, after "Share of <items> "
    expert: str


DOMAINS = (
    Domain("Finance", "accounts payable clerks", ("supplier invoices", "credit notes",
           "payment remittances", "expense claims"), "matching",
           "matched to the right purchase order", "a senior clerk"),
    Domain("Freight Audit", "freight auditors", ("carrier invoices", "fuel surcharges",
           "accessorial charges"), "checking", "flagged correctly against the contracted rate",
           "an auditor"),
    Domain("Customer Service", "service agents", ("shipper emails", "delivery complaints",
           "address changes", "claim enquiries"), "answering", "answered correctly and completely",
           "a team lead"),
    Domain("Customs & Trade Compliance", "customs brokers", ("import declarations",
           "commercial invoices", "packing lists", "tariff classifications"), "preparing",
           "correct in every mandatory field", "a licensed broker"),
    Domain("Warehouse Operations", "shift leads", ("dock appointments", "inbound deliveries",
           "pick waves", "customer returns"), "planning", "planned without a manual correction",
           "the shift lead"),
    Domain("Fleet Management", "fleet planners", ("workshop orders", "tyre inspections",
           "breakdown reports"), "reviewing", "classified to the right fault type",
           "a workshop engineer"),
    Domain("Sales", "sales coordinators", ("spot-rate requests", "tender documents",
           "rate quotes"), "preparing", "read correctly for lane, weight and date",
           "a senior coordinator"),
    Domain("Legal", "commercial lawyers", ("customer contracts", "supplier agreements",
           "liability clauses"), "reviewing", "flagged where they deviate from our positions",
           "a lawyer"),
    Domain("People & Culture", "HR advisers", ("leave questions", "payroll queries",
           "onboarding requests"), "answering", "answered correctly under the country's rules",
           "two HR advisers"),
    Domain("IT Service Desk", "service desk agents", ("incident tickets", "access requests",
           "laptop orders"), "routing", "routed to the group that resolved them",
           "the resolver group"),
    Domain("Procurement", "buyers", ("purchase requisitions", "supplier quotes",
           "framework contracts"), "comparing", "coded to the right spend category",
           "a category manager"),
    Domain("Claims & Insurance", "claims handlers", ("cargo claims", "damage photos",
           "insurance certificates"), "assessing", "given the surveyor's damage class",
           "a surveyor"),
    Domain("Transport Planning", "planners", ("delivery routes", "trailer loads",
           "driver shifts"), "planning", "planned within the customer's time window",
           "a senior planner"),
    Domain("Fulfilment Planning", "site managers", ("order forecasts", "staffing plans",
           "slotting changes"), "preparing", "within ten percent of the actual volume",
           "the site controller"),
)  # fmt: skip
SITES = ("Rotterdam", "Duisburg", "Tilburg", "Poznan", "Lviv", "Antwerp", "Hamburg", "Lyon",
         "Milan", "Gdansk", "Venlo", "Bratislava", "Zaragoza", "Brno")  # fmt: skip
FIRST = ("Noor", "Sofie", "Marco", "Lotte", "Sven", "Margit", "Annelie", "Pieter", "Daan",
         "Julia", "Erik", "Ines", "Ruben", "Yasmin", "Jonas", "Hannah", "Tomasz", "Lena",
         "Agnieszka", "Stefan", "Chloé", "Bram", "Oksana", "Andrii", "Katja", "Gerrit", "Rik",
         "Mirte", "Jasper", "Marieke")  # fmt: skip
LAST = ("Bakker", "Lindahl", "Bellandi", "Kramer", "Hoekstra", "Aalders", "Brandt",
        "Haverkamp", "Rietveld", "Nowak", "Dahl", "Carvalho", "Okonkwo", "El Idrissi",
        "Richter", "Szabo", "Wieczorek", "Hartmann", "Lis", "Kovač", "Marchand", "Teunissen",
        "Hnatiuk", "Savchuk", "Vermeulen", "Mol", "de Boer", "Jansma", "Kuipers", "Smits",
)  # fmt: skip
ROLES = ("CFO", "COO", "CIO", "VP Customer Experience", "VP Sales", "General Counsel", "CHRO",
         "Director Warehouse Operations", "Fleet Director", "Head of Customs", "VP Operations",
         "Director Fulfilment")  # fmt: skip
PORTFOLIO_OFFICE = "Ilse Verhoeven"  # joins the bigger gate decisions, as a portfolio office does
TITLES = ("{Verb} {items} at {site}", "Faster {items} for the {site} team",
          "Pre-filled {items} in {site}", "Fewer manual checks of {items} ({site})",
          "Suggested answers for {items} in {site}", "First-pass review of {items} at {site}",
)  # fmt: skip
CONSEQUENCES = ("one in {k} needs a correction later",
                "the backlog doubles at every month end",
                "customers wait {k} working days for an answer",
                "mistakes cost us about {usd} USD a year", "{k}% of the work is done twice",
                "overtime at peak weeks runs to {k} hours a team")  # fmt: skip
FAILURE_TEXT = {
    "solution-first": ("The initiative started from a tool to roll out, not from a problem "
                       "of the {team} team; every workshop asked what it could be used for.",
                       "Discovery now starts from a one-sentence problem with an owner."),
    "data-not-ready": ("{n}% of the {items} in the archive lack the fields a test needs, and "
                       "nobody owns cleaning them.",
                       "The data owner fixes the source first; a new start needs a clean extract."),
    "champion-departure": ("The sponsor who pushed for it left in week {n}; the steering slot "
                           "lapsed with them.",
                           "Every gate now names a deputy owner and a second sponsor."),
    "neglect": ("No evidence, check or decision for {n} weeks; the review found the test "
                "environment deleted.",
                "Records untouched for 60 days are now on the monthly review list."),
    "quality-below-bar": ("{n}% on random {items} against the bar; most misses are scanned or "
                          "handwritten ones.",
                          "Killed; a new attempt needs a plan for the hard cases first."),
    "cherry-picked-evaluation": ("The demo set was picked by the vendor from clean {items}; real "
                                 "ones from {site} look nothing like it.",
                                 "The portfolio office now draws every evaluation sample."),
    "security-gap": ("The review found that {items} with personal data went to an outside "
                     "service without a processing agreement.",
                     "Only approved hosting; the security review moved to the start of the poc."),
    "scope-creep": ("Within {n} weeks three more use cases were added, each with its own data "
                    "and reviewers.", "One use case per poc; the rest wait in the backlog."),
    "low-adoption": ("Only {n} of the invited {actor} use it on a typical day; it lives in a "
                     "separate window.", "Put it inside the tool people already open every day."),
    "integration-gap": ("Suggestions had to be retyped into the ERP because it accepts no "
                        "automatic postings without a certified connector.",
                        "The integration test is now an entry condition of the pilot."),
    "latency": ("Answers took {n} seconds while a person waited at the screen, so the {actor} "
                "went back to doing it by hand.",
                "Work is now processed when it arrives, before anyone opens it."),
    "autonomy-regression": ("After the team let it act without review it made {n} wrong changes "
                            "in a week.", "Back to suggest-only; autonomy grows one action at a "
                            "time after 200 reviewed suggestions."),
    "cost-explosion": ("Peak volume and a price rise at renewal took the monthly run cost to "
                       "{x} times the forecast.",
                       "Rate limits, caching and a cheaper model tier before any paid call."),
    "data-drift": ("A large customer changed the layout of its {items}; quality fell {p} points "
                   "in three weeks.", "Layout changes are part of the monthly regression set."),
}  # fmt: skip
LEARNINGS = (
    ("Measure on random samples drawn by someone who does not sell the solution.", "evaluation"),
    ("Check the path into the system of record in discovery; an accurate model without "
     "integration saves almost nothing.", "integration"),
    ("Put the tool where the users already are.", "adoption"),
    ("Forecast run cost at peak volume and at the renewal price, not in a quiet month.", "cost"),
    ("A monthly random sample caught the drift weeks before complaints did.", "monitoring"),
    ("One use case and five named users got further than four use cases and a department.",
     "scope"),
    ("A small demo sample says little: its 95% interval is wider than the gap to the bar.",
     "statistics"),
    ("Ask the owner of the source system about data quality before the poc, not at its end.",
     "data"),
    ("Name a deputy owner at every gate; a poc dies quietly when its owner moves.", "ownership"),
    ("Waiting for clean data was cheaper than a poc that measured the mess instead of the model.",
     "data"),
)  # fmt: skip
TECH_TAIL = ", and the team would like a chatbot to take the repeat cases"  # trips S001
# Record-specific words, so that only initiatives on the same work look alike (S016).
CLIENTS = ("Brightwell", "Nordhaven", "Castell", "Helmond", "Belvedere", "Marigold", "Quayside",
           "Redfern", "Silverline", "Tamarind", "Vantage", "Kestrel", "Oakmere", "Pellworm",
)  # fmt: skip
SECTORS = ("Retail", "Foods", "Pharma", "Fashion", "Electronics", "Automotive", "Furniture",
           "Garden", "Beverages", "Chemicals")  # fmt: skip
SYSTEMS = ("ERP", "warehouse system", "transport planning tool", "CRM", "ticketing tool",
           "document archive", "shared mailbox", "customs portal", "HR portal", "telematics feed",
           "procurement suite", "claims tool")  # fmt: skip
FIELDS = ("reference", "weight", "delivery address", "currency", "contract number", "due date",
          "product code", "damage code", "cost centre", "pickup date", "country of origin",
          "supplier number", "incoterm", "pallet count")  # fmt: skip
PROBLEMS = (
    "{Actor} in {site} spend about {h} hours a week {verb} {m} {items} a month for {client}, "
    "because the {system} does not carry the {field}, and {tail}.",
    "Every month {m} {items} from {client} wait for {actor} in {site} to look up the {field} "
    "in the {system} by hand, and {tail}.",
    "{Actor} at {site} retype the {field} of {m} {items} a month from the {system}, most of them "
    "for {client}, and {tail}.",
)


@dataclass(frozen=True, slots=True)
class Life:
    """When an initiative entered each stage, and how it ended (or that it goes on)."""

    stage: int  # index of the stage it is at, or died at
    status: str  # active, killed or shelved
    started: dt.date
    gates: tuple[dt.date, ...]  # the advance into STAGES[k + 1] is dated gates[k]
    end: dt.date  # the kill or shelve decision, else the as-of date

    def window(self, k: int) -> tuple[dt.date, dt.date]:
        """Return the first and last day at stage k."""
        start = self.started if k == 0 else self.gates[k - 1]
        return start, self.gates[k] if k < self.stage else self.end


@dataclass(slots=True)
class Draft:
    """One record under construction: its facts, and its dated log lines."""

    i: int
    rng: random.Random
    life: Life
    domain: Domain
    items: str
    site: str
    cause: str | None  # the failure mode that ended it
    metric: str
    threshold: float
    direction: str
    shape: str  # rate (samples+successes) or mean (samples+value+stdev)
    level: float  # the true quality, before noise
    cost_target: float
    forecast: float
    waived: bool  # the poc cost estimate is over 3x target, under a G203 waiver
    sponsors: list[tuple[str, str, dt.date, dt.date | None]] = field(default_factory=list)
    decisions: list[tuple[dt.date, list[str]]] = field(default_factory=list)
    checks: list[tuple[dt.date, str]] = field(default_factory=list)
    evidence: list[tuple[dt.date, str]] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)  # gate figures quoted in rationales
    measured: int = 0  # measurements of the quality metric
    second_metric: bool = False


@dataclass(slots=True)
class Generated:
    """What was written: the registry folder and the mix of records in it."""

    registry: Path
    stages: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    measurements: Counter[int] = field(default_factory=Counter)  # of the quality metric
    charted: list[str] = field(default_factory=list)  # active ids with 2+ measurements
    two_metrics: int = 0

    @property
    def records(self) -> int:
        """Return the number of records written."""
        return sum(self.stages.values())

    @property
    def with_history(self) -> int:
        """Return how many records have two or more measurements of their quality metric."""
        return sum(n for k, n in self.measurements.items() if k >= 2)


def _s(text: str) -> str:
    """Return text as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _num(value: float, places: int = 4) -> str:
    """Return a number as YAML reads it back as a number (never `1e-05`, a string in YAML)."""
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    """Return a random day from low to high; high when the range is empty (it is the bound)."""
    if high < low:
        return high
    return low + dt.timedelta(days=rng.randint(0, (high - low).days))


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _life(rng: random.Random, as_of: dt.date) -> Life:
    """Draw where an initiative got to and date its gates, backwards from now or its end."""
    stage = rng.choices(range(len(STAGES)), STAGE_WEIGHTS)[0]
    roll = rng.random()
    status = (
        "killed"
        if roll < KILLED[stage]
        else "shelved"
        if roll < KILLED[stage] + SHELVED[stage]
        else "active"
    )
    if status == "active":
        end = as_of
        began = as_of - _days(rng.randint(*NOW_DAYS[stage]))
    else:
        end = as_of - _days(rng.randint(3, 500))
        began = end - _days(rng.randint(12, LEFT_DAYS[stage][1] if stage < 4 else 300))
    gates = [began] if stage else []
    for k in range(stage - 1, 0, -1):
        gates.insert(0, gates[0] - _days(rng.randint(*LEFT_DAYS[k])))
    started = (gates[0] if gates else began) - _days(rng.randint(*LEFT_DAYS[0]) if stage else 0)
    return Life(stage, status, started, tuple(gates), end)


def _draft(i: int, rng: random.Random, as_of: dt.date) -> Draft:
    """Draw the facts of one initiative: its domain, fate, quality bar and budget."""
    life = _life(rng, as_of)
    domain = rng.choice(DOMAINS)
    cause = rng.choice(CAUSES[life.stage]) if life.status != "active" else None
    roll = rng.random()
    items = rng.choice(domain.items)
    if roll < 0.12:
        shape, direction, threshold = "mean", "lower", rng.choice((0.08, 0.1, 0.12, 0.15))
        metric = f"Mean absolute percentage error of the {rng.choice((2, 3, 5, 7))}-day forecast"
    elif roll < 0.22:
        shape, direction, threshold = "rate", "lower", rng.choice((0.05, 0.08, 0.1, 0.12))
        metric = f"Share of {items} needing a correction by {domain.expert}"
    else:
        shape, direction = "rate", "higher"
        threshold = rng.choice((0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.95))
        metric = f"Share of {items} {domain.outcome}"
    good = (1 - threshold) * rng.uniform(0.15, 0.7) if direction == "higher" else -threshold * 0.3
    level = threshold + good
    if cause == "quality-below-bar":
        level = threshold - (1 if direction == "higher" else -1) * rng.uniform(0.05, 0.2)
    return Draft(
        i=i,
        rng=rng,
        life=life,
        domain=domain,
        items=items,
        site=rng.choice(SITES),
        cause=cause,
        metric=metric,
        threshold=threshold,
        direction=direction,
        shape=shape,
        level=min(max(level, 0.01), 0.995),
        cost_target=max(0.002, round(math.exp(rng.uniform(math.log(0.002), math.log(0.4))), 3)),
        forecast=round(math.exp(rng.uniform(math.log(150), math.log(20000))), -1),
        waived=life.stage >= 2 and life.status == "active" and rng.random() < 0.04,
    )


def _hi(d: Draft, k: int) -> dt.date:
    """Return the last day anything at stage k can be dated."""
    return d.life.window(k)[1]


def _quality_line(
    d: Draft, day: dt.date, samples: int, sampling: str, passing: bool | None, drift: float = 0
) -> str:
    """Return one measurement of the quality metric; passing forces the bar to be met (or not)."""
    rng, thr = d.rng, d.threshold
    value = d.level + rng.gauss(0, 0.015) - (drift if d.direction == "higher" else -drift)
    if passing is True:
        value = max(value, thr + 0.005) if d.direction == "higher" else min(value, thr - 0.005)
    elif passing is False:
        value = min(value, thr - 0.03) if d.direction == "higher" else max(value, thr + 0.03)
    value = min(max(value, 0.002), 0.998)
    d.measured += 1
    head = f"  - {{kind: quality, date: {day}, metric: {_s(d.metric)}, samples: {samples}, "
    where = _s(f"{d.items.capitalize()} from {d.site}, {sampling} {samples}")
    if d.shape == "mean":
        stdev = rng.uniform(0.03, 0.08)
        return (
            head + f"value: {_num(value, 3)}, stdev: {_num(stdev, 3)}, sampling: {sampling}, "
            f"dataset: {where}}}"
        )
    successes = round(value * samples)
    bound = thr * samples
    if passing is True:  # the point estimate must meet the bar (the gate judges it)
        fix = math.ceil(bound - 1e-9) if d.direction == "higher" else math.floor(bound + 1e-9)
        successes = max(successes, fix) if d.direction == "higher" else min(successes, fix)
    return (
        head + f"successes: {min(max(successes, 0), samples)}, sampling: {sampling}, "
        f"dataset: {where}}}"
    )


def _monitored_line(d: Draft, day: dt.date, drift: float) -> str:
    """Return a production measurement reported with its own interval (value+ci)."""
    value = d.level + d.rng.gauss(0, 0.01) - (drift if d.direction == "higher" else -drift)
    value = min(max(value, 0.03), 0.97)
    half = d.rng.uniform(0.01, 0.03)
    d.measured += 1
    return (
        f"  - {{kind: quality, date: {day}, metric: {_s(d.metric)}, value: {_num(value, 3)}, "
        f"ci_low: {_num(max(value - half, 0), 3)}, ci_high: {_num(min(value + half, 1), 3)}, "
        f"sampling: random, dataset: {_s('All live cases of the month, bootstrap interval')}}}"
    )


def _add_quality(d: Draft) -> None:
    """Add the quality history: poc samples, the gate sample, pilot and monthly re-measurements."""
    rng, life = d.rng, d.life
    if life.stage < 1:
        return
    start, stop = life.window(1)
    middle = start + (stop - start) / 2
    cherry = d.cause == "cherry-picked-evaluation"
    if cherry or rng.random() < 0.4:
        day = _between(rng, start + _days(2), middle)
        sampling = "curated" if cherry or rng.random() < 0.35 else "random"
        d.evidence.append((day, _quality_line(d, day, rng.randint(20, 80), sampling, None)))
    if life.stage >= 2 or d.cause in ("quality-below-bar", "cherry-picked-evaluation"):
        day = _between(rng, max(middle + _days(1), stop - _days(14)), stop - _days(1))
        samples = rng.randint(100, 600)
        d.facts["quality"] = f"{samples} random samples"
        d.evidence.append((day, _quality_line(d, day, samples, "random", life.stage >= 2)))
    elif life.status == "active" and rng.random() < 0.5:
        day = _between(rng, middle, stop)
        d.evidence.append((day, _quality_line(d, day, rng.randint(100, 300), "random", None)))
    if life.stage >= 2 and rng.random() < 0.4:
        start, stop = life.window(2)
        day = _between(rng, start + _days(7), stop)
        d.evidence.append((day, _quality_line(d, day, rng.randint(150, 400), "random", None)))
    for k in (3, 4):
        if life.stage >= k:
            _add_monthly_quality(d, *life.window(k))
    if life.stage >= 2 and rng.random() < 0.15:
        _add_second_metric(d)


def _add_monthly_quality(d: Draft, start: dt.date, stop: dt.date) -> None:
    """Re-measure every one or two months at scale and optimize; some drift at the end."""
    rng = d.rng
    step = max(rng.randint(28, 60), (stop - start).days // 6)
    drifting = d.cause == "data-drift" or rng.random() < 0.08
    day = start + _days(rng.randint(14, 30))
    while day <= stop:
        late = drifting and (stop - day).days < 45
        drift = rng.uniform(0.06, 0.12) if late else 0.0
        line = (
            _monitored_line(d, day, drift)
            if d.shape == "rate" and rng.random() < 0.25
            else _quality_line(d, day, rng.randint(200, 800), "random", None, drift)
        )
        d.evidence.append((day, line))
        day += _days(step if not late else rng.randint(10, 20))


def _add_second_metric(d: Draft) -> None:
    """Add measurements of a second quality metric the team also watches."""
    rng = d.rng
    d.second_metric = True
    metric = _s(f"Share of {d.items} with the source cited")
    start = d.life.window(2)[0]
    for _ in range(rng.randint(1, 3)):
        day = _between(rng, start, d.life.end)
        samples = rng.randint(100, 300)
        ok = round(samples * rng.uniform(0.7, 0.98))
        d.evidence.append(
            (
                day,
                f"  - {{kind: quality, date: {day}, metric: {metric}, "
                f"samples: {samples}, successes: {ok}, sampling: random}}",
            )
        )


def _cost_line(
    d: Draft, day: dt.date, ratio: float, actual: bool, per_ratio: float | None = None
) -> str:
    """Return a cost figure: monthly at ratio times the forecast, per inference near target."""
    per = d.cost_target * (ratio if per_ratio is None else per_ratio) * d.rng.uniform(0.85, 1.1)
    monthly = d.forecast * ratio
    return (
        f"  - {{kind: cost, date: {day}, per_inference: {_num(per)}, "
        f"monthly: {_num(round(monthly, -1), 0)}, actual: {str(actual).lower()}}}"
    )


def _month_ends(start: dt.date, stop: dt.date) -> list[dt.date]:
    """Return the last day of each month that ends after start and on or before stop."""
    out, year, month = [], start.year, start.month
    while True:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        last = nxt - _days(1)
        if last > stop:
            return out
        if last > start:
            out.append(last)
        year, month = nxt.year, nxt.month


def _add_costs(d: Draft) -> None:
    """Add cost evidence: estimates at poc, pilot actuals, drifting monthly actuals after."""
    rng, life = d.rng, d.life
    if life.stage < 1:
        return
    start, stop = life.window(1)
    if rng.random() < 0.3:
        day = _between(rng, start + _days(1), start + (stop - start) / 3)
        d.evidence.append((day, _cost_line(d, day, rng.uniform(2.0, 4.5), False)))
    if life.stage >= 2 or rng.random() < 0.6:
        day = _between(rng, max(start, stop - _days(12)), stop - _days(1))
        ratio = rng.uniform(3.6, 4.2) if d.waived else rng.uniform(0.5, 1.8)
        d.evidence.append((day, _cost_line(d, day, ratio, False)))
    if life.stage >= 2 and rng.random() < 0.5:
        ends = _month_ends(*life.window(2))
        if ends:
            pilot = _cost_line(d, ends[0], rng.uniform(0.1, 0.35), True, rng.uniform(0.7, 1.4))
            d.evidence.append((ends[0], pilot))
    if life.stage >= 3:
        _add_monthly_costs(d)


def _add_monthly_costs(d: Draft) -> None:
    """Add month-end actuals from scale on: a drift, a few overruns, explosions that kill."""
    rng, life = d.rng, d.life
    ends = _month_ends(life.window(3)[0], life.end)
    ratio = rng.uniform(0.65, 1.0)
    jump = rng.randrange(len(ends)) if ends and rng.random() < 0.15 else None
    explode = d.cause == "cost-explosion" or (life.status == "active" and rng.random() < 0.03)
    for m, day in enumerate(ends):
        ratio *= math.exp(rng.gauss(0.01, 0.06))
        ratio *= rng.uniform(1.3, 2.0) if m == jump else 1
        if explode and m >= len(ends) - 2:
            ratio = max(ratio * 2.2, rng.uniform(4.1, 6.0))
        if life.stage >= 4 and day <= life.gates[3]:
            ratio = min(ratio, 1.15)  # the scale->optimize gate needs actuals within 120%
        per = min(ratio, 1.5) * rng.uniform(0.9, 1.1)  # price per call moves less than volume
        d.evidence.append((day, _cost_line(d, day, ratio, True, per)))


def _adoption_line(day: dt.date, users: int, active: int, days: int) -> str:
    return (
        f"  - {{kind: adoption, date: {day}, users: {users}, daily_active: {active}, days: {days}}}"
    )


def _add_usage(d: Draft) -> None:
    """Add adoption and satisfaction from pilot on, and SLA figures from scale on."""
    rng, life = d.rng, d.life
    if life.stage < 2:
        return
    start, stop = life.window(2)
    low = d.cause == "low-adoption" or (life.status == "active" and rng.random() < 0.2)
    users = rng.randint(5, 40) if rng.random() < 0.9 else rng.randint(200, 3000)
    first = start + _days(rng.randint(10, 18))
    if first <= stop:
        early = max(2, users // 3)
        d.evidence.append(
            (first, _adoption_line(first, early, max(1, early // 2), (first - start).days))
        )
    passed = life.stage >= 3
    if passed or (stop - start).days >= 30:
        day = _between(rng, stop - _days(8), stop - _days(1)) if passed else stop
        active = (
            rng.randint(1, 2) if low and not passed else max(3, int(users * rng.uniform(0.5, 0.9)))
        )
        d.evidence.append((day, _adoption_line(day, users, active, (day - start).days)))
        score = rng.uniform(0.5, 0.68) if low and not passed else rng.uniform(0.72, 0.9)
        d.facts["pilot"] = f"{users} users over {(day - start).days} days"
        d.evidence.append(
            (
                day,
                f"  - {{kind: satisfaction, date: {day}, score: {_num(score, 2)}, "
                f"respondents: {max(3, int(users * 0.7))}}}",
            )
        )
    for k in (3, 4):
        if life.stage >= k:
            _add_growth(d, users, *life.window(k))
    if life.stage >= 3:
        _add_sla(d)


def _add_growth(d: Draft, users: int, start: dt.date, stop: dt.date) -> None:
    """Add adoption and satisfaction every two or three months as the rollout grows."""
    rng = d.rng
    day = start + _days(rng.randint(40, 90))
    while day <= stop:
        users = int(users * rng.uniform(1.2, 2.0)) + 1
        active = int(users * rng.uniform(0.5, 0.85))
        d.evidence.append((day, _adoption_line(day, users, active, (day - start).days)))
        if rng.random() < 0.5:
            score = _num(rng.uniform(0.7, 0.9), 2)
            d.evidence.append(
                (
                    day,
                    f"  - {{kind: satisfaction, date: {day}, score: {score}, "
                    f"respondents: {max(3, users // 5)}}}",
                )
            )
        day += _days(rng.randint(60, 90))


def _add_sla(d: Draft) -> None:
    """Add month-end SLA figures; breaches reset the count, never just before the next gate."""
    rng, life = d.rng, d.life
    target = rng.choice((0.99, 0.995, 0.999))
    start = life.window(3)[0]
    gate = life.gates[3] if life.stage >= 4 else None
    breach, previous = start, start
    points = _month_ends(start + _days(20), life.end)[-12:]
    if gate is not None:
        points.append(gate - _days(rng.randint(1, 5)))
    for day in sorted(set(points)):
        safe = gate is None or day < gate - _days(40) or day > gate
        if safe and rng.random() < 0.15 and (day - previous).days > 2:
            breach = _between(rng, previous + _days(1), day - _days(1))
        previous = day
        d.evidence.append(
            (
                day,
                f"  - {{kind: sla, date: {day}, target: {target}, "
                f"consecutive_days_met: {(day - breach).days}}}",
            )
        )


def _add_shadow_ai(d: Draft) -> None:
    """Add growing shadow-AI counts to a few records: the demand that started them."""
    rng = d.rng
    if rng.random() >= 0.05:
        return
    start, stop = d.life.window(0)
    users = rng.randint(4, 20)
    for day in sorted({_between(rng, start, stop), _between(rng, start, stop)}):
        d.evidence.append((day, f"  - {{kind: shadow-ai, date: {day}, users: {users}}}"))
        users += rng.randint(0, 15)


def _check(d: Draft, name: str, status: str, day: dt.date) -> None:
    link = f", link: https://wiki.example.com/checks/{d.i}-{name}" if d.rng.random() < 0.3 else ""
    d.checks.append((day, f"  - {{name: {name}, status: {status}, date: {day}{link}}}"))


def _add_checks(d: Draft) -> None:
    """Pass each gate's checks before its decision; start the next gate's; fail the fatal one."""
    rng, life = d.rng, d.life
    for k in range(life.stage):
        start, stop = life.window(k)
        for name in GATE_CHECKS[k]:
            day = _between(rng, start + _days(1), stop - _days(1))
            if rng.random() < 0.15 and day > start + _days(2):
                _check(d, name, "pending", _between(rng, start + _days(1), day - _days(1)))
            _check(d, name, "passed", day)
    if life.stage < 4:
        start, stop = life.window(life.stage)
        failed = FAILED_CHECK.get(d.cause or "")
        for name in GATE_CHECKS[life.stage]:
            if name == failed:
                _check(d, name, "failed", _between(rng, start + (stop - start) / 2, stop))
            elif rng.random() < 0.5:
                _check(d, name, rng.choice(("passed", "pending")), _between(rng, start, stop))
    elif rng.random() < 0.2:
        _check(d, "x-quarterly-roi-review", "passed", _between(rng, *life.window(4)))


def _in_office(d: Draft, day: dt.date) -> list[str]:
    return [
        n for n, _, since, until in d.sponsors if since <= day and (until is None or until > day)
    ]


def _add_sponsors(d: Draft) -> None:
    """Name one to three sponsors; one may leave (keeping someone in office while active)."""
    rng, life = d.rng, d.life
    count = rng.choices((1, 2, 3), (25, 65, 10) if life.stage <= 1 else (10, 70, 20))[0]
    for _ in range(count):
        d.sponsors.append(
            (_person(rng), rng.choice(ROLES), life.started - _days(rng.randint(0, 40)), None)
        )
    leaves = d.cause == "champion-departure" or rng.random() < 0.06
    if leaves and (count > 1 or life.status != "active"):
        name, role, since, _ = d.sponsors[0]
        first_gate = life.gates[0] if life.gates else life.started
        until = _between(rng, first_gate + _days(1), life.end - _days(1))
        d.sponsors[0] = (name, role, since, until)


def _decision(d: Draft, day: dt.date, fields: list[str], rationale: str | None) -> None:
    """Add one gate decision, decided by the sponsors in office (and the office, at times)."""
    by = _in_office(d, day)[:2] or [PORTFOLIO_OFFICE]
    if len(by) < 2 and d.rng.random() < 0.4:
        by.append(PORTFOLIO_OFFICE)
    lines = [f"  - date: {day}", *(f"    {f}" for f in fields)]
    lines.append(f"    by: [{', '.join(_s(n) for n in by)}]")
    if rationale:
        lines.append(f"    rationale: {_s(rationale)}")
    d.decisions.append((day, lines))


def _advance_rationale(d: Draft, k: int) -> str:
    """Say why a gate was passed, quoting the figures it rested on."""
    if k == 0:
        return (
            f"{d.rng.randint(6, 36)} months of {d.items} are available as ground truth and "
            "the team signed off the problem and its metric."
        )
    if k == 1:
        sample = d.facts.get("quality", "a random sample")
        return f"{d.metric} meets the bar of {d.threshold:g} on {sample}; cost is within budget."
    if k == 2:
        return f"{d.facts.get('pilot', 'The pilot users')} and asked to keep it; satisfaction held."
    return "SLA met for more than 30 days running and actual cost within the forecast."


def _add_decisions(d: Draft) -> None:
    """Log the advances, a pivot or a pause for some, and the kill or shelve that ended it."""
    rng, life = d.rng, d.life
    for k in range(life.stage):
        rationale = _advance_rationale(d, k) if rng.random() < 0.85 else None
        fields = [f"from: {STAGES[k]}", f"to: {STAGES[k + 1]}", "outcome: advance"]
        _decision(d, life.gates[k], fields, rationale)
    start, stop = life.window(life.stage)
    room = (stop - start).days
    here = STAGES[life.stage]
    if life.status == "active" and room > 20 and 1 <= life.stage <= 2 and rng.random() < 0.06:
        day = start + _days(rng.randint(5, room - 5))
        _decision(
            d,
            day,
            [f"from: {here}", f"to: {here}", "outcome: pivot"],
            f"Narrowed to {d.items} from {d.site} only; the stage restarts.",
        )
    elif life.status == "active" and room > 60 and life.stage >= 1 and rng.random() < 0.04:
        pause = start + _days(rng.randint(5, room // 2))
        _decision(
            d,
            pause,
            [f"from: {here}", "outcome: shelve"],
            "Paused while the team moves to the ERP migration.",
        )
        _decision(
            d,
            _between(rng, pause + _days(10), stop - _days(5)),
            ["outcome: resume"],
            "The migration is live and the team is back.",
        )
    if life.status != "active":
        outcome = "kill" if life.status == "killed" else "shelve"
        why = FAILURE_TEXT[d.cause or "neglect"][0].format(**_words(d))
        _decision(
            d,
            life.end,
            [f"from: {here}", f"outcome: {outcome}"],
            f"{why} {'Stopped' if outcome == 'kill' else 'Shelved'} at {here}.",
        )


def _words(d: Draft) -> dict[str, object]:
    """Return the words and numbers failure and problem texts are filled with."""
    rng = d.rng
    return {
        "team": d.domain.team,
        "items": d.items,
        "site": d.site,
        "actor": d.domain.actor,
        "n": rng.randint(2, 40),
        "k": rng.randint(3, 30),
        "usd": f"{rng.randint(40, 900) * 1000:,}",
        "x": rng.randint(4, 6),
        "p": rng.randint(5, 12),
    }


def _failures(d: Draft) -> list[str]:
    """Return the failures block: what ended it, and for some an earlier one that was fixed."""
    rng, life = d.rng, d.life
    found: list[tuple[str, int]] = []
    if d.cause:
        found.append((d.cause, life.stage))
    if rng.random() < (0.3 if d.cause else 0.2):
        k = rng.randint(0, life.stage)
        found.insert(0, (rng.choice(CAUSES[k]), k))
    lines = []
    for mode, k in found:
        start, stop = life.window(k)
        description, mitigation = FAILURE_TEXT[mode]
        lines += [
            f"  - mode: {mode}",
            f"    date: {_between(rng, start, stop)}",
            f"    stage: {STAGES[k]}",
            f"    description: {_s(description.format(**_words(d)))}",
            f"    mitigation: {_s(mitigation)}",
        ]
    return lines


def _learnings(d: Draft) -> list[str]:
    """Return the learnings: always for an ended record, now and then for an active one."""
    rng = d.rng
    if d.life.status == "active" and rng.random() >= 0.3:
        return []
    lines = []
    for text, tag in rng.sample(LEARNINGS, rng.randint(1, 3)):
        if rng.random() < 0.6:
            lines += [f"  - text: {_s(text)}", f"    tags: [{tag}]"]
        else:
            lines.append(f"  - {_s(text)}")
    return lines


def _problem(d: Draft) -> str:
    """Return the problem: one sentence about the business (a few name a technology)."""
    rng, words = d.rng, _words(d)
    tail = rng.choice(CONSEQUENCES).format(**words)
    if d.life.status == "active" and d.life.stage <= 1 and rng.random() < 0.03:
        tail += TECH_TAIL
    return rng.choice(PROBLEMS).format(
        **words,
        Actor=d.domain.actor.capitalize(),
        verb=d.domain.verb,
        h=rng.randint(8, 90),
        m=f"{rng.randint(3, 60) * 100:,}",
        client=f"{rng.choice(CLIENTS)} {rng.choice(SECTORS)}",
        system=rng.choice(SYSTEMS),
        field=rng.choice(FIELDS),
        tail=tail,
    )


def _head(d: Draft, rid: str) -> list[str]:
    """Return the record's identity, metrics, people and state."""
    rng, life = d.rng, d.life
    title = rng.choice(TITLES).format(Verb=d.domain.verb.capitalize(), items=d.items, site=d.site)
    baseline = rng.randint(8, 90)
    owner = _person(rng)
    lines = [
        "# yaml-language-server: $schema=../record.schema.json",
        f"id: {rid}",
        f"title: {_s(title)}",
        f"problem: {_s(_problem(d))}",
        "success_metric:",
        f"  name: {_s(f'{d.domain.actor.capitalize()} hours per week on {d.items}')}",
        f"  baseline: {baseline}",
    ]
    if life.stage or rng.random() < 0.9:  # a few discovery records have no target yet
        lines.append(f"  target: {round(baseline * rng.uniform(0.3, 0.6))}")
    lines += ["  unit: hours", "  direction: lower"]
    if life.stage or rng.random() < 0.5:
        lines += [
            "quality_target:",
            f"  metric: {_s(d.metric)}",
            f"  threshold: {d.threshold:g}",
            f"  direction: {d.direction}",
        ]
    lines += [
        f"team: {_s(d.domain.team)}",
        f"owner: {{name: {_s(owner)}, email: {_slug(owner).replace('-', '.')}@example.com}}",
        "sponsors:",
    ]
    for name, role, since, until in d.sponsors:
        end = f", until: {until}" if until else ""
        lines.append(f"  - {{name: {_s(name)}, role: {_s(role)}, since: {since}{end}}}")
    lines += [f"stage: {STAGES[life.stage]}", f"status: {life.status}", f"started: {life.started}"]
    return lines


def _use_cases(d: Draft) -> list[str]:
    """Return the use cases: one at poc and pilot for most, several for a few (scope creep)."""
    rng = d.rng
    if d.life.stage == 0 and rng.random() < 0.5:
        return []
    wide = d.cause == "scope-creep" or rng.random() < (0.12 if d.life.stage <= 2 else 0.4)
    cases = [f"{d.domain.verb.capitalize()} {d.items} from {d.site}"]
    if wide:
        cases += [
            f"{d.domain.verb.capitalize()} {other}" for other in d.domain.items if other != d.items
        ][: rng.randint(1, 3)]
    return [f"use_cases: [{', '.join(_s(c) for c in cases)}]"]


def _tail(d: Draft, rid: str, earlier: list[tuple[str, str]]) -> list[str]:
    """Return waivers, tags, related and superseded records, and links."""
    rng, life = d.rng, d.life
    lines = []
    if d.waived:
        expires = d.life.end + _days(rng.randint(15, 200))
        reason = _s("Larger model until the pilot sets the quality ceiling; a cheaper tier next.")
        approver = _s(f"{_person(rng)} (CFO)")
        waiver = f"{{rule: G203, reason: {reason}, approved_by: {approver}, expires: {expires}}}"
        lines += ["waivers:", f"  - {waiver}"]
    tags = sorted({_slug(d.domain.team), _slug(d.items), _slug(d.site)})
    tags += ["graveyard"] if life.status != "active" else []
    lines.append(f"tags: [{', '.join(tags)}]")
    related = [e for e, _ in rng.sample(earlier, min(len(earlier), rng.randint(1, 2)))]
    if related and rng.random() < 0.12:
        lines.append(f"related: [{', '.join(sorted(set(related)))}]")
    dead = [e for e, status in earlier[-200:] if status == "killed"]
    if dead and life.status == "active" and rng.random() < 0.04:
        lines.append(f"supersedes: {rng.choice(dead)}")
    links = {"repo": f"https://git.example.com/ai/{rid}"} if life.stage else {}
    if life.stage >= 3:
        links["dashboard"] = f"https://grafana.example.com/d/{rid}"
    if life.status != "active":
        links["postmortem"] = f"https://wiki.example.com/ai-portfolio/postmortems/{rid}"
    if links:
        lines += ["links:", *(f"  {k}: {v}" for k, v in links.items())]
    return lines


def record_text(d: Draft, rid: str, earlier: list[tuple[str, str]]) -> str:
    """Return the YAML of one record, its log entries oldest first."""
    _add_sponsors(d)
    _add_checks(d)
    _add_shadow_ai(d)
    _add_quality(d)
    _add_costs(d)
    _add_usage(d)
    _add_decisions(d)
    lines = _head(d, rid) + _use_cases(d)
    if d.life.stage:
        budget = f"{{cost_per_inference: {_num(d.cost_target)}, monthly_forecast: {d.forecast:g}}}"
        lines.append(f"budget: {budget}")
    for key, block in (("decisions", d.decisions), ("checks", d.checks), ("evidence", d.evidence)):
        if block:
            lines.append(f"{key}:")
            for _, entry in sorted(block, key=lambda pair: pair[0]):
                lines += entry if isinstance(entry, list) else [entry]
    for key, found in (("failures", _failures(d)), ("learnings", _learnings(d))):
        lines += [f"{key}:", *found] if found else []
    return "\n".join(lines + _tail(d, rid, earlier)) + "\n"


def write_registry(project: Path, n: int, as_of: dt.date, seed: int = 7) -> Generated:
    """Write N records under project/registry/projects; return what was written."""
    rng = random.Random(seed)
    projects = project / "registry" / "projects"
    projects.mkdir(parents=True, exist_ok=True)
    out = Generated(project / "registry")
    earlier: list[tuple[str, str]] = []
    for i in range(n):
        d = _draft(i, rng, as_of)
        rid = f"{_slug(d.items)}-{_slug(d.site)}-{i:05d}"
        (projects / f"{rid}.yaml").write_text(record_text(d, rid, earlier), encoding="utf-8")
        earlier.append((rid, d.life.status))
        out.stages[STAGES[d.life.stage]] += 1
        out.statuses[d.life.status] += 1
        out.measurements[d.measured] += 1
        out.two_metrics += d.second_metric
        if d.measured >= 2 and d.life.status == "active":
            out.charted.append(rid)
    return out


_METRIC = re.compile(r"^quality_target:\n  metric: (.+)$", re.MULTILINE)


def edit_record(path: Path, marker: str, day: dt.date) -> None:
    """Save a meaningful edit: a new measurement of the quality metric and a learning with marker.

    The record must have a quality target (its chart changes); the learning shows
    on its page, so a reader can tell when the edit is published.
    """
    text = path.read_text(encoding="utf-8")
    metric = _METRIC.search(text)
    if metric is None:
        raise ValueError(f"{path}: no quality_target to measure")
    entry = (
        f"  - {{kind: quality, date: {day}, metric: {metric.group(1)}, samples: 240, "
        f"successes: 211, sampling: random, dataset: {_s('Re-measured for ' + marker)}}}\n"
    )
    learning = f"  - {_s(f'Benchmark edit {marker}: re-measured on a fresh random sample.')}\n"
    text = _insert_after(text, "evidence", entry)
    path.write_text(_insert_after(text, "learnings", learning), encoding="utf-8")


def _insert_after(text: str, key: str, entry: str) -> str:
    """Insert a list item right after a top-level block key, adding the key when absent."""
    head = re.search(rf"^{key}:\n", text, re.MULTILINE)
    if head is None:
        return text + f"{key}:\n" + entry
    return text[: head.end()] + entry + text[head.end() :]
