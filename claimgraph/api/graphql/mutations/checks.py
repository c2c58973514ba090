"""Checking a mutation's input, collecting every problem before refusing: IDs that must name
records, excerpts that must stand once in their source, and seed records (the same pydantic
specs and EDTF rules as the extraction files, said once in claimgraph.seed.schema)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.errors import ClientError
from claimgraph.api.graphql.mutations.errors import (
    Refused,
    UserError,
    UserErrorCode,
    spec_errors,
    user_error,
)
from claimgraph.api.ids import parse_global_id
from claimgraph.api.links import NODE_MODELS
from claimgraph.seed.reader import ExcerptProblem, Located, locate

SpecT = TypeVar("SpecT", bound=BaseModel)


class Checks:
    """The problems found so far with one mutation's input."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.errors: list[UserError] = []

    def add(self, code: UserErrorCode, message: str, *path: str | int) -> None:
        self.errors.append(user_error(code, message, *path))

    def done(self) -> None:
        """Refuse the input if anything is wrong with it."""
        if self.errors:
            raise Refused(self.errors)

    async def node(self, type_name: str, value: str, *path: str | int) -> Any | None:
        """The ``type_name`` row a global ID names (None, and a problem, if none)."""
        found = await self.nodes(type_name, [value], *path, listed=False)
        return found[0] if found else None

    async def record(self, type_name: str, value: str) -> Any:
        """The record an edit is about (``input.id``); refused at once if there is none."""
        found = await self.node(type_name, value, "id")
        self.done()
        return found

    async def nodes(
        self, type_name: str, values: Sequence[str], *path: str | int, listed: bool = True
    ) -> list[Any]:
        """The ``type_name`` rows some global IDs name, in their order (problems for the
        IDs that name none, at ``path`` and, in a list, their index)."""
        slugs: list[tuple[int, str]] = []
        for index, value in enumerate(values):
            where = [*path, index] if listed else list(path)
            try:
                _, slug = parse_global_id(
                    str(value), argument=".".join(map(str, where)), expected=(type_name,)
                )
            except ClientError as error:
                self.add(UserErrorCode.NOT_FOUND, error.message, *where)
                continue
            slugs.append((index, slug))
        model: Any = NODE_MODELS[type_name]
        wanted = [slug for _, slug in slugs]
        rows = {
            row.slug: row
            for row in await self.session.scalars(
                select(model)
                .where(model.slug.in_(wanted))
                .execution_options(populate_existing=True)
            )
        }
        found = []
        for index, slug in slugs:
            if slug in rows:
                found.append(rows[slug])
            else:
                where = [*path, index] if listed else list(path)
                self.add(
                    UserErrorCode.NOT_FOUND,
                    f"{'.'.join(map(str, where))}: no {type_name} with ID {values[index]!r}",
                    *where,
                )
        return found

    def excerpt(self, text: str, excerpt: Any, *path: str) -> Located | None:
        """Where an ExcerptInput stands in ``text``: its exact text located once, or its
        offsets checked."""
        given_text = excerpt.text is not None
        given_offsets = excerpt.start is not None or excerpt.end is not None
        if given_text == given_offsets:
            self.add(UserErrorCode.INVALID, "give the excerpt's text, or start and end", *path)
            return None
        if given_text:
            located = locate(text, excerpt.text)
            if isinstance(located, ExcerptProblem):
                self.add(UserErrorCode[located.code], located.message, *path, "text")
                return None
            return located
        start, end = excerpt.start, excerpt.end
        if start is None or end is None or not 0 <= start < end <= len(text):
            self.add(
                UserErrorCode.INVALID,
                f"excerpt: start {start} and end {end} must satisfy 0 <= start < end <= "
                f"{len(text)} (the source's length)",
                *path,
            )
            return None
        return Located(start, end)

    def spec(
        self, spec: type[SpecT], values: Mapping[str, Any], renamed: Mapping[str, str]
    ) -> SpecT | None:
        """``values`` as a seed record, checked by its rules (None, and problems, if not)."""
        try:
            return spec.model_validate(dict(values))
        except ValidationError as error:
            self.errors.extend(spec_errors(error, renamed))
            return None


def date_spec(prefix: str, row: Mapping[str, Any]) -> dict[str, Any] | None:
    """A fuzzy date kept in a row's ``<prefix>_*`` columns, as the seed format writes it."""
    edtf = row[f"{prefix}_edtf"]
    if edtf is None:
        return None
    return {"edtf": edtf, "phrase": row[f"{prefix}_phrase"], "anchor": row[f"{prefix}_anchor"]}


def blank(value: str | None) -> bool:
    return value is None or not value.strip()
