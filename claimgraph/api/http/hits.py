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

from collections.abc import Iterable, Mapping
from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimgraph.api.http.endpoint import GraphQLEndpoint
from claimgraph.api.http.logs import ACCESS_STATE_KEY
from claimgraph.api.http.params import (
    RAW_REQUEST_SCOPE_KEY,
    anonymous_client,
    declared_too_large,
    matches,
    request_id,
)
from claimgraph.api.http.replies import NOT_STORED, answer_from_cache, cacheable_headers
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
        headers = None
        if version is not None and method in ("GET", "POST"):
            headers = _headers(scope["headers"])
        if version is None or headers is None:
            return await self.app(scope, receive, send)
        raw, received = await self._raw_request(scope, receive, method, headers)
        if received is not None:
            receive = _replaying(received, receive)
        if raw is None:
            return await self.app(scope, receive, send)
        if await self._answered(scope, send, version, headers, raw):
            return None
        scope[RAW_REQUEST_SCOPE_KEY] = raw
        return await self.app(scope, receive, send)

    async def _raw_request(
        self, scope: Scope, receive: Receive, method: str, headers: dict[bytes, bytes]
    ) -> tuple[RawRequest | None, list[Message] | None]:
        """The request as the memo knows requests, and the body messages read to see it
        (None where the full path must deal with it: chunked, too long, gone)."""
        accept = headers.get(b"accept", b"")
        if method == "GET":
            return ("GET", accept, b"", scope["query_string"]), None
        length = headers.get(b"content-length")
        declared = length.decode("latin-1") if length else ""
        if not declared.isdigit() or declared_too_large(declared, self.max_body_bytes):
            return None, None  # chunked, or to be refused
        received = await _read_body(receive, int(declared))
        last = received[-1]
        if last["type"] != "http.request" or last.get("more_body", False):
            return None, received  # gone, or longer than it said
        if len(received) == 1:
            body = last.get("body", b"")
        else:
            body = b"".join(message.get("body", b"") for message in received)
        return ("POST", accept, headers.get(b"content-type", b""), body), received

    async def _answered(
        self, scope: Scope, send: Send, version: int, headers: dict[bytes, bytes], raw: RawRequest
    ) -> bool:
        """Answer a request recognised at this data version from memory, if it is one."""
        recognised = self.responses.recognise(raw)
        if recognised is None or (
            recognised.persisted is not None and not self.persisted.lookup(recognised.persisted)
        ):
            return False
        method, origin = scope["method"], headers.get(b"origin")
        given_id = headers.get(b"x-request-id")
        rid = request_id(given_id.decode("latin-1") if given_id else "")
        if_none_match = headers.get(b"if-none-match")
        if method == "GET" and if_none_match is not None:
            etag = etag_for(version, recognised.key)
            if matches(if_none_match.decode("latin-1"), etag):
                reply = cacheable_headers(etag, self.max_age)
                reply["X-Request-ID"] = rid
                await self._reply(send, method, origin, 304, reply, b"", None)
                return True
        answer = self.responses.get(version, recognised.key)
        if answer is None:
            return False
        client = scope.get("client")
        state = RequestState(
            request_id=rid,
            client=anonymous_client(client[0] if client else None),
            budget=self.points,
            limiter=self.endpoint.limiter,
        )
        scope[ACCESS_STATE_KEY] = state
        stored = cacheable_headers(answer.etag, self.max_age) if method == "GET" else NOT_STORED
        status, reply, body = answer_from_cache(answer, state, recognised.media, stored)
        reply["X-Request-ID"] = rid
        await self._reply(send, method, origin, status, reply, body, recognised.media)
        return True

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


#: The request headers the cache-hit path reads (the first of each counts).
_READ = frozenset(
    (b"accept", b"content-type", b"content-length", b"if-none-match", b"x-request-id", b"origin")
)


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[bytes, bytes] | None:
    """The headers it reads; None for a request with an API key (it takes the full path,
    which checks the key against the database every time)."""
    found: dict[bytes, bytes] = {}
    for name, value in raw:
        if name == b"authorization":
            return None
        if name in _READ and name not in found:
            found[name] = value
    return found


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
