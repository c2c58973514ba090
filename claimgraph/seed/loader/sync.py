"""The database side of a load: rows upserted by slug, lists of linked rows rewritten only
when they differ, owners marked updated when their links change, and each node's revision
(editor ``seed:<file>``) and change-log entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.db import models as m
from claimgraph.db.models.base import table_of
from claimgraph.db.queries.revisions import (
    NODE_TYPES,
    Revised,
    bump_revisions,
    field_changes,
    jsonable,
    log_changes,
    record_revisions,
)
from claimgraph.seed.loader.references import neighbours
from claimgraph.seed.loader.report import LoadReport


class Sync:
    """Writes through ``connection`` at ``now``; counts what it did in ``report`` and notes
    each node's change for the change log."""

    def __init__(self, connection: AsyncConnection, now: dt.datetime) -> None:
        self.connection = connection
        self.now = now
        self.report = LoadReport()
        # What this load did to each node, in the order it happened: (type, slug) -> kind.
        self.changes: dict[tuple[str, str], m.ChangeKind] = {}
        #: Who the revisions are by: ``seed:<file>`` of the file being written.
        self.editor = "seed"
        # Each node's revision by this load, (table, id) -> changes; and the rows it created.
        self.revised: dict[tuple[str, int], Revised] = {}
        self.created: set[tuple[str, int]] = set()

    async def upsert(self, table: Table, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
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
                self.created.add((table.name, ids[row["slug"]]))
                self._revise(table.name, ids[row["slug"]], field_changes({}, row))
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
                    self._revise(table.name, current["id"], field_changes(dict(current), row))
                    self.report.updated[table.name] += 1
                    self._changed(table, [row["slug"]], m.ChangeKind.UPDATED)
        return ids

    async def sync_links(
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
        changed: dict[int, tuple[Any, Any]] = {}
        for key, rows in desired.items():
            wanted = {tuple(row[c.name] for c in columns) for row in rows}
            if wanted == current[key]:
                continue
            changed[key] = (sorted(current[key]), sorted(wanted))
            await self.connection.execute(delete(table).where(table.c[parent] == key))
            if rows:
                await self.connection.execute(insert(table), [{parent: key, **row} for row in rows])
        self._count(table, set(changed))
        await self.touch(owner, set(changed), field=table.name, values=changed)

    async def sync_relations(
        self, source_id: int, wanted: set[tuple[int, int, m.RelationKind, str | None]]
    ) -> None:
        """Make the relations a source's file declares exactly ``wanted``; the statements at
        either end of a relation that came or went are marked updated."""
        table = table_of(m.StatementRelation)
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
        await self.touch(table_of(m.Statement), ends, field=table.name)

    async def sync_with_evidence(
        self,
        table: Table,
        parent: str,
        evidence: Table,
        evidence_key: str,
        desired: Mapping[int, list[tuple[dict[str, Any], list[int]]]],
        *,
        owner: Table,
    ) -> None:
        """Like :meth:`sync_links` for child rows (roles, terms) that carry evidence links."""
        if not desired:
            return
        columns = [c for c in table.c if c.name not in ("id", parent)]
        current, proof = await self._children_with_evidence(
            table, parent, columns, evidence, evidence_key, list(desired)
        )
        changed: dict[int, tuple[Any, Any]] = {}
        for key, children in desired.items():
            wanted = sorted((tuple(row[c.name] for c in columns), ids) for row, ids in children)
            have = sorted((values, sorted(proof[child])) for child, values in current[key].items())
            if wanted == have:
                continue
            changed[key] = (have, wanted)
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
        self._count(table, set(changed))
        await self.touch(owner, set(changed), field=table.name, values=changed)

    async def _children_with_evidence(
        self,
        table: Table,
        parent: str,
        columns: list[Column[Any]],
        evidence: Table,
        evidence_key: str,
        parents: list[int],
    ) -> tuple[dict[int, dict[int, tuple[Any, ...]]], dict[int, list[int]]]:
        """The child rows of ``parents`` as they are (parent -> child id -> values of
        ``columns``) and the statements that evidence each child (child id -> ids)."""
        rows = await self.connection.execute(
            select(table.c.id, table.c[parent], *columns).where(table.c[parent].in_(parents))
        )
        current: dict[int, dict[int, tuple[Any, ...]]] = {key: {} for key in parents}
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
        return current, proof

    async def delete_dropped_statements(self, source_id: int, kept: set[int]) -> None:
        """A statement the source's extraction no longer lists is deleted with its links.
        The records that lose a link to it (the other end of a relation, an actor whose role
        it evidenced, an agreement, deployment or event it was about) are marked updated."""
        table = table_of(m.Statement)
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
        for owner, query in neighbours(doomed):
            found = set((await self.connection.execute(query)).scalars()) - set(doomed)
            await self.touch(table_of(owner), found, field="links to deleted statements")
        result = await self.connection.execute(
            delete(table).where(table.c.id.in_(doomed)).returning(table.c.slug)
        )
        dropped = list(result.scalars())
        self.report.deleted[table.name] += len(dropped)
        self._changed(table, dropped, m.ChangeKind.DELETED)

    async def touch(
        self,
        owner: Table,
        ids: set[int],
        *,
        field: str,
        values: Mapping[int, tuple[Any, Any]] | None = None,
    ) -> None:
        """Mark owners whose linked rows (``field``: the link table) changed as updated,
        with the rows before and after where ``values`` gives them."""
        if ids:
            touched = await self.connection.execute(
                update(owner)
                .where(owner.c.id.in_(ids))
                .values(updated_at=self.now)
                .returning(owner.c.id, owner.c.slug)
            )
            slugs = []
            for id_, slug in touched:
                before, after = (values or {}).get(id_, (None, None))
                change = {"field": field, "before": jsonable(before), "after": jsonable(after)}
                self._revise(owner.name, id_, [change])
                slugs.append(slug)
            self._changed(owner, slugs, m.ChangeKind.UPDATED)

    async def log_changes(self) -> None:
        """Record this load's revisions (a created row is revision 1, a changed one the next)
        and append its changes to the change log, in the same transaction."""
        for table_name, node_type in NODE_TYPES.items():
            mine = {id_: r for (t, id_), r in self.revised.items() if t == table_name}
            changed = [id_ for id_ in mine if (table_name, id_) not in self.created]
            table = table_of(m.Base.metadata.tables[table_name])
            numbers = await bump_revisions(self.connection, table, changed)
            numbers.update({id_: 1 for id_ in mine if id_ not in numbers})
            await record_revisions(
                self.connection,
                node_type,
                {(id_, numbers[id_]): revised for id_, revised in mine.items()},
                now=self.now,
            )
        await log_changes(self.connection, self.changes, now=self.now)

    def _revise(self, table_name: str, id_: int, changes: list[dict[str, Any]]) -> None:
        """Add ``changes`` to this load's revision of a node (one revision per load)."""
        revised = self.revised.setdefault((table_name, id_), Revised(self.editor))
        revised.changes.extend(changes)

    def _changed(self, table: Table, slugs: Iterable[str], kind: m.ChangeKind) -> None:
        """Note a change to nodes; a node created or deleted by this load stays so."""
        for slug in slugs:
            key = (NODE_TYPES[table.name], slug)
            if kind is not m.ChangeKind.UPDATED or key not in self.changes:
                self.changes[key] = kind

    def _count(self, table: Table, changed: set[int]) -> None:
        if changed:
            self.report.relinked[table.name] += len(changed)
