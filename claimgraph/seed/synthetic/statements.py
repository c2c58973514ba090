"""Sources and their statements for the synthetic corpus, in chunks.

A source's text is built from its statements' excerpts, so every excerpt is a slice of it and
every quote lies inside its excerpt. Statements mention actors, are about the source's
agreement, deployment or event, and relate to recent statements.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from claimgraph.db import models as m
from claimgraph.seed.synthetic.corpus import RECORDED_AT, Batch, Draw, log_created, statement_slug
from claimgraph.seed.synthetic.dates import DateColumns, date_values
from claimgraph.seed.synthetic.reference import Actor, Cast
from claimgraph.seed.synthetic.vocabulary import (
    CHANNELS,
    COUNTRIES,
    FILLERS,
    PREDICATES,
    SEASONS,
    SUBJECTS,
)

_DIRECT_QUOTE = m.StatementMode.DIRECT_QUOTE.value
_PARAPHRASE = m.StatementMode.PARAPHRASE.value
_MODES = [_DIRECT_QUOTE] * 9 + [_PARAPHRASE] * 8 + [m.StatementMode.BACKGROUND.value] * 3
_SOURCE_KINDS = [m.SourceKind.NEWS_ARTICLE.value] * 7 + [
    m.SourceKind.PRESS_BRIEFING.value,
    m.SourceKind.OFFICIAL_STATEMENT.value,
    m.SourceKind.INTERVIEW.value,
]
_RELATION_KINDS = [k.value for k in m.RelationKind]


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


class _Chunk:
    """The batches of one chunk of sources, in the order they are written."""

    def __init__(self) -> None:
        self.sources = Batch(m.Source)
        self.contributors = Batch(m.source_contributors)
        self.statements = Batch(m.Statement)
        self.relations = Batch(m.StatementRelation)
        self.mentions = Batch(m.statement_mentions)
        self.on_agreements = Batch(m.statement_agreements)
        self.on_deployments = Batch(m.statement_deployments)
        self.on_events = Batch(m.statement_events)
        self.changes = Batch(m.Change)

    def batches(self) -> list[Batch]:
        return [
            self.sources,
            self.contributors,
            self.statements,
            self.relations,
            self.mentions,
            self.on_agreements,
            self.on_deployments,
            self.on_events,
            self.changes,
        ]


@dataclass
class _Source:
    """What a source's statements share, drawn once per source."""

    id: int
    published: dt.date
    reported: DateColumns
    agreement: int | None
    deployment: int | None
    event: int | None
    subject: str
    country: tuple[str, str, str, str]
    text: _TextBuilder = field(default_factory=_TextBuilder)
    title: str = ""


class Statements:
    """Draws the sources and statements, after the reference records of ``cast``."""

    def __init__(self, draw: Draw, total: int, cast: Cast) -> None:
        self.draw = draw
        self.rng = draw.rng
        self.total = total
        self.cast = cast
        # The first statements of each speaker (by actor index) and about each agreement
        # (by id): the evidence of roles and terms.
        self.spoken: dict[int, list[int]] = {}
        self.about_agreement: dict[int, list[int]] = {}
        self.relation_count = 0

    def batches(self, chunk_statements: int) -> Iterator[list[Batch]]:
        """Sources with their statements and links, about ``chunk_statements`` at a time."""
        done = 0
        source_index = 0
        while done < self.total:
            chunk = _Chunk()
            chunk_end = min(self.total, done + chunk_statements)
            while done < chunk_end:
                count = min(self.rng.randint(5, 45), self.total - done)
                self._source(chunk, source_index, range(done, done + count))
                source_index += 1
                done += count
            yield chunk.batches()

    def _source(self, chunk: _Chunk, index: int, statements: range) -> None:
        """The ``index``-th source, which reports the statements numbered ``statements``."""
        rng, cast = self.rng, self.cast
        published = self.draw.day()
        publisher = rng.choice(cast.publishers)
        source = _Source(
            id=self.draw.id("sources", index),
            published=published,
            agreement=rng.choice(cast.agreement_ids) if rng.random() < 0.5 else None,
            deployment=rng.choice(cast.deployment_ids) if rng.random() < 0.25 else None,
            event=rng.choice(cast.event_ids) if rng.random() < 0.4 else None,
            subject=rng.choice(SUBJECTS),
            country=COUNTRIES[rng.randrange(len(COUNTRIES))],
            reported=self.draw.dates(published.isoformat()),
        )
        for statement in statements:
            self._statement(chunk, source, statement)
        slug = f"{self.draw.prefix}source-{index}"
        text = source.text.text()
        chunk.sources.add(
            id=source.id,
            slug=slug,
            kind=rng.choice(_SOURCE_KINDS),
            title=source.title,
            url=f"https://news.example/{publisher.slug}/{index}",
            publisher_id=publisher.id,
            **date_values("published", source.reported),
            dateline=_dateline(source.country),
            language="en",
            text=text,
            content_sha256=hashlib.sha256(text.encode()).hexdigest(),
            recorded_at=RECORDED_AT,
            updated_at=RECORDED_AT,
        )
        log_created(chunk.changes, "Source", slug)
        writers = {p.id for p in (rng.choice(cast.speakers) for _ in range(2))}
        for position, actor in enumerate(sorted(writers)):
            chunk.contributors.add(source_id=source.id, actor_id=actor, position=position)

    def _statement(self, chunk: _Chunk, source: _Source, index: int) -> None:
        """The ``index``-th statement, its excerpt appended to the source's text."""
        rng = self.rng
        statement_id = self.draw.id("statements", index)
        speaker = self.cast.speaker(rng)
        mode = rng.choice(_MODES)
        predicate = rng.choice(PREDICATES).format(year=source.published.year + rng.randint(0, 2))
        topic = source.subject if rng.random() < 0.6 else rng.choice(SUBJECTS)
        said, phrase, anchor = self._said(source.published)
        quote, excerpt = _excerpt(speaker, mode, f"{topic} {predicate}", phrase, source.country)
        if not source.title:
            source.title = f"{speaker.name}: {topic} {predicate}"
            source.text(source.title + ".")
            source.text(f"{_dateline(source.country)} —")
        if rng.random() < 0.4:
            source.text(rng.choice(FILLERS))
        start, end = source.text(excerpt)
        slug = statement_slug(self.draw.seed, index)
        chunk.statements.add(
            id=statement_id,
            slug=slug,
            source_id=source.id,
            speaker_id=speaker.id,
            speaker_role=speaker.role_title,
            mode=mode,
            claim=f"{speaker.name} says {topic} {predicate}.",
            quote=quote,
            excerpt_start=start,
            excerpt_end=end,
            channel=rng.choice(CHANNELS),
            **date_values("said", self.draw.dates(said), phrase, anchor),
            **date_values("reported", source.reported),
            recorded_at=RECORDED_AT + dt.timedelta(seconds=index),
            updated_at=RECORDED_AT + dt.timedelta(seconds=index),
        )
        log_created(chunk.changes, "Statement", slug)
        first = self.spoken.setdefault(speaker.index, [])
        if len(first) < 2:
            first.append(statement_id)
        self._links(chunk, source, index, statement_id)

    def _links(self, chunk: _Chunk, source: _Source, index: int, statement_id: int) -> None:
        """Whom a statement mentions, what it is about, and how it bears on a recent one."""
        rng, cast = self.rng, self.cast
        named = {cast.mentioned(rng) for _ in range(rng.choice((0, 0, 1, 1, 2, 3)))}
        for actor in sorted(named):
            chunk.mentions.add(statement_id=statement_id, actor_id=cast.mentionable[actor].id)
        if source.agreement is not None and rng.random() < 0.6:
            chunk.on_agreements.add(statement_id=statement_id, agreement_id=source.agreement)
            about = self.about_agreement.setdefault(source.agreement, [])
            if len(about) < 2:
                about.append(statement_id)
        if source.deployment is not None and rng.random() < 0.5:
            chunk.on_deployments.add(statement_id=statement_id, deployment_id=source.deployment)
        if source.event is not None and rng.random() < 0.5:
            chunk.on_events.add(statement_id=statement_id, event_id=source.event)
        if index > 0 and rng.random() < 0.2:
            other = self.draw.id("statements", rng.randrange(max(0, index - 200), index))
            chunk.relations.add(
                id=self.draw.id("statement_relations", self.relation_count),
                subject_id=statement_id,
                object_id=other,
                kind=rng.choice(_RELATION_KINDS),
                note=rng.choice([None, "on the same question"]),
                declared_in_id=source.id,  # the subject's source declares the relation
            )
            self.relation_count += 1

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


def _excerpt(
    speaker: Actor, mode: str, claim: str, phrase: str | None, country: tuple[str, ...]
) -> tuple[str | None, str]:
    """The quote (of a direct quote) and the excerpt that reports ``claim`` in ``mode``."""
    role = speaker.role_title
    who = f"{speaker.name}, {role}," if role else f"The {speaker.name}"
    capitalised = f"{claim[0].upper()}{claim[1:]}"
    if mode == _DIRECT_QUOTE:
        return capitalised, f"{who} said {phrase or ''}: “{capitalised}.”"
    if mode == _PARAPHRASE:
        return None, f"{who} said {phrase or ''} that {claim}."
    return None, f"{capitalised}, {country[1]} says."


def _dateline(country: tuple[str, ...]) -> str:
    return f"{country[3].upper()}, {country[1]}"
