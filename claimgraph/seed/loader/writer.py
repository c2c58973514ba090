"""Writing validated extraction files: each file's records and their links, then what the
files say about statements by slug, then the change log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.db import models as m
from claimgraph.db.models.base import table_of
from claimgraph.seed.loader.references import (
    REFERENCED_TABLES,
    check_references,
    referenced,
    statement_links,
)
from claimgraph.seed.loader.report import LoadReport
from claimgraph.seed.loader.rows import (
    actor_row,
    agreement_row,
    deployment_row,
    event_row,
    role_row,
    source_row,
    statement_row,
    term_row,
)
from claimgraph.seed.loader.sync import Sync
from claimgraph.seed.reader import ParsedFile
from claimgraph.seed.schema import ExtractionFile


async def write_files(
    connection: AsyncConnection, files: Sequence[ParsedFile], *, now: dt.datetime
) -> LoadReport:
    """Upsert ``files`` through ``connection``; the caller owns the transaction."""
    await check_references(connection, files)
    writer = Writer(connection, now)
    for parsed in files:
        await writer.write(parsed)
    for parsed in files:
        await writer.write_references(parsed)
    await writer.log_changes()
    return writer.report


class Writer(Sync):
    """Writes a file's records (:meth:`write`), then, once every file's are written, what it
    says about statements by slug (:meth:`write_references`), so a file may name another's."""

    def __init__(self, connection: AsyncConnection, now: dt.datetime) -> None:
        super().__init__(connection, now)
        self.ids: dict[str, dict[str, int]] = {name: {} for name in REFERENCED_TABLES}
        self.source_ids: dict[str, int] = {}

    async def write(self, parsed: ParsedFile) -> None:
        """A file's actors, source, agreements, deployments, events and statements, with the
        links among them."""
        ex = parsed.extraction
        self.editor = f"seed:{parsed.name}"
        await self._upsert_records("actors", m.Actor, [actor_row(a) for a in ex.actors])
        actor = await self._ids("actors", referenced(parsed, "actors"))
        source_id = await self._write_source(parsed, actor)
        agreements = [agreement_row(a) for a in ex.agreements]
        await self._upsert_records("agreements", m.Agreement, agreements)
        deployments = [deployment_row(d, actor) for d in ex.deployments]
        await self._upsert_records("deployments", m.Deployment, deployments)
        await self._upsert_records("events", m.Event, [event_row(e) for e in ex.events])
        statement = await self._write_statements(parsed, source_id, actor)
        await self._link_statements(ex, statement, actor)
        await self._link_actor_lists(ex, actor)

    async def write_references(self, parsed: ParsedFile) -> None:
        """A file's relations between statements, and the statements that evidence its
        actors' roles and its agreements' terms."""
        ex = parsed.extraction
        self.editor = f"seed:{parsed.name}"
        actor, agreement = self.ids["actors"], self.ids["agreements"]
        statement = await self._ids("statements", referenced(parsed, "statements"))
        await self.sync_relations(
            self.source_ids[ex.source.slug],
            {(statement[r.subject], statement[r.object], r.kind, r.note) for r in ex.relations},
        )
        roles = {
            actor[a.slug]: [
                (role_row(i, r, actor), sorted(statement[slug] for slug in r.evidence))
                for i, r in enumerate(a.roles)
            ]
            for a in ex.actors
        }
        await self.sync_with_evidence(
            table_of(m.Role), "actor_id", m.role_evidence, "role_id", roles, owner=table_of(m.Actor)
        )
        terms = {
            agreement[a.slug]: [
                (term_row(i, t), sorted(statement[slug] for slug in t.evidence))
                for i, t in enumerate(a.terms)
            ]
            for a in ex.agreements
        }
        await self.sync_with_evidence(
            table_of(m.AgreementTerm),
            "agreement_id",
            m.term_evidence,
            "term_id",
            terms,
            owner=table_of(m.Agreement),
        )

    async def _upsert_records(
        self, name: str, model: type[m.Base], rows: Sequence[dict[str, Any]]
    ) -> None:
        self.ids[name].update(await self.upsert(table_of(model), rows))

    async def _ids(self, table_name: str, slugs: Iterable[str]) -> dict[str, int]:
        """Slug -> id of every record of ``table_name`` known so far, looking up ``slugs``
        that this load has not met yet."""
        known = self.ids[table_name]
        unknown = [slug for slug in set(slugs) if slug not in known]
        if unknown:
            table = REFERENCED_TABLES[table_name]
            rows = await self.connection.execute(
                select(table.c.slug, table.c.id).where(table.c.slug.in_(unknown))
            )
            known.update((slug, id_) for slug, id_ in rows)
        return known

    async def _write_source(self, parsed: ParsedFile, actor: dict[str, int]) -> int:
        """The file's source and its contributors; returns its id."""
        source = parsed.extraction.source
        row = source_row(source, parsed.text, actor)
        ids = await self.upsert(table_of(m.Source), [row])
        source_id = self.source_ids[source.slug] = ids[source.slug]
        contributors = [
            {"actor_id": actor[s], "position": i} for i, s in enumerate(source.contributors)
        ]
        await self.sync_links(
            m.source_contributors,
            "source_id",
            {source_id: contributors},
            owner=table_of(m.Source),
        )
        return source_id

    async def _write_statements(
        self, parsed: ParsedFile, source_id: int, actor: dict[str, int]
    ) -> dict[str, int]:
        """The source's statements, less the ones its file no longer lists; returns slug ->
        id of the statements written."""
        statements = parsed.extraction.statements
        for s in statements:
            self.report.statements_by_mode[s.mode.value] += 1
        published = parsed.extraction.source.published
        rows = [
            statement_row(s, parsed.excerpts[s.slug], published, source_id, actor)
            for s in statements
        ]
        statement = await self.upsert(table_of(m.Statement), rows)
        self.ids["statements"].update(statement)
        await self.delete_dropped_statements(source_id, set(statement.values()))
        return statement

    async def _link_statements(
        self, ex: ExtractionFile, statement: dict[str, int], actor: dict[str, int]
    ) -> None:
        """Whom each statement mentions, and the agreements, deployments and events it is
        about."""
        agreement = await self._ids("agreements", statement_links(ex, "agreements"))
        deployment = await self._ids("deployments", statement_links(ex, "deployments"))
        event = await self._ids("events", statement_links(ex, "events"))
        for link, column, ids, attribute in (
            (m.statement_mentions, "actor_id", actor, "mentions"),
            (m.statement_agreements, "agreement_id", agreement, "agreements"),
            (m.statement_deployments, "deployment_id", deployment, "deployments"),
            (m.statement_events, "event_id", event, "events"),
        ):
            await self.sync_links(
                link,
                "statement_id",
                {
                    statement[s.slug]: [{column: ids[slug]} for slug in getattr(s, attribute)]
                    for s in ex.statements
                },
                owner=table_of(m.Statement),
            )

    async def _link_actor_lists(self, ex: ExtractionFile, actor: dict[str, int]) -> None:
        """The ordered actor lists of agreements (parties), deployments (partners) and events
        (participants)."""
        actor_lists: tuple[tuple[Table, str, type[m.Base], Sequence[Any], str], ...] = (
            (m.agreement_parties, "agreement_id", m.Agreement, ex.agreements, "parties"),
            (m.deployment_partners, "deployment_id", m.Deployment, ex.deployments, "partners"),
            (m.event_participants, "event_id", m.Event, ex.events, "participants"),
        )
        for link, parent, model, records, members in actor_lists:
            ids = self.ids[table_of(model).name]
            await self.sync_links(
                link,
                parent,
                {
                    ids[r.slug]: [
                        {"actor_id": actor[slug], "position": i}
                        for i, slug in enumerate(getattr(r, members))
                    ]
                    for r in records
                },
                owner=table_of(model),
            )
