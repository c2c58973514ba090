"""Source: a document that reports claims, kept verbatim."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from claimgraph.api.graphql.declare import (
    column,
    embedded,
    history,
    linked,
    one,
    recorded_at,
    revision,
    statement_page,
    updated_at,
)
from claimgraph.api.graphql.rows import represents
from claimgraph.api.graphql.types.connection import Connection
from claimgraph.api.graphql.types.enums import SourceKind
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.lazy import Actor, Statement
from claimgraph.api.graphql.types.node import Node
from claimgraph.api.graphql.types.revision import Revision
from claimgraph.db import models as m


@represents(m.Source)
@strawberry.type(
    description="A document that reports claims: a news article, a briefing transcript, an "
    "official statement. Its full text is kept verbatim; every excerpt points into it."
)
class Source(Node):
    kind: SourceKind = column("kind", description="What kind of document it is.")
    title: str = column("title", description="The document's title or headline.")
    url: str | None = column("url", description="Where the publisher published it.")
    published_on: FuzzyDate = embedded("published", description="When it was published.")
    dateline: str | None = column(
        "dateline",
        description='Where it was filed from, as its dateline says ("ERBIL, Kurdistan Region").',
    )
    language: str = column("language", description="Its language, as a BCP 47 tag (`en`).")
    text: str = column(
        "text", description="The full text, verbatim; excerpt offsets count code points into it."
    )
    content_sha256: str = column(
        "content_sha256",
        description="SHA-256 of the text's UTF-8 bytes (hex), to check a copy against.",
    )
    character_count: int = column(
        "character_count",
        description="How long the text is, in Unicode code points: every excerpt's `end` is "
        "at most this.",
    )
    recorded_at: dt.datetime = recorded_at("source")
    updated_at: dt.datetime = updated_at("source")
    revision: int = revision("source")
    history: Connection[Revision] = history("source")
    publisher: Actor | None = one("Actor", "publisher_id", description="Who published it.")
    contributors: list[Actor] = linked(
        "contributors_of_source", description="Who wrote or contributed to it, in credit order."
    )
    statements: Connection[Statement] = statement_page(
        "source",
        description="The statements this source reports, in the order they stand in its text.",
    )
    row: strawberry.Private[Any]
