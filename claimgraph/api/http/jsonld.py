"""``GET /statements/{id}.jsonld``: a statement as a schema.org Claim."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from claimgraph.api.errors import ClientError
from claimgraph.api.graphql.jsonld import JSON_LD, statement_document
from claimgraph.api.graphql.loaders import Loaders
from claimgraph.api.http.admission import Refused, charge_route, client_of
from claimgraph.api.http.ratelimit import RateLimiter
from claimgraph.api.ids import parse_global_id
from claimgraph.api.session import RequestDb
from claimgraph.api.settings import ApiSettings


def _not_found(message: str, code: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=404,
        headers={"Cache-Control": "no-store"},
    )


def add_jsonld_routes(
    app: FastAPI,
    *,
    sessions: async_sessionmaker[AsyncSession],
    settings: ApiSettings,
    limiter: RateLimiter,
) -> None:
    @app.get("/statements/{id}.jsonld", include_in_schema=False, response_model=None)
    async def statement_jsonld(id: str, request: Request) -> Response:
        """A statement as a schema.org Claim (``id`` is its global ID); a point a request."""
        try:
            rate = charge_route(limiter, settings, client_of(request), 1)
        except Refused as refused:
            return refused.response
        try:
            _, slug = parse_global_id(id, argument="id", expected=("Statement",))
        except ClientError as error:
            return _not_found(error.message, "INVALID_ID")
        async with sessions() as session:
            loaders = Loaders(RequestDb(session))
            row = await loaders.by_slug("Statement").load(slug)
            if row is None:
                return _not_found(f"id: no Statement with ID {id!r} exists.", "NOT_FOUND")
            document = await statement_document(loaders, row, base_url=settings.base_url)
        return JSONResponse(document, media_type=JSON_LD, headers=rate.headers())
