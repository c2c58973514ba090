"""What a GraphQL request over HTTP asks: its parameters (GET query string or POST JSON
body, within the size limit), the media type to answer with, its ID, and problems that stop
it before it runs (answered with a status and one error)."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from claimgraph.api.http.negotiation import qualities

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


def lone_surrogate(value: Any, where: str) -> str | None:
    """Where in a decoded JSON value a string holds a lone UTF-16 surrogate (``"\\ud800"``
    decodes to one; no UTF-8 text can hold it, so nothing downstream could encode it)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        inner = f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}"
        found = lone_surrogate(key, f"{where} (a key)") or lone_surrogate(item, inner)
        if found is not None:
            return found
    return None


def _check_text(params: GraphQLParams) -> GraphQLParams:
    """``params``, refused if any of its text is not Unicode."""
    given = {
        "query": params.query,
        "operationName": params.operation_name,
        "variables": params.variables,
        "extensions": params.extensions,
    }
    for name, value in given.items():
        where = lone_surrogate(value, name)
        if where is not None:
            raise HttpProblem(
                400,
                f"{where}: the text holds a lone UTF-16 surrogate (such as \\ud800), which is "
                "not a character; send valid Unicode.",
                extensions={"code": "BAD_USER_INPUT", "where": where},
            )
    return params


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
    params = GraphQLParams(
        query=query,
        variables=_json_parameter(raw.get("variables"), "variables"),
        operation_name=operation_name or None,
        extensions=extensions,
    )
    return _check_text(params)


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
