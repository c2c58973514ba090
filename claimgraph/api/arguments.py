"""Checks of argument values that every path shares (the resolvers and the compiled path
refuse the same values with the same messages)."""

from __future__ import annotations

import re
from typing import Protocol

from claimgraph.api.errors import ClientError
from claimgraph.db.queries.lists import DateWindow


class Windowed(Protocol):
    """A date range argument (claimgraph.api.graphql.types.inputs.DateRange)."""

    def window(self, argument: str) -> DateWindow: ...


def date_window(value: Windowed | None, argument: str) -> DateWindow | None:
    """The checked window of an optional DateRange argument."""
    return value.window(argument) if value is not None else None


_COUNTRY = re.compile(r"[A-Za-z]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


#: The longest search or filter text (characters). Every character widens a substring scan
#: or adds a term to a full-text query; no one searches with a paragraph.
MAX_TEXT_CHARS = 200


def plain_text(value: str | None, argument: str) -> str | None:
    """Check a search or filter text: at most MAX_TEXT_CHARS characters, and no control
    characters (NUL, newlines, …)."""
    if value is not None and len(value) > MAX_TEXT_CHARS:
        raise ClientError(
            f"{argument}: {len(value):,} characters; search and filter text may be at most "
            f"{MAX_TEXT_CHARS} characters long.",
            code="TEXT_TOO_LONG",
            maximum=MAX_TEXT_CHARS,
        )
    if value is not None and (found := _CONTROL.search(value)):
        raise ClientError(
            f"{argument}: contains the control character U+{ord(found.group()):04X} at "
            f"position {found.start()}; remove it."
        )
    return value


def country_code(value: str | None, argument: str) -> str | None:
    """Check an ISO 3166-1 alpha-2 code argument; either case is read as the code (`sy`: SY)."""
    if value is None:
        return None
    if not _COUNTRY.fullmatch(value):
        raise ClientError(
            f"{argument}: {value!r} is not an ISO 3166-1 alpha-2 country code: two letters, "
            "like `IQ` or `sy`."
        )
    return value.upper()
