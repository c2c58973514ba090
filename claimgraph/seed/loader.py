"""Loading extraction files into the database: validate everything, then upsert in one
transaction. Loading the same files twice changes nothing; records keep their slugs, and so
their global IDs, across reloads and engines."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Table, delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from claimgraph.db import models as m
from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.seed.errors import Problem, SeedError
from claimgraph.seed.reader import ParsedFile, extraction_paths, read_files
from claimgraph.seed.schema import DateSpec


@dataclass
class LoadReport:
    """What a load did: records inserted, updated and deleted per table, and for how many
    owners a list of linked rows (roles, terms, mentions, relations, …) was rewritten."""

    inserted: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    relinked: Counter[str] = field(default_factory=Counter)
    statements_by_mode: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.inserted or +self.updated or +self.deleted or +self.relinked)

    def summary(self) -> str:
        modes = ", ".join(f"{k} {v}" for k, v in sorted(self.statements_by_mode.items()))
        lines = [f"seed statements by mode: {modes}"]
        if not self.changed:
            return "\n".join([*lines, "nothing changed: the database already holds this seed"])
        for label, counter in (
            ("inserted", self.inserted),
            ("updated", self.updated),
            ("deleted", self.deleted),
            ("links rewritten", self.relinked),
        ):
            if +counter:
                counts = ", ".join(f"{name} {n}" for name, n in sorted(counter.items()))
                lines.append(f"{label}: {counts}")
        return "\n".join(lines)


async def load_seed(
    engine: AsyncEngine, path: Path | None = None, *, now: dt.datetime | None = None
) -> LoadReport:
    """Validate the extraction files at ``path`` (default: the shipped seed), then write them
    in one transaction. Raises :class:`SeedError` (and writes nothing) on any problem."""
    files = read_files(extraction_paths(path))
    async with engine.begin() as connection:
        return await write_files(connection, files, now=now or dt.datetime.now(dt.UTC))


async def write_files(
    connection: AsyncConnection, files: Sequence[ParsedFile], *, now: dt.datetime
) -> LoadReport:
    """Upsert ``files`` through ``connection``; the caller owns the transaction."""
    writer = _Writer(connection, now)
    await writer.check_references(files)
    for parsed in files:
        await writer.write(parsed)
    for parsed in files:
        await writer.write_references(parsed)
    await writer.log_changes()
    return writer.report


def fuzzy_values(prefix: str, spec: DateSpec | None) -> dict[str, Any]:
    """The eight column values of a fuzzy date (all None for a missing one)."""
    value: FuzzyDate | None = spec.to_fuzzy_date() if spec else None
    names = (
        "edtf",
        "earliest",
        "latest",
        "precision",
        "approximate",
        "uncertain",
        "phrase",
        "anchor",
    )
    return {f"{prefix}_{name}": getattr(value, name) if value else None for name in names}


#: The tables whose rows are nodes of the API, and their node types (for the change log).
NODE_TYPES = {
    "sources": "Source",
    "statements": "Statement",
    "actors": "Actor",
    "agreements": "Agreement",
    "deployments": "Deployment",
    "events": "Event",
}

_REFERENCED_TABLES: dict[str, Table] = {
    "actors": m.Actor.__table__,  # type: ignore[dict-item]  # mapped classes carry a Table
    "agreements": m.Agreement.__table__,  # type: ignore[dict-item]
    "deployments": m.Deployment.__table__,  # type: ignore[dict-item]
    "events": m.Event.__table__,  # type: ignore[dict-item]
    "statements": m.Statement.__table__,  # type: ignore[dict-item]
}


class _Writer:
    def __init__(self, connection: AsyncConnection, now: dt.datetime) -> None:
        self.connection = connection
        self.now = now
        self.report = LoadReport()
        self.ids: dict[str, dict[str, int]] = {name: {} for name in _REFERENCED_TABLES}
        self.source_ids: dict[str, int] = {}
        # What this load did to each node, in the order it happened: (type, slug) -> kind.
        self.changes: dict[tuple[str, str], m.ChangeKind] = {}

    # -- references ---------------------------------------------------------------------

    async def check_references(self, files: Sequence[ParsedFile]) -> None:
        """Every slug a record names must be declared in a file or already in the database."""
        declared: dict[str, set[str]] = {name: set() for name in _REFERENCED_TABLES}
        wanted: list[tuple[str, str, str, str, str]] = []  # file, record, field, table, slug
        for parsed in files:
            ex = parsed.extraction
            declared["actors"].update(a.slug for a in ex.actors)
            declared["agreements"].update(a.slug for a in ex.agreements)
            declared["deployments"].update(d.slug for d in ex.deployments)
            declared["events"].update(e.slug for e in ex.events)
            declared["statements"].update(s.slug for s in ex.statements)
            wanted.extend((parsed.name, *ref) for ref in _references(parsed))
        missing = {(table, slug) for *_, table, slug in wanted if slug not in declared[table]}
        existing = await self._existing_slugs(missing)
        problems = [
            Problem(name, record, f"{field_name} '{slug}' is not a known {table[:-1]} slug")
            for name, record, field_name, table, slug in wanted
            if slug not in declared[table] and (table, slug) not in existing
        ]
        if problems:
            raise SeedError(problems)

    async def _existing_slugs(self, wanted: set[tuple[str, str]]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for table_name, table in _REFERENCED_TABLES.items():
            slugs = [slug for name, slug in wanted if name == table_name]
            if slugs:
                rows = await self.connection.execute(
                    select(table.c.slug).where(table.c.slug.in_(slugs))
                )
                found.update((table_name, slug) for (slug,) in rows)
        return found

    async def _ids(self, table_name: str, slugs: Iterable[str]) -> dict[str, int]:
        known = self.ids[table_name]
        unknown = [slug for slug in set(slugs) if slug not in known]
        if unknown:
            table = _REFERENCED_TABLES[table_name]
            rows = await self.connection.execute(
                select(table.c.slug, table.c.id).where(table.c.slug.in_(unknown))
            )
            known.update((slug, id_) for slug, id_ in rows)
        return known

    # -- writing ------------------------------------------------------------------------

    async def write(self, parsed: ParsedFile) -> None:
        ex = parsed.extraction
        actor_rows = [
            {
                "slug": a.slug,
                "name": a.name,
                "aliases": list(a.aliases),
                "search_names": "\n".join([a.name, *a.aliases]),
                "kind": a.kind,
                "description": a.description,
                "country": a.country,
            }
            for a in ex.actors
        ]
        self.ids["actors"].update(await self._upsert(m.Actor.__table__, actor_rows))  # type: ignore[arg-type]
        actor = await self._ids("actors", _actor_slugs(parsed))

        source = ex.source
        source_row = {
            "slug": source.slug,
            "kind": source.kind,
            "title": source.title,
            "url": source.url,
            "publisher_id": actor[source.publisher] if source.publisher else None,
            **fuzzy_values("published", source.published),
            "dateline": source.dateline,
            "language": source.language,
            "text": parsed.text,
            "content_sha256": source.content_sha256,
        }
        source_ids = await self._upsert(m.Source.__table__, [source_row])  # type: ignore[arg-type]
        source_id = self.source_ids[source.slug] = source_ids[source.slug]
        await self._sync_links(
            m.source_contributors,
            "source_id",
            {
                source_id: [
                    {"actor_id": actor[s], "position": i} for i, s in enumerate(source.contributors)
                ]
            },
            owner=m.Source.__table__,  # type: ignore[arg-type]
        )

        agreement_rows = [
            {
                "slug": a.slug,
                "title": a.title,
                "summary": a.summary,
                "status": a.status,
                **fuzzy_values("reported", a.reported_on),
            }
            for a in ex.agreements
        ]
        self.ids["agreements"].update(await self._upsert(m.Agreement.__table__, agreement_rows))  # type: ignore[arg-type]
        deployment_rows = [
            {
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
            for d in ex.deployments
        ]
        self.ids["deployments"].update(await self._upsert(m.Deployment.__table__, deployment_rows))  # type: ignore[arg-type]
        event_rows = [
            {
                "slug": e.slug,
                "title": e.title,
                "kind": e.kind,
                **fuzzy_values("occurred", e.occurred_on),
                "location": e.location,
            }
            for e in ex.events
        ]
        self.ids["events"].update(await self._upsert(m.Event.__table__, event_rows))  # type: ignore[arg-type]
        agreement = await self._ids("agreements", _slugs(ex, "agreements"))
        deployment = await self._ids("deployments", _slugs(ex, "deployments"))
        event = await self._ids("events", _slugs(ex, "events"))

        statement_rows = []
        for s in ex.statements:
            located = parsed.excerpts[s.slug]
            self.report.statements_by_mode[s.mode.value] += 1
            statement_rows.append(
                {
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
                    **fuzzy_values("reported", s.reported_on or source.published),
                }
            )
        statement_table: Table = m.Statement.__table__  # type: ignore[assignment]
        statement = await self._upsert(statement_table, statement_rows)
        self.ids["statements"].update(statement)
        await self._delete_dropped_statements(source_id, set(statement.values()))

        owner = statement_table
        for link, column, ids, attribute in (
            (m.statement_mentions, "actor_id", actor, "mentions"),
            (m.statement_agreements, "agreement_id", agreement, "agreements"),
            (m.statement_deployments, "deployment_id", deployment, "deployments"),
            (m.statement_events, "event_id", event, "events"),
        ):
            await self._sync_links(
                link,
                "statement_id",
                {
                    statement[s.slug]: [{column: ids[slug]} for slug in getattr(s, attribute)]
                    for s in ex.statements
                },
                owner=owner,
            )
        # The ordered actor lists of agreements, deployments and events.
        actor_lists: tuple[tuple[Table, str, type[m.Base], Sequence[Any], dict[str, int], str], ...]
        actor_lists = (
            (m.agreement_parties, "agreement_id", m.Agreement, ex.agreements, agreement, "parties"),
            (m.deployment_partners, "deployment_id", m.Deployment, ex.deployments, deployment,
             "partners"),
            (m.event_participants, "event_id", m.Event, ex.events, event, "participants"),
        )  # fmt: skip
        for link, parent, model, records, ids, members in actor_lists:
            await self._sync_links(
                link,
                parent,
                {
                    ids[r.slug]: [
                        {"actor_id": actor[slug], "position": i}
                        for i, slug in enumerate(getattr(r, members))
                    ]
                    for r in records
                },
                owner=model.__table__,  # type: ignore[arg-type]
            )

    async def write_references(self, parsed: ParsedFile) -> None:
        """What a file says about statements by slug (relations, evidence of roles and terms),
        written once every file's statements exist, so a file may name another's."""
        ex = parsed.extraction
        actor = self.ids["actors"]
        agreement = self.ids["agreements"]
        statement = await self._ids(
            "statements",
            {slug for _, _, table, slug in _references(parsed) if table == "statements"},
        )
        await self._sync_relations(
            self.source_ids[ex.source.slug],
            {(statement[r.subject], statement[r.object], r.kind, r.note) for r in ex.relations},
        )
        await self._sync_with_evidence(
            m.Role.__table__,  # type: ignore[arg-type]
            "actor_id",
            m.role_evidence,
            "role_id",
            {
                actor[a.slug]: [
                    (
                        {
                            "position": i,
                            "title": r.title,
                            "organization_id": actor[r.organization] if r.organization else None,
                            **fuzzy_values("period", r.period),
                        },
                        sorted(statement[slug] for slug in r.evidence),
                    )
                    for i, r in enumerate(a.roles)
                ]
                for a in ex.actors
            },
            owner=m.Actor.__table__,  # type: ignore[arg-type]
        )
        await self._sync_with_evidence(
            m.AgreementTerm.__table__,  # type: ignore[arg-type]
            "agreement_id",
            m.term_evidence,
            "term_id",
            {
                agreement[a.slug]: [
                    (
                        {"position": i, "description": t.description, **fuzzy_values("due", t.due)},
                        sorted(statement[slug] for slug in t.evidence),
                    )
                    for i, t in enumerate(a.terms)
                ]
                for a in ex.agreements
            },
            owner=m.Agreement.__table__,  # type: ignore[arg-type]
        )

    def _changed(self, table: Table, slugs: Iterable[str], kind: m.ChangeKind) -> None:
        """Note a change to nodes; a node created or deleted by this load stays so."""
        for slug in slugs:
            key = (NODE_TYPES[table.name], slug)
            if kind is not m.ChangeKind.UPDATED or key not in self.changes:
                self.changes[key] = kind

    async def log_changes(self) -> None:
        """Append this load's changes to the change log, in the same transaction."""
        if self.changes:
            if self.connection.dialect.name == "postgresql":
                # Change ids must commit in id order, or a partner following the feed could
                # pass an id that another load commits later. Loads take turns from here to
                # their commit (SQLite lets one writer in at a time anyway).
                await self.connection.execute(
                    text("LOCK TABLE changes IN SHARE ROW EXCLUSIVE MODE")
                )
            await self.connection.execute(
                insert(m.Change),
                [
                    {"node_type": t, "node_slug": slug, "kind": kind, "changed_at": self.now}
                    for (t, slug), kind in self.changes.items()
                ],
            )

    async def _upsert(self, table: Table, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
        """Insert new rows and update changed ones, by slug; return slug -> id."""
        if not rows:
            return {}
        slugs = [row["slug"] for row in rows]
        result = await self.connection.execute(select(table).where(table.c.slug.in_(slugs)))
        existing = {row["slug"]: row for row in result.mappings()}
        ids: dict[str, int] = {}
        for row in rows:
            current = existing.get(row["slug"])
            if current is None:
                inserted = await self.connection.execute(
                    insert(table)
                    .values(**row, recorded_at=self.now, updated_at=self.now)
                    .returning(table.c.id)
                )
                ids[row["slug"]] = inserted.scalar_one()
                self.report.inserted[table.name] += 1
                self._changed(table, [row["slug"]], m.ChangeKind.CREATED)
            else:
                ids[row["slug"]] = current["id"]
                if any(current[key] != value for key, value in row.items()):
                    await self.connection.execute(
                        update(table)
                        .where(table.c.id == current["id"])
                        .values(**row, updated_at=self.now)
                    )
                    self.report.updated[table.name] += 1
                    self._changed(table, [row["slug"]], m.ChangeKind.UPDATED)
        return ids

    async def _touch(self, owner: Table, ids: set[int]) -> None:
        """Mark owners whose child rows changed as updated (once per load)."""
        if ids:
            touched = await self.connection.execute(
                update(owner)
                .where(owner.c.id.in_(ids))
                .values(updated_at=self.now)
                .returning(owner.c.slug)
            )
            self._changed(owner, touched.scalars(), m.ChangeKind.UPDATED)

    async def _sync_links(
        self,
        table: Table,
        parent: str,
        desired: Mapping[int, list[dict[str, Any]]],
        *,
        owner: Table,
    ) -> None:
        """Make each parent's rows in ``table`` exactly ``desired[parent]``; rows of parents
        that did not change are left alone."""
        if not desired:
            return
        columns = [c for c in table.c if c.name not in ("id", parent)]
        result = await self.connection.execute(
            select(table.c[parent], *columns).where(table.c[parent].in_(list(desired)))
        )
        current: dict[int, set[tuple[Any, ...]]] = {key: set() for key in desired}
        for row in result:
            current[row[0]].add(tuple(row[1:]))
        changed: set[int] = set()
        for key, rows in desired.items():
            wanted = {tuple(row[c.name] for c in columns) for row in rows}
            if wanted == current[key]:
                continue
            changed.add(key)
            await self.connection.execute(delete(table).where(table.c[parent] == key))
            if rows:
                await self.connection.execute(insert(table), [{parent: key, **row} for row in rows])
        self._count(table, changed)
        await self._touch(owner, changed)

    async def _sync_relations(
        self, source_id: int, wanted: set[tuple[int, int, m.RelationKind, str | None]]
    ) -> None:
        """Make the relations a source's file declares exactly ``wanted``; the statements at
        either end of a relation that came or went are marked updated."""
        table: Table = m.StatementRelation.__table__  # type: ignore[assignment]
        columns = (table.c.subject_id, table.c.object_id, table.c.kind, table.c.note)
        rows = await self.connection.execute(
            select(*columns).where(table.c.declared_in_id == source_id)
        )
        have = {tuple(row) for row in rows}
        if have == wanted:
            return
        await self.connection.execute(delete(table).where(table.c.declared_in_id == source_id))
        if wanted:
            await self.connection.execute(
                insert(table),
                [
                    {
                        "declared_in_id": source_id,
                        "subject_id": s,
                        "object_id": o,
                        "kind": k,
                        "note": n,
                    }
                    for s, o, k, n in sorted(wanted, key=lambda r: (r[0], r[1], r[2].value))
                ],
            )
        self.report.relinked[table.name] += 1
        ends = {end for relation in have ^ wanted for end in relation[:2]}
        await self._touch(m.Statement.__table__, ends)  # type: ignore[arg-type]

    async def _sync_with_evidence(
        self,
        table: Table,
        parent: str,
        evidence: Table,
        evidence_key: str,
        desired: Mapping[int, list[tuple[dict[str, Any], list[int]]]],
        *,
        owner: Table,
    ) -> None:
        """Like :meth:`_sync_links` for child rows (roles, terms) that carry evidence links."""
        if not desired:
            return
        columns = [c for c in table.c if c.name not in ("id", parent)]
        rows = await self.connection.execute(
            select(table.c.id, table.c[parent], *columns).where(table.c[parent].in_(list(desired)))
        )
        current: dict[int, dict[int, tuple[Any, ...]]] = {key: {} for key in desired}
        for row in rows:
            current[row[1]][row[0]] = tuple(row[2:])
        child_ids = [child for children in current.values() for child in children]
        proof: dict[int, list[int]] = {child: [] for child in child_ids}
        if child_ids:
            links = await self.connection.execute(
                select(evidence.c[evidence_key], evidence.c.statement_id).where(
                    evidence.c[evidence_key].in_(child_ids)
                )
            )
            for child, statement in links:
                proof[child].append(statement)
        changed: set[int] = set()
        for key, children in desired.items():
            wanted = sorted((tuple(row[c.name] for c in columns), ids) for row, ids in children)
            have = sorted((values, sorted(proof[child])) for child, values in current[key].items())
            if wanted == have:
                continue
            changed.add(key)
            await self.connection.execute(
                delete(evidence).where(evidence.c[evidence_key].in_(list(current[key])))
            )
            await self.connection.execute(delete(table).where(table.c[parent] == key))
            for values, statement_ids in children:
                new_id = (
                    await self.connection.execute(
                        insert(table).values({parent: key, **values}).returning(table.c.id)
                    )
                ).scalar_one()
                if statement_ids:
                    await self.connection.execute(
                        insert(evidence),
                        [{evidence_key: new_id, "statement_id": s} for s in statement_ids],
                    )
        self._count(table, changed)
        await self._touch(owner, changed)

    async def _delete_dropped_statements(self, source_id: int, kept: set[int]) -> None:
        """A statement the source's extraction no longer lists is deleted with its links.
        The records that lose a link to it (the other end of a relation, an actor whose role
        it evidenced, an agreement, deployment or event it was about) are marked updated."""
        table = _table(m.Statement)
        doomed = list(
            (
                await self.connection.execute(
                    select(table.c.id).where(
                        table.c.source_id == source_id, table.c.id.not_in(kept)
                    )
                )
            ).scalars()
        )
        if not doomed:
            return
        for owner, query in _neighbours(doomed):
            found = set((await self.connection.execute(query)).scalars()) - set(doomed)
            await self._touch(_table(owner), found)
        result = await self.connection.execute(
            delete(table).where(table.c.id.in_(doomed)).returning(table.c.slug)
        )
        dropped = list(result.scalars())
        self.report.deleted[table.name] += len(dropped)
        self._changed(table, dropped, m.ChangeKind.DELETED)

    def _count(self, table: Table, changed: set[int]) -> None:
        if changed:
            self.report.relinked[table.name] += len(changed)


def _table(model: type[m.Base]) -> Table:
    table: Table = model.__table__  # type: ignore[assignment]  # mapped classes carry a Table
    return table


def _neighbours(statements: list[int]) -> list[tuple[type[m.Base], Select[Any]]]:
    """For statements about to go: which records link to them, as (model, ids query)."""
    relation, role, term = _table(m.StatementRelation), _table(m.Role), _table(m.AgreementTerm)
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


def _slugs(extraction: Any, attribute: str) -> set[str]:
    """Every slug that the file's statements name under ``attribute``."""
    return {slug for s in extraction.statements for slug in getattr(s, attribute)}


def _actor_slugs(parsed: ParsedFile) -> set[str]:
    return {slug for _, _, table, slug in _references(parsed) if table == "actors"}


def _references(parsed: ParsedFile) -> list[tuple[str, str, str, str]]:
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
