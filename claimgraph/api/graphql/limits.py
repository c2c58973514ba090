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

from claimgraph.api.cost import Cost, charge, operations_of, query_cost
from claimgraph.api.settings import ApiSettings


def _too_complex(message: str, limit: str, node: Any) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": "QUERY_TOO_COMPLEX", "limit": limit})


def limit_rules(settings: ApiSettings) -> tuple[type[ASTValidationRule], ...]:
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


class CostLimit(SchemaExtension):
    """Estimates each operation's node count before it runs; refuses one over the limit and
    reports the estimate in `extensions.cost` on every response it could estimate."""

    def __init__(self, settings: ApiSettings) -> None:
        super().__init__()
        self.settings = settings
        self.cost: Cost | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        settings = self.settings
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
