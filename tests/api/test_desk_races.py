"""Optimistic concurrency, proved: of 20 concurrent corrections of one statement made against
the same revision, exactly one is written and 19 get STALE_REVISION, on both engines; no
update is lost (the stored claim, revision, history and change log are the winner's alone).
The requests run through the app on separate connections to a database of their own."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from claimgraph.api.app import create_app
from claimgraph.api.settings import ApiSettings
from claimgraph.db import models as m
from claimgraph.db.queries.keys import create_key
from tests.api.test_desk import STATEMENT
from tests.conftest import ENGINES, POSTGRES_URL
from tests.support.isolated import isolated_engine

UPDATE = """mutation ($input: UpdateStatementInput!) {
  updateStatement(input: $input) { statement { claim revision } userErrors { field code message } }
}"""


@pytest.mark.parametrize("kind", ENGINES)
async def test_of_twenty_racing_corrections_exactly_one_wins(kind: str, tmp_path: Path) -> None:
    async with isolated_engine(kind, tmp_path, POSTGRES_URL) as engine:
        async with async_sessionmaker(engine)() as session, session.begin():
            _, token = await create_key(session, name="racer", scope=m.KeyScope.EDIT)
        settings = ApiSettings(response_cache_bytes=0, data_version_poll=0)
        app = create_app(engine=engine, settings=settings)
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://race.test") as http:

            async def correct(n: int) -> dict[str, Any]:
                variables = {
                    "input": {
                        "id": STATEMENT,
                        "expectedRevision": 1,
                        "reason": f"desk {n}",
                        "claim": f"Claim as corrected by desk {n}.",
                    }
                }
                response = await http.post(
                    "/graphql", json={"query": UPDATE, "variables": variables}, headers=headers
                )
                assert response.status_code == 200, response.text
                body = response.json()
                assert "errors" not in body, body
                payload: dict[str, Any] = body["data"]["updateStatement"]
                return payload

            results = await asyncio.gather(*(correct(n) for n in range(20)))

        winners = [r for r in results if r["userErrors"] == []]
        losers = [r for r in results if r["userErrors"] != []]
        assert len(winners) == 1
        assert len(losers) == 19
        [winner] = winners
        assert winner["statement"] == {"claim": winner["statement"]["claim"], "revision": 2}
        for loser in losers:
            [error] = loser["userErrors"]
            assert error["code"] == "STALE_REVISION"
            assert error["field"] == ["input", "expectedRevision"]
            assert "at revision 2, not 1" in error["message"]
            assert loser["statement"] is None

        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    select(m.Statement.id, m.Statement.claim, m.Statement.revision).where(
                        m.Statement.slug == "patel-at-no-point-did-we-discuss-withdrawal"
                    )
                )
            ).one()
            assert (row.claim, row.revision) == (winner["statement"]["claim"], 2)
            numbers = list(
                await connection.scalars(
                    select(m.Revision.number)
                    .where(m.Revision.node_type == "Statement", m.Revision.node_id == row.id)
                    .order_by(m.Revision.number)
                )
            )
            assert numbers == [1, 2]
            updates = await connection.scalar(
                select(func.count()).where(
                    m.Change.node_slug == "patel-at-no-point-did-we-discuss-withdrawal",
                    m.Change.kind == m.ChangeKind.UPDATED,
                )
            )
            assert updates == 1
