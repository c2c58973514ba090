"""GraphQL over HTTP, as the GraphQL-over-HTTP specification says: queries by GET and POST,
`application/graphql-response+json` or `application/json` by content negotiation, the
status codes that go with each, ETags and caching for GET, and persisted queries.

Strawberry stays the schema, validator and executor; this module owns the HTTP around it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from claimgraph.api.context import Context, RequestState
from claimgraph.api.errors import ClientError
from claimgraph.api.headers import qualities
from claimgraph.api.limits import charge
from claimgraph.api.persisted import PersistedQueries
from claimgraph.api.ratelimit import InMemoryRateLimiter, RateLimiter
from claimgraph.api.response_cache import CachedAnswer, ResponseCache
from claimgraph.api.schema import is_unexpected, schema
from claimgraph.api.settings import ApiSettings
from claimgraph.db.queries.changes import data_version
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


def request_id_of(request: Request) -> str:
    """The request's ID: the caller's `X-Request-ID` when it is a sane token, else a new one."""
    known = getattr(request.state, "request_id", None)
    if known:
        return str(known)
    given = request.headers.get("x-request-id", "")
    ok = 8 <= len(given) <= 64 and all(c.isalnum() or c in "-_" for c in given)
    request.state.request_id = given if ok else uuid.uuid4().hex
    return str(request.state.request_id)


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
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
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


def _etag(version: int, media: str, params: GraphQLParams, query: str) -> str:
    key = json.dumps(
        [version, media, query, params.variables, params.operation_name], sort_keys=True
    )
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def _is_request_error(errors: list[GraphQLError], data: Any) -> bool:
    """The document could not be run at all (syntax, validation, variables): no data."""
    return data is None and bool(errors) and all(error.path is None for error in errors)


def _is_database_down(error: BaseException | None) -> bool:
    """Whether an error (or its cause) says the database cannot be reached: a connection
    SQLAlchemy found dead, or a refused, reset or timed-out socket. A wrong query or schema
    ("no such column") is not that: it is our bug, masked like any other."""
    while error is not None:
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, OSError | ConnectionError | TimeoutError):
            return True
        error = error.__cause__ or error.__context__
    return False


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
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


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
        self.responses = ResponseCache(max_bytes=settings.response_cache_bytes)
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
        is_get = request.method == "GET"
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
        async with self.sessions() as session:
            await self._identify(request, session, state)
            headers = {"Vary": "Accept", "Cache-Control": "no-store"}
            version = await data_version(session) if is_get or self.responses.enabled else None
            if is_get:
                etag = _etag(version or 0, media, params, query or "")
                cacheable = {
                    "ETag": etag,
                    "Vary": "Accept",
                    "Cache-Control": f"public, max-age={self.settings.cache_max_age}",
                }
                if _matches(request.headers.get("if-none-match"), etag):
                    return Response(status_code=304, headers=cacheable)
            cache_key = None
            if version is not None and self.responses.enabled and query is not None:
                cache_key = self.responses.key(
                    version, media, query, params.variables, params.operation_name
                )
                cached = self.responses.get(cache_key)
                if cached is not None:
                    return self._cached(cached, state, media, cacheable if is_get else headers)
            context = Context(session, settings, state)
            try:
                async with asyncio.timeout(settings.request_timeout):
                    result = await schema.execute(
                        query,
                        variable_values=params.variables,
                        context_value=context,
                        operation_name=params.operation_name,
                        allowed_operation_types=[OperationType.QUERY] if is_get else None,
                    )
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
        if any(_is_database_down(error.original_error) for error in errors):
            return self._database_down(media)
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
        if cache_key is not None and not errors and state.cost is not None and not state.personal:
            self.responses.put(cache_key, CachedAnswer(body=body, cost=state.cost))
        return self._with_rate(Response(body, status, headers, media_type=media), state)

    def _with_rate(self, response: Response, state: RequestState) -> Response:
        """Add the client's rate-limit headers; a spent budget turns the answer into a 429."""
        if state.rate is not None:
            response.headers.update(state.rate.headers())
            if not state.rate.allowed:
                response.status_code = 429
                response.headers["Retry-After"] = str(state.rate.retry_after(time.time()))
        return response

    def _cached(
        self, cached: CachedAnswer, state: RequestState, media: str, headers: dict[str, str]
    ) -> Response:
        """A cached answer, charged to the client like the query it answers."""
        refusal = charge(state, cached.cost)
        if refusal is not None:
            body = _body({"errors": [refusal.formatted]})
            return self._with_rate(
                Response(body, 429, {"Cache-Control": "no-store"}, media_type=media), state
            )
        return self._with_rate(Response(cached.body, 200, dict(headers), media_type=media), state)

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
            address = request.client.host if request.client else "unknown"
            state.client, state.budget = f"ip:{address}", self.settings.rate_limit_points
