"""Rows into GraphQL objects, by their types' field declarations (claimgraph.api.fields).

Every object holds the row it stands for (``row``); its plain fields (columns, the global
ID, objects kept in its columns) are read from the row once, when the object is built, and
its other fields resolve from ``row`` when asked (claimgraph.api.graphql.declare).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import strawberry
from strawberry.types.base import StrawberryOptional

from claimgraph.api.fields import DECLARATION, Column, Embedded, GlobalId
from claimgraph.api.ids import to_global_id

T = TypeVar("T")
Reader = Callable[[Any], Any]

_TYPES: dict[type[Any], type[Any]] = {}
_READERS: dict[type[Any], list[tuple[str, Reader]]] = {}


class Prefixed:
    """The columns ``<prefix>_*`` of an ``owner`` row, as the row of an embedded object."""

    __slots__ = ("owner", "prefix")

    def __init__(self, owner: Any, prefix: str) -> None:
        self.owner = owner
        self.prefix = prefix

    def __getattr__(self, name: str) -> Any:
        return getattr(self.owner, f"{self.prefix}_{name}")


def represents(model: type[Any]) -> Callable[[type[T]], type[T]]:
    """Register a GraphQL type as the one that ``model`` rows become."""

    def register(cls: type[T]) -> type[T]:
        _TYPES[model] = cls
        return cls

    return register


def build(cls: type[T], row: Any, **custom: Any) -> T:
    """The ``cls`` object standing for ``row``; ``custom`` gives the values of plain fields
    whose declaration is custom (a relation's direction)."""
    readers = _READERS.get(cls)
    if readers is None:
        readers = _READERS[cls] = _readers_of(cls)
    make: Any = cls  # Strawberry types take their fields, row included, as keywords
    built: T = make(row=row, **{name: read(row) for name, read in readers}, **custom)
    return built


def as_type(row: Any) -> Any:
    """The GraphQL object for a row of any registered model."""
    return build(_TYPES[type(row)], row)


def as_types(rows: Iterable[Any]) -> list[Any]:
    return [as_type(row) for row in rows]


def _readers_of(cls: type[Any]) -> list[tuple[str, Reader]]:
    """How each plain field of ``cls`` is read from a row (fields with resolvers aside)."""
    definition = cls.__strawberry_definition__
    readers = []
    for field in definition.fields:
        declaration = (field.metadata or {}).get(DECLARATION)
        if field.base_resolver is not None or declaration is None:
            continue
        if isinstance(declaration, GlobalId):
            readers.append((field.python_name, _global_id(definition.name)))
        elif isinstance(declaration, Column):
            readers.append((field.python_name, _column(declaration.name, field.type)))
        elif isinstance(declaration, Embedded):
            readers.append((field.python_name, _embedded(declaration.prefix, field.type)))
    return readers


def _global_id(type_name: str) -> Reader:
    return lambda row: strawberry.ID(to_global_id(type_name, row.slug))


def _column(name: str, field_type: Any) -> Reader:
    target = getattr(field_type, "of_type", field_type)
    python_enum = getattr(target, "wrapped_cls", target)
    if isinstance(python_enum, type) and issubclass(python_enum, enum.Enum):
        convert: Callable[[Any], Any] = python_enum
        return lambda row: None if (v := getattr(row, name)) is None else convert(v)
    return lambda row: getattr(row, name)


def _embedded(prefix: str, field_type: Any) -> Reader:
    nullable = isinstance(field_type, StrawberryOptional)
    target = field_type.of_type if nullable else field_type
    first = next(
        d.name
        for f in target.__strawberry_definition__.fields
        if isinstance(d := (f.metadata or {}).get(DECLARATION), Column)
    )

    def read(row: Any) -> Any:
        if nullable and getattr(row, f"{prefix}_{first}") is None:
            return None
        return build(target, Prefixed(row, prefix))

    return read
