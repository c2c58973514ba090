"""Search: ranked full-text matches, or case-insensitive substrings.

Words (the default) are matched by each engine's full-text index, from the same migration:
on PostgreSQL a `search_vector` tsvector per table (GIN-indexed) against
`websearch_to_tsquery` ("quoted phrases", `or`, `-word`), ranked by `ts_rank`; on SQLite
one FTS5 table (`search_fts`, rowid = id × 8 + kind), ranked by `bm25`. Both stem English
words. Substrings are matched with ILIKE (a `pg_trgm` index on PostgreSQL), in kind order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.db import models as m
from claimgraph.db.queries.lists import actor_names, matches
from claimgraph.db.queries.pagination import Ordering
from claimgraph.db.queries.timeline import ACTOR, AGREEMENT, DEPLOYMENT, EVENT, SOURCE, STATEMENT
from claimgraph.db.queries.visibility import listed

WORDS, SUBSTRING = "words", "substring"
#: PostgreSQL's text-search configuration (SQLite's FTS5 table uses the porter stemmer).
CONFIG = "english"
FTS_TABLE = "search_fts"
#: SQLite's FTS rowids are id × KINDS + kind.
KINDS = 8
#: Ranks are floats; cursors carry integers, so a rank is kept to six decimals.
SCALE = 1_000_000
#: How a hit's words are marked in its highlight.
MARK = ("«", "»")


def searched(kind: int) -> tuple[Any, list[Any]]:
    """The model of a kind of hit and the text columns search reads."""
    found: dict[int, tuple[Any, list[Any]]] = {
        STATEMENT: (m.Statement, [m.Statement.claim, m.Statement.quote]),
        EVENT: (m.Event, [m.Event.title]),
        ACTOR: (m.Actor, [actor_names()]),
        AGREEMENT: (m.Agreement, [m.Agreement.title, m.Agreement.summary]),
        DEPLOYMENT: (m.Deployment, [m.Deployment.operation, m.Deployment.mission]),
        SOURCE: (m.Source, [m.Source.title]),
    }
    return found[kind]


KIND_ORDER = (STATEMENT, EVENT, ACTOR, AGREEMENT, DEPLOYMENT, SOURCE)


def body(kind: int) -> ColumnElement[str]:
    """A record's searched text as one string (what its index holds)."""
    _, columns = searched(kind)
    text: ColumnElement[str] = func.coalesce(columns[0], "")
    for column in columns[1:]:
        text = text.concat(" ").concat(func.coalesce(column, ""))
    return text


def search_query(*, text: str, mode: str, dialect: str) -> tuple[Select[Any], Ordering]:
    """(kind, id) of every record that matches, best first for words (then by kind and
    id), by kind and id for substrings."""
    if mode == SUBSTRING:
        query, ordering = _substrings(text)
    elif dialect == "postgresql":
        query, ordering = _ranked_postgres(text)
    else:
        query, ordering = _ranked_sqlite(text)
    kind, id_ = query.selected_columns
    statements = select(m.Statement.id).where(listed(m.Statement.status))
    return query.where(or_(kind != STATEMENT, id_.in_(statements))), ordering


def _substrings(text: str) -> tuple[Select[Any], Ordering]:
    branches = []
    for kind in KIND_ORDER:
        model, columns = searched(kind)
        found = select(literal(kind).label("kind"), model.id.label("id"))
        branches.append(found.where(or_(*(matches(column, text) for column in columns))))
    hits = union_all(*branches).subquery("hits")
    return select(hits.c.kind, hits.c.id), Ordering([hits.c.kind, hits.c.id])


def tsquery(text: str) -> ColumnElement[Any]:
    return func.websearch_to_tsquery(literal_column(f"'{CONFIG}'::regconfig"), text)


def _ranked_postgres(text: str) -> tuple[Select[Any], Ordering]:
    query = tsquery(text)
    branches = []
    for kind in KIND_ORDER:
        model, _ = searched(kind)
        vector: ColumnElement[Any] = literal_column(f"{model.__tablename__}.search_vector")
        score = cast(-func.ts_rank(vector, query) * SCALE, BigInteger)
        branches.append(
            select(literal(kind).label("kind"), model.id.label("id"), score.label("score"))
            .select_from(model)
            .where(vector.op("@@")(query))
        )
    hits = union_all(*branches).subquery("hits")
    return select(hits.c.kind, hits.c.id), Ordering([hits.c.score, hits.c.kind, hits.c.id])


def _ranked_sqlite(text: str) -> tuple[Select[Any], Ordering]:
    fts: ColumnElement[Any] = literal_column(FTS_TABLE)
    rowid = literal_column(f"{FTS_TABLE}.rowid", BigInteger)
    score = cast(func.bm25(fts) * SCALE, BigInteger)
    expression = fts5_query(text)
    found = select(
        (rowid % KINDS).label("kind"), (rowid // KINDS).label("id"), score.label("score")
    ).select_from(text_table())
    found = found.where(fts.op("MATCH")(expression) if expression else literal(False))
    hits = found.subquery("hits")
    return select(hits.c.kind, hits.c.id), Ordering([hits.c.score, hits.c.kind, hits.c.id])


def text_table() -> Any:
    """The FTS5 table, for a FROM clause (it is no model: SQLite's own kind of table)."""
    return table(FTS_TABLE)


_TERM = re.compile(r'-?"[^"]*"?|\S+')


def fts5_query(text: str) -> str | None:
    """``text`` in websearch syntax ("a phrase", `or`, `-word`) as an FTS5 query of quoted
    terms (so no character of it is FTS5 syntax); None when it asks for nothing."""
    wanted: list[str] = []
    unwanted: list[str] = []
    pending_or = False
    for token in _TERM.findall(text):
        if token.lower() == "or":
            pending_or = bool(wanted)
            continue
        negated = token.startswith("-")
        words = re.findall(r"\w+", token)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if negated:
            unwanted.append(term)
        elif pending_or:
            wanted[-1] = f"({wanted[-1]} OR {term})"
        else:
            wanted.append(term)
        pending_or = False
    if not wanted:
        return None
    return " ".join(wanted) + "".join(f" NOT {term}" for term in unwanted)


async def highlights(
    session: AsyncSession, hits: Sequence[tuple[int, int]], *, text: str, mode: str
) -> dict[tuple[int, int], str | None]:
    """A short passage of each hit's text with the matching words marked «like this»."""
    found: dict[tuple[int, int], str | None] = dict.fromkeys(hits)
    dialect = session.get_bind().dialect.name
    for kind in {kind for kind, _ in hits}:
        ids = [i for k, i in hits if k == kind]
        model, _ = searched(kind)
        if mode == SUBSTRING:
            rows = await session.execute(select(model.id, body(kind)).where(model.id.in_(ids)))
            found.update({(kind, i): mark_substring(t, text) for i, t in rows.all()})
        elif dialect == "postgresql":
            options = f"StartSel={MARK[0]}, StopSel={MARK[1]}, MaxWords=24, MinWords=8"
            headline = func.ts_headline(
                literal_column(f"'{CONFIG}'::regconfig"), body(kind), tsquery(text), options
            )
            rows = await session.execute(select(model.id, headline).where(model.id.in_(ids)))
            found.update({(kind, i): t for i, t in rows.all()})
        else:
            found.update(await _snippets(session, kind, ids, text))
    return found


async def _snippets(
    session: AsyncSession, kind: int, ids: list[int], text: str
) -> dict[tuple[int, int], str | None]:
    expression = fts5_query(text)
    if expression is None:
        return {}
    rowid = literal_column(f"{FTS_TABLE}.rowid", BigInteger)
    fts: ColumnElement[Any] = literal_column(FTS_TABLE)
    snippet = func.snippet(fts, 0, MARK[0], MARK[1], "…", 24)
    rows = await session.execute(
        select(rowid, snippet)
        .select_from(text_table())
        .where(and_(fts.op("MATCH")(expression), rowid.in_([i * KINDS + kind for i in ids])))
    )
    return {(kind, r // KINDS): t for r, t in rows.all()}


def mark_substring(found: str, text: str, *, around: int = 60) -> str:
    """The passage of ``found`` around the first occurrence of ``text`` (any case), marked."""
    start = found.casefold().find(text.casefold())
    if start < 0 or len(found.casefold()) != len(found):  # case folding moved the offsets
        return found[: 2 * around]
    end = start + len(text)
    before = found[max(0, start - around) : start]
    after = found[end : end + around]
    lead = "…" if start > around else ""
    tail = "…" if end + around < len(found) else ""
    return f"{lead}{before}{MARK[0]}{found[start:end]}{MARK[1]}{after}{tail}"


def outside_the_models(name: str | None) -> bool:
    """Whether a table, column or index is the search migration's own, which no model
    declares (SQLite's FTS5 tables, PostgreSQL's search vectors and trigram indexes):
    comparisons of the models with the database leave these out."""
    return bool(name) and (
        str(name).startswith(("search_fts", "ix_search_trigram_"))
        or str(name).endswith("search_vector")
    )


def include_object(_object: Any, name: str | None, *_: Any) -> bool:
    """Alembic's ``include_object`` hook: everything but :func:`outside_the_models`."""
    return not outside_the_models(name)
