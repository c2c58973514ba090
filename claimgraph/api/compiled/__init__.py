"""Queries answered by one SQL statement that builds the response in the database.

The schema, validation, limits and rate limits stay Strawberry's; this extension steps in at
execution: when :func:`compile_query` covers the whole query, the database builds the
`data` JSON in one statement and the resolvers do not run. Anything it does not cover is
answered by the resolvers, unchanged. ``CLAIMGRAPH_COMPILED_QUERIES=false`` turns it off.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import orjson
from graphql import ExecutionResult
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions import SchemaExtension

from claimgraph.api.compiled.compiler import CompiledQuery, compile_query
from claimgraph.api.compiled.json_sql import Unsupported
from claimgraph.api.compiled.shapes import Shape, parameters
from claimgraph.api.lru import Lru, one
from claimgraph.api.settings import ApiSettings
from claimgraph.db.queries.visibility import SEES_DRAFTS

if TYPE_CHECKING:
    from claimgraph.api.session import RequestDb

log = logging.getLogger("claimgraph.api")

__all__ = [
    "CompiledQueries",
    "CompiledQuery",
    "Unsupported",
    "compile_query",
    "compiled_for",
    "run_compiled",
]


async def _fetch(session: AsyncSession, compiled: CompiledQuery) -> Any:
    return (await session.execute(compiled.statement, compiled.params or None)).scalar_one()


async def _roll_back(session: AsyncSession) -> None:
    await session.rollback()


async def run_compiled(db: RequestDb, compiled: CompiledQuery) -> dict[str, Any] | None:
    """The `data` that ``compiled`` builds, or None when the resolvers must answer instead:
    a required root field is null (they raise the error), or the statement failed (logged,
    and the session rolled back so they can use it)."""
    try:
        text = await db.run(_fetch, compiled)
    except Exception as error:  # the resolvers answer, and report, whatever this was
        log.warning("compiled query failed, answered by the resolvers: %r", error)
        await db.run(_roll_back)
        return None
    data: dict[str, Any] = orjson.loads(text)
    if any(data.get(key) is None for key in compiled.required):
        return None
    return data


#: How each document's variables key its statements, by dialect, page sizes, query and
#: operation: learned from the first statement built for it (claimgraph.api.compiled.shapes).
_SHAPES: Lru[tuple[Any, ...], tuple[Shape]] = Lru(256, one)
#: Compiled statements (or None: not covered) by document and its variables' key, most
#: recently used last. Building one costs milliseconds; filling its parameters, microseconds.
_COMPILED: Lru[tuple[Any, ...], tuple[CompiledQuery | None]] = Lru(256, one)


def compiled_for(
    schema: Any,
    document: Any,
    query: str,
    operation: str | None,
    variables: dict[str, Any] | None,
    *,
    dialect: str,
    settings: ApiSettings,
) -> CompiledQuery | None:
    """The statement that answers ``document`` (the text ``query``) with these variables, or
    None when the compiler does not cover it: built once per shape, then kept."""
    # What an editor's key sees (drafts) is another statement than what others see.
    document_key = (
        dialect,
        settings.default_page_size,
        settings.max_page_size,
        SEES_DRAFTS.get(),
        query,
        operation,
    )
    known = _SHAPES.get(document_key)
    shape = known[0] if known is not None else None
    if shape is not None:
        key = shape.key(variables)
        found = _COMPILED.get((document_key, key)) if key is not None else (None,)
        if found is not None:
            return _with_values(found[0], variables)
    compiled = _compile(schema, document, operation, variables, dialect, settings)
    if shape is None:
        shape = Shape.learn(document, operation, compiled.bindings if compiled else ())
        _SHAPES.put(document_key, (shape,))
    key = shape.key(variables)
    if key is not None:
        _COMPILED.put((document_key, key), (compiled,))
    return compiled


def _with_values(
    compiled: CompiledQuery | None, variables: dict[str, Any] | None
) -> CompiledQuery | None:
    """A kept statement with these variables' values (None if the resolvers would refuse one)."""
    if compiled is None or not compiled.bindings:
        return compiled
    try:
        return replace(compiled, params=parameters(compiled.bindings, variables))
    except Unsupported:
        return None


def _compile(
    schema: Any,
    document: Any,
    operation: str | None,
    variables: dict[str, Any] | None,
    dialect: str,
    settings: ApiSettings,
) -> CompiledQuery | None:
    try:
        return compile_query(
            schema, document, operation, variables, dialect=dialect, settings=settings
        )
    except Unsupported:
        return None
    except Exception:  # a bug of ours: the resolvers answer, and the log says so
        log.exception("compiling a query failed; the resolvers answer it")
        return None


class CompiledQueries(SchemaExtension):
    """Answers a query with one SQL statement when the compiler covers all of it."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        settings = getattr(context, "settings", None)
        if execution.result is None and settings is not None and settings.compiled_queries:
            execution.result = await self._answer(execution, context)
        yield

    async def _answer(self, execution: Any, context: Any) -> ExecutionResult | None:
        db = context.db
        # Strawberry falls back to the first operation's name; we want the one asked for.
        operation = getattr(execution, "_provided_operation_name", execution.operation_name)
        compiled = compiled_for(
            execution.schema,
            execution.graphql_document,
            execution.query,
            operation,
            execution.variables,
            dialect=db.session.get_bind().dialect.name,
            settings=context.settings,
        )
        if compiled is None:
            return None
        data = await run_compiled(db, compiled)
        if data is None:
            return None
        context.request_state.compiled = compiled
        return ExecutionResult(data=data)
