"""The node types as lazy references, for fields of one type that name another: the types'
modules import each other only through these, so no import circle forms. Type checkers see
the classes themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimgraph.api.graphql.types.actor import Actor
    from claimgraph.api.graphql.types.agreement import Agreement
    from claimgraph.api.graphql.types.deployment import Deployment
    from claimgraph.api.graphql.types.event import Event
    from claimgraph.api.graphql.types.source import Source
    from claimgraph.api.graphql.types.statement import Statement
else:
    from strawberry.types.lazy_type import LazyType

    _TYPES = "claimgraph.api.graphql.types"
    Actor = LazyType("Actor", f"{_TYPES}.actor")
    Agreement = LazyType("Agreement", f"{_TYPES}.agreement")
    Deployment = LazyType("Deployment", f"{_TYPES}.deployment")
    Event = LazyType("Event", f"{_TYPES}.event")
    Source = LazyType("Source", f"{_TYPES}.source")
    Statement = LazyType("Statement", f"{_TYPES}.statement")

__all__ = ["Actor", "Agreement", "Deployment", "Event", "Source", "Statement"]
