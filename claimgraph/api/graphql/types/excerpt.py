"""Excerpt: where a statement stands in its source, by character offsets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.types.node import as_type

if TYPE_CHECKING:
    from claimgraph.api.graphql.types.source import Source


@strawberry.type(
    description="The exact passage of a source a statement comes from. "
    "`text` is always `source.text[start:end]`."
)
class Excerpt:
    start: int = strawberry.field(
        description="Offset of the first character in `source.text` (Unicode code points, from 0)."
    )
    end: int = strawberry.field(
        description="Offset just past the last character (exclusive), in code points."
    )
    source_pk: strawberry.Private[int]

    @strawberry.field(description="The source the passage is taken from.")
    async def source(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Source, strawberry.lazy("claimgraph.api.graphql.types.source")]:
        return as_type(await info.context.loaders.source.load(self.source_pk))  # type: ignore[no-any-return]

    @strawberry.field(description="The passage, verbatim.")
    async def text(self, info: strawberry.Info[Context, None]) -> str:
        source = await info.context.loaders.source.load(self.source_pk)
        return str(source.text[self.start : self.end])
