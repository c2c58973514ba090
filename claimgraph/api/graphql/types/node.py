"""The Node interface: every record with a global ID."""

from __future__ import annotations

import strawberry

from claimgraph.api.fields import DECLARATION, GlobalId


@strawberry.interface(
    description="An object with a global ID: pass it to `node(id:)` to fetch the object again. "
    "IDs are opaque and stable across data reloads and database engines."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="The object's global ID.", metadata={DECLARATION: GlobalId()}
    )
