"""What the extractor takes and gives: known actors in, a draft of proposals out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.db.models.enums import ActorKind, StatementMode


@dataclass(frozen=True)
class KnownActor:
    """An actor the database (or a given extraction file) already has."""

    slug: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # role titles, as earlier sources gave them

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class ProposedActor:
    """An actor the article introduces that no known actor matches."""

    slug: str
    name: str
    kind: ActorKind
    role: str | None
    organization: str | None  # slug of the role's organisation, known or proposed
    rule: str
    confidence: float


@dataclass(frozen=True)
class Proposal:
    """One draft statement. ``start``/``end`` are code-point offsets of the excerpt (end
    exclusive), so ``text[start:end] == excerpt``; the quote lies inside the excerpt."""

    slug: str
    speaker: str
    speaker_role: str | None
    mode: StatementMode
    claim: str
    quote: str | None
    excerpt: str
    start: int
    end: int
    channel: str | None
    said_on: FuzzyDate
    rule: str
    confidence: float
    dates: tuple[FuzzyDate, ...] = ()  # other dates the excerpt mentions, resolved


@dataclass(frozen=True)
class Draft:
    """Everything proposed for one article."""

    text: str
    published: dt.date
    publisher: str
    title: str
    actors: tuple[ProposedActor, ...]
    proposals: tuple[Proposal, ...]
