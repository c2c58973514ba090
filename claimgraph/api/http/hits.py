"""The cache-hit path: a pure ASGI layer in front of the app that answers a GraphQL request it
has seen before, at the data version in memory, with the stored bytes: no routing, no
middleware but CORS (the app's own middleware and settings, so a hit carries the same CORS
headers), no database session, no parsing.

A request is recognised by its raw form (method, Accept, Content-Type, the body or the query
string; see :class:`~claimgraph.api.http.response_cache.ResponseCache`), which the full path
remembered when it answered it. Everything else goes to the full path unchanged: requests
with an `Authorization` header (an API key is looked up in the database on every request, so
a revoked key is refused at once), anything the full path did not answer with a cacheable
200 (the IDE page, errors, persisted-query registrations, answers that depend on who asks),
requests whose body is chunked or larger than the limit, and every request while the data
version is not known in memory (no poll task: `CLAIMGRAPH_DATA_VERSION_POLL=0`, or the first
read has not succeeded yet). A hit is charged to the client's rate limit like the query it
answers, and carries the headers the full path would have given it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimgraph.api.http.endpoint import (
    NOT_STORED,
    RAW_REQUEST_SCOPE_KEY,
    GraphQLEndpoint,
    anonymous_client,
    answer_from_cache,
    cacheable_headers,
    declared_too_large,
    matches,
    request_id,
)
from claimgraph.api.http.response_cache import RawRequest, etag_for
from claimgraph.api.state import RequestState

#: Response headers whose values differ from one hit to the next. CORS never reads them, so
#: the CORS headers of a hit are worked out from the others (see :class:`_CorsHeaders`).
_VARYING = frozenset(
    {
        "ETag",
        "Retry-After",
        "X-Request-ID",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "X-RateLimit-Used",
    }
)


class CacheHits:
    """In front of ``app`` (the `/graphql` route, behind its CORS): answers hits on ``path``,
    hands everything else to ``app``. ``cors`` are the app's CORS middleware's options."""

    def __init__(
        self, app: ASGIApp, *, endpoint: GraphQLEndpoint, path: str, cors: Mapping[str, Any]
    ) -> None:
        self.app = app
        self.cors = _CorsHeaders(cors)
        self.path = path
        self.endpoint = endpoint
        self.responses = endpoint.responses
        self.versions = endpoint.versions
        self.persisted = endpoint.persisted
        self.max_body_bytes = endpoint.settings.max_body_bytes
        self.max_age = endpoint.settings.cache_max_age
        self.points = endpoint.settings.rate_limit_points

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            return await self.app(scope, receive, send)
        version = self.versions.current
        method = scope["method"]
        if version is None or method not in ("GET", "POST"):
            return await self.app(scope, receive, send)
        accept = content_type = length = if_none_match = given_id = origin = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                return await self.app(scope, receive, send)
            if name == b"accept":
                accept = value if accept is None else accept
            elif name == b"content-type":
                content_type = value if content_type is None else content_type
            elif name == b"content-length":
                length = value if length is None else length
            elif name == b"if-none-match":
                if_none_match = value if if_none_match is None else if_none_match
            elif name == b"x-request-id":
                given_id = value if given_id is None else given_id
            elif name == b"origin":
                origin = value if origin is None else origin
        received: list[Message] | None = None
        if method == "GET":
            raw: RawRequest = ("GET", accept or b"", b"", scope["query_string"])
        else:
            declared = length.decode("latin-1") if length else ""
            if not declared.isdigit() or declared_too_large(declared, self.max_body_bytes):
                return await self.app(scope, receive, send)  # chunked, or to be refused
            received = await _read_body(receive, int(declared))
            last = received[-1]
            if last["type"] != "http.request" or last.get("more_body", False):
                # gone, or longer than it said: the full path deals with it
                return await self.app(scope, _replaying(received, receive), send)
            if len(received) == 1:
                body = last.get("body", b"")
            else:
                body = b"".join(message.get("body", b"") for message in received)
            raw = ("POST", accept or b"", content_type or b"", body)
        recognised = self.responses.recognise(raw)
        if recognised is not None and (
            recognised.persisted is None or self.persisted.lookup(recognised.persisted)
        ):
            rid = request_id(given_id.decode("latin-1") if given_id else "")
            if method == "GET" and if_none_match is not None:
                etag = etag_for(version, recognised.key)
                if matches(if_none_match.decode("latin-1"), etag):
                    headers = cacheable_headers(etag, self.max_age)
                    headers["X-Request-ID"] = rid
                    return await self._reply(send, method, origin, 304, headers, b"", None)
            answer = self.responses.get(version, recognised.key)
            if answer is not None:
                client = scope.get("client")
                state = RequestState(
                    request_id=rid,
                    client=anonymous_client(client[0] if client else None),
                    budget=self.points,
                    limiter=self.endpoint.limiter,
                )
                status, headers, body = answer_from_cache(
                    answer,
                    state,
                    recognised.media,
                    cacheable_headers(answer.etag, self.max_age) if method == "GET" else NOT_STORED,
                )
                headers["X-Request-ID"] = rid
                return await self._reply(
                    send, method, origin, status, headers, body, recognised.media
                )
        scope[RAW_REQUEST_SCOPE_KEY] = raw
        if received is not None:
            receive = _replaying(received, receive)
        return await self.app(scope, receive, send)

    async def _reply(
        self,
        send: Send,
        method: str,
        origin: bytes | None,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        media: str | None,
    ) -> None:
        """Send a whole response, its headers as Starlette's `Response` and the CORS
        middleware would write them."""
        fixed: list[tuple[bytes, bytes]] = []
        varying: list[tuple[bytes, bytes]] = []
        for name, value in headers.items():
            pair = (_encoded(name), value.encode("latin-1"))
            (varying if name in _VARYING else fixed).append(pair)
        if media is not None:
            fixed.append((b"content-type", media.encode("latin-1")))
        if status != 304:
            varying.append((b"content-length", str(len(body)).encode("latin-1")))
        raw = [*await self.cors.headers(method, origin, tuple(fixed)), *varying]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


class _CorsHeaders:
    """The headers of a hit once the app's CORS middleware has been at them. They depend only
    on the request's method and Origin and on the response's headers other than
    :data:`_VARYING`, so the middleware itself works them out once for each such combination,
    on a stand-in response, and they are kept (a bounded table: the Origin is the client's)."""

    def __init__(self, options: Mapping[str, Any], *, limit: int = 1024) -> None:
        self.middleware = CORSMiddleware(_stand_in, **options)
        self.limit = limit
        self._known: dict[tuple[str, bytes | None, Headers], Headers] = {}

    async def headers(self, method: str, origin: bytes | None, fixed: Headers) -> Headers:
        key = (method, origin, fixed)
        known = self._known.get(key)
        if known is None:
            known = await self._work_out(method, origin, fixed)
            if len(self._known) >= self.limit:
                self._known.clear()
            self._known[key] = known
        return known

    async def _work_out(self, method: str, origin: bytes | None, fixed: Headers) -> Headers:
        scope = {
            "type": "http",
            "method": method,
            "headers": [] if origin is None else [(b"origin", origin)],
            _STAND_IN_SCOPE_KEY: fixed,
        }
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            sent.append(message)

        await self.middleware(scope, receive, send)
        return tuple(sent[0]["headers"])


#: The response headers the stand-in sends, through the scope it gets.
_STAND_IN_SCOPE_KEY = "claimgraph.stand_in_headers"

#: Raw headers, as ASGI sends them.
Headers = tuple[tuple[bytes, bytes], ...]


async def _stand_in(scope: Scope, _receive: Receive, send: Send) -> None:
    await send(
        {"type": "http.response.start", "status": 200, "headers": list(scope[_STAND_IN_SCOPE_KEY])}
    )
    await send({"type": "http.response.body", "body": b""})


async def _read_body(receive: Receive, declared: int) -> list[Message]:
    """The request's messages up to the body's end, a disconnect, or more than ``declared``
    bytes (which the full path then refuses as it would any body too large)."""
    received: list[Message] = []
    size = 0
    while True:
        message = await receive()
        received.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return received
        size += len(message.get("body", b""))
        if size > declared:
            return received


def _replaying(received: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that hands on the messages already read, then the rest."""
    pending = list(received)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


#: Header names as they go out (lower case, bytes), encoded once.
_NAMES: dict[str, bytes] = {}


def _encoded(name: str) -> bytes:
    encoded = _NAMES.get(name)
    if encoded is None:
        encoded = _NAMES.setdefault(name, name.lower().encode("latin-1"))
    return encoded
