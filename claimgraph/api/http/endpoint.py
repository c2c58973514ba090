"""GraphQL over HTTP, as the GraphQL-over-HTTP specification says: queries by GET and POST,
`application/graphql-response+json` or `application/json` by content negotiation, the
status codes that go with each, ETags and caching for GET, and persisted queries.

Strawberry stays the schema, validator and executor; this module owns the HTTP around it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from claimgraph.api.compiled.prepared import PreparedQueries
from claimgraph.api.cost import charge
from claimgraph.api.errors import ClientError
from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.schema import build_schema, is_unexpected
from claimgraph.api.http.negotiation import qualities
from claimgraph.api.http.persisted import PersistedQueries
from claimgraph.api.http.ratelimit import InMemoryRateLimiter, RateLimiter
from claimgraph.api.http.response_cache import (
    CachedAnswer,
    RawRequest,
    Recognised,
    ResponseCache,
    etag_for,
    request_key,
)
from claimgraph.api.http.versions import DataVersionWatch
from claimgraph.api.settings import ApiSettings
from claimgraph.api.state import RequestState
from claimgraph.db.queries.keys import key_for_token

log = logging.getLogger("claimgraph.api")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


class HttpProblem(Exception):
    """A request that cannot be run at all: answered with ``status`` and one error."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: Mapping[str, str] | None = None,
        *,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {"code": "BAD_REQUEST"})


#: Where the cache-hit path leaves a request's raw form for the full path to remember.
RAW_REQUEST_SCOPE_KEY = "claimgraph.raw_request"


def request_id(given: str) -> str:
    """A request's ID: the caller's `X-Request-ID` when it is a sane token, else a new one
    (128 random bits in hex, like a UUID's; they name a request in logs, they guard nothing,
    so the cheap generator does, not one system call per request)."""
    ok = 8 <= len(given) <= 64 and all(c.isalnum() or c in "-_" for c in given)
    return given if ok else f"{random.getrandbits(128):032x}"


def request_id_of(request: Request) -> str:
    """The request's ID (see :func:`request_id`), the same however often it is asked for."""
    known = getattr(request.state, "request_id", None)
    if known:
        return str(known)
    request.state.request_id = request_id(request.headers.get("x-request-id", ""))
    return str(request.state.request_id)


def anonymous_client(address: str | None) -> str:
    """The rate-limit client of a request without an API key: its address."""
    return f"ip:{address or 'unknown'}"


def declared_too_large(content_length: str, limit: int) -> bool:
    """Whether a request's `Content-Length` already says its body passes ``limit`` bytes."""
    return content_length.isdigit() and int(content_length) > limit


@dataclass(frozen=True)
class GraphQLParams:
    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None


def negotiate(accept: str | None) -> str | None:
    """The response media type for an ``Accept`` header, or None if we offer none it takes.

    No header or a wildcard means `application/json`, as the spec asks during its move to
    the new type, so older clients keep working. Between equal preferences an explicit type
    beats a wildcard, and graphql-response+json beats json.
    """
    if not accept or not accept.strip():
        return JSON
    best: tuple[float, int, int] = (0.0, 0, 0)
    chosen: str | None = None
    for media, quality in qualities(accept):
        if quality <= 0:
            continue
        if media in (GRAPHQL_RESPONSE, JSON):
            candidates, explicit = [media], 1
        elif media in ("*/*", "application/*"):
            candidates, explicit = [JSON], 0
        else:
            continue
        for candidate in candidates:
            rank = (quality, explicit, 1 if candidate == GRAPHQL_RESPONSE else 0)
            if rank > best:
                best, chosen = rank, candidate
    return chosen


def _json_parameter(raw: Any, name: str) -> dict[str, Any] | None:
    """A `variables` or `extensions` parameter: a JSON object, JSON text of one, or null."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as error:
            raise HttpProblem(400, f"`{name}` is not valid JSON: {error}") from error
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise HttpProblem(400, f"`{name}` must be a JSON object (a map of names to values).")
    return raw


def _params(raw: Mapping[str, Any]) -> GraphQLParams:
    query = raw.get("query")
    if query is not None and not isinstance(query, str):
        raise HttpProblem(400, "`query` must be a string holding a GraphQL document.")
    operation_name = raw.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise HttpProblem(400, "`operationName` must be a string.")
    extensions = _json_parameter(raw.get("extensions"), "extensions")
    if query is None and not (extensions or {}).get("persistedQuery"):
        raise HttpProblem(400, "Give a GraphQL document in `query`.")
    return GraphQLParams(
        query=query,
        variables=_json_parameter(raw.get("variables"), "variables"),
        operation_name=operation_name or None,
        extensions=extensions,
    )


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 once it passes ``limit`` bytes (declared or actual)."""
    too_large = HttpProblem(413, f"The request body is larger than {limit:,} bytes, the limit.")
    if declared_too_large(request.headers.get("content-length", ""), limit):
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise too_large
    return bytes(body)


async def read_params(request: Request, *, max_body_bytes: int) -> GraphQLParams:
    """The GraphQL parameters of a GET (query string) or POST (JSON body) request."""
    if request.method == "GET":
        return _params(request.query_params)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != JSON:
        raise HttpProblem(
            415,
            f"POST a JSON body with `Content-Type: {JSON}` (got {content_type or 'none'}).",
        )
    try:
        body = json.loads(await _read_body(request, max_body_bytes))
    except ValueError as error:
        raise HttpProblem(400, f"The request body is not valid JSON: {error}") from error
    if isinstance(body, list):
        raise HttpProblem(
            400, "Batched requests are not supported: send one operation per request."
        )
    if not isinstance(body, dict):
        raise HttpProblem(400, "The request body must be a JSON object with a `query`.")
    return _params(body)


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` header names ``etag`` (weakly) or anything (``*``)."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def _is_request_error(errors: list[GraphQLError], data: Any) -> bool:
    """The document could not be run at all (syntax, validation, variables): no data."""
    return data is None and bool(errors) and all(error.path is None for error in errors)


def _causes(error: BaseException | None) -> Iterator[BaseException]:
    """An error and the errors it came from."""
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def _is_stale_connection(error: BaseException | None) -> bool:
    """Whether SQLAlchemy found the connection an error happened on dead (and so replaced
    the pool's connections): the database went away, and may be back already."""
    return any(isinstance(e, DBAPIError) and e.connection_invalidated for e in _causes(error))


def _is_database_down(error: BaseException | None) -> bool:
    """Whether an error (or its cause) says the database cannot be reached: a connection
    SQLAlchemy found dead, or a refused, reset or timed-out socket. A wrong query or schema
    ("no such column") is not that: it is our bug, masked like any other."""
    return _is_stale_connection(error) or any(
        isinstance(e, OSError | ConnectionError | TimeoutError) for e in _causes(error)
    )


#: The parser's token limit says what was exceeded in its own words; we add the code.
_LIMIT_MESSAGES = (("Document contains more than", "tokens"),)


def _client_view(error: GraphQLError, request_id: str) -> dict[str, Any]:
    """The error as the client sees it: ours and its own mistakes verbatim, with a code;
    anything unexpected as a generic message and the request ID to quote to us."""
    original = error.original_error
    if is_unexpected(error):
        log.error(
            "unexpected error in request %s: %s",
            request_id,
            original,
            exc_info=original,
            extra={"request_id": request_id},
        )
        return {
            "message": f"Unexpected error. Quote request ID {request_id} if you report it.",
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        }
    formatted: dict[str, Any] = dict(error.formatted)
    extensions = dict(formatted.get("extensions") or {})
    if "code" not in extensions:
        limit = next((name for words, name in _LIMIT_MESSAGES if words in error.message), None)
        if limit is not None:
            extensions.update(code="QUERY_TOO_COMPLEX", limit=limit)
        elif error.message.startswith("Syntax Error"):
            extensions["code"] = "GRAPHQL_PARSE_FAILED"
        else:
            extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
    formatted["extensions"] = extensions
    return formatted


def _body(payload: Mapping[str, Any]) -> bytes:
    # orjson: compact UTF-8 like json.dumps(ensure_ascii=False), ten times faster on a page.
    return orjson.dumps(payload)


#: The headers of an answer that must not be stored (POSTs, errors).
NOT_STORED = {"Vary": "Accept", "Cache-Control": "no-store"}


def cacheable_headers(etag: str, max_age: int) -> dict[str, str]:
    """The headers of a GET answer that browsers and CDNs may keep."""
    return {"ETag": etag, "Vary": "Accept", "Cache-Control": f"public, max-age={max_age}"}


def with_rate(status: int, headers: MutableMapping[str, str], state: RequestState) -> int:
    """Add the client's rate-limit headers; a spent budget turns the answer into a 429."""
    if state.rate is not None:
        headers.update(state.rate.headers())
        if not state.rate.allowed:
            headers["Retry-After"] = str(state.rate.retry_after(time.time()))
            return 429
    return status


def answer_from_cache(
    cached: CachedAnswer, state: RequestState, media: str, headers: Mapping[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """A cached answer (status, headers, body), charged to the client like the query it
    answers: a 429 once the budget is spent."""
    refusal = charge(state, cached.cost)
    if refusal is not None:
        reply = {"Cache-Control": "no-store"}
        status = with_rate(429, reply, state)
        return status, reply, _body({"errors": [refusal.formatted]})
    reply = dict(headers)
    return with_rate(200, reply, state), reply, cached.body


class GraphQLEndpoint:
    """The `/graphql` route: the IDE for browsers, GraphQL over HTTP for everyone else."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        settings: ApiSettings,
        ide_page: Callable[[], str],
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.ide_page = ide_page
        self.persisted = PersistedQueries(capacity=settings.persisted_queries)
        self.schema = build_schema(settings)
        self.prepared = PreparedQueries(self.schema, settings)
        self.responses = ResponseCache(max_bytes=settings.response_cache_bytes)
        self.versions = DataVersionWatch(
            sessions,
            interval=settings.data_version_poll,
            timeout=settings.request_timeout,
            on_change=self.responses.retire,
        )
        self.limiter: RateLimiter = InMemoryRateLimiter(window=settings.rate_limit_window)

    async def __call__(self, request: Request) -> Response:
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
        try:
            if media is None:
                raise HttpProblem(
                    406, f"This endpoint answers with {GRAPHQL_RESPONSE} or {JSON}; ask for one."
                )
            return await self._run(request, media)
        except HttpProblem as problem:
            payload = {"errors": [{"message": problem.message, "extensions": problem.extensions}]}
            headers = {"Cache-Control": "no-store", **problem.headers}
            return Response(_body(payload), problem.status, headers, media_type=media or JSON)
        except Exception as error:
            if not _is_database_down(error):
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
        return Response(_body(payload), 503, headers, media_type=media)

    async def _run(self, request: Request, media: str) -> Response:
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
            body = _body({"errors": [error.formatted]})
            return Response(body, status, {"Cache-Control": "no-store"}, media_type=media)
        state = RequestState(request_id=request_id_of(request), limiter=self.limiter)
        try:
            return await self._answer(request, media, params, query, state)
        except Exception as error:
            if not _is_stale_connection(error):
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
        """Answer a request on a database session: from the response cache, as a prepared
        query, or by Strawberry."""
        settings = self.settings
        is_get = request.method == "GET"
        async with self.sessions() as session:
            await self._identify(request, session, state)
            headers = NOT_STORED
            version, key, etag = 0, "", ""
            if is_get or self.responses.enabled:
                version = await self.versions.read(session)
                key = request_key(media, query or "", params.variables, params.operation_name)
                etag = etag_for(version, key)
            if is_get:
                cacheable = cacheable_headers(etag, settings.cache_max_age)
                if matches(request.headers.get("if-none-match"), etag):
                    return Response(status_code=304, headers=cacheable)
            if self.responses.enabled:
                cached = self.responses.get(version, key)
                if cached is not None:
                    self._remember(request, params, Recognised(key, media))
                    status, reply, body = answer_from_cache(
                        cached, state, media, cacheable if is_get else headers
                    )
                    return Response(body, status, reply, media_type=media)
            context = Context(session, settings, state)
            try:
                async with asyncio.timeout(settings.request_timeout):
                    result = await self._execute(context, query, params, is_get=is_get)
            except InvalidOperationTypeError as error:
                raise HttpProblem(
                    405, error.as_http_error_reason("GET"), {"Allow": "POST"}
                ) from error
            except TimeoutError as error:
                raise HttpProblem(
                    503,
                    f"The query ran longer than {settings.request_timeout:g} s and was stopped. "
                    "Ask for less: smaller pages, fewer nested lists.",
                    extensions={"code": "TIMEOUT"},
                ) from error
            finally:
                await context.db.settle()
        errors = list(result.errors or [])
        for failed in errors:
            if failed.original_error is not None and _is_database_down(failed.original_error):
                raise failed.original_error  # one way to 503 (or a retry), however it failed
        payload: dict[str, object] = {}
        request_error = _is_request_error(errors, result.data)
        if not request_error:
            payload["data"] = result.data
        if errors:
            payload["errors"] = [_client_view(error, state.request_id) for error in errors]
        if result.extensions:
            payload["extensions"] = result.extensions
        status = 400 if request_error and media == GRAPHQL_RESPONSE else 200
        if is_get and not errors:
            headers = cacheable
        body = _body(payload)
        if self.responses.enabled and not errors and state.cost is not None and not state.personal:
            self.responses.put(version, key, CachedAnswer(body=body, cost=state.cost, etag=etag))
            self._remember(request, params, Recognised(key, media))
        headers = dict(headers)
        status = with_rate(status, headers, state)
        return Response(body, status, headers, media_type=media)

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

    async def _identify(self, request: Request, session: AsyncSession, state: RequestState) -> None:
        """Who is asking, for the rate limit: the API key sent as a bearer token, if any (a
        bad one is refused, not ignored), else the client's address."""
        authorization = request.headers.get("authorization", "")
        scheme, _, token = authorization.partition(" ")
        if authorization and (scheme.lower() != "bearer" or not token.strip()):
            raise HttpProblem(
                401,
                "Send an API key as `Authorization: Bearer <key>`, or no Authorization header "
                "for anonymous access.",
                {"WWW-Authenticate": "Bearer"},
                extensions={"code": "UNAUTHENTICATED"},
            )
        if token.strip():
            key = await key_for_token(session, token=token.strip())
            if key is None:
                raise HttpProblem(
                    401,
                    "This API key is unknown or revoked.",
                    {"WWW-Authenticate": 'Bearer error="invalid_token"'},
                    extensions={"code": "UNAUTHENTICATED"},
                )
            state.client, state.budget = f"key:{key.name}", self.settings.rate_limit_keyed_points
        else:
            address = request.client.host if request.client else None
            state.client, state.budget = anonymous_client(address), self.settings.rate_limit_points
