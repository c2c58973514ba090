"""A synthetic corpus for load tests (``claimgraph seed synthetic``).

Deterministic: the same number of statements and seed give the same rows and the same slugs,
on any engine. The shape follows the curated seed, scaled up: about one source per 25
statements, each source's text built from its statements' excerpts (so every
``excerpt_start``/``excerpt_end`` is a slice of the source text and every quote lies inside its
excerpt), thousands of actors whose activity is Zipf-skewed, roles, agreements with terms,
deployments, events, relations between statements, mentions, and fuzzy dates of every
precision over twenty years. Slugs start with ``syn-<seed>-`` so they never meet the curated
seed's, and the change log gets a CREATED entry per node, as a load would write.

Rows are written with explicit ids (after the highest already present) in one transaction:
batched Core inserts (executemany), or COPY (asyncpg's ``copy_records_to_table``) on
PostgreSQL; both engines are ANALYZEd afterwards.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import random
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from claimgraph.db import models as m
from claimgraph.db.fuzzy_dates import DatePrecision, FuzzyDate

SLUG_PREFIX = "syn-"
#: When the corpus was "recorded": fixed, so timestamps are deterministic too.
RECORDED_AT = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
FIRST_DAY = dt.date(2005, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
#: Statements per source, on average (5 to 45).
STATEMENTS_PER_SOURCE = 25


class SyntheticError(Exception):
    """The corpus cannot be written (e.g. it is already there)."""


def slug_prefix(seed: int) -> str:
    return f"{SLUG_PREFIX}{seed}-"


def statement_slug(seed: int, index: int) -> str:
    """The slug of the ``index``-th statement (0-based) of the corpus with ``seed``."""
    return f"{slug_prefix(seed)}st-{index}"


# -- fuzzy dates ------------------------------------------------------------------------------

_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})$")
_DAY_SET = re.compile(r"^\[(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})\]$")
_OPEN_START = re.compile(r"^\.\./(\d{4}-\d{2}-\d{2})$")
_MONTH_TO_DAY = re.compile(r"^(\d{4})-(\d{2})/(\d{4}-\d{2}-\d{2})$")

DateColumns = tuple[str, dt.date, dt.date, str, bool, bool]


class Dates:
    """EDTF strings to the six stored values of a :class:`FuzzyDate`, memoised.

    ``FuzzyDate.parse`` (the edtf library) costs milliseconds per string, and a million
    statements over twenty years name tens of thousands of distinct day-precision strings.
    The four high-cardinality shapes we generate (a day, a set of consecutive days, an open
    start up to a day, a month up to a day) are computed directly; a deterministic sample of
    them (every one while fewer than ``verify_all`` have been seen, then every
    ``verify_every``-th) is checked against ``FuzzyDate.parse``. Every other shape goes
    through ``FuzzyDate.parse``.
    """

    def __init__(self, *, verify_all: int = 400, verify_every: int = 97) -> None:
        self._memo: dict[str, DateColumns] = {}
        self._fast = 0
        self.verify_all = verify_all
        self.verify_every = verify_every
        self.parsed = 0
        self.verified = 0

    def __call__(self, edtf: str) -> DateColumns:
        found = self._memo.get(edtf)
        if found is None:
            fast = _fast_fuzzy(edtf)
            if fast is None:
                found = _columns(FuzzyDate.parse(edtf))
                self.parsed += 1
            else:
                self._fast += 1
                if self._fast <= self.verify_all or self._fast % self.verify_every == 0:
                    parsed = _columns(FuzzyDate.parse(edtf))
                    self.verified += 1
                    if parsed != fast:
                        raise AssertionError(f"fast path for {edtf!r}: {fast} != {parsed}")
                found = fast
            self._memo[edtf] = found
        return found


def _columns(value: FuzzyDate) -> DateColumns:
    return (
        value.edtf,
        value.earliest,
        value.latest,
        value.precision.value,
        value.approximate,
        value.uncertain,
    )


def _fast_fuzzy(edtf: str) -> DateColumns | None:
    day = DatePrecision.DAY.value
    if found := _DAY.match(edtf):
        d = dt.date.fromisoformat(found[1])
        return (edtf, d, d, day, False, False)
    if found := _DAY_SET.match(edtf):
        lo, hi = dt.date.fromisoformat(found[1]), dt.date.fromisoformat(found[2])
        return (edtf, lo, hi, DatePrecision.RANGE.value, False, True) if lo < hi else None
    if found := _OPEN_START.match(edtf):
        return (edtf, dt.date.min, dt.date.fromisoformat(found[1]), day, False, False)
    if found := _MONTH_TO_DAY.match(edtf):
        lo = dt.date(int(found[1]), int(found[2]), 1)
        hi = dt.date.fromisoformat(found[3])
        return (edtf, lo, hi, DatePrecision.MONTH.value, False, False) if lo <= hi else None
    return None


# -- vocabulary ---------------------------------------------------------------------------------

COUNTRIES = [
    ("IQ", "Iraq", "Iraqi", "Baghdad"),
    ("US", "United States", "US", "Washington"),
    ("GB", "United Kingdom", "British", "London"),
    ("FR", "France", "French", "Paris"),
    ("DE", "Germany", "German", "Berlin"),
    ("TR", "Turkey", "Turkish", "Ankara"),
    ("IR", "Iran", "Iranian", "Tehran"),
    ("SY", "Syria", "Syrian", "Damascus"),
    ("JO", "Jordan", "Jordanian", "Amman"),
    ("SA", "Saudi Arabia", "Saudi", "Riyadh"),
    ("EG", "Egypt", "Egyptian", "Cairo"),
    ("LB", "Lebanon", "Lebanese", "Beirut"),
    ("QA", "Qatar", "Qatari", "Doha"),
    ("AE", "United Arab Emirates", "Emirati", "Abu Dhabi"),
    ("IL", "Israel", "Israeli", "Jerusalem"),
    ("RU", "Russia", "Russian", "Moscow"),
    ("CN", "China", "Chinese", "Beijing"),
    ("IT", "Italy", "Italian", "Rome"),
    ("ES", "Spain", "Spanish", "Madrid"),
    ("NL", "Netherlands", "Dutch", "The Hague"),
    ("YE", "Yemen", "Yemeni", "Sanaa"),
    ("KW", "Kuwait", "Kuwaiti", "Kuwait City"),
]
BODIES = [
    "Ministry of Foreign Affairs",
    "Ministry of Defence",
    "Office of the Prime Minister",
    "Presidency",
    "Parliament",
    "Ministry of the Interior",
]
FIRST_NAMES = [
    "Amira",
    "Omar",
    "Layla",
    "Karim",
    "Sara",
    "Yusuf",
    "Hana",
    "Ali",
    "Noor",
    "Tariq",
    "Rana",
    "Samir",
    "Dina",
    "Faisal",
    "Mariam",
    "Hassan",
    "Leila",
    "Adnan",
    "Zainab",
    "Khalid",
    "John",
    "Emma",
    "Michael",
    "Olivia",
    "James",
    "Sophie",
    "Daniel",
    "Claire",
    "Lukas",
    "Anna",
    "Marco",
    "Giulia",
    "Pierre",
    "Camille",
    "Ivan",
    "Olga",
    "Wei",
    "Li",
    "Mehmet",
    "Ayse",
    "Reza",
    "Shirin",
    "David",
    "Rachel",
    "Ahmed",
    "Fatima",
    "Javier",
    "Lucia",
    "Pieter",
    "Sanne",
]
LAST_NAMES = [
    "Haddad",
    "Rahman",
    "Khalil",
    "Mansour",
    "Saleh",
    "Nasser",
    "Aziz",
    "Hamdan",
    "Jaber",
    "Karimi",
    "Hosseini",
    "Yilmaz",
    "Demir",
    "Smith",
    "Johnson",
    "Brown",
    "Miller",
    "Wilson",
    "Taylor",
    "Martin",
    "Dubois",
    "Laurent",
    "Schmidt",
    "Weber",
    "Rossi",
    "Bianchi",
    "Garcia",
    "Lopez",
    "Ivanov",
    "Petrov",
    "Wang",
    "Zhang",
    "Cohen",
    "Levi",
    "Barzani",
    "Talabani",
    "al-Amiri",
    "al-Hakim",
    "al-Maliki",
    "de",
    "Vries",
    "Jansen",
    "Okafor",
    "Mensah",
    "Abadi",
    "Jiad",
    "Sadr",
    "Nouri",
]
TITLES = [
    "spokesperson",
    "deputy spokesperson",
    "foreign minister",
    "defence minister",
    "advisor to the prime minister",
    "ambassador",
    "military commander",
    "senior official",
    "member of parliament",
    "national security advisor",
]
SUBJECTS = [
    "the withdrawal of foreign troops",
    "the security agreement",
    "the ceasefire",
    "the prisoner exchange",
    "the reopening of the border crossing",
    "the reconstruction fund",
    "the election timetable",
    "the oil export deal",
    "the training mission",
    "the joint military committee",
    "the transition to an advisory role",
    "the hostage negotiations",
    "the sanctions relief",
    "the water-sharing accord",
    "the air defence upgrade",
]
PREDICATES = [
    "will be completed by the end of {year}",
    "was never discussed",
    "has been agreed in principle",
    "remains under negotiation",
    "was violated last week",
    "will be extended for another year",
    "has stalled over the question of timing",
    "was signed in {year}",
    "depends on parliament's approval",
    "is on track despite the recent attacks",
    "will begin in {year}",
    "cannot go ahead without guarantees",
]
FILLERS = [
    "The statement came amid renewed tension in the region.",
    "Officials did not respond to requests for comment.",
    "The talks resumed after a pause of several weeks.",
    "Diplomats described the atmosphere as constructive.",
    "The announcement was not immediately confirmed by other parties.",
    "Analysts said the timing was significant.",
    "Protests were reported in several cities on the same day.",
]
SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
EVENT_KINDS = ["strike", "talks", "election", "protest", "summit", "attack", "ceasefire", "visit"]
OPERATION_WORDS = ["Inherent", "Resolute", "Steadfast", "Northern", "Enduring", "Shared", "Iron"]
OPERATION_NOUNS = ["Resolve", "Shield", "Guardian", "Partner", "Dawn", "Sentinel", "Bridge"]
CHANNELS = [
    "press conference",
    "statement on social media",
    "televised speech",
    "written statement",
    None,
    None,
]


@dataclass(frozen=True)
class Sizes:
    """How many of each record a corpus of ``statements`` holds (about)."""

    statements: int
    actors: int
    publishers: int
    agreements: int
    deployments: int
    events: int

    @classmethod
    def for_statements(cls, statements: int) -> Sizes:
        if statements < 1:
            raise SyntheticError("give at least one statement")
        return cls(
            statements=statements,
            actors=max(40, statements // 200),  # people; governments, bodies, forces come on top
            publishers=max(5, min(400, statements // 2500)),
            agreements=max(5, statements // 2000),
            deployments=max(5, statements // 2000),
            events=max(10, statements // 500),
        )


@dataclass
class Batch:
    """Rows for one table, as tuples in ``columns`` order."""

    table: Table
    columns: Sequence[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def _table(model: Any) -> Table:
    table: Table = model.__table__ if hasattr(model, "__table__") else model
    return table


DATE_FIELDS = ("edtf", "earliest", "latest", "precision", "approximate", "uncertain")


def date_columns(prefix: str) -> list[str]:
    """The eight column names of a fuzzy date."""
    return [f"{prefix}_{name}" for name in (*DATE_FIELDS, "phrase", "anchor")]


_NO_DATE: tuple[None, ...] = (None,) * 8


def _with(value: DateColumns, phrase: str | None, anchor: str | None) -> tuple[Any, ...]:
    return (*value, phrase, anchor)


@dataclass
class _Actor:
    index: int
    id: int
    slug: str
    name: str
    kind: m.ActorKind
    country: int  # index into COUNTRIES
    role_title: str | None = None


class Generator:
    """Generates the corpus in a fixed order from one seeded RNG; ids start after ``base``."""

    def __init__(self, statements: int, seed: int, base: dict[str, int] | None = None) -> None:
        self.sizes = Sizes.for_statements(statements)
        self.seed = seed
        self.rng = random.Random(seed)
        self.dates = Dates()
        self.base = base or {}
        self.prefix = slug_prefix(seed)
        self.actors: list[_Actor] = []
        self.counts: Counter[str] = Counter()
        # First statements per speaker / agreement, for role and term evidence.
        self.spoken: dict[int, list[int]] = {}
        self.about_agreement: dict[int, list[int]] = {}

    def _id(self, table: str, index: int) -> int:
        return self.base.get(table, 0) + index + 1

    def _day(self, lo: dt.date = FIRST_DAY, hi: dt.date = LAST_DAY) -> dt.date:
        return lo + dt.timedelta(days=self.rng.randrange((hi - lo).days + 1))

    def _change(self, node_type: str, slug: str) -> tuple[Any, ...]:
        return (node_type, slug, m.ChangeKind.CREATED.value, RECORDED_AT)

    # -- the reference records: actors, roles, agreements, deployments, events -------------------

    def reference_batches(self) -> list[Batch]:
        rng, sizes = self.rng, self.sizes
        actor_columns = ["id", "slug", "name", "aliases", "kind", "description", "country"]
        # Newer schemas keep the name and aliases together for search.
        search = ["search_names"] if "search_names" in _table(m.Actor).c else []
        actors = Batch(_table(m.Actor), [*actor_columns, "recorded_at", "updated_at", *search])
        changes = Batch(_table(m.Change), ["node_type", "node_slug", "kind", "changed_at"])

        def add_actor(name: str, kind: m.ActorKind, country: int, aliases: list[str]) -> _Actor:
            index = len(self.actors)
            actor = _Actor(index, self._id("actors", index), "", name, kind, country)
            actor.slug = f"{self.prefix}actor-{index}"
            self.actors.append(actor)
            code = COUNTRIES[country][0]
            description = f"{kind.value.replace('_', ' ').lower()} ({COUNTRIES[country][1]})"
            actors.rows.append(
                (
                    actor.id,
                    actor.slug,
                    name,
                    json.dumps(aliases, ensure_ascii=False),
                    kind.value,
                    description,
                    code,
                    RECORDED_AT,
                    RECORDED_AT,
                    *(["\n".join([name, *aliases])] if search else []),
                )
            )
            changes.rows.append(self._change("Actor", actor.slug))
            return actor

        governments: list[_Actor] = []
        bodies: list[_Actor] = []
        forces: list[_Actor] = []
        for c, (code, country, demonym, _city) in enumerate(COUNTRIES):
            governments.append(add_actor(f"Government of {country}", m.ActorKind.GOVERNMENT, c, []))
            forces.append(
                add_actor(f"{demonym} Armed Forces", m.ActorKind.MILITARY_FORCE, c, [code])
            )
            bodies.extend(
                add_actor(f"{body} of {country}", m.ActorKind.GOVERNMENT_BODY, c, [])
                for body in BODIES
            )
        add_actor("Global Coalition against ISIS", m.ActorKind.COALITION, 1, ["the coalition"])
        publishers = [
            add_actor(
                f"The {COUNTRIES[i % len(COUNTRIES)][3]} {rng.choice(['Herald', 'Post', 'Times'])}"
                f" {i}",
                m.ActorKind.NEWS_ORGANIZATION,
                i % len(COUNTRIES),
                [],
            )
            for i in range(sizes.publishers)
        ]
        groups = [
            add_actor(
                f"Armed group {i}", m.ActorKind.ARMED_GROUP, rng.randrange(len(COUNTRIES)), []
            )
            for i in range(max(3, sizes.actors // 200))
        ]
        people: list[_Actor] = []
        for _ in range(sizes.actors):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            people.append(
                add_actor(
                    f"{first} {last}", m.ActorKind.PERSON, rng.randrange(len(COUNTRIES)), [last]
                )
            )
        self.publishers = publishers
        self.forces = forces

        # Roles: one to three per person, at a body of their country.
        role_columns = ["id", "actor_id", "position", "title", "organization_id"]
        roles = Batch(_table(m.Role), [*role_columns, *date_columns("period")])
        self.roles: list[tuple[int, int]] = []  # (role id, actor index)
        for person in people:
            for position in range(rng.choice((1, 1, 1, 2, 2, 3))):
                title = rng.choice(TITLES)
                if position == 0:
                    person.role_title = title
                organization = bodies[person.country * len(BODIES) + rng.randrange(len(BODIES))]
                role_id = self._id("roles", len(self.roles))
                self.roles.append((role_id, person.index))
                start = self._day()
                period = rng.choice(
                    [
                        None,
                        f"{start.year}",
                        f"{start.isoformat()[:7]}/{min(start + dt.timedelta(900), LAST_DAY)}",
                        f"{start.year}~",
                    ]
                )
                values = _with(self.dates(period), None, None) if period else _NO_DATE
                roles.rows.append((role_id, person.id, position, title, organization.id, *values))

        # Speakers: people mostly, and governments and bodies; activity is Zipf-skewed.
        speakers = people + governments + bodies + groups
        rng.shuffle(speakers)
        self.speakers = speakers
        self.speaker_weights = _zipf_cumulative(len(speakers), 1.07)
        mentionable = people + governments + forces + bodies
        self.mentionable = mentionable
        self.mention_weights = _zipf_cumulative(len(mentionable), 1.0)

        # Agreements with parties and terms.
        agreements = Batch(
            _table(m.Agreement),
            [
                *("id", "slug", "title", "summary", "status"),
                *date_columns("reported"),
                *("recorded_at", "updated_at"),
            ],
        )
        terms = Batch(
            _table(m.AgreementTerm),
            ["id", "agreement_id", "position", "description", *date_columns("due")],
        )
        parties = Batch(m.agreement_parties, ["agreement_id", "actor_id", "position"])
        statuses = list(m.AgreementStatus)
        self.agreement_ids: list[int] = []
        self.terms: list[tuple[int, int]] = []  # (term id, agreement id)
        for i in range(sizes.agreements):
            a, b = rng.sample(range(len(COUNTRIES)), 2)
            subject = rng.choice(SUBJECTS)
            slug = f"{self.prefix}agreement-{i}"
            agreement_id = self._id("agreements", i)
            self.agreement_ids.append(agreement_id)
            day = self._day()
            reported = self.dates(rng.choice([day.isoformat(), day.isoformat()[:7]]))
            agreements.rows.append(
                (
                    agreement_id,
                    slug,
                    f"{COUNTRIES[a][1]}–{COUNTRIES[b][1]} agreement on {subject[4:]} ({i})",
                    f"What {COUNTRIES[a][1]} and {COUNTRIES[b][1]} agreed on {subject}.",
                    rng.choice(statuses).value,
                    *_with(reported, None, None),
                    RECORDED_AT,
                    RECORDED_AT,
                )
            )
            changes.rows.append(self._change("Agreement", slug))
            for position, party in enumerate((governments[a], governments[b])):
                parties.rows.append((agreement_id, party.id, position))
            for position in range(rng.randint(1, 4)):
                due_year = min(day.year + rng.randint(0, 3), 2026)
                due = rng.choice([f"{due_year}", f"{due_year}-12", f"{due_year}~", None])
                term_id = self._id("agreement_terms", len(terms.rows))
                self.terms.append((term_id, agreement_id))
                terms.rows.append(
                    (
                        term_id,
                        agreement_id,
                        position,
                        f"{subject.capitalize()}, step {position + 1}",
                        *(_with(self.dates(due), None, None) if due else _NO_DATE),
                    )
                )

        # Deployments with partners.
        deployments = Batch(
            _table(m.Deployment),
            [
                *("id", "slug", "force_id", "country", "location", "personnel"),
                *("personnel_approximate", *date_columns("as_of"), "operation", "mission"),
                *("recorded_at", "updated_at"),
            ],
        )
        partners = Batch(m.deployment_partners, ["deployment_id", "actor_id", "position"])
        self.deployment_ids: list[int] = []
        for i in range(sizes.deployments):
            force = rng.choice(forces)
            where = rng.randrange(len(COUNTRIES))
            slug = f"{self.prefix}deployment-{i}"
            deployment_id = self._id("deployments", i)
            self.deployment_ids.append(deployment_id)
            as_of = self.dates(self._date_text(self._day()))
            deployments.rows.append(
                (
                    deployment_id,
                    slug,
                    force.id,
                    COUNTRIES[where][0],
                    COUNTRIES[where][3],
                    rng.choice([None, 100 * rng.randint(1, 60)]),
                    rng.random() < 0.5,
                    *_with(as_of, None, None),
                    f"Operation {rng.choice(OPERATION_WORDS)} {rng.choice(OPERATION_NOUNS)}",
                    rng.choice(["advise and assist", "training", "counter-terrorism", None]),
                    RECORDED_AT,
                    RECORDED_AT,
                )
            )
            changes.rows.append(self._change("Deployment", slug))
            others = [f for f in rng.sample(forces, 3) if f is not force][:2]
            for position, partner in enumerate(others[: rng.randint(0, 2)]):
                partners.rows.append((deployment_id, partner.id, position))

        # Events with participants.
        events = Batch(
            _table(m.Event),
            [
                *("id", "slug", "title", "kind", *date_columns("occurred"), "location"),
                *("recorded_at", "updated_at"),
            ],
        )
        participants = Batch(m.event_participants, ["event_id", "actor_id", "position"])
        self.event_ids: list[int] = []
        for i in range(sizes.events):
            kind = rng.choice(EVENT_KINDS)
            place = COUNTRIES[rng.randrange(len(COUNTRIES))]
            slug = f"{self.prefix}event-{i}"
            event_id = self._id("events", i)
            self.event_ids.append(event_id)
            occurred = self.dates(self._date_text(self._day()))
            events.rows.append(
                (
                    event_id,
                    slug,
                    f"{kind.capitalize()} in {place[3]} ({i})",
                    kind,
                    *_with(occurred, None, None),
                    f"{place[3]}, {place[1]}",
                    RECORDED_AT,
                    RECORDED_AT,
                )
            )
            changes.rows.append(self._change("Event", slug))
            chosen = {self._mentioned() for _ in range(rng.randint(1, 3))}
            for position, actor in enumerate(sorted(chosen)):
                participants.rows.append((event_id, self.mentionable[actor].id, position))

        self.changes = changes
        batches = [actors, roles, agreements, terms, parties, deployments, partners, events]
        return [*batches, participants]

    def _date_text(self, day: dt.date) -> str:
        """A date near ``day`` at a precision drawn like the sources give them."""
        shape = self.rng.random()
        if shape < 0.55:
            return day.isoformat()
        if shape < 0.75:
            return day.isoformat()[:7]
        if shape < 0.85:
            return f"{day.year}"
        if shape < 0.93:
            return f"{day.year}~"
        return f"{day.year}-{self.rng.choice(list(SEASONS))}"

    def _speaker(self) -> _Actor:
        position = bisect.bisect(self.speaker_weights, self.rng.random())
        return self.speakers[min(position, len(self.speakers) - 1)]

    def _mentioned(self) -> int:
        position = bisect.bisect(self.mention_weights, self.rng.random())
        return min(position, len(self.mentionable) - 1)

    def _said(self, published: dt.date) -> tuple[str, str | None, str | None]:
        """(edtf, phrase, anchor) of when a statement reported on ``published`` was said."""
        rng = self.rng
        pub = published.isoformat()
        anchor = f"The report's date, {pub}."
        shape = rng.random()
        if shape < 0.50:
            back = rng.choice((0, 0, 0, 1, 1, 2, 3, 5, 7))
            day = published - dt.timedelta(days=back)
            phrase = "on " + day.strftime("%A") if back else "on " + day.strftime("%-d %B")
            return day.isoformat(), phrase, anchor if back else None
        if shape < 0.62:
            day = published - dt.timedelta(days=rng.randint(0, 60))
            return day.isoformat()[:7], "in " + day.strftime("%B"), anchor
        if shape < 0.68:
            year = published.year - rng.choice((0, 0, 1))
            return f"{year}", "this year" if year == published.year else "last year", anchor
        if shape < 0.72:
            return f"{published.year - rng.randint(0, 2)}~", "early that year", None
        if shape < 0.76:
            year = published.year - rng.choice((0, 1))
            season = rng.choice(list(SEASONS))
            return f"{year}-{season}", f"in the {SEASONS[season]}", anchor
        if shape < 0.78:
            return f"{str(published.year)[:3]}X", "in recent years", None
        if shape < 0.86:
            hi = published - dt.timedelta(days=rng.randint(1, 10))
            lo = hi - dt.timedelta(days=rng.choice((1, 2, 6, 30)))
            return f"[{lo}..{hi}]", "the previous day", "A day before the report, not given."
        if shape < 0.94:
            return f"../{pub}", "has said", "Undated: on or before the report."
        start = published - dt.timedelta(days=rng.randint(20, 400))
        return f"{start.isoformat()[:7]}/{pub}", "since " + start.strftime("%B %Y"), anchor

    # -- sources and statements, in chunks ---------------------------------------------------------

    def statement_batches(self, chunk_statements: int = 50_000) -> Iterator[list[Batch]]:
        """Sources with their statements and links, about ``chunk_statements`` at a time."""
        rng, total = self.rng, self.sizes.statements
        statement_columns = [
            "id", "slug", "source_id", "speaker_id", "speaker_role", "mode", "claim", "quote",
            "excerpt_start", "excerpt_end", "channel",
            *date_columns("said"), *date_columns("reported"), "recorded_at", "updated_at",
        ]  # fmt: skip
        source_columns = [
            "id", "slug", "kind", "title", "url", "publisher_id", *date_columns("published"),
            "dateline", "language", "text", "content_sha256", "recorded_at", "updated_at",
        ]  # fmt: skip
        modes = [m.StatementMode.DIRECT_QUOTE.value] * 9 + [m.StatementMode.PARAPHRASE.value] * 8
        modes += [m.StatementMode.BACKGROUND.value] * 3
        source_kinds = [m.SourceKind.NEWS_ARTICLE.value] * 7 + [
            m.SourceKind.PRESS_BRIEFING.value,
            m.SourceKind.OFFICIAL_STATEMENT.value,
            m.SourceKind.INTERVIEW.value,
        ]
        relation_kinds = [k.value for k in m.RelationKind]
        # Newer schemas say which source's extraction declares a relation: the subject's.
        declared_in = (
            ["declared_in_id"] if "declared_in_id" in _table(m.StatementRelation).c else []
        )
        done = 0
        source_index = 0
        relation_index = 0
        while done < total:
            sources = Batch(_table(m.Source), source_columns)
            contributors = Batch(m.source_contributors, ["source_id", "actor_id", "position"])
            statements = Batch(_table(m.Statement), statement_columns)
            relations = Batch(
                _table(m.StatementRelation),
                ["id", "subject_id", "object_id", "kind", "note", *declared_in],
            )
            mentions = Batch(m.statement_mentions, ["statement_id", "actor_id"])
            on_agreements = Batch(m.statement_agreements, ["statement_id", "agreement_id"])
            on_deployments = Batch(m.statement_deployments, ["statement_id", "deployment_id"])
            on_events = Batch(m.statement_events, ["statement_id", "event_id"])
            changes = Batch(_table(m.Change), ["node_type", "node_slug", "kind", "changed_at"])
            chunk_end = min(total, done + chunk_statements)
            while done < chunk_end:
                count = min(rng.randint(5, 45), total - done)
                source_id = self._id("sources", source_index)
                source_slug = f"{self.prefix}source-{source_index}"
                published = self._day()
                publisher = rng.choice(self.publishers)
                agreement = rng.choice(self.agreement_ids) if rng.random() < 0.5 else None
                deployment = rng.choice(self.deployment_ids) if rng.random() < 0.25 else None
                event = rng.choice(self.event_ids) if rng.random() < 0.4 else None
                subject = rng.choice(SUBJECTS)
                country = COUNTRIES[rng.randrange(len(COUNTRIES))]
                put = _TextBuilder()
                title = ""
                reported = self.dates(published.isoformat())
                for k in range(count):
                    index = done + k
                    statement_id = self._id("statements", index)
                    speaker = self._speaker()
                    mode = rng.choice(modes)
                    predicate = rng.choice(PREDICATES).format(
                        year=published.year + rng.randint(0, 2)
                    )
                    topic = subject if rng.random() < 0.6 else rng.choice(SUBJECTS)
                    role = speaker.role_title
                    who = f"{speaker.name}, {role}," if role else f"The {speaker.name}"
                    said, phrase, anchor = self._said(published)
                    claim = f"{speaker.name} says {topic} {predicate}."
                    quote = None
                    if mode == m.StatementMode.DIRECT_QUOTE.value:
                        quote = f"{topic[0].upper()}{topic[1:]} {predicate}"
                        excerpt = f"{who} said {phrase or ''}: “{quote}.”"
                    elif mode == m.StatementMode.PARAPHRASE.value:
                        excerpt = f"{who} said {phrase or ''} that {topic} {predicate}."
                    else:
                        excerpt = f"{topic[0].upper()}{topic[1:]} {predicate}, {country[1]} says."
                    if not title:
                        title = f"{speaker.name}: {topic} {predicate}"
                        put(title + ".")
                        put(f"{country[3].upper()}, {country[1]} —")
                    if rng.random() < 0.4:
                        put(rng.choice(FILLERS))
                    start, end = put(excerpt)
                    statements.rows.append(
                        (
                            statement_id,
                            statement_slug(self.seed, index),
                            source_id,
                            speaker.id,
                            role,
                            mode,
                            claim,
                            quote,
                            start,
                            end,
                            rng.choice(CHANNELS),
                            *_with(self.dates(said), phrase, anchor),
                            *_with(reported, None, None),
                            RECORDED_AT + dt.timedelta(seconds=index),
                            RECORDED_AT + dt.timedelta(seconds=index),
                        )
                    )
                    changes.rows.append(self._change("Statement", statement_slug(self.seed, index)))
                    first = self.spoken.setdefault(speaker.index, [])
                    if len(first) < 2:
                        first.append(statement_id)
                    named = {self._mentioned() for _ in range(rng.choice((0, 0, 1, 1, 2, 3)))}
                    mentions.rows.extend(
                        (statement_id, self.mentionable[a].id) for a in sorted(named)
                    )
                    if agreement is not None and rng.random() < 0.6:
                        on_agreements.rows.append((statement_id, agreement))
                        about = self.about_agreement.setdefault(agreement, [])
                        if len(about) < 2:
                            about.append(statement_id)
                    if deployment is not None and rng.random() < 0.5:
                        on_deployments.rows.append((statement_id, deployment))
                    if event is not None and rng.random() < 0.5:
                        on_events.rows.append((statement_id, event))
                    if index > 0 and rng.random() < 0.2:
                        other = self._id("statements", rng.randrange(max(0, index - 200), index))
                        relations.rows.append(
                            (
                                self._id("statement_relations", relation_index),
                                statement_id,
                                other,
                                rng.choice(relation_kinds),
                                rng.choice([None, "on the same question"]),
                                *([source_id] if declared_in else []),
                            )
                        )
                        relation_index += 1
                source_text = put.text()
                sources.rows.append(
                    (
                        source_id,
                        source_slug,
                        rng.choice(source_kinds),
                        title,
                        f"https://news.example/{publisher.slug}/{source_index}",
                        publisher.id,
                        *_with(reported, None, None),
                        f"{country[3].upper()}, {country[1]}",
                        "en",
                        source_text,
                        hashlib.sha256(source_text.encode()).hexdigest(),
                        RECORDED_AT,
                        RECORDED_AT,
                    )
                )
                changes.rows.append(self._change("Source", source_slug))
                writers = {p.id for p in (rng.choice(self.speakers) for _ in range(2))}
                contributors.rows.extend(
                    (source_id, actor, position) for position, actor in enumerate(sorted(writers))
                )
                source_index += 1
                done += count
            yield [
                sources,
                contributors,
                statements,
                relations,
                mentions,
                on_agreements,
                on_deployments,
                on_events,
                changes,
            ]

    def evidence_batches(self) -> list[Batch]:
        """Role and term evidence (the first statements of each speaker / agreement), and the
        change log of the reference records."""
        role_evidence = Batch(m.role_evidence, ["role_id", "statement_id"])
        for role_id, actor in self.roles:
            role_evidence.rows.extend((role_id, s) for s in self.spoken.get(actor, []))
        term_evidence = Batch(m.term_evidence, ["term_id", "statement_id"])
        for term_id, agreement_id in self.terms:
            term_evidence.rows.extend(
                (term_id, s) for s in self.about_agreement.get(agreement_id, [])
            )
        return [role_evidence, term_evidence, self.changes]


class _TextBuilder:
    """A source text built piece by piece; each call returns the piece's (start, end)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def __call__(self, piece: str) -> tuple[int, int]:
        if self.parts:
            self.parts.append(" ")
            self.length += 1
        self.parts.append(piece)
        start = self.length
        self.length += len(piece)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)


def _zipf_cumulative(n: int, exponent: float) -> list[float]:
    """Cumulative weights (summing to 1) of ranks 1..n under Zipf's law."""
    weights = [1.0 / (rank**exponent) for rank in range(1, n + 1)]
    total = sum(weights)
    cumulative, running = [], 0.0
    for weight in weights:
        running += weight
        cumulative.append(running / total)
    return cumulative


# -- writing ------------------------------------------------------------------------------------

_ID_TABLES = (
    "actors",
    "roles",
    "agreements",
    "agreement_terms",
    "deployments",
    "events",
    "sources",
    "statements",
    "statement_relations",
)


@dataclass
class SyntheticReport:
    statements: int
    seed: int
    engine: str
    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    method: str = ""

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        rate = self.total_rows / self.seconds if self.seconds else 0.0
        tables = ", ".join(f"{name} {n}" for name, n in sorted(self.rows.items()))
        return (
            f"synthetic corpus (seed {self.seed}) on {self.engine} via {self.method}: "
            f"{self.total_rows} rows in {self.seconds:.1f} s = {rate:,.0f} rows/s "
            f"({self.statements / self.seconds if self.seconds else 0:,.0f} statements/s)\n"
            f"{tables}"
        )


async def corpus_present(connection: AsyncConnection, statements: int, seed: int) -> bool:
    """Whether the corpus of ``statements`` with ``seed`` is already loaded (it is written in
    one transaction, so its last statement stands for all of it)."""
    table = _table(m.Statement)
    found = await connection.scalar(
        select(func.count())
        .select_from(table)
        .where(table.c.slug == statement_slug(seed, statements - 1))
    )
    return bool(found)


async def write_synthetic(
    connection: AsyncConnection, statements: int, seed: int, *, copy: bool = True
) -> SyntheticReport:
    """Generate and write the corpus through ``connection``; the caller owns the transaction.
    ``copy``: use COPY on PostgreSQL (else batched executemany, as on SQLite)."""
    dialect = connection.dialect.name
    report = SyntheticReport(statements, seed, dialect)
    prefix = slug_prefix(seed)
    statement_table = _table(m.Statement)
    taken = await connection.scalar(
        select(statement_table.c.slug).where(statement_table.c.slug.like(f"{prefix}%")).limit(1)
    )
    if taken is not None:
        raise SyntheticError(
            f"the database already holds a synthetic corpus with seed {seed} ({taken}); "
            "use another seed or a fresh database"
        )
    base: dict[str, int] = {}
    for name in _ID_TABLES:
        table = _table(m.Base.metadata.tables[name])
        base[name] = int(await connection.scalar(select(func.max(table.c.id))) or 0)
    use_copy = copy and dialect == "postgresql"
    report.method = "COPY" if use_copy else "executemany"
    if dialect == "sqlite":
        await connection.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MiB
    raw: Any = None
    if use_copy:
        raw = (await connection.get_raw_connection()).driver_connection

    async def write(batch: Batch) -> None:
        if not batch.rows:
            return
        report.rows[batch.table.name] += len(batch.rows)
        if use_copy:
            await raw.copy_records_to_table(
                batch.table.name, records=batch.rows, columns=list(batch.columns)
            )
            return
        columns = list(batch.columns)
        for start in range(0, len(batch.rows), 20_000):
            chunk = batch.rows[start : start + 20_000]
            await connection.execute(
                insert(batch.table), [dict(zip(columns, row, strict=True)) for row in chunk]
            )

    started = time.perf_counter()
    generator = Generator(statements, seed, base)
    for batch in generator.reference_batches():
        await write(batch)
    for batches in generator.statement_batches():
        for batch in batches:
            await write(batch)
    for batch in generator.evidence_batches():
        await write(batch)
    if dialect == "postgresql":
        for name in _ID_TABLES:
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            )
    report.seconds = time.perf_counter() - started
    return report


async def load_synthetic(
    engine: AsyncEngine, statements: int, seed: int, *, copy: bool = True, analyze: bool = True
) -> SyntheticReport:
    """Write the corpus in one transaction, then ANALYZE (VACUUM ANALYZE on PostgreSQL)."""
    started = time.perf_counter()
    async with engine.begin() as connection:
        report = await write_synthetic(connection, statements, seed, copy=copy)
    if analyze:
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.exec_driver_sql("VACUUM ANALYZE")
            else:
                await connection.exec_driver_sql("ANALYZE")
                await connection.commit()
    report.seconds = time.perf_counter() - started
    return report
