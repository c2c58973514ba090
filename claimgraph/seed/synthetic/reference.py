"""The reference records of the synthetic corpus: actors (governments, forces, bodies,
publishers, armed groups, people), roles, agreements with parties and terms, deployments with
partners, and events with participants; and the cast that statements draw on."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
from dataclasses import dataclass, field

from claimgraph.db import models as m
from claimgraph.seed.synthetic.corpus import (
    LAST_DAY,
    RECORDED_AT,
    Batch,
    Draw,
    Sizes,
    log_created,
)
from claimgraph.seed.synthetic.dates import date_values
from claimgraph.seed.synthetic.vocabulary import (
    BODIES,
    COUNTRIES,
    EVENT_KINDS,
    FIRST_NAMES,
    LAST_NAMES,
    OPERATION_NOUNS,
    OPERATION_WORDS,
    SEASONS,
    SUBJECTS,
    TITLES,
)


@dataclass
class Actor:
    index: int
    id: int
    slug: str
    name: str
    kind: m.ActorKind
    country: int  # index into COUNTRIES
    role_title: str | None = None


@dataclass
class Cast:
    """What statements draw on: who speaks and who is mentioned (both Zipf-skewed), who
    publishes, what they may be about, and the roles and terms they may evidence."""

    publishers: list[Actor]
    speakers: list[Actor]
    mentionable: list[Actor]
    roles: list[tuple[int, int]]  # (role id, actor index)
    terms: list[tuple[int, int]] = field(default_factory=list)  # (term id, agreement id)
    agreement_ids: list[int] = field(default_factory=list)
    deployment_ids: list[int] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.speaker_weights = _zipf_cumulative(len(self.speakers), 1.07)
        self.mention_weights = _zipf_cumulative(len(self.mentionable), 1.0)

    def speaker(self, rng: random.Random) -> Actor:
        position = bisect.bisect(self.speaker_weights, rng.random())
        return self.speakers[min(position, len(self.speakers) - 1)]

    def mentioned(self, rng: random.Random) -> int:
        """The index into ``mentionable`` of an actor a record names."""
        position = bisect.bisect(self.mention_weights, rng.random())
        return min(position, len(self.mentionable) - 1)


class References:
    """Draws the reference records, in a fixed order, from ``draw``."""

    def __init__(self, draw: Draw, sizes: Sizes) -> None:
        self.draw = draw
        self.rng = draw.rng
        self.sizes = sizes
        self.actors = Batch(m.Actor)
        #: The reference records' change-log rows (written after the statements).
        self.changes = Batch(m.Change)

    def batches(self) -> tuple[list[Batch], Cast]:
        """The batches in the order they are written, and the cast for the statements."""
        governments, forces, bodies = self._states()
        self._actor("Global Coalition against ISIS", m.ActorKind.COALITION, 1, ["the coalition"])
        publishers = [self._publisher(i) for i in range(self.sizes.publishers)]
        groups = [
            self._actor(
                f"Armed group {i}", m.ActorKind.ARMED_GROUP, self.rng.randrange(len(COUNTRIES)), []
            )
            for i in range(max(3, self.sizes.actors // 200))
        ]
        people = [self._person() for _ in range(self.sizes.actors)]
        roles, role_ids = self._roles(people, bodies)
        speakers = people + governments + bodies + groups
        self.rng.shuffle(speakers)
        cast = Cast(publishers, speakers, people + governments + forces + bodies, role_ids)
        agreements = self._agreements(governments, cast)
        deployments = self._deployments(forces, cast)
        events = self._events(cast)
        return [self.actors, roles, *agreements, *deployments, *events], cast

    # -- actors ------------------------------------------------------------------------------

    def _actor(self, name: str, kind: m.ActorKind, country: int, aliases: list[str]) -> Actor:
        index = len(self.actors.rows)
        actor = Actor(index, self.draw.id("actors", index), "", name, kind, country)
        actor.slug = f"{self.draw.prefix}actor-{index}"
        code, country_name = COUNTRIES[country][:2]
        self.actors.add(
            id=actor.id,
            slug=actor.slug,
            name=name,
            aliases=json.dumps(aliases, ensure_ascii=False),
            kind=kind.value,
            description=f"{kind.value.replace('_', ' ').lower()} ({country_name})",
            country=code,
            recorded_at=RECORDED_AT,
            updated_at=RECORDED_AT,
            search_names="\n".join([name, *aliases]),
        )
        log_created(self.changes, "Actor", actor.slug)
        return actor

    def _states(self) -> tuple[list[Actor], list[Actor], list[Actor]]:
        """Each country's government, armed forces and government bodies."""
        governments: list[Actor] = []
        forces: list[Actor] = []
        bodies: list[Actor] = []
        for c, (code, country, demonym, _city) in enumerate(COUNTRIES):
            governments.append(
                self._actor(f"Government of {country}", m.ActorKind.GOVERNMENT, c, [])
            )
            forces.append(
                self._actor(f"{demonym} Armed Forces", m.ActorKind.MILITARY_FORCE, c, [code])
            )
            bodies.extend(
                self._actor(f"{body} of {country}", m.ActorKind.GOVERNMENT_BODY, c, [])
                for body in BODIES
            )
        return governments, forces, bodies

    def _publisher(self, i: int) -> Actor:
        country = i % len(COUNTRIES)
        paper = self.rng.choice(["Herald", "Post", "Times"])
        name = f"The {COUNTRIES[country][3]} {paper} {i}"
        return self._actor(name, m.ActorKind.NEWS_ORGANIZATION, country, [])

    def _person(self) -> Actor:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        country = self.rng.randrange(len(COUNTRIES))
        return self._actor(f"{first} {last}", m.ActorKind.PERSON, country, [last])

    def _roles(
        self, people: list[Actor], bodies: list[Actor]
    ) -> tuple[Batch, list[tuple[int, int]]]:
        """One to three roles per person, at a body of their country; the first one's title is
        the person's role when they speak."""
        rng = self.rng
        roles = Batch(m.Role)
        ids: list[tuple[int, int]] = []  # (role id, actor index)
        for person in people:
            for position in range(rng.choice((1, 1, 1, 2, 2, 3))):
                title = rng.choice(TITLES)
                if position == 0:
                    person.role_title = title
                organization = bodies[person.country * len(BODIES) + rng.randrange(len(BODIES))]
                role_id = self.draw.id("roles", len(ids))
                ids.append((role_id, person.index))
                start = self.draw.day()
                period = rng.choice(
                    [
                        None,
                        f"{start.year}",
                        f"{start.isoformat()[:7]}/{min(start + dt.timedelta(900), LAST_DAY)}",
                        f"{start.year}~",
                    ]
                )
                roles.add(
                    id=role_id,
                    actor_id=person.id,
                    position=position,
                    title=title,
                    organization_id=organization.id,
                    **date_values("period", self.draw.dates(period) if period else None),
                )
        return roles, ids

    # -- agreements, deployments, events --------------------------------------------------------

    def _agreements(self, governments: list[Actor], cast: Cast) -> list[Batch]:
        """Agreements between two governments, each with one to four terms."""
        rng = self.rng
        agreements, parties = Batch(m.Agreement), Batch(m.agreement_parties)
        terms = Batch(m.AgreementTerm)
        statuses = list(m.AgreementStatus)
        for i in range(self.sizes.agreements):
            a, b = rng.sample(range(len(COUNTRIES)), 2)
            subject = rng.choice(SUBJECTS)
            slug = f"{self.draw.prefix}agreement-{i}"
            agreement_id = self.draw.id("agreements", i)
            cast.agreement_ids.append(agreement_id)
            day = self.draw.day()
            reported = self.draw.dates(rng.choice([day.isoformat(), day.isoformat()[:7]]))
            agreements.add(
                id=agreement_id,
                slug=slug,
                title=f"{COUNTRIES[a][1]}–{COUNTRIES[b][1]} agreement on {subject[4:]} ({i})",
                summary=f"What {COUNTRIES[a][1]} and {COUNTRIES[b][1]} agreed on {subject}.",
                status=rng.choice(statuses).value,
                **date_values("reported", reported),
                recorded_at=RECORDED_AT,
                updated_at=RECORDED_AT,
            )
            log_created(self.changes, "Agreement", slug)
            for position, party in enumerate((governments[a], governments[b])):
                parties.add(agreement_id=agreement_id, actor_id=party.id, position=position)
            self._terms(terms, cast, agreement_id, subject, day.year)
        return [agreements, terms, parties]

    def _terms(self, terms: Batch, cast: Cast, agreement_id: int, subject: str, year: int) -> None:
        rng = self.rng
        for position in range(rng.randint(1, 4)):
            due_year = min(year + rng.randint(0, 3), 2026)
            due = rng.choice([f"{due_year}", f"{due_year}-12", f"{due_year}~", None])
            term_id = self.draw.id("agreement_terms", len(terms.rows))
            cast.terms.append((term_id, agreement_id))
            terms.add(
                id=term_id,
                agreement_id=agreement_id,
                position=position,
                description=f"{subject.capitalize()}, step {position + 1}",
                **date_values("due", self.draw.dates(due) if due else None),
            )

    def _deployments(self, forces: list[Actor], cast: Cast) -> list[Batch]:
        """Forces deployed in a country, with up to two partner forces."""
        rng = self.rng
        deployments, partners = Batch(m.Deployment), Batch(m.deployment_partners)
        for i in range(self.sizes.deployments):
            force = rng.choice(forces)
            where = COUNTRIES[rng.randrange(len(COUNTRIES))]
            slug = f"{self.draw.prefix}deployment-{i}"
            deployment_id = self.draw.id("deployments", i)
            cast.deployment_ids.append(deployment_id)
            as_of = self.draw.dates(self._date_text(self.draw.day()))
            deployments.add(
                id=deployment_id,
                slug=slug,
                force_id=force.id,
                country=where[0],
                location=where[3],
                personnel=rng.choice([None, 100 * rng.randint(1, 60)]),
                personnel_approximate=rng.random() < 0.5,
                **date_values("as_of", as_of),
                operation=f"Operation {rng.choice(OPERATION_WORDS)} {rng.choice(OPERATION_NOUNS)}",
                mission=rng.choice(["advise and assist", "training", "counter-terrorism", None]),
                recorded_at=RECORDED_AT,
                updated_at=RECORDED_AT,
            )
            log_created(self.changes, "Deployment", slug)
            others = [f for f in rng.sample(forces, 3) if f is not force][:2]
            for position, partner in enumerate(others[: rng.randint(0, 2)]):
                partners.add(deployment_id=deployment_id, actor_id=partner.id, position=position)
        return [deployments, partners]

    def _events(self, cast: Cast) -> list[Batch]:
        """Events somewhere, with one to three participants."""
        rng = self.rng
        events, participants = Batch(m.Event), Batch(m.event_participants)
        for i in range(self.sizes.events):
            kind = rng.choice(EVENT_KINDS)
            place = COUNTRIES[rng.randrange(len(COUNTRIES))]
            slug = f"{self.draw.prefix}event-{i}"
            event_id = self.draw.id("events", i)
            cast.event_ids.append(event_id)
            occurred = self.draw.dates(self._date_text(self.draw.day()))
            events.add(
                id=event_id,
                slug=slug,
                title=f"{kind.capitalize()} in {place[3]} ({i})",
                kind=kind,
                **date_values("occurred", occurred),
                location=f"{place[3]}, {place[1]}",
                recorded_at=RECORDED_AT,
                updated_at=RECORDED_AT,
            )
            log_created(self.changes, "Event", slug)
            chosen = {cast.mentioned(rng) for _ in range(rng.randint(1, 3))}
            for position, actor in enumerate(sorted(chosen)):
                participants.add(
                    event_id=event_id, actor_id=cast.mentionable[actor].id, position=position
                )
        return [events, participants]

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


def _zipf_cumulative(n: int, exponent: float) -> list[float]:
    """Cumulative weights (summing to 1) of ranks 1..n under Zipf's law."""
    weights = [1.0 / (rank**exponent) for rank in range(1, n + 1)]
    total = sum(weights)
    cumulative, running = [], 0.0
    for weight in weights:
        running += weight
        cumulative.append(running / total)
    return cumulative
