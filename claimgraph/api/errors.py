"""Client errors: what the caller did wrong, said precisely, never masked."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError


class ClientError(GraphQLError):
    """A mistake in the request (a bad ID, cursor, page size or date range)."""

    def __init__(self, message: str, *, code: str = "BAD_USER_INPUT", **extensions: Any) -> None:
        super().__init__(message, extensions={"code": code, **extensions})
