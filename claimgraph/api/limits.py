"""Limits checked before a query runs, so an abusive one costs us a parse and a walk, never
the database: depth, aliases, tokens, directives (validation rules) and the estimated
number of nodes the response could hold (GitHub's node limit, in the manner of the
`@cost`/`@listSize` convention). Every response reports its estimate in `extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
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
    ValidationRule,
    VariableNode,
    get_named_type,
    value_from_ast,
    value_from_ast_untyped,
)
from graphql.language import DirectiveNode
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension

from claimgraph.api.settings import ApiSettings
from claimgraph.api.settings import settings as default_settings

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


class _CostWalker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        default_page_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_page_size = default_page_size
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
            return len(ids) if isinstance(ids, list) else ASSUMED_LIST_SIZE
        return ASSUMED_LIST_SIZE

    def count(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        factor: int,
        page: int | None,
    ) -> int:
        total = 0
        for node, owner in self.selections(selection_set, parent, frozenset()):
            if not isinstance(owner, GraphQLObjectType | GraphQLInterfaceType):
                continue
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
            total += objects + self.count(node.selection_set, result_type, objects, child_page)
        return total


def estimate_nodes(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any] | None,
    default_page_size: int,
) -> tuple[int, int]:
    """How many objects the response to ``operation`` could hold at most, and how many of
    them are of :data:`PAGE_PRICED_TYPES`."""
    values = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and definition.default_value is not None:
            values[name] = value_from_ast_untyped(definition.default_value)
    root = schema.query_type
    assert root is not None
    walker = _CostWalker(schema, fragments, values, default_page_size)
    return walker.count(operation.selection_set, root, 1, None), walker.unpriced


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: str | None,
    variables: dict[str, Any] | None,
    settings: ApiSettings,
) -> Cost | None:
    """The cost of ``document``'s operation named ``operation`` (or its only one); None when
    it holds no such operation, or several and none is named."""
    operations = _operations(document)
    if operation is None and len(operations) > 1:
        return None
    chosen = [o for o in operations if operation is None or (o.name and o.name.value == operation)]
    if not chosen:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    nodes, unpriced = estimate_nodes(
        schema, chosen[0], fragments, variables, settings.default_page_size
    )
    return Cost(nodes=nodes, limit=settings.max_nodes, unpriced=unpriced)


def _too_complex(message: str, limit: str, node: Any) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": "QUERY_TOO_COMPLEX", "limit": limit})


def _limit_rules(settings: ApiSettings) -> tuple[type[ASTValidationRule], ...]:
    """Validation rules for the static limits. They are made once per process, not per
    request: the validation cache is keyed on the rule classes, and new classes for every
    request would miss it every time and fill it with dead entries."""
    max_depth, max_aliases, max_directives = (
        settings.max_depth,
        settings.max_aliases,
        settings.max_directives,
    )

    class MaxDepth(ValidationRule):
        """No operation nests fields deeper than ``max_depth``."""

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            depth = self._depth(node.selection_set, 0, frozenset())
            if depth > max_depth:
                name = node.name.value if node.name else "The query"
                self.report_error(
                    _too_complex(
                        f"{name} is {depth} levels deep; the limit is {max_depth}.", "depth", node
                    )
                )

        def _depth(
            self, selections: SelectionSetNode | None, level: int, seen: frozenset[str]
        ) -> int:
            deepest = level
            for selection in selections.selections if selections else ():
                if isinstance(selection, FieldNode) and selection.name.value.startswith("__"):
                    # Introspection, which IDEs ask first, nests deeper than data queries
                    # (ofType chains); the node estimate still bounds what it may cost.
                    continue
                if isinstance(selection, FieldNode):
                    inner = selection.selection_set
                    if inner is not None:
                        deepest = max(deepest, self._depth(inner, level + 1, seen))
                    else:
                        deepest = max(deepest, level + 1)
                elif isinstance(selection, InlineFragmentNode):
                    deepest = max(deepest, self._depth(selection.selection_set, level, seen))
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.context.get_fragment(name)
                    if fragment is not None and name not in seen:
                        deepest = max(
                            deepest, self._depth(fragment.selection_set, level, seen | {name})
                        )
            return deepest

    class MaxAliases(ValidationRule):
        """At most ``max_aliases`` aliased fields in a document."""

        count = 0

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            if node.alias is not None:
                self.count += 1
                if self.count == max_aliases + 1:
                    self.report_error(
                        _too_complex(
                            f"The query uses more than {max_aliases} aliases (limit: "
                            f"{max_aliases}).",
                            "aliases",
                            node,
                        )
                    )

    class MaxDirectives(ValidationRule):
        """At most ``max_directives`` directives in a document."""

        count = 0

        def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
            self.count += 1
            if self.count == max_directives + 1:
                self.report_error(
                    _too_complex(
                        f"The document uses more than {max_directives} directives (limit: "
                        f"{max_directives}).",
                        "directives",
                        node,
                    )
                )

    return MaxDepth, MaxAliases, MaxDirectives


def charge(state: Any, cost: Cost) -> GraphQLError | None:
    """Take a query's points from its client's budget (a RequestState); the error to answer
    with when the budget is spent. A request is charged once, whichever paths try to answer
    it (a prepared query the resolvers end up answering)."""
    if state.limiter is None:
        return None
    if state.rate is None:
        state.cost = cost
        state.rate = state.limiter.charge(state.client, cost.points, budget=state.budget)
    if state.rate.allowed:
        return None
    return GraphQLError(
        f"Rate limit exceeded: this query costs {cost.points} points and {state.rate.remaining}"
        f" of {state.rate.limit} remain until the window resets "
        f"(see the X-RateLimit-Reset header). An API key has a larger budget.",
        extensions={"code": "RATE_LIMITED", "cost": cost.points, **state.rate.headers()},
    )


class CostLimit(SchemaExtension):
    """Estimates each operation's node count before it runs; refuses one over the limit and
    reports the estimate in `extensions.cost` on every response it could estimate."""

    def __init__(self, settings: ApiSettings) -> None:
        super().__init__()
        self.default_settings = settings
        self.cost: Cost | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        # The app's own settings when the request carries them (tests build apps with others).
        settings = getattr(context.context, "settings", None) or self.default_settings
        document = context.graphql_document
        if document is not None and context.result is None:
            # Strawberry falls back to the first operation's name; the spec wants an error.
            wanted = getattr(context, "_provided_operation_name", context.operation_name)
            if wanted is None and len(_operations(document)) > 1:
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            "The document holds several operations: name the one to run in "
                            "`operationName`.",
                            extensions={"code": "BAD_USER_INPUT"},
                        )
                    ],
                )
            else:
                self.cost = query_cost(
                    context.schema._schema, document, wanted, context.variables, settings
                )
                refusal = None if self.cost is None else self._refusal(context.context, self.cost)
                if refusal is not None:
                    context.result = ExecutionResult(data=None, errors=[refusal])
        yield

    def _refusal(self, context: Any, cost: Cost) -> GraphQLError | None:
        """Why the query may not run (too big, or over the client's rate limit), if so."""
        if cost.nodes > cost.limit:
            return GraphQLError(
                f"This query could return up to {cost.nodes:,} nodes; the limit is "
                f"{cost.limit:,}. Ask for smaller pages (`first`/`last`) or fewer nested lists.",
                extensions={
                    "code": "QUERY_TOO_COMPLEX",
                    "limit": "nodes",
                    "requestedNodes": cost.nodes,
                    "nodeLimit": cost.limit,
                },
            )
        state = getattr(context, "request_state", None)
        return None if state is None else charge(state, cost)

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.cost.as_extension()} if self.cost else {}


#: The static limits' rules for the configured settings (built once; see ``_limit_rules``).
LIMIT_RULES = _limit_rules(default_settings)
