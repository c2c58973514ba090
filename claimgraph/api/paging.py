"""Paging arguments checked and their cursors decoded, for every list on every path."""

from __future__ import annotations

from claimgraph.api.errors import ClientError
from claimgraph.api.ids import decode_cursor
from claimgraph.api.settings import ApiSettings
from claimgraph.db.queries.pagination import Ordering, PageRequest


def page_request(
    *,
    settings: ApiSettings,
    list_name: str,
    ordering: Ordering,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> PageRequest:
    """Check the paging arguments and decode their cursors."""
    if first is not None and last is not None:
        raise ClientError("Pass `first` or `last`, not both: page forward or backward.")
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 1 <= size <= settings.max_page_size:
            raise ClientError(
                f"`{name}: {size}` is out of range: a page holds 1 to "
                f"{settings.max_page_size} items.",
                code="PAGE_SIZE",
                maximum=settings.max_page_size,
            )
    if first is None and last is None:
        first = settings.default_page_size
    decode = {"list_name": list_name, "ordering": ordering}
    return PageRequest(
        first=first,
        after=decode_cursor(after, argument="after", **decode),  # type: ignore[arg-type]
        last=last,
        before=decode_cursor(before, argument="before", **decode),  # type: ignore[arg-type]
    )
