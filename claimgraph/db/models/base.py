"""The declarative base, constraint naming, and the column types every model shares."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Enum, MetaData, String, Table, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, composite, mapped_column
from sqlalchemy.orm.properties import MappedColumn
from sqlalchemy.types import TypeDecorator

from claimgraph.db.fuzzy_dates import DatePrecision, FuzzyDate

# Constraint names are set once here so migrations are the same on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[dt.datetime]:
        return dt.datetime

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: timestamps must carry a timezone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Every model; ``recorded_at``/``updated_at`` are when this database recorded/changed it."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        list[dict[str, Any]]: JSON(),
    }


class Timestamped:
    """When this database first recorded a row and last changed it (exact, UTC), and how
    many times: ``revision`` counts its revisions (claimgraph.db.models.revision), 1 first."""

    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revision: Mapped[int] = mapped_column(server_default="1")


def col(model: type[Base], name: str) -> Column[Any]:
    """A column of ``model`` by name: the way to reach the columns behind a composite
    (``col(Statement, "said_earliest")``) in queries."""
    return model.__table__.c[name]  # type: ignore[return-value]  # a mapped table's column


def table_of(model: type[Base] | Table) -> Table:
    """The table of a mapped class (a link table is its own), typed as a :class:`Table`."""
    table = model if isinstance(model, Table) else model.__table__
    assert isinstance(table, Table)  # declarative classes map plain tables here
    return table


def slug_column() -> MappedColumn[str]:
    """The stable, human-readable key a record has in the seed files and in its global ID."""
    return mapped_column(String(200), unique=True)


def enum_column(enum_class: type[enum.Enum], name: str, **kwargs: Any) -> MappedColumn[Any]:
    """An enum stored as its name in a short string column with a CHECK constraint."""
    return mapped_column(
        Enum(enum_class, native_enum=False, length=32, name=name, create_constraint=True),
        **kwargs,
    )


def fuzzy_date_columns(prefix: str, *, nullable: bool = False) -> Any:
    """The eight columns of a :class:`FuzzyDate`, as one composite attribute.

    ``<prefix>_earliest``/``<prefix>_latest`` carry the filters and sort keys.
    """
    return composite(
        FuzzyDate,
        mapped_column(f"{prefix}_edtf", String(100), nullable=nullable),
        mapped_column(f"{prefix}_earliest", Date, nullable=nullable),
        mapped_column(f"{prefix}_latest", Date, nullable=nullable),
        mapped_column(
            f"{prefix}_precision",
            Enum(
                DatePrecision,
                native_enum=False,
                length=16,
                name=f"{prefix}_precision",
                create_constraint=True,
            ),
            nullable=nullable,
        ),
        mapped_column(f"{prefix}_approximate", Boolean, nullable=nullable),
        mapped_column(f"{prefix}_uncertain", Boolean, nullable=nullable),
        mapped_column(f"{prefix}_phrase", Text, nullable=True),
        mapped_column(f"{prefix}_anchor", Text, nullable=True),
    )
