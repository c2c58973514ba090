"""What a query costs before it runs: the number of objects its response could hold (GitHub's
node limit, in the manner of the `@cost`/`@listSize` convention), the rate-limit points that
makes, and the charge to a client's budget. The validation rules and the resolvers' extension
(claimgraph.api.graphql.limits) and the prepared path (claimgraph.api.compiled) use it alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    value_from_ast,
    value_from_ast_untyped,
)

from claimgraph.api.settings import ApiSettings

#: How many items an unpaged list field (a statement's relations, an actor's roles) is
#: assumed to hold, for the estimate; paged lists count `first`/`last` (or the default page).
ASSUMED_LIST_SIZE = 10

#: Types whose objects count toward the node limit but cost no points: the change feed's
#: entries. A feed page is priced as one page, not as the entries it holds (a full page cost
#: 2 points, and replaying a 1M-record log 21,000, over a key's hourly 20,000); what is
#: selected under an entry's `node` is priced as usual. See docs/partners.md for the figures.
PAGE_PRICED_TYPES = frozenset({"Change", "ChangeEdge"})


@dataclass(frozen=True)
class Cost:
    """What a query may cost: the objects its response could hold, and the rate-limit
    points it takes (one per 100 nodes, at least one, as GitHub counts them; nodes of
    :data:`PAGE_PRICED_TYPES`, counted in ``unpriced``, take none)."""

    nodes: int
    limit: int
    unpriced: int = 0

    @property
    def points(self) -> int:
        return max(1, -(-(self.nodes - self.unpriced) // 100))

    def as_extension(self) -> dict[str, int]:
        return {"requestedNodes": self.nodes, "nodeLimit": self.limit, "points": self.points}


#: What a search costs beyond its page, in nodes (100 to a point): a ranked word search
#: reads its index and ranks every match; a substring search reads far more of every table.
SEARCH_SCANS = {"words": 500, "substring": 5_000}


class TooManyIds(GraphQLError):
    """A `nodes(ids:)` asking for more IDs than the limit, refused before it runs."""

    def __init__(self, asked: int, limit: int, node: FieldNode) -> None:
        super().__init__(
            f"nodes(ids:) asks for {asked:,} IDs; the limit is {limit:,}. Ask in several requests.",
            node,
            extensions={"code": "QUERY_TOO_COMPLEX", "limit": "ids", "value": limit},
        )


class _CostWalker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        settings: ApiSettings,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.settings = settings
        self.default_page_size = settings.default_page_size
        #: Nodes of :data:`PAGE_PRICED_TYPES` met by :meth:`count`.
        self.unpriced = 0

    def selections(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, seen: frozenset[str]
    ) -> Iterator[tuple[FieldNode, GraphQLNamedType]]:
        """The fields of a selection set, with fragments spread (each fragment once per path)."""
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                yield from self.selections(selection.selection_set, target or parent, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                yield from self.selections(fragment.selection_set, target or parent, seen | {name})

    def argument(self, node: FieldNode, field: GraphQLField, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name and name in field.args:
                value = argument.value
                if isinstance(value, VariableNode):
                    return self.variables.get(value.name.value)
                return value_from_ast(value, field.args[name].type, self.variables)
        return None

    def size(self, node: FieldNode, field: GraphQLField, page: int | None) -> int:
        """How many items a list field yields: a connection's page, `ids`, or the assumption."""
        name = node.name.value
        if name in ("edges", "nodes") and page is not None:
            return page
        if name == "nodes" and "ids" in field.args:
            ids = self.argument(node, field, "ids")
            if isinstance(ids, list) and len(ids) > self.settings.max_ids:
                raise TooManyIds(len(ids), self.settings.max_ids, node)
            return len(ids) if isinstance(ids, list) else ASSUMED_LIST_SIZE
        return ASSUMED_LIST_SIZE

    def scan(self, node: FieldNode, field: GraphQLField) -> int:
        """What a field reads beyond what it returns, in nodes: a search reads an index of
        every record (words), or every record's text (a substring)."""
        if node.name.value != "search" or "text" not in field.args:
            return 0
        match = self.argument(node, field, "match")
        return SEARCH_SCANS.get(str(getattr(match, "value", match)).lower(), SEARCH_SCANS["words"])

    def priced_scalar(self, node: FieldNode, owner: GraphQLNamedType, counted: int) -> int:
        """What a leaf field costs beyond its object: a count across a table, a whole
        article's text, the schema itself (``counted``: what a totalCount here counts)."""
        name, settings = node.name.value, self.settings
        if name == "totalCount":
            return counted
        if name == "text" and owner.name == "Source":
            return settings.source_text_nodes
        if name == "__schema":
            return settings.introspection_nodes
        if name == "__type":
            return settings.introspection_nodes // 10
        return 0

    def count(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        factor: int,
        page: int | None,
        counted: int = 0,
    ) -> int:
        total = 0
        for node, owner in self.selections(selection_set, parent, frozenset()):
            if not isinstance(owner, GraphQLObjectType | GraphQLInterfaceType):
                continue
            total += factor * self.priced_scalar(node, owner, counted)
            field = owner.fields.get(node.name.value)
            if field is None:
                continue
            result_type = get_named_type(field.type)
            if not isinstance(
                result_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
            ):
                continue
            wrapped = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            many = self.size(node, field, page) if isinstance(wrapped, GraphQLList) else 1
            child_page = None
            if result_type.name.endswith("Connection") and "first" in field.args:
                asked = self.argument(node, field, "first") or self.argument(node, field, "last")
                child_page = (
                    asked if isinstance(asked, int) and asked > 0 else self.default_page_size
                )
            objects = factor * many
            if result_type.name in PAGE_PRICED_TYPES:
                self.unpriced += objects
            # A top-level list's totalCount counts a table; a nested one, one parent's items.
            counts = self.settings.total_count_nodes if parent is self.schema.query_type else 1
            inner = self.count(node.selection_set, result_type, objects, child_page, counts)
            total += objects + inner
            total += factor * self.scan(node, field)
        return total


def estimate_nodes(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any] | None,
    settings: ApiSettings,
) -> tuple[int, int]:
    """How many objects the response to ``operation`` could hold at most, with what counts
    and long texts cost in nodes (:meth:`_CostWalker.priced_scalar`), and how many of them
    are of :data:`PAGE_PRICED_TYPES`. Raises :class:`TooManyIds`."""
    values = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and definition.default_value is not None:
            values[name] = value_from_ast_untyped(definition.default_value)
    root = schema.query_type
    assert root is not None
    walker = _CostWalker(schema, fragments, values, settings)
    return walker.count(operation.selection_set, root, 1, None), walker.unpriced


def operations_of(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: str | None,
    variables: dict[str, Any] | None,
    settings: ApiSettings,
) -> Cost | None:
    """The cost of ``document``'s operation named ``operation`` (or its only one); None when
    it holds no such operation, or several and none is named. Raises :class:`TooManyIds`."""
    operations = operations_of(document)
    if operation is None and len(operations) > 1:
        return None
    chosen = [o for o in operations if operation is None or (o.name and o.name.value == operation)]
    if not chosen:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    nodes, unpriced = estimate_nodes(schema, chosen[0], fragments, variables, settings)
    return Cost(nodes=nodes, limit=settings.max_nodes, unpriced=unpriced)


def admit(state: Any) -> GraphQLError | None:
    """Take the point every request costs from its client's budget (a RequestState), before
    any work: refused requests pay it too. The error to answer with when the budget is spent."""
    if state.limiter is None or state.rate is not None:
        return None
    state.rate = state.limiter.charge(state.client, 1, budget=state.budget)
    state.paid = 1 if state.rate.allowed else 0
    return None if state.rate.allowed else _rate_limited(state, 1)


def charge(state: Any, cost: Cost) -> GraphQLError | None:
    """Take a query's points (less what :func:`admit` took) from its client's budget (a
    RequestState); the error to answer with when the budget is spent. A request is charged
    once, whichever paths try to answer it (a prepared query the resolvers end up answering)."""
    if state.limiter is None:
        return None
    if state.cost is None:
        state.cost = cost
        if state.rate is None or state.rate.allowed:
            points = cost.points - state.paid
            state.rate = state.limiter.charge(state.client, points, budget=state.budget)
    if state.rate.allowed:
        return None
    return _rate_limited(state, cost.points)


def _rate_limited(state: Any, points: int) -> GraphQLError:
    return GraphQLError(
        f"Rate limit exceeded: this request costs {points} points and {state.rate.remaining}"
        f" of {state.rate.limit} remain until the window resets "
        f"(see the X-RateLimit-Reset header). An API key has a larger budget.",
        extensions={"code": "RATE_LIMITED", "cost": points, **state.rate.headers()},
    )
