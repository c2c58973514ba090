"""Which requests write: a document whose chosen operation is a mutation. The endpoint runs
those on a write session (one transaction, committed once the mutation has run), never
answers them from the response cache and never stores their answers there."""

from __future__ import annotations

import functools

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse


@functools.lru_cache(maxsize=1024)
def is_mutation(query: str | None, operation_name: str | None) -> bool:
    """Whether the operation ``operation_name`` (or the only one) of ``query`` is a mutation.
    A document that does not parse, or names no operation it holds, is not: Strawberry
    refuses it as it would any other."""
    if not query or "mutation" not in query:
        return False
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        o
        for o in operations
        if (operation_name is None and len(operations) == 1)
        or (o.name is not None and o.name.value == operation_name)
    ]
    return len(chosen) == 1 and chosen[0].operation is OperationType.MUTATION
