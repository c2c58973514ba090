"""The Node interface, and the registry that turns any row into its GraphQL type."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import strawberry

from claimgraph.api.ids import to_global_id

T = TypeVar("T")

_TYPES: dict[type[Any], Callable[[Any], Any]] = {}


@strawberry.interface(
    description="An object with a global ID: pass it to `node(id:)` to fetch the object again. "
    "IDs are opaque and stable across data reloads and database engines."
)
class Node:
    id: strawberry.ID = strawberry.field(description="The object's global ID.")


def global_id(type_name: str, slug: str) -> strawberry.ID:
    return strawberry.ID(to_global_id(type_name, slug))


def represents(model: type[Any]) -> Callable[[type[T]], type[T]]:
    """Register a GraphQL type as the one that ``model`` rows become (via ``from_row``)."""

    def register(cls: type[T]) -> type[T]:
        _TYPES[model] = cls.from_row  # type: ignore[attr-defined]
        return cls

    return register


def as_type(row: Any) -> Any:
    """The GraphQL object for a row of any registered model."""
    return _TYPES[type(row)](row)


def as_types(rows: Iterable[Any]) -> list[Any]:
    return [as_type(row) for row in rows]
