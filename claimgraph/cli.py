"""The ``claimgraph`` command: migrate, seed and serve.

It sits above the rooms (it drives ``migrations``, ``seed`` and ``api``), so it lives at the
package root rather than inside ``api``, which must not import ``seed``.
"""

from __future__ import annotations

import asyncio
import enum
from pathlib import Path
from typing import Annotated, Any

import typer

from claimgraph.api.settings import ApiSettings
from claimgraph.api.settings import settings as api_settings
from claimgraph.db.settings import settings as db_settings

app = typer.Typer(
    help="claimgraph: who said what, when, and where it was reported.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
seed_app = typer.Typer(help="Seed data: curated extractions of sources.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(seed_app, name="seed")

Host = Annotated[str, typer.Option(help="Interface to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.")]
Workers = Annotated[
    int,
    typer.Option(
        min=1,
        help="Server processes (each keeps its own caches and rate-limit counts). "
        "Default: CLAIMGRAPH_WORKERS, else 1.",
    ),
]
SeedPath = Annotated[
    Path | None,
    typer.Argument(help="An extraction file, or a folder of them (default: the shipped seed)."),
]


def _database() -> str:
    return (
        db_settings.database_url.split("@")[-1]
        if "@" in db_settings.database_url
        else db_settings.database_url
    )


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database (DATABASE_URL) up to REVISION."""
    from claimgraph import migrations

    before = migrations.current_revision()
    migrations.upgrade(revision=revision)
    typer.echo(_migrated(before, migrations.current_revision(), migrations.head_revision()))


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision.")]) -> None:
    """Migrate the database down to REVISION (``base`` drops everything)."""
    from claimgraph import migrations

    before = migrations.current_revision()
    migrations.downgrade(revision=revision)
    typer.echo(_migrated(before, migrations.current_revision(), migrations.head_revision()))


def _migrated(before: str | None, after: str | None, head: str | None) -> str:
    """What a migration did, in words: from which revision to which, or nothing."""

    def name(revision: str | None) -> str:
        if revision is None:
            return "empty (no tables)"
        return f"revision {revision}" + (" (the latest)" if revision == head else "")

    if before == after:
        return f"database {_database()} is already at {name(after)}: nothing to migrate"
    if before is None:
        return f"database {_database()} was new: created and migrated to {name(after)}"
    return f"database {_database()} migrated from {name(before)} to {name(after)}"


@seed_app.command("load")
def seed_load(path: SeedPath = None) -> None:
    """Validate extraction files, then load them in one transaction (idempotent)."""
    from claimgraph.db.engine import create_engine
    from claimgraph.seed.errors import SeedError
    from claimgraph.seed.loader import load_seed

    async def run() -> str:
        engine = create_engine()
        try:
            return (await load_seed(engine, path)).summary()
        finally:
            await engine.dispose()

    try:
        summary = asyncio.run(run())
    except SeedError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    typer.echo(summary)


@app.command()
def serve(
    host: Host = api_settings.host,
    port: Port = api_settings.port,
    workers: Workers = api_settings.workers,
) -> None:
    """Serve the API (GraphQL and the IDE at /graphql); in production, one worker per core."""
    import uvicorn

    from claimgraph.api.http.logs import logging_config

    typer.echo(
        f"claimgraph on http://{host}:{port}/graphql with {workers} worker"
        f"{'s' if workers > 1 else ''} (database {_database()})"
    )
    # uvicorn[standard] brings uvloop and httptools, which "auto" picks up.
    uvicorn.run(
        "claimgraph.api.main:app",
        host=host,
        port=port,
        workers=workers,
        log_config=logging_config(api_settings.log_format),
        # The app writes its own access log (CLAIMGRAPH_ACCESS_LOG), a fraction of the cost.
        access_log=False,
        **uvicorn_options(api_settings),
    )


def uvicorn_options(settings: ApiSettings) -> dict[str, Any]:
    """How uvicorn treats what clients say about themselves. uvicorn believes
    `X-Forwarded-For` from 127.0.0.1 by default, which lets a local proxy's clients pick
    their own rate-limit identity; here only the addresses ``forwarded_allow_ips`` names are
    believed (none by default). No `server` header: it tells an attacker what to try."""
    trusted = settings.forwarded_allow_ips.strip()
    return {
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or "",
        "server_header": False,
    }


@app.command()
def up(
    host: Host = api_settings.host,
    port: Port = api_settings.port,
    workers: Workers = api_settings.workers,
) -> None:
    """Upgrade the database, load the seed, and serve: everything ``make run`` needs."""
    db_upgrade()
    seed_load()
    serve(host=host, port=port, workers=workers)


@seed_app.command("synthetic")
def seed_synthetic(
    statements: Annotated[int, typer.Option(help="How many statements to generate.")] = 300,
    seed: Annotated[int, typer.Option(help="The random seed (same seed, same corpus).")] = 1,
    database_url: Annotated[
        str | None, typer.Option(help="The database (default: DATABASE_URL).")
    ] = None,
    copy: Annotated[bool, typer.Option(help="Use COPY on PostgreSQL.")] = True,
) -> None:
    """Generate a deterministic synthetic corpus (slugs ``syn-<seed>-…``) for load tests."""
    from claimgraph import migrations
    from claimgraph.db.engine import create_engine
    from claimgraph.db.settings import normalise_database_url
    from claimgraph.seed.synthetic import SyntheticError, load_synthetic

    url = normalise_database_url(database_url) if database_url else db_settings.database_url
    migrations.upgrade(url)

    async def run() -> str:
        engine = create_engine(url, echo=False)
        try:
            return (await load_synthetic(engine, statements, seed, copy=copy)).summary()
        finally:
            await engine.dispose()

    try:
        summary = asyncio.run(run())
    except SyntheticError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    typer.echo(summary)


class KeyScopeOption(enum.StrEnum):
    """What a key may do (claimgraph.db.models.KeyScope), as the command line spells it."""

    read = "read"
    edit = "edit"
    admin = "admin"


keys_app = typer.Typer(
    help="API keys: partners' own rate-limit budgets, and the desk's keys to write.",
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")


def _with_session(work: Any) -> Any:
    """Run ``work(session)`` in one committed transaction on the configured database."""
    from claimgraph.db.engine import create_engine, create_sessionmaker

    async def run() -> Any:
        engine = create_engine()
        try:
            async with create_sessionmaker(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who the key is for.")],
    scope: Annotated[
        KeyScopeOption,
        typer.Option(
            help="read: queries (partners); edit: the desk's mutations; admin: keys and merges."
        ),
    ] = KeyScopeOption.read,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    from sqlalchemy.exc import IntegrityError

    from claimgraph.db.models import KeyScope
    from claimgraph.db.queries.keys import create_key

    chosen = KeyScope[scope.name.upper()]
    try:
        _, token = _with_session(lambda session: create_key(session, name=name, scope=chosen))
    except IntegrityError as error:
        typer.echo(f"a key named {name!r} exists already; pick another name", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"key for {name} ({chosen.value}): {token}")
    typer.echo("send it as `Authorization: Bearer <key>`; it is not shown again", err=True)


@keys_app.command("list")
def keys_list() -> None:
    """List keys (names, prefixes, when created and revoked; never the keys)."""
    from claimgraph.db.queries.keys import list_keys

    for key in _with_session(list_keys):
        state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "live"
        typer.echo(f"{key.name}\t{key.prefix}…\tcreated {key.created_at:%Y-%m-%d %H:%M}\t{state}")


@keys_app.command("revoke")
def keys_revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Revoke a key: requests that send it are refused from now on."""
    from claimgraph.db.queries.keys import revoke_key

    if not _with_session(lambda session: revoke_key(session, name=name)):
        typer.echo(f"no live key named {name!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {name}")


@app.command("export")
def export(
    format_: Annotated[
        str,
        typer.Option(
            "--format",
            help="jsonl (one JSON object per line) or csv (flat columns; nested values as JSON).",
        ),
    ] = "jsonl",
    out: Annotated[
        Path, typer.Option(help="The folder to write: one file per type, and manifest.json.")
    ] = Path("export"),
) -> None:
    """Export every record in one snapshot, with the change-feed cursor it is consistent with
    (in manifest.json): follow `changes(after: cursor)` from there."""
    from claimgraph.api.http.export import ExportFormat, export_to_directory
    from claimgraph.db.engine import create_engine, create_sessionmaker

    if format_ not in {f.value for f in ExportFormat}:
        raise typer.BadParameter(f"{format_!r}: use jsonl or csv", param_hint="--format")

    async def run() -> dict[str, Any]:
        engine = create_engine()
        try:
            sessions = create_sessionmaker(engine)
            return await export_to_directory(sessions, out, format=ExportFormat(format_))
        finally:
            await engine.dispose()

    manifest = asyncio.run(run())
    for entry in manifest["files"].values():
        typer.echo(f"{out / entry['file']}: {entry['records']} records")
    typer.echo(f"{out / 'manifest.json'}: changes cursor {manifest['changesCursor']}")


@app.command()
def ingest(
    text_file: Annotated[Path, typer.Argument(help="The article's text (UTF-8).")],
    url: Annotated[str, typer.Option(help="Where the article was published.")],
    published: Annotated[str, typer.Option(help="Publication day, YYYY-MM-DD.")],
    publisher: Annotated[
        str, typer.Option(help="The publisher's name (a known actor's name or alias links to it).")
    ],
    title: Annotated[
        str | None, typer.Option(help="Title (default: the text's first line).")
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Folder for the draft and the copy of the text.")
    ] = Path("drafts"),
    actors: Annotated[
        Path | None,
        typer.Option(help="Take known actors from these extraction files, not the database."),
    ] = None,
    load: Annotated[
        bool,
        typer.Option(help="Also load the source and its proposals (DRAFT) into the database."),
    ] = False,
) -> None:
    """Draft statements from a new article: a seed-format extraction file to review."""
    from claimgraph.api.graphql.mutations.proposals import load_file
    from claimgraph.extract.errors import ExtractError
    from claimgraph.extract.ingest import ingest as run_ingest
    from claimgraph.extract.ingest import read_draft

    loaded = None
    try:
        if load:
            draft = read_draft(
                text_file, published=published, publisher=publisher, title=title, actors=actors
            )
            editor = f"extract:{text_file.name}"
            text_path, yaml_path, loaded = load_file(draft, url=url, out=out, editor=editor)
        else:
            draft, text_path, yaml_path = run_ingest(
                text_file,
                url=url,
                published=published,
                publisher=publisher,
                title=title,
                out=out,
                actors=actors,
            )
    except ExtractError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    modes = sorted({p.mode.value for p in draft.proposals})
    counts = ", ".join(f"{m} {sum(p.mode.value == m for p in draft.proposals)}" for m in modes)
    typer.echo(
        f"{yaml_path}: {len(draft.proposals)} proposals ({counts}), {len(draft.actors)} new actors"
    )
    typer.echo(f"{text_path}: the text")
    if loaded is not None:
        typer.echo(f"DATABASE_URL: loaded {loaded} DRAFT statements and the source")


if __name__ == "__main__":
    app()
