"""ranked_search

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 00:05:00

Full-text indexes for `search` over claims, quotes, names, aliases, titles, summaries and
deployments' operations and missions: on PostgreSQL a generated `search_vector` per table
with a GIN index, and `pg_trgm` indexes for substring search; on SQLite one FTS5 table,
kept by triggers (rowid = id × 8 + kind, as claimgraph.db.queries.search reads it).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, kind as claimgraph.db.queries.timeline numbers it, its searched text as SQL).
SEARCHED = [
    ("statements", 0, "coalesce(claim, '') || ' ' || coalesce(quote, '')"),
    ("events", 1, "coalesce(title, '')"),
    ("actors", 2, "coalesce(coalesce(search_names, name), '')"),
    ("agreements", 3, "coalesce(title, '') || ' ' || coalesce(summary, '')"),
    ("deployments", 4, "coalesce(operation, '') || ' ' || coalesce(mission, '')"),
    ("sources", 5, "coalesce(title, '')"),
]
#: The columns substring search reads (ILIKE), each with a trigram index on PostgreSQL.
TRIGRAMS = [
    ("statements", "claim"),
    ("statements", "quote"),
    ("events", "title"),
    ("actors", "(coalesce(search_names, name))"),
    ("agreements", "title"),
    ("agreements", "summary"),
    ("deployments", "operation"),
    ("deployments", "mission"),
    ("sources", "title"),
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgres()
    else:
        _upgrade_sqlite()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for number, _ in enumerate(TRIGRAMS):
            op.execute(f"DROP INDEX IF EXISTS ix_search_trigram_{number}")
        for table, _, _ in SEARCHED:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
            op.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
        return
    for table, _, _ in SEARCHED:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_search_{event}")
    op.execute("DROP TABLE IF EXISTS search_fts")


def _upgrade_postgres() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, _, text in SEARCHED:
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('english'::regconfig, {text})) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)")
    for number, (table, column) in enumerate(TRIGRAMS):
        op.execute(
            f"CREATE INDEX ix_search_trigram_{number} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def _upgrade_sqlite() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    for table, kind, text in SEARCHED:
        new_text = _prefixed(text, "new")
        row = f"new.id * 8 + {kind}"
        op.execute(
            f"INSERT INTO search_fts (rowid, body) SELECT id * 8 + {kind}, {text} FROM {table}"
        )
        op.execute(
            f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO search_fts (rowid, body) VALUES ({row}, {new_text}); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} BEGIN "
            f"DELETE FROM search_fts WHERE rowid = old.id * 8 + {kind}; "
            f"INSERT INTO search_fts (rowid, body) VALUES ({row}, {new_text}); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM search_fts WHERE rowid = old.id * 8 + {kind}; END"
        )


def _prefixed(text: str, row: str) -> str:
    """``text`` with its column names read from ``row`` (a trigger's new or old)."""
    for column in (
        "claim",
        "quote",
        "title",
        "search_names",
        "name",
        "summary",
        "operation",
        "mission",
    ):
        text = text.replace(f"({column}", f"({row}.{column}").replace(
            f", {column})", f", {row}.{column})"
        )
    return text
