"""GraphQL over HTTP, as the GraphQL-over-HTTP specification says: queries by GET and POST,
`application/graphql-response+json` or `application/json` by content negotiation, the
status codes that go with each, ETags and caching for GET, and persisted queries.

Strawberry stays the schema, validator and executor; this module owns the HTTP around it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from claimgraph.api.compiled.prepared import PreparedQueries
from claimgraph.api.cost import admit
from claimgraph.api.errors import ClientError
from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.schema import build_schema
from claimgraph.api.http import idempotency
from claimgraph.api.http.identity import identify
from claimgraph.api.http.logs import ACCESS_STATE_KEY
from claimgraph.api.http.params import (
    GRAPHQL_RESPONSE,
    JSON,
    RAW_REQUEST_SCOPE_KEY,
    GraphQLParams,
    HttpProblem,
    anonymous_client,
    matches,
    negotiate,
    read_params,
    request_id_of,
)
from claimgraph.api.http.persisted import PersistedQueries
from claimgraph.api.http.ratelimit import InMemoryRateLimiter, RateLimiter
from claimgraph.api.http.replies import (
    NOT_STORED,
    answer_from_cache,
    body_of,
    cacheable_headers,
    client_view,
    is_database_down,
    is_request_error,
    is_stale_connection,
    with_rate,
)
from claimgraph.api.http.response_cache import (
    CachedAnswer,
    RawRequest,
    Recognised,
    ResponseCache,
    etag_for,
    request_key,
)
from claimgraph.api.http.versions import DataVersionWatch
from claimgraph.api.http.writes import is_mutation
from claimgraph.api.settings import ApiSettings
from claimgraph.api.state import RequestState
from claimgraph.db.queries.visibility import seeing_drafts

log = logging.getLogger("claimgraph.api")


class GraphQLEndpoint:
    """The `/graphql` route: the IDE for browsers, GraphQL over HTTP for everyone else."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        settings: ApiSettings,
        ide_page: Callable[[], str],
        write_sessions: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self.sessions = sessions
        #: Sessions for mutations: a transaction each, committed when the mutation has run.
        self.write_sessions = write_sessions or sessions
        self.settings = settings
        self.ide_page = ide_page
        self.persisted = PersistedQueries(
            capacity=settings.persisted_queries,
            max_bytes=settings.persisted_query_bytes,
            max_chars=settings.max_query_chars,
        )
        self.schema = build_schema(settings)
        self.prepared = PreparedQueries(self.schema, settings)
        self.responses = ResponseCache(max_bytes=settings.response_cache_bytes)
        self.versions = DataVersionWatch(
            sessions,
            interval=settings.data_version_poll,
            timeout=settings.request_timeout,
            on_change=self.responses.retire,
        )
        self.limiter: RateLimiter = InMemoryRateLimiter(
            window=settings.rate_limit_window, max_clients=settings.rate_limit_clients
        )

    async def __call__(self, request: Request) -> Response:
        with seeing_drafts(False):  # until the request's key says otherwise (identity.py)
            response = await self._respond(request)
        response.headers["X-Request-ID"] = request_id_of(request)
        return response

    async def _respond(self, request: Request) -> Response:
        accept = request.headers.get("accept", "")
        if (
            request.method == "GET"
            and "query" not in request.query_params
            and ("text/html" in accept and "extensions" not in request.query_params)
        ):
            return HTMLResponse(self.ide_page())
        media = negotiate(accept)
        address = request.client.host if request.client else None
        state = RequestState(
            request_id=request_id_of(request),
            limiter=self.limiter,
            client=anonymous_client(address),
            budget=self.settings.rate_limit_points,
        )
        request.scope[ACCESS_STATE_KEY] = state
        try:
            if media is None:
                raise HttpProblem(
                    406, f"This endpoint answers with {GRAPHQL_RESPONSE} or {JSON}; ask for one."
                )
            return await self._run(request, media, state)
        except HttpProblem as problem:
            payload = {"errors": [{"message": problem.message, "extensions": problem.extensions}]}
            headers = {"Cache-Control": "no-store", **problem.headers}
            admit(state)  # refused before it was admitted: it still costs its point
            with_rate(problem.status, headers, state)
            return Response(body_of(payload), problem.status, headers, media_type=media or JSON)
        except Exception as error:
            if not is_database_down(error):
                raise
            log.warning(
                "request %s: the database is unreachable: %s", request_id_of(request), error
            )
            return self._database_down(media or JSON)

    def _database_down(self, media: str) -> Response:
        payload = {
            "errors": [
                {
                    "message": "The database is unavailable; the request was not run. Try again "
                    "in a few seconds.",
                    "extensions": {"code": "SERVICE_UNAVAILABLE"},
                }
            ]
        }
        headers = {"Cache-Control": "no-store", "Retry-After": "5"}
        return Response(body_of(payload), 503, headers, media_type=media)

    async def _run(self, request: Request, media: str, state: RequestState) -> Response:
        settings = self.settings
        params = await read_params(request, max_body_bytes=settings.max_body_bytes)
        try:
            query = self.persisted.resolve(params.query, params.extensions)
            if query is not None and len(query) > settings.max_query_chars:
                raise ClientError(
                    f"The query is {len(query):,} characters long; the limit is "
                    f"{settings.max_query_chars:,}.",
                    code="QUERY_TOO_LARGE",
                )
        except ClientError as error:
            status = 400 if media == GRAPHQL_RESPONSE else 200
            body = body_of({"errors": [error.formatted]})
            headers = {"Cache-Control": "no-store"}
            admit(state)
            status = with_rate(status, headers, state)
            return Response(body, status, headers, media_type=media)
        try:
            return await self._answer(request, media, params, query, state)
        except Exception as error:
            if not is_stale_connection(error):
                raise
            # The pool gave out a connection the database had closed (it restarted, or failed
            # over); the pool replaces them all now, and a read is safe to run again. Checking
            # every connection before use instead would cost each request a round trip.
            log.info(
                "request %s: a pooled connection had closed; running it again", state.request_id
            )
            return await self._answer(request, media, params, query, state)

    async def _answer(
        self,
        request: Request,
        media: str,
        params: GraphQLParams,
        query: str | None,
        state: RequestState,
    ) -> Response:
        """Answer a request on a database session within the time limit. Out of time, its
        statements are stopped (not awaited) and the 503 goes out at once. A mutation runs
        on a write session, in one transaction."""
        state.writes = request.method != "GET" and is_mutation(query, params.operation_name)
        sessions = self.write_sessions if state.writes else self.sessions
        answer = self._write_on if state.writes else self._answer_on
        timeout = self.settings.request_timeout
        async with sessions() as session:
            context = Context(session, self.settings, state)
            try:
                async with asyncio.timeout(timeout):
                    response = await answer(request, media, params, query, context)
            except TimeoutError as error:
                await context.db.abort()
                raise HttpProblem(
                    503,
                    f"The query ran longer than {timeout:g} s and was stopped. "
                    "Ask for less: smaller pages, fewer nested lists.",
                    extensions={"code": "TIMEOUT"},
                ) from error
            finally:
                await context.db.settle()
        if state.writes and self.versions.current is not None:
            # This process's cached answers retire now; other processes' within their poll.
            await self.versions.refresh()
        return response

    async def _answer_on(
        self,
        request: Request,
        media: str,
        params: GraphQLParams,
        query: str | None,
        context: Context,
    ) -> Response:
        """Answer from the response cache, as a prepared query, or by Strawberry."""
        is_get = request.method == "GET"
        session, state = context.db.session, context.request_state
        await identify(request, session, state, self.settings)
        refusal = admit(state)
        if refusal is not None:
            return self._refused(refusal, state, media)
        version, key, etag = 0, "", ""
        if is_get or self.responses.enabled:
            version = await self.versions.read(session)
            key = request_key(media, query or "", params.variables, params.operation_name)
            etag = etag_for(version, key)
        headers = cacheable_headers(etag, self.settings.cache_max_age) if is_get else NOT_STORED
        if is_get and matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        cached = self.responses.get(version, key) if self.responses.enabled else None
        if cached is not None:
            self._remember(request, params, Recognised(key, media))
            status, reply, body = answer_from_cache(cached, state, media, headers)
            return Response(body, status, reply, media_type=media)
        result = await self._run_query(context, query, params, is_get=is_get)
        return self._reply(request, media, params, result, state, (version, key, etag), headers)

    async def _write_on(
        self,
        request: Request,
        media: str,
        params: GraphQLParams,
        query: str | None,
        context: Context,
    ) -> Response:
        """Run a mutation (each mutation field in a savepoint of its own,
        claimgraph.api.graphql.mutations) and commit it, with its answer kept under its
        ``Idempotency-Key`` if it sends one (claimgraph.api.http.idempotency)."""
        session, state = context.db.session, context.request_state
        await identify(request, session, state, self.settings)
        refusal = admit(state)
        if refusal is not None:
            return self._refused(refusal, state, media)
        held = await idempotency.claim(request, params, session, state)
        if isinstance(held, Response):
            return held  # the answer this key's request got before: nothing runs
        result = await self._run_query(context, query, params, is_get=False)
        response = self._reply(request, media, params, result, state, (0, "", ""), NOT_STORED)
        if held is not None:
            await idempotency.keep(session, held, response)
        await session.commit()
        return response

    @staticmethod
    def _refused(refusal: GraphQLError, state: RequestState, media: str) -> Response:
        """The 429 of a client whose budget is spent."""
        headers = {"Cache-Control": "no-store"}
        status = with_rate(429, headers, state)
        return Response(body_of({"errors": [refusal.formatted]}), status, headers, media_type=media)

    async def _run_query(
        self, context: Context, query: str | None, params: GraphQLParams, *, is_get: bool
    ) -> ExecutionResult:
        """Run the query (the caller bounds its time)."""
        try:
            return await self._execute(context, query, params, is_get=is_get)
        except InvalidOperationTypeError as error:
            raise HttpProblem(405, error.as_http_error_reason("GET"), {"Allow": "POST"}) from error

    def _reply(
        self,
        request: Request,
        media: str,
        params: GraphQLParams,
        result: ExecutionResult,
        state: RequestState,
        cache: tuple[int, str, str],
        cacheable: Mapping[str, str],
    ) -> Response:
        """The response to an executed query, kept in the response cache when it may be."""
        errors = list(result.errors or [])
        for failed in errors:
            if failed.original_error is not None and is_database_down(failed.original_error):
                raise failed.original_error  # one way to 503 (or a retry), however it failed
        payload: dict[str, object] = {}
        request_error = is_request_error(errors, result.data)
        if not request_error:
            payload["data"] = result.data
        if errors:
            payload["errors"] = [client_view(error, state.request_id) for error in errors]
        if result.extensions:
            payload["extensions"] = result.extensions
        status = 400 if request_error and media == GRAPHQL_RESPONSE else 200
        body = body_of(payload)
        if len(body) > self.settings.max_response_bytes:
            errors = [self._too_large(len(body))]
            payload = {"errors": [error.formatted for error in errors]}
            status, body = (400 if media == GRAPHQL_RESPONSE else 200), body_of(payload)
        version, key, etag = cache
        small = len(body) <= self.settings.response_cache_max_answer
        if (
            small
            and self.responses.enabled
            and not errors
            and state.cost is not None
            and not state.personal
            and not state.writes
        ):
            self.responses.put(version, key, CachedAnswer(body=body, cost=state.cost, etag=etag))
            self._remember(request, params, Recognised(key, media))
        headers = dict(cacheable if request.method == "GET" and not errors else NOT_STORED)
        status = with_rate(status, headers, state)
        return Response(body, status, headers, media_type=media)

    def _too_large(self, size: int) -> ClientError:
        limit = self.settings.max_response_bytes
        return ClientError(
            f"The answer is {size:,} bytes; the limit is {limit:,}. Ask for less: fewer or "
            "smaller pages, fewer aliases, no long texts.",
            code="RESPONSE_TOO_LARGE",
            limit="responseBytes",
            value=limit,
        )

    async def _execute(
        self, context: Context, query: str | None, params: GraphQLParams, *, is_get: bool
    ) -> ExecutionResult:
        """Run the query: prepared, when the compiler has answered its document before, else
        by Strawberry (which prepares it if the compiler covers it)."""
        key = (query or "", params.operation_name)
        result = await self.prepared.answer(
            key, params.variables, context.db, context.request_state
        )
        if result is None:
            result = await self.schema.execute(
                query,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                allowed_operation_types=[OperationType.QUERY] if is_get else None,
            )
            self.prepared.learn(key, context.request_state, result)
        return result

    def _remember(self, request: Request, params: GraphQLParams, recognised: Recognised) -> None:
        """Let the cache-hit path recognise this request by its raw bytes from now on. Not a
        persisted query's registration (it must always reach the store); a query named by
        its hash only while the store still holds it."""
        raw: RawRequest | None = request.scope.get(RAW_REQUEST_SCOPE_KEY)
        if raw is None:
            return
        persisted = (params.extensions or {}).get("persistedQuery")
        if persisted is not None:
            if params.query is not None:
                return
            digest = str(persisted["sha256Hash"]).lower()
            recognised = Recognised(recognised.key, recognised.media, digest)
        self.responses.remember(raw, recognised)
