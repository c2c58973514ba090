"""Properties of the opaque strings clients hold: cursors and global IDs.

A cursor encodes a list's name and a row's sort key; any key of the right types decodes to
itself, a cursor of another list is refused, and any other string is a clear ClientError
with code INVALID_CURSOR, never another exception. A global ID names a node type and a slug;
it parses back to both for every type and every slug the seed format allows, and anything
else is a ClientError with code INVALID_ID.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.api.errors import ClientError
from claimgraph.api.ids import (
    NODE_TYPES,
    decode_cursor,
    encode_cursor,
    parse_global_id,
    slug_of,
    to_global_id,
)
from claimgraph.db.queries import lists, timeline
from claimgraph.db.queries.changes import CHANGE_ORDERING
from claimgraph.db.queries.pagination import Key, Ordering
from tests.conftest import GraphQL
from tests.support.generated import examples

T = TypeVar("T")

PROPERTIES = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=examples(300),
    suppress_health_check=[HealthCheck.too_slow],
)

#: Opaque strings are URL-safe base64 without padding.
URL_SAFE = re.compile(r"[A-Za-z0-9_-]*")


def _orderings() -> dict[str, Ordering]:
    """Every ordering the API pages, by the list name its cursors carry."""
    found: dict[str, Ordering] = {}
    for field, ordering in lists.STATEMENT_ORDERINGS.items():
        found[f"statements:{field}:ASC"] = ordering
        found[f"statements:{field}:DESC"] = Ordering(ordering.keys, descending=True)
    found.update(
        actors=lists.ACTOR_ORDERING,
        agreements=lists.AGREEMENT_ORDERING,
        sources=lists.SOURCE_ORDERING,
        deployments=lists.DEPLOYMENT_ORDERING,
        events=lists.EVENT_ORDERING,
        speaker=lists.SOURCE_STATEMENT_ORDERING,
        timeline=timeline.timeline_query()[1],
        search=timeline.search_query(text="a")[1],
        changes=CHANGE_ORDERING,
    )
    return found


ORDERINGS = _orderings()
LIST_NAMES = sorted(ORDERINGS)

#: Timestamps as the database holds them (UTC), and with any offset or none.
OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
VALUES: dict[type, st.SearchStrategy[Any]] = {
    dt.date: st.dates(),
    dt.datetime: st.datetimes(timezones=st.one_of(st.just(dt.UTC), st.none(), OFFSETS)),
    # Keys are the database's: a 64-bit integer at most, text without NUL or lone surrogates.
    int: st.integers(min_value=-(2**63), max_value=2**63 - 1),
    str: st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00")),
}


def key_types(ordering: Ordering) -> list[type]:
    return [column.type.python_type for column in ordering.keys]


def keys_of(name: str) -> st.SearchStrategy[Key]:
    """Sort keys of the right types for the list ``name``."""
    return st.tuples(*(VALUES[kind] for kind in key_types(ORDERINGS[name])))


@st.composite
def keyed(draw: st.DrawFn) -> tuple[str, Key]:
    """A list's name and a sort key of the right types for it."""
    name = draw(st.sampled_from(LIST_NAMES))
    return name, draw(keys_of(name))


def decode(value: str, name: str) -> Key | None:
    return decode_cursor(value, list_name=name, ordering=ORDERINGS[name], argument="after")


def outcome(call: Callable[[], T]) -> T | ClientError:
    """What ``call`` returns, or the ClientError it raises (any other error propagates)."""
    try:
        return call()
    except ClientError as error:
        return error


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64_json(value: Any) -> str:
    return _b64(json.dumps(value).encode())


def test_every_ordering_sorts_by_types_a_cursor_can_hold() -> None:
    for name, ordering in ORDERINGS.items():
        assert set(key_types(ordering)) <= set(VALUES), name


# -- cursors -----------------------------------------------------------------------------------


@PROPERTIES
@given(keyed())
def test_a_cursor_decodes_to_the_key_it_was_made_of(case: tuple[str, Key]) -> None:
    name, key = case
    cursor = encode_cursor(name, key)
    assert URL_SAFE.fullmatch(cursor)
    decoded = decode(cursor, name)
    assert decoded == key
    assert decoded is not None
    assert [type(value) for value in decoded] == [type(value) for value in key]
    for value, original in zip(decoded, key, strict=True):
        if isinstance(original, dt.datetime):
            assert value.utcoffset() == original.utcoffset()
    assert encode_cursor(name, decoded) == cursor


@PROPERTIES
@given(keyed(), st.sampled_from(LIST_NAMES))
def test_a_cursor_of_another_list_is_refused(case: tuple[str, Key], other: str) -> None:
    name, key = case
    if other == name:
        return
    with pytest.raises(ClientError) as refused:
        decode(encode_cursor(name, key), other)
    assert refused.value.extensions == {"code": "INVALID_CURSOR"}
    assert "another list" in refused.value.message


def test_no_cursor_is_no_key() -> None:
    assert decode_cursor(None, list_name="a", ordering=lists.ACTOR_ORDERING, argument="a") is None


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=10)
    | st.dates().map(dt.date.isoformat)
    | st.datetimes().map(dt.datetime.isoformat),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, str]:
    """A list name and a string that is not one of its cursors, or only by chance: text,
    base64 of any bytes or JSON, the right list name with any values, a real key with one
    value swapped for anything, or a real cursor cut short."""
    name = draw(st.sampled_from(LIST_NAMES))
    key = draw(keys_of(name))
    values = [value.isoformat() if isinstance(value, dt.date) else value for value in key]
    position = draw(st.integers(min_value=0, max_value=len(values) - 1))
    swapped = [*values[:position], draw(JSON), *values[position + 1 :]]
    cursor = encode_cursor(name, key)
    text = draw(
        st.one_of(
            st.text(),
            st.binary().map(_b64),
            JSON.map(_b64_json),
            st.lists(JSON, max_size=5).map(lambda rest: _b64_json([name, *rest])),
            st.just(_b64_json([name, *swapped])),
            st.integers(min_value=0, max_value=len(cursor) - 1).map(lambda n: cursor[:n]),
        )
    )
    return name, text


@settings(PROPERTIES, max_examples=examples(600))
@given(damaged())
def test_any_other_string_is_an_invalid_cursor_never_another_error(case: tuple[str, str]) -> None:
    name, text = case
    key = outcome(lambda: decode(text, name))
    if isinstance(key, ClientError):
        assert key.extensions == {"code": "INVALID_CURSOR"}
        assert key.message.startswith("after: ")
        return
    # It was a cursor of this list after all (JSON has more than one spelling): a key of
    # the right shape and types.
    assert key is not None
    types = key_types(ORDERINGS[name])
    assert len(key) == len(types)
    for value, kind in zip(key, types, strict=True):
        assert isinstance(value, kind)
        assert not isinstance(value, bool)


#: A cursor of nothing but nested lists: 4,000 characters, well inside the 15,000 a query
#: may have.
DEEP_CURSOR = _b64(b"[" * 3000)


def test_a_cursor_of_deeply_nested_json_is_an_invalid_cursor() -> None:
    with pytest.raises(ClientError) as refused:
        decode(DEEP_CURSOR, "actors")
    assert refused.value.extensions == {"code": "INVALID_CURSOR"}


async def test_a_deeply_nested_cursor_is_refused_over_http(graphql_response: GraphQL) -> None:
    body = await graphql_response(
        "query ($after: String) { actors(after: $after) { totalCount } }",
        {"after": DEEP_CURSOR},
    )
    assert [error["extensions"]["code"] for error in body["errors"]] == ["INVALID_CURSOR"]


# -- global IDs --------------------------------------------------------------------------------

#: Slugs as the seed format has them.
SLUGS = st.from_regex(r"[a-z0-9]+(?:-[a-z0-9]+)*", fullmatch=True)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@PROPERTIES
@given(st.sampled_from(NODE_TYPES), SLUGS)
def test_a_global_id_parses_to_its_type_and_slug(type_name: str, slug: str) -> None:
    value = to_global_id(type_name, slug)
    assert URL_SAFE.fullmatch(value)
    assert parse_global_id(value, argument="id") == (type_name, slug)
    assert parse_global_id(value, argument="id", expected=(type_name,)) == (type_name, slug)
    assert slug_of(value, argument="id", expected=type_name) == slug


@PROPERTIES
@given(st.sampled_from(NODE_TYPES), st.sampled_from(NODE_TYPES), SLUGS)
def test_a_global_id_of_another_type_is_refused_by_name(
    type_name: str, wanted: str, slug: str
) -> None:
    if wanted == type_name:
        return
    with pytest.raises(ClientError) as refused:
        slug_of(to_global_id(type_name, slug), argument="filter.speaker", expected=wanted)
    assert refused.value.extensions == {"code": "INVALID_ID"}
    message = refused.value.message
    assert message.startswith("filter.speaker: ")
    assert f"the ID of a {type_name}" in message
    assert f"a {wanted} ID is expected" in message


@PROPERTIES
@given(st.sampled_from(NODE_TYPES), st.text())
def test_a_global_id_of_any_slug_parses_back_or_is_an_invalid_id(type_name: str, slug: str) -> None:
    """Slugs outside the seed format's (``a-z``, digits, inner hyphens) are refused."""
    value = to_global_id(type_name, slug)
    if SLUG.fullmatch(slug):
        assert parse_global_id(value, argument="id") == (type_name, slug)
        return
    with pytest.raises(ClientError) as refused:
        parse_global_id(value, argument="id")
    assert refused.value.extensions == {"code": "INVALID_ID"}


@settings(PROPERTIES, max_examples=examples(600))
@given(
    st.one_of(
        st.text(),
        st.binary().map(_b64),
        st.builds(lambda kind, slug: _b64(f"{kind}:{slug}".encode()), st.text(), SLUGS),
        st.builds(
            lambda kind, slug: _b64(f"{kind}:{slug}".encode()),
            st.sampled_from(NODE_TYPES),
            st.text(),
        ),
    )
)
def test_any_other_string_is_an_invalid_id_never_another_error(value: str) -> None:
    parsed = outcome(lambda: parse_global_id(value, argument="ids[0]"))
    if isinstance(parsed, ClientError):
        assert parsed.extensions == {"code": "INVALID_ID"}
        assert parsed.message.startswith("ids[0]: ")
        return
    # It named a node after all: a known type and a well-formed slug.
    type_name, slug = parsed
    assert type_name in NODE_TYPES
    assert SLUG.fullmatch(slug)


def test_no_id_is_no_slug() -> None:
    assert slug_of(None, argument="filter.speaker", expected="Actor") is None
