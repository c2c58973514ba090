"""Statements as schema.org ``Claim`` documents in JSON-LD.

Served at ``GET /statements/{id}.jsonld`` (``application/ld+json``) and as the ``jsonLd``
field of ``Statement``; both build the document here from the same rows.

The context is inline, ``{"@vocab": "https://schema.org/"}``: every key is a schema.org term
and a consumer needs no network to expand it. The mapping (docs/partners.md has the table):

- ``text``: the claim in one neutral sentence (the curator's); the speaker's verbatim words, if
  the source quotes them, are a ``Quotation`` in ``hasPart``;
- ``author``: the speaker (``Person``, ``GovernmentOrganization``, ``NewsMediaOrganization``
  or ``Organization``), with the role this source gives it as ``jobTitle``;
- ``dateCreated``: when it was said; ``datePublished``: when the source reported it;
- ``appearance``: the source (``NewsArticle`` or ``CreativeWork``: url, headline, publisher,
  datePublished), with the excerpt as a part; ``firstAppearance``: the same source, when the
  claim was made to it (background, or a channel that names the publisher);
- ``mentions``: the other actors the claim names.

Dates: a date as exact as ISO 8601 allows (``2024-09-08``, ``2024-08``, ``2024``, with no
``~``/``?``) is given as that string, a valid schema.org ``Date``. Anything vaguer (``2020~``,
``[2024-07-31..2024-08-30]``, ``../2024-09-08``) keeps its EDTF string as a typed literal
(``@type`` the Library of Congress EDTF datatype), so no precision is invented; for the date
it was said, ``temporalCoverage`` then gives the days it may have been said as an ISO 8601
interval (``2024-07-31/2024-08-30``, ``..`` for an open end).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from claimgraph.api.graphql.loaders import Loaders
from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from claimgraph.db.fuzzy_dates import DatePrecision, FuzzyDate

JSON_LD = "application/ld+json"
CONTEXT = {"@vocab": "https://schema.org/"}
#: The datatype of an EDTF literal (Library of Congress).
EDTF_DATATYPE = "http://id.loc.gov/datatypes/edtf/EDTF"

_ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_PLAIN_PRECISIONS = (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR)

_AGENT_TYPES = {
    m.ActorKind.PERSON: "Person",
    m.ActorKind.GOVERNMENT: "GovernmentOrganization",
    m.ActorKind.GOVERNMENT_BODY: "GovernmentOrganization",
    m.ActorKind.NEWS_ORGANIZATION: "NewsMediaOrganization",
}
_WORK_TYPES = {m.SourceKind.NEWS_ARTICLE: "NewsArticle"}


def statement_url(global_id: str, base_url: str) -> str:
    """The URL of a statement's JSON-LD document: its ``@id``."""
    return f"{base_url}/statements/{global_id}.jsonld"


def is_plain_date(value: FuzzyDate) -> bool:
    """Whether the date is a plain ISO 8601 calendar date (day, month or year), with no
    EDTF qualifier: then it is a valid schema.org ``Date`` as it stands."""
    return (
        bool(_ISO_DATE.match(value.edtf))
        and value.precision in _PLAIN_PRECISIONS
        and not value.approximate
        and not value.uncertain
    )


def date_value(value: FuzzyDate) -> str | dict[str, str]:
    """A fuzzy date as a JSON-LD value: the ISO string where it is one, else its EDTF string
    typed as EDTF."""
    if is_plain_date(value):
        return value.edtf
    return {"@value": value.edtf, "@type": EDTF_DATATYPE}


def day_interval(value: FuzzyDate) -> str:
    """The days a date can denote as an ISO 8601 interval; ``..`` stands for an open end."""
    start = ".." if value.earliest == dt.date.min else value.earliest.isoformat()
    end = ".." if value.latest == dt.date.max else value.latest.isoformat()
    return f"{start}/{end}"


def _agent(actor: m.Actor, *, node_id: str | None = None) -> dict[str, Any]:
    agent: dict[str, Any] = {"@type": _AGENT_TYPES.get(actor.kind, "Organization")}
    if node_id:
        agent["@id"] = node_id
    agent["identifier"] = to_global_id("Actor", actor.slug)
    agent["name"] = actor.name
    if actor.aliases:
        agent["alternateName"] = list(actor.aliases)
    return agent


def _first_appearance(statement: m.Statement, source: m.Source, publisher: m.Actor | None) -> bool:
    """Whether the claim was first made in this source: the publisher's own account, or
    something said to the publisher ("interview with Rudaw")."""
    if statement.mode is m.StatementMode.BACKGROUND:
        return True
    if publisher is None or not statement.channel:
        return False
    channel = statement.channel.casefold()
    return any(name.casefold() in channel for name in [publisher.name, *publisher.aliases])


def claim_document(
    *,
    statement: m.Statement,
    speaker: m.Actor,
    source: m.Source,
    publisher: m.Actor | None,
    mentions: Sequence[m.Actor],
    base_url: str,
) -> dict[str, Any]:
    """The statement as a schema.org ``Claim``, with its context (see the module docstring)."""
    global_id = to_global_id("Statement", statement.slug)
    appearance_id = source.url or "_:appearance"
    author = _agent(speaker, node_id="_:author")
    if statement.speaker_role and speaker.kind is m.ActorKind.PERSON:
        author["jobTitle"] = statement.speaker_role
    appearance: dict[str, Any] = {
        "@type": _WORK_TYPES.get(source.kind, "CreativeWork"),
        "@id": appearance_id,
        "identifier": to_global_id("Source", source.slug),
        "headline": source.title,
        "datePublished": date_value(source.published),
        "inLanguage": source.language,
    }
    if source.url:
        appearance["url"] = source.url
    if publisher is not None:
        appearance["publisher"] = _agent(publisher)
    if source.dateline and appearance["@type"] == "NewsArticle":
        appearance["dateline"] = source.dateline
    appearance["hasPart"] = {
        "@type": "CreativeWork",
        "text": source.text[statement.excerpt_start : statement.excerpt_end],
    }
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Claim",
        "@id": statement_url(global_id, base_url),
        "identifier": global_id,
        "text": statement.claim,
        "author": author,
        "dateCreated": date_value(statement.said),
    }
    if not is_plain_date(statement.said):
        document["temporalCoverage"] = day_interval(statement.said)
    document["datePublished"] = date_value(statement.reported)
    document["appearance"] = appearance
    if _first_appearance(statement, source, publisher):
        document["firstAppearance"] = {"@id": appearance_id}
    if statement.quote:
        document["hasPart"] = {
            "@type": "Quotation",
            "text": statement.quote,
            "author": {"@id": "_:author"},
        }
    if mentions:
        document["mentions"] = [_agent(actor) for actor in mentions]
    return document


async def statement_document(
    loaders: Loaders, statement: m.Statement, *, base_url: str
) -> dict[str, Any]:
    """:func:`claim_document` for a statement row, its other rows read through ``loaders``
    (batched: a page of statements costs the same few statements as one)."""
    speaker, source, mentions = await asyncio.gather(
        loaders.rows("Actor").load(statement.speaker_id),
        loaders.rows("Source").load(statement.source_id),
        loaders.linked("mentions_of_statement").load(statement.id),
    )
    publisher = None
    if source.publisher_id is not None:
        publisher = await loaders.rows("Actor").load(source.publisher_id)
    return claim_document(
        statement=statement,
        speaker=speaker,
        source=source,
        publisher=publisher,
        mentions=mentions,
        base_url=base_url,
    )
