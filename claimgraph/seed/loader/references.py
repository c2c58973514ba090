"""The slugs a file names: which they are, whether each one is known, and (for statements
about to be deleted) which records link to them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.db import models as m
from claimgraph.db.models.base import table_of
from claimgraph.seed.errors import Problem, SeedError
from claimgraph.seed.reader import ParsedFile
from claimgraph.seed.schema import ExtractionFile

#: The tables whose records a file may name by slug.
REFERENCED_TABLES: dict[str, Table] = {
    "actors": table_of(m.Actor),
    "agreements": table_of(m.Agreement),
    "deployments": table_of(m.Deployment),
    "events": table_of(m.Event),
    "statements": table_of(m.Statement),
}


async def check_references(connection: AsyncConnection, files: Sequence[ParsedFile]) -> None:
    """Every slug a record names must be declared in a file or already in the database."""
    declared: dict[str, set[str]] = {name: set() for name in REFERENCED_TABLES}
    wanted: list[tuple[str, str, str, str, str]] = []  # file, record, field, table, slug
    for parsed in files:
        ex = parsed.extraction
        declared["actors"].update(a.slug for a in ex.actors)
        declared["agreements"].update(a.slug for a in ex.agreements)
        declared["deployments"].update(d.slug for d in ex.deployments)
        declared["events"].update(e.slug for e in ex.events)
        declared["statements"].update(s.slug for s in ex.statements)
        wanted.extend((parsed.name, *ref) for ref in references(parsed))
    missing = {(table, slug) for *_, table, slug in wanted if slug not in declared[table]}
    existing = await _existing_slugs(connection, missing)
    problems = [
        Problem(name, record, f"{field_name} '{slug}' is not a known {table[:-1]} slug")
        for name, record, field_name, table, slug in wanted
        if slug not in declared[table] and (table, slug) not in existing
    ]
    if problems:
        raise SeedError(problems)


async def _existing_slugs(
    connection: AsyncConnection, wanted: set[tuple[str, str]]
) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for table_name, table in REFERENCED_TABLES.items():
        slugs = [slug for name, slug in wanted if name == table_name]
        if slugs:
            rows = await connection.execute(select(table.c.slug).where(table.c.slug.in_(slugs)))
            found.update((table_name, slug) for (slug,) in rows)
    return found


def references(parsed: ParsedFile) -> list[tuple[str, str, str, str]]:
    """(record, field, table, slug) for every slug a file names."""
    ex = parsed.extraction
    refs: list[tuple[str, str, str, str]] = []

    def add(record: str, field_name: str, table: str, slugs: Iterable[str | None]) -> None:
        refs.extend((record, field_name, table, slug) for slug in slugs if slug)

    source = f"source '{ex.source.slug}'"
    add(source, "publisher", "actors", [ex.source.publisher])
    add(source, "contributors", "actors", ex.source.contributors)
    for i, a in enumerate(ex.actors):
        for j, role in enumerate(a.roles):
            record = f"actors[{i}] '{a.slug}'"
            add(record, f"roles[{j}].organization", "actors", [role.organization])
            add(record, f"roles[{j}].evidence", "statements", role.evidence)
    for i, ag in enumerate(ex.agreements):
        record = f"agreements[{i}] '{ag.slug}'"
        add(record, "parties", "actors", ag.parties)
        for j, term in enumerate(ag.terms):
            add(record, f"terms[{j}].evidence", "statements", term.evidence)
    for i, d in enumerate(ex.deployments):
        record = f"deployments[{i}] '{d.slug}'"
        add(record, "force", "actors", [d.force])
        add(record, "partners", "actors", d.partners)
    for i, e in enumerate(ex.events):
        add(f"events[{i}] '{e.slug}'", "participants", "actors", e.participants)
    for i, s in enumerate(ex.statements):
        record = f"statements[{i}] '{s.slug}'"
        add(record, "speaker", "actors", [s.speaker])
        add(record, "mentions", "actors", s.mentions)
        add(record, "agreements", "agreements", s.agreements)
        add(record, "deployments", "deployments", s.deployments)
        add(record, "events", "events", s.events)
    for i, r in enumerate(ex.relations):
        record = f"relations[{i}]"
        add(record, "subject", "statements", [r.subject])
        add(record, "object", "statements", [r.object])
    return refs


def referenced(parsed: ParsedFile, table: str) -> set[str]:
    """Every slug of ``table`` that the file names."""
    return {slug for _, _, name, slug in references(parsed) if name == table}


def statement_links(extraction: ExtractionFile, attribute: str) -> set[str]:
    """Every slug that the file's statements name under ``attribute``."""
    return {slug for s in extraction.statements for slug in getattr(s, attribute)}


def neighbours(statements: list[int]) -> list[tuple[type[m.Base], Select[Any]]]:
    """For statements about to go: which records link to them, as (model, ids query)."""
    relation, role, term = (
        table_of(m.StatementRelation),
        table_of(m.Role),
        table_of(m.AgreementTerm),
    )
    mentioned = [
        (m.Agreement, m.statement_agreements, "agreement_id"),
        (m.Deployment, m.statement_deployments, "deployment_id"),
        (m.Event, m.statement_events, "event_id"),
    ]
    return [
        (m.Statement, select(relation.c.object_id).where(relation.c.subject_id.in_(statements))),
        (m.Statement, select(relation.c.subject_id).where(relation.c.object_id.in_(statements))),
        (
            m.Actor,
            select(role.c.actor_id)
            .join(m.role_evidence)
            .where(m.role_evidence.c.statement_id.in_(statements)),
        ),
        (
            m.Agreement,
            select(term.c.agreement_id)
            .join(m.term_evidence)
            .where(m.term_evidence.c.statement_id.in_(statements)),
        ),
        *(
            (model, select(link.c[column]).where(link.c.statement_id.in_(statements)))
            for model, link, column in mentioned
        ),
    ]
