"""One way to run the extractor in tests: a text, a publication day, a few known actors."""

from __future__ import annotations

import datetime as dt

from claimgraph.db.models.enums import ActorKind, StatementMode
from claimgraph.extract import extract
from claimgraph.extract.model import Draft, KnownActor, Proposal

PUBLISHED = dt.date(2024, 3, 14)  # a Thursday
KNOWN = (
    KnownActor("meridian-wire", "Meridian Wire", ActorKind.NEWS_ORGANIZATION),
    KnownActor(
        "ministry-of-ports",
        "Ministry of Ports of Veloria",
        ActorKind.GOVERNMENT_BODY,
        ("Ministry of Ports", "ports ministry"),
    ),
    KnownActor("hana-rusk", "Hana Rusk", ActorKind.PERSON, ("Rusk",), ("Foreign Minister",)),
)


def draft(text: str, published: dt.date = PUBLISHED) -> Draft:
    return extract(text, published=published, publisher="Meridian Wire", known_actors=KNOWN)


def statements(text: str, published: dt.date = PUBLISHED) -> list[Proposal]:
    """The proposals that are someone's words (not the publisher's background)."""
    return [p for p in draft(text, published).proposals if p.mode is not StatementMode.BACKGROUND]
