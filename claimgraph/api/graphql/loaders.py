"""DataLoaders, built once per request: every field that needs other rows asks a loader, and
each loader answers a whole tick's worth of keys with one statement. So the number of SQL
statements a query runs follows the shape of the query, never the size of its pages.

Loaders are made on first use, by name: one per node type (rows by id), per link
(:data:`claimgraph.api.links.LINKS`) and per kind of child rows (``CHILDREN``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from strawberry.dataloader import DataLoader

from claimgraph.api.links import CHILDREN, LINKS, NODE_MODELS, nested_statements
from claimgraph.db.queries.batch import (
    child_rows,
    deployments_of_actors,
    linked_rows,
    relations_of,
    rows_by_ids,
    rows_by_slugs,
)
from claimgraph.db.queries.pagination import Key, Page, count_per_parent, fetch_child_pages

if TYPE_CHECKING:
    from claimgraph.api.session import RequestDb

K = TypeVar("K")
V = TypeVar("V")

#: A key of a nested statement page: (list, parent id, first, after).
PageKey = tuple[str, int, int, Key | None]


class Loaders:
    def __init__(self, db: RequestDb) -> None:
        self.db = db
        self._made: dict[tuple[str, str], DataLoader[Any, Any]] = {}
        self.relations_of_statement = self._loader(relations_of, key="statement_ids")
        self.deployments_of_actor = self._loader(deployments_of_actors, key="actor_ids")
        self.statement_pages: DataLoader[PageKey, Page[int]] = DataLoader(self._statement_pages)
        self.statement_counts: DataLoader[tuple[str, int], int] = DataLoader(self._statement_counts)

    def _once(
        self, key: tuple[str, str], make: Callable[[], DataLoader[Any, Any]]
    ) -> DataLoader[Any, Any]:
        """The loader called ``key``, made on first use (most queries need a few)."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def rows(self, type_name: str) -> DataLoader[int, Any]:
        """The rows of a node type, by id."""
        model = NODE_MODELS[type_name]
        return self._once(
            ("rows", type_name), lambda: self._loader(rows_by_ids, model=model, key="ids")
        )

    def by_slug(self, type_name: str) -> DataLoader[str, Any]:
        """The rows of a node type, by slug."""
        model = NODE_MODELS[type_name]
        return self._once(
            ("slug", type_name), lambda: self._loader(rows_by_slugs, model=model, key="slugs")
        )

    def linked(self, name: str) -> DataLoader[int, list[Any]]:
        """For each parent id, the rows a link table joins it to (``LINKS[name]``)."""
        link = LINKS[name]
        return self._once(
            ("linked", name),
            lambda: self._loader(
                linked_rows,
                link=link.table,
                parent=link.parent,
                child=link.child,
                model=link.model,
                order_by=link.order_by,
            ),
        )

    def children(self, name: str) -> DataLoader[int, list[Any]]:
        """For each parent id, the rows that belong to it (``CHILDREN[name]``), in order."""
        kind = CHILDREN[name]
        return self._once(
            ("children", name),
            lambda: self._loader(
                child_rows,
                model=kind.model,
                parent=getattr(kind.model, kind.parent),
                order_by=[kind.model.position],
            ),
        )

    def _loader(
        self, query: Callable[..., Awaitable[list[V]]], *, key: str = "parent_ids", **fixed: Any
    ) -> DataLoader[Any, V]:
        async def load(keys: list[Any]) -> list[V]:
            return await self.db.run(query, **fixed, **{key: keys})

        # No cache across ticks: a loader answers each level of a query with one statement
        # even when an earlier level already read some of the rows. A query's cost is then a
        # function of its shape alone (pinned in tests), never of which rows happen to repeat;
        # the price is re-reading a few rows by primary key.
        return DataLoader(load, cache=False)

    # -- nested statement lists ---------------------------------------------------------

    async def _statement_pages(self, keys: list[PageKey]) -> list[Page[int]]:
        groups: dict[tuple[str, int, Key | None], list[int]] = defaultdict(list)
        for name, parent, first, after in keys:
            groups[(name, first, after)].append(parent)
        pages: dict[PageKey, Page[int]] = {}
        for (name, first, after), parents in groups.items():
            query, parent_column, ordering = nested_statements(name)
            found = await self.db.run(
                fetch_child_pages,
                query=query,
                parent=parent_column,
                parents=parents,
                ordering=ordering,
                first=first,
                after=after,
                convert=lambda row: int(row[0]),
            )
            pages.update({(name, parent, first, after): page for parent, page in found.items()})
        return [pages[key] for key in keys]

    async def _statement_counts(self, keys: list[tuple[str, int]]) -> list[int]:
        groups: dict[str, list[int]] = defaultdict(list)
        for name, parent in keys:
            groups[name].append(parent)
        counts: dict[tuple[str, int], int] = {}
        for name, parents in groups.items():
            query, parent_column, _ = nested_statements(name)
            found = await self.db.run(
                count_per_parent, query=query, parent=parent_column, parents=parents
            )
            counts.update({(name, parent): n for parent, n in found.items()})
        return [counts[key] for key in keys]
