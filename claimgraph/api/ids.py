"""Opaque global IDs and cursors.

A global ID is ``base64url("<Type>:<slug>")``: opaque to clients, and stable across reloads
and database engines because slugs are. A cursor is ``base64url(JSON [list, key...])``: it
names the list and order it belongs to, so it cannot be replayed on another.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from typing import Any

from claimgraph.api.errors import ClientError
from claimgraph.db.engine import base64url
from claimgraph.db.queries.pagination import Key, Ordering, json_key

NODE_TYPES = ("Source", "Statement", "Actor", "Agreement", "Deployment", "Event")
#: No cursor we hand out is longer; a longer one is not ours.
MAX_CURSOR_LENGTH = 1_000
#: What a slug may be (as the seed files' format says).
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _decode(value: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def to_global_id(type_name: str, slug: str) -> str:
    return base64url(f"{type_name}:{slug}")


def parse_global_id(
    value: str, *, argument: str, expected: Sequence[str] = NODE_TYPES
) -> tuple[str, str]:
    """(type, slug) of a global ID, or a :class:`ClientError` naming ``argument``."""
    decoded = _decode(value)
    type_name, sep, slug = (decoded or "").partition(":")
    if not sep or type_name not in NODE_TYPES or not _SLUG.fullmatch(slug):
        raise ClientError(
            f"{argument}: {value!r} is not a claimgraph ID (IDs are opaque strings taken "
            "from an `id` field)",
            code="INVALID_ID",
        )
    if type_name not in expected:
        raise ClientError(
            f"{argument}: {value!r} is the ID of a {type_name}, but a "
            f"{' or '.join(expected)} ID is expected here",
            code="INVALID_ID",
        )
    return type_name, slug


def slug_of(value: str | None, *, argument: str, expected: str) -> str | None:
    """The slug of an ID argument that must name a ``expected`` (None stays None)."""
    if value is None:
        return None
    return parse_global_id(str(value), argument=argument, expected=(expected,))[1]


def encode_cursor(list_name: str, key: Key) -> str:
    # Text as UTF-8, not \u escapes: compiled queries build the same bytes in SQL (and a
    # cursor written either way decodes alike).
    payload = json.dumps([list_name, *json_key(key)], ensure_ascii=False, separators=(",", ":"))
    return base64url(payload)


def decode_cursor(
    value: str | None, *, list_name: str, ordering: Ordering, argument: str
) -> Key | None:
    """The key a cursor holds, or a :class:`ClientError` if it is not one of this list's."""
    if value is None:
        return None
    decoded = _decode(value) if len(value) <= MAX_CURSOR_LENGTH else None
    try:
        payload: Any = json.loads(decoded) if decoded is not None else None
    except (ValueError, RecursionError):
        payload = None
    if not isinstance(payload, list) or not payload or not isinstance(payload[0], str):
        raise ClientError(
            f"{argument}: {value!r} is not a cursor (use a `cursor`, `startCursor` or "
            "`endCursor` this API returned)",
            code="INVALID_CURSOR",
        )
    if payload[0] != list_name:
        raise ClientError(
            f"{argument}: this cursor belongs to another list or order ({payload[0]}), not "
            f"to {list_name}",
            code="INVALID_CURSOR",
        )
    try:
        return ordering.coerce(payload[1:])
    except ValueError as error:
        raise ClientError(f"{argument}: damaged cursor ({error})", code="INVALID_CURSOR") from error
