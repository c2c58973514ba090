"""Excerpt: where a statement stands in its source, by character offsets."""

from __future__ import annotations

from typing import Any

import strawberry

from claimgraph.api.graphql.declare import Info, column, custom, one
from claimgraph.api.graphql.types.lazy import Source


@strawberry.type(
    description="The exact passage of a source a statement comes from. "
    "`text` is always `source.text[start:end]`."
)
class Excerpt:
    start: int = column(
        "start",
        description="Offset of the first character in `source.text` (Unicode code points, from 0).",
    )
    end: int = column(
        "end", description="Offset just past the last character (exclusive), in code points."
    )
    source: Source = one(
        "Source", "source_id", of_owner=True, description="The source the passage is taken from."
    )
    row: strawberry.Private[Any]

    @custom(description="The passage, verbatim.")
    async def text(self, info: Info) -> str:
        source = await info.context.loaders.rows("Source").load(self.row.owner.source_id)
        return str(source.text[self.start : self.end])
