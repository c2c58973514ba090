"""Limits checked before a query runs, so an abusive one costs us a parse and a walk, never
the database: depth, aliases, tokens, directives (validation rules) and the estimated
number of nodes the response could hold (GitHub's node limit, in the manner of the
`@cost`/`@listSize` convention). Every response reports its estimate in `extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from graphql.language import DirectiveNode
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension

from claimgraph.api.cost import Cost, TooManyIds, charge, operations_of, query_cost
from claimgraph.api.settings import ApiSettings


def _too_complex(message: str, limit: str, node: Any) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": "QUERY_TOO_COMPLEX", "limit": limit})


class MaxDepth(ValidationRule):
    """No operation nests fields deeper than ``limit``."""

    limit = 10

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        depth = self._depth(node.selection_set, 0, frozenset())
        if depth > self.limit:
            name = node.name.value if node.name else "The query"
            message = f"{name} is {depth} levels deep; the limit is {self.limit}."
            self.report_error(_too_complex(message, "depth", node))

    def _depth(self, selections: SelectionSetNode | None, level: int, seen: frozenset[str]) -> int:
        deepest = level
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode) and selection.name.value.startswith("__"):
                # Introspection, which IDEs ask first, nests deeper than data queries
                # (ofType chains); the node estimate still bounds what it may cost.
                continue
            if isinstance(selection, FieldNode):
                inner = selection.selection_set
                below = self._depth(inner, level + 1, seen) if inner is not None else level + 1
                deepest = max(deepest, below)
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self._depth(selection.selection_set, level, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is not None and name not in seen:
                    inner_depth = self._depth(fragment.selection_set, level, seen | {name})
                    deepest = max(deepest, inner_depth)
        return deepest


class _Counted(ValidationRule):
    """At most ``limit`` of something in a document (``what``, named ``name`` in errors)."""

    limit = 0
    name = ""
    what = ""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.count = 0

    def counted(self, node: Any) -> None:
        self.count += 1
        if self.count == self.limit + 1:
            message = (
                f"The {self.what} uses more than {self.limit} {self.name} (limit: {self.limit})."
            )
            self.report_error(_too_complex(message, self.name, node))


class MaxAliases(_Counted):
    """At most ``limit`` aliased fields in a document."""

    name, what = "aliases", "query"

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.alias is not None:
            self.counted(node)


class MaxDirectives(_Counted):
    """At most ``limit`` directives in a document."""

    name, what = "directives", "document"

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        self.counted(node)


def limit_rules(settings: ApiSettings) -> tuple[type[ASTValidationRule], ...]:
    """Validation rules for the static limits of ``settings``. They are made once per
    settings (with the schema), not per request: the validation cache is keyed on the rule
    classes, and new classes for every request would miss it and fill it with dead entries."""
    limits = (
        (MaxDepth, settings.max_depth),
        (MaxAliases, settings.max_aliases),
        (MaxDirectives, settings.max_directives),
    )
    return tuple(type(rule.__name__, (rule,), {"limit": limit}) for rule, limit in limits)


class CostLimit(SchemaExtension):
    """Estimates each operation's node count before it runs; refuses one over the limit and
    reports the estimate in `extensions.cost` on every response it could estimate."""

    def __init__(self, settings: ApiSettings) -> None:
        super().__init__()
        self.settings = settings
        self.cost: Cost | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            # Strawberry falls back to the first operation's name; the spec wants an error.
            wanted = getattr(context, "_provided_operation_name", context.operation_name)
            if wanted is None and len(operations_of(document)) > 1:
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
                refusal = self._estimate(context, wanted)
                if refusal is not None:
                    context.result = ExecutionResult(data=None, errors=[refusal])
        yield

    def _estimate(self, context: Any, wanted: str | None) -> GraphQLError | None:
        """Estimate the cost; why the query may not run, if so."""
        try:
            self.cost = query_cost(
                context.schema._schema,
                context.graphql_document,
                wanted,
                context.variables,
                self.settings,
            )
        except TooManyIds as error:
            return error
        return None if self.cost is None else self._refusal(context.context, self.cost)

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
