"""Every field of the schema is declared once, and the compiled path covers it or says why
not: a field that is neither fails here, naming itself."""

from __future__ import annotations

import graphql

from claimgraph.api.compiled.producers import compiled_fields
from claimgraph.api.compiled.records import LEFT_OUT, RECORD_TYPES, record_keys
from claimgraph.api.fields import Custom, declaration_of
from claimgraph.api.graphql.schema import schema

#: Root fields the resolvers answer alone, and why.
ROOT_RESOLVER_ONLY = {
    "changes": "the change feed reads the change log and builds records in Python",
    "rateLimit": "it reports the asking client's own budget, known only at request time",
}

#: Types that only resolver-only fields reach, and the connection machinery the compiler
#: builds from the page itself (edges, nodes, pageInfo, totalCount).
STRUCTURAL = ("Connection", "Edge", "PageInfo")
ONLY_BEHIND_RESOLVERS = {
    "Change",
    "ChangeConnection",
    "RateLimit",
    "Query",
    # the desk: mutations run by resolvers alone (the compiler answers queries), and the
    # revisions every record's resolver-only `history` lists
    "Mutation",
    "UserError",
    "SourcePayload",
    "StatementPayload",
    "ActorPayload",
    "AgreementPayload",
    "DeploymentPayload",
    "EventPayload",
    "ProposedStatementsPayload",
    "Revision",
    "FieldChange",
}


def object_fields() -> list[tuple[str, str, graphql.GraphQLField]]:
    found = []
    for named in schema._schema.type_map.values():
        if not isinstance(named, graphql.GraphQLObjectType) or named.name.startswith("__"):
            continue
        if named.name.endswith(STRUCTURAL) or named.name in ONLY_BEHIND_RESOLVERS:
            continue
        found += [(named.name, name, field) for name, field in named.fields.items()]
    return found


def test_every_field_is_declared() -> None:
    undeclared = [f"{t}.{n}" for t, n, field in object_fields() if declaration_of(field) is None]
    assert not undeclared, f"declare these with claimgraph.api.graphql.declare: {undeclared}"


def test_every_field_is_compiled_or_says_why_not() -> None:
    covered = compiled_fields(schema._schema)
    neither = []
    resolver_only = {}
    for type_name, name, field in object_fields():
        declaration = declaration_of(field)
        reason = declaration.resolver_only if isinstance(declaration, Custom) else None
        if reason:
            resolver_only[f"{type_name}.{name}"] = reason
            assert (type_name, name) not in covered, f"{type_name}.{name} is compiled after all"
        elif (type_name, name) not in covered:
            neither.append(f"{type_name}.{name}")
    assert not neither, f"neither compiled nor resolver-only (with a reason): {neither}"
    histories = ("Actor", "Agreement", "Deployment", "Event", "Source", "Statement")
    assert resolver_only == {
        "Statement.jsonLd": resolver_only["Statement.jsonLd"],
        **{f"{t}.history": resolver_only[f"{t}.history"] for t in histories},
    }
    assert all(len(reason) > 20 for reason in resolver_only.values())


def test_every_root_field_is_compiled_or_says_why_not() -> None:
    covered = {name for type_name, name in compiled_fields(schema._schema) if type_name == "Query"}
    root = schema._schema.query_type
    assert root is not None
    assert set(root.fields) - covered == set(ROOT_RESOLVER_ONLY)


def test_every_field_is_in_its_record_or_says_why_not() -> None:
    """The bulk export's records take every field from its declaration; a field a record
    leaves out is listed with the reason (claimgraph.api.compiled.records.LEFT_OUT)."""
    for record_type in RECORD_TYPES.values():
        named = schema._schema.get_type(record_type.node_type)
        assert isinstance(named, graphql.GraphQLObjectType)
        keys = set(record_keys(schema._schema, record_type.name))
        for name in named.fields:
            assert (name in keys) != ((record_type.node_type, name) in LEFT_OUT), name
    assert all(len(reason) > 20 for reason in LEFT_OUT.values())
    assert "characterCount" in record_keys(schema._schema, "sources")
