"""What a file's records are stored as, per kind of record: column -> value, with the records
they name by slug turned into ids (``actor``: actor slug -> id)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.seed.reader import Located
from claimgraph.seed.schema import (
    ActorSpec,
    AgreementSpec,
    DateSpec,
    DeploymentSpec,
    EventSpec,
    RoleSpec,
    SourceSpec,
    StatementSpec,
    TermSpec,
)

_DATE_FIELDS = ("edtf", "earliest", "latest", "precision", "approximate", "uncertain")


def fuzzy_values(prefix: str, spec: DateSpec | None) -> dict[str, Any]:
    """The eight column values of a fuzzy date (all None for a missing one)."""
    value: FuzzyDate | None = spec.to_fuzzy_date() if spec else None
    names = (*_DATE_FIELDS, "phrase", "anchor")
    return {f"{prefix}_{name}": getattr(value, name) if value else None for name in names}


def actor_row(a: ActorSpec) -> dict[str, Any]:
    return {
        "slug": a.slug,
        "name": a.name,
        "aliases": list(a.aliases),
        "search_names": "\n".join([a.name, *a.aliases]),
        "kind": a.kind,
        "description": a.description,
        "country": a.country,
    }


def source_row(source: SourceSpec, text: str, actor: Mapping[str, int]) -> dict[str, Any]:
    """A source with its verbatim ``text``."""
    return {
        "slug": source.slug,
        "kind": source.kind,
        "title": source.title,
        "url": source.url,
        "publisher_id": actor[source.publisher] if source.publisher else None,
        **fuzzy_values("published", source.published),
        "dateline": source.dateline,
        "language": source.language,
        "text": text,
        "content_sha256": source.content_sha256,
    }


def agreement_row(a: AgreementSpec) -> dict[str, Any]:
    return {
        "slug": a.slug,
        "title": a.title,
        "summary": a.summary,
        "status": a.status,
        **fuzzy_values("reported", a.reported_on),
    }


def deployment_row(d: DeploymentSpec, actor: Mapping[str, int]) -> dict[str, Any]:
    return {
        "slug": d.slug,
        "force_id": actor[d.force],
        "country": d.country,
        "location": d.location,
        "personnel": d.personnel,
        "personnel_approximate": d.personnel_approximate,
        **fuzzy_values("as_of", d.as_of),
        "operation": d.operation,
        "mission": d.mission,
    }


def event_row(e: EventSpec) -> dict[str, Any]:
    return {
        "slug": e.slug,
        "title": e.title,
        "kind": e.kind,
        **fuzzy_values("occurred", e.occurred_on),
        "location": e.location,
    }


def statement_row(
    s: StatementSpec,
    located: Located,
    published: DateSpec,
    source_id: int,
    actor: Mapping[str, int],
) -> dict[str, Any]:
    """A statement, its excerpt located in the source text; reported when its source was
    ``published`` unless it says otherwise."""
    return {
        "slug": s.slug,
        "source_id": source_id,
        "speaker_id": actor[s.speaker],
        "speaker_role": s.speaker_role,
        "mode": s.mode,
        "claim": s.claim,
        "quote": s.quote,
        "excerpt_start": located.start,
        "excerpt_end": located.end,
        "channel": s.channel,
        **fuzzy_values("said", s.said_on),
        **fuzzy_values("reported", s.reported_on or published),
    }


def role_row(position: int, r: RoleSpec, actor: Mapping[str, int]) -> dict[str, Any]:
    return {
        "position": position,
        "title": r.title,
        "organization_id": actor[r.organization] if r.organization else None,
        **fuzzy_values("period", r.period),
    }


def term_row(position: int, t: TermSpec) -> dict[str, Any]:
    return {"position": position, "description": t.description, **fuzzy_values("due", t.due)}
