"""Queries answered by one SQL statement that builds the response in the database.

The schema, validation, limits and rate limits stay Strawberry's; this extension steps in at
execution: when :func:`compile_query` covers the whole query, the database builds the
`data` JSON in one statement and the resolvers do not run. Anything it does not cover is
answered by the resolvers, unchanged. ``CLAIMGRAPH_COMPILED_QUERIES=false`` turns it off.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

import orjson
from graphql import ExecutionResult
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions import SchemaExtension

from claimgraph.api.compiled.compiler import CompiledQuery, compile_query
from claimgraph.api.compiled.json_sql import Unsupported
from claimgraph.api.settings import ApiSettings

log = logging.getLogger("claimgraph.api")

__all__ = ["CompiledQueries", "CompiledQuery", "Unsupported", "compile_query"]


async def _fetch(session: AsyncSession, statement: Select[Any]) -> Any:
    return (await session.execute(statement)).scalar_one()


async def _roll_back(session: AsyncSession) -> None:
    await session.rollback()


#: Compiled statements (or None: not covered) by dialect, page sizes, query, operation and
#: variables, most recently used last. Building one costs milliseconds; running it, less.
_COMPILED: OrderedDict[tuple[Any, ...], CompiledQuery | None] = OrderedDict()
_COMPILED_MAX = 256
_compiled_lock = threading.Lock()


def _compiled(
    execution: Any, operation: str | None, dialect: str, settings: ApiSettings
) -> CompiledQuery | None:
    try:
        variables = json.dumps(execution.variables, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return None
    key = (
        dialect,
        settings.default_page_size,
        settings.max_page_size,
        execution.query,
        operation,
        variables,
    )
    with _compiled_lock:
        if key in _COMPILED:
            _COMPILED.move_to_end(key)
            return _COMPILED[key]
    try:
        compiled: CompiledQuery | None = compile_query(
            execution.schema,
            execution.graphql_document,
            operation,
            execution.variables,
            dialect=dialect,
            settings=settings,
        )
    except Unsupported:
        compiled = None
    except Exception:  # a bug of ours: the resolvers answer, and the log says so
        log.exception("compiling a query failed; the resolvers answer it")
        compiled = None
    with _compiled_lock:
        _COMPILED[key] = compiled
        while len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.popitem(last=False)
    return compiled


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
        compiled = _compiled(
            execution, operation, db.session.get_bind().dialect.name, context.settings
        )
        if compiled is None:
            return None
        try:
            text = await db.run(_fetch, compiled.statement)
        except Exception as error:  # the resolvers answer, and report, whatever this was
            log.warning("compiled query failed, answered by the resolvers: %r", error)
            await db.run(_roll_back)
            return None
        data = orjson.loads(text)
        if any(data.get(key) is None for key in compiled.required):
            return None
        context.request_state.compiled = True
        return ExecutionResult(data=data)
