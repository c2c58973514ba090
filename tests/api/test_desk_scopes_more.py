"""Who may run the desk's later mutations (relations, agreements, deployments, events,
merges): no key is UNAUTHENTICATED, too small a scope FORBIDDEN, on both engines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from tests.api.test_desk import count, key, post

PATEL = to_global_id("Statement", "patel-at-no-point-did-we-discuss-withdrawal")
DENIAL = to_global_id("Statement", "state-department-denies-withdrawal-discussed")
JIAD = to_global_id("Statement", "jiad-agreement-reached-withdraw-by-end-2025")
AGREEMENT = to_global_id("Agreement", "iraq-us-coalition-withdrawal-agreement")
DEPLOYMENT = to_global_id("Deployment", "us-forces-in-iraq-2024-09")
EVENT = to_global_id("Event", "first-hmc-meeting")
US_FORCES = to_global_id("Actor", "us-forces")
ISIS = to_global_id("Actor", "isis")

#: name -> (input type, valid input, selection, scope it needs, change-log entries it writes)
MUTATIONS: dict[str, tuple[str, dict[str, Any], str, str, int]] = {
    "addRelation": (
        "AddRelationInput",
        {"subject": PATEL, "kind": "SUPPORTS", "object": DENIAL},
        "statement { id }",
        "EDIT",
        2,
    ),
    "removeRelation": (
        "RemoveRelationInput",
        {"subject": PATEL, "kind": "CONTRADICTS", "object": JIAD, "reason": "scope check"},
        "statement { id }",
        "EDIT",
        2,
    ),
    "createAgreement": (
        "CreateAgreementInput",
        {"title": "Scope check", "status": "PROPOSED"},
        "agreement { id }",
        "EDIT",
        1,
    ),
    "updateAgreement": (
        "UpdateAgreementInput",
        {"id": AGREEMENT, "expectedRevision": 1, "reason": "scope check", "summary": "x"},
        "agreement { id }",
        "EDIT",
        1,
    ),
    "createDeployment": (
        "CreateDeploymentInput",
        {"force": US_FORCES, "country": "iq", "asOf": {"edtf": "2024"}},
        "deployment { id }",
        "EDIT",
        1,
    ),
    "updateDeployment": (
        "UpdateDeploymentInput",
        {"id": DEPLOYMENT, "expectedRevision": 1, "reason": "scope check", "personnel": 1},
        "deployment { id }",
        "EDIT",
        1,
    ),
    "createEvent": (
        "CreateEventInput",
        {"title": "Scope check", "occurredOn": {"edtf": "2024~"}},
        "event { id }",
        "EDIT",
        1,
    ),
    "updateEvent": (
        "UpdateEventInput",
        {"id": EVENT, "expectedRevision": 1, "reason": "scope check", "kind": "talks"},
        "event { id }",
        "EDIT",
        1,
    ),
    "mergeActors": (
        "MergeActorsInput",
        {"keep": US_FORCES, "duplicate": ISIS, "reason": "scope check"},
        "actor { id }",
        "ADMIN",
        -1,  # the actors and every record naming the duplicate
    ),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@pytest.mark.parametrize("scope", [None, "READ", "EDIT", "ADMIN"])
async def test_the_later_mutations_need_their_scope(
    client: httpx.AsyncClient, connection: AsyncConnection, name: str, scope: str | None
) -> None:
    input_type, given, selection, needed, entries = MUTATIONS[name]
    text = (
        f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ {selection} "
        "userErrors { field code message } } }"
    )
    token = None if scope is None else await key(connection, m.KeyScope[scope])
    changes = await count(connection, m.Change)
    body = await post(client, text, {"input": given}, token)
    allowed = ["EDIT", "ADMIN"] if needed == "EDIT" else ["ADMIN"]
    if scope in allowed:
        assert "errors" not in body, body
        assert body["data"][name]["userErrors"] == []
        written = await count(connection, m.Change) - changes
        assert written == entries if entries > 0 else written > 2
    else:
        assert body["data"] is None
        [error] = body["errors"]
        assert error["path"] == [name]
        assert error["extensions"]["code"] == ("UNAUTHENTICATED" if scope is None else "FORBIDDEN")
        assert needed in error["message"]
        assert await count(connection, m.Change) == changes
