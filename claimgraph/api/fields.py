"""What each field of the object types means, declared once.

A declaration rides on its Strawberry field (``metadata``, attached by the helpers in
:mod:`claimgraph.api.graphql.declare`), so a field's name, type, description and meaning stand
in one place. Three readers derive their work from it:

- the resolvers (:mod:`claimgraph.api.graphql`): plain values from the row, linked rows
  through the loaders;
- the compiled path (:mod:`claimgraph.api.compiled`): the SQL that builds the field's JSON;
- the bulk export (:mod:`claimgraph.api.records`): the field's value in a record.

Names of columns are relative to the object's row: a node's own table, or for an object kept
in its owner's columns (a ``FuzzyDate``, an ``Excerpt``) the owner's columns under a prefix.
Link, child and list names refer to :mod:`claimgraph.api.links`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The key of a declaration in a Strawberry field's metadata.
DECLARATION = "claimgraph.declaration"


@dataclass(frozen=True)
class Column:
    """A column of the object's row, as it is (enums by name, dates in ISO 8601)."""

    name: str


@dataclass(frozen=True)
class GlobalId:
    """The node's global ID: its type name and slug (claimgraph.api.ids)."""


@dataclass(frozen=True)
class Embedded:
    """An object kept in the owner's columns ``<prefix>_*`` (a date, an excerpt). When the
    field may be null, it is null where its first column is."""

    prefix: str


@dataclass(frozen=True)
class One:
    """The node of type ``type_name`` that the column ``foreign_key`` names (null if none).
    ``of_owner``: the column is the owner's, not under the embedded object's prefix."""

    type_name: str
    foreign_key: str
    of_owner: bool = False


@dataclass(frozen=True)
class Linked:
    """The nodes a link table joins the object to (``LINKS[link]``), in the link's order."""

    link: str


@dataclass(frozen=True)
class Children:
    """The rows that belong to the object, in their order (``CHILDREN[name]``)."""

    name: str


@dataclass(frozen=True)
class StatementPage:
    """A page of the statements nested in the object (``STATEMENT_LISTS[list_name]``)."""

    list_name: str


@dataclass(frozen=True)
class Custom:
    """A field whose meaning is its own code: a resolver in the type's module, and the
    compiled path's producer of the same (type, field) name where there is one. A field the
    compiled path leaves to the resolvers says why in ``resolver_only``."""

    resolver_only: str | None = None


Declaration = Column | GlobalId | Embedded | One | Linked | Children | StatementPage | Custom


def declaration_of(field: Any) -> Declaration | None:
    """The declaration of a graphql-core field that Strawberry built (None if undeclared)."""
    definition = field.extensions.get("strawberry-definition") if field.extensions else None
    if definition is None or definition.metadata is None:
        return None
    found: Declaration | None = definition.metadata.get(DECLARATION)
    return found


def key_column(object_type: Any) -> str:
    """The column whose null means an embedded object of this graphql-core type is absent:
    its first column field (a date's `edtf`)."""
    return next(
        d.name for f in object_type.fields.values() if isinstance(d := declaration_of(f), Column)
    )
