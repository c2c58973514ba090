"""Who is asking: the API key a request carries as a bearer token, if any (a bad one is
refused, never ignored), with its scope; else the client's address, as the state says."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.http.params import HttpProblem
from claimgraph.api.settings import ApiSettings
from claimgraph.api.state import RequestState
from claimgraph.db.queries.keys import key_for_token
from claimgraph.db.queries.visibility import SEES_DRAFTS


async def identify(
    request: Request, session: AsyncSession, state: RequestState, settings: ApiSettings
) -> None:
    """Who is asking, for the rate limit: the API key sent as a bearer token, if any (a
    bad one is refused, not ignored); else the client's address, as the state says."""
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
        state.client, state.budget = f"key:{key.name}", settings.rate_limit_keyed_points
        state.scope, state.key_name = key.scope, key.name
        # An editor's answers may hold drafts: never cached, never shared.
        state.personal = state.personal or state.sees_drafts
    # Every query built for this request shows drafts to an editor only.
    SEES_DRAFTS.set(state.sees_drafts)
