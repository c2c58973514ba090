"""What a GraphQL request over HTTP is answered with: the response body, the errors as the
client sees them (ours masked, with the request ID to quote), caching and rate-limit headers,
and what makes a failure the database's rather than ours."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import orjson
from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError

from claimgraph.api.cost import charge
from claimgraph.api.graphql.schema import is_unexpected
from claimgraph.api.http.response_cache import CachedAnswer
from claimgraph.api.state import RequestState

log = logging.getLogger("claimgraph.api")


def is_request_error(errors: list[GraphQLError], data: Any) -> bool:
    """The document could not be run at all (syntax, validation, variables): no data."""
    return data is None and bool(errors) and all(error.path is None for error in errors)


def _causes(error: BaseException | None) -> Iterator[BaseException]:
    """An error and the errors it came from."""
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def is_stale_connection(error: BaseException | None) -> bool:
    """Whether SQLAlchemy found the connection an error happened on dead (and so replaced
    the pool's connections): the database went away, and may be back already."""
    return any(isinstance(e, DBAPIError) and e.connection_invalidated for e in _causes(error))


def is_database_down(error: BaseException | None) -> bool:
    """Whether an error (or its cause) says the database cannot be reached: a connection
    SQLAlchemy found dead, or a refused, reset or timed-out socket. A wrong query or schema
    ("no such column") is not that: it is our bug, masked like any other."""
    return is_stale_connection(error) or any(
        isinstance(e, OSError | ConnectionError | TimeoutError) for e in _causes(error)
    )


#: The parser's token limit says what was exceeded in its own words; we add the code.
_LIMIT_MESSAGES = (("Document contains more than", "tokens"),)


def client_view(error: GraphQLError, request_id: str) -> dict[str, Any]:
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


def body_of(payload: Mapping[str, Any]) -> bytes:
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
        return status, reply, body_of({"errors": [refusal.formatted]})
    reply = dict(headers)
    return with_rate(200, reply, state), reply, cached.body
