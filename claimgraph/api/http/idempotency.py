"""The ``Idempotency-Key`` header on mutations: the same key and the same request within 24
hours get the first answer again (byte for byte, same status); the same key with another
request is refused with ``IDEMPOTENCY_KEY_REUSED``. Keys are per client (the API key's name).
The key is claimed in the mutation's own write transaction and its answer kept there too
(claimgraph.db.queries.idempotency), so two concurrent requests with one key never write twice."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import orjson
from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.http.params import GraphQLParams, HttpProblem
from claimgraph.api.state import RequestState
from claimgraph.db.models.idempotency import MAX_KEY_LENGTH
from claimgraph.db.queries.idempotency import claim_key, keep_answer

HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Claim:
    """A key this request holds: its answer is to be kept under it."""

    client: str
    key: str


def key_of(request: Request) -> str | None:
    """The request's idempotency key, if it sends one; a bad one is refused, saying why."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key or len(key) > MAX_KEY_LENGTH or not all(" " <= c <= "~" for c in key):
        raise HttpProblem(
            400,
            f"{HEADER} header: give 1 to {MAX_KEY_LENGTH} printable ASCII characters (a UUID "
            f"is a good key); this one is {len(key)} characters long"
            + ("" if all(" " <= c <= "~" for c in key) else " and holds other characters")
            + ".",
            extensions={"code": "INVALID_IDEMPOTENCY_KEY"},
        )
    return key


def fingerprint(params: GraphQLParams) -> str:
    """SHA-256 of what makes two requests the same: query, variables, operation name."""
    request = {
        "query": params.query,
        "variables": params.variables,
        "operationName": params.operation_name,
    }
    return hashlib.sha256(orjson.dumps(request, option=orjson.OPT_SORT_KEYS)).hexdigest()


async def claim(
    request: Request, params: GraphQLParams, session: AsyncSession, state: RequestState
) -> Claim | Response | None:
    """Claim the request's key: a :class:`Claim` to keep the answer under, the answer kept
    for the same request before (to send again), or None without a key (or without an API
    key: the mutation is refused anyway). Another request under the key is refused."""
    key = key_of(request)
    if key is None or state.key_name is None:
        return None
    sent = fingerprint(params)
    kept = await claim_key(
        session, client=state.client, key=key, fingerprint=sent, now=dt.datetime.now(dt.UTC)
    )
    if kept is None:
        return Claim(state.client, key)
    if kept.fingerprint != sent:
        raise HttpProblem(
            422,
            f"{HEADER} header: the key {key!r} was used in the last 24 hours for another "
            "request (another query, variables or operation); send a new key for a new request.",
            extensions={"code": "IDEMPOTENCY_KEY_REUSED"},
        )
    headers = {"Vary": "Accept", "Cache-Control": "no-store", "Idempotent-Replayed": "true"}
    return Response(kept.body, kept.status, headers, media_type=kept.media_type)


async def keep(session: AsyncSession, held: Claim, response: Response) -> None:
    """Keep ``response`` under the claimed key, in the transaction of the mutation's writes."""
    await keep_answer(
        session,
        client=held.client,
        key=held.key,
        status=response.status_code,
        media_type=response.media_type or "application/json",
        body=bytes(response.body),
    )
