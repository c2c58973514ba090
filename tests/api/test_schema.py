"""The public schema: schema.graphql is the contract, and the IDE's docs pane is the manual."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    is_introspection_type,
    is_specified_scalar_type,
)

from claimgraph.api.graphql.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_graphql_matches_the_code() -> None:
    exported = SCHEMA_FILE.read_text(encoding="utf-8").strip()
    assert exported == schema.as_str().strip(), (
        "schema.graphql has drifted from the code: run `make schema` and review the diff "
        "(a removed or renamed field breaks clients; deprecate instead)"
    )


def test_every_type_field_argument_and_enum_value_has_a_description() -> None:
    missing: list[str] = []
    for name, graphql_type in schema._schema.type_map.items():
        if is_introspection_type(graphql_type) or is_specified_scalar_type(graphql_type):
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing.extend(
                    f"{name}.{field_name}({arg_name}:)"
                    for arg_name, arg in field.args.items()
                    if not arg.description
                )
        elif isinstance(graphql_type, GraphQLInputObjectType):
            missing.extend(
                f"{name}.{field_name}"
                for field_name, field in graphql_type.fields.items()
                if not field.description
            )
        elif isinstance(graphql_type, GraphQLEnumType):
            missing.extend(
                f"{name}.{value_name}"
                for value_name, value in graphql_type.values.items()
                if not value.description
            )
        elif isinstance(graphql_type, GraphQLUnionType):
            pass  # its description was checked above; members are described types
    assert not missing, f"described nowhere in the docs pane: {missing}"


#: The contract in design.md: (type, field, its type, its arguments' types).
CONTRACT = [
    ("Query", "node", "Node", {"id": "ID!"}),
    ("Query", "nodes", "[Node]!", {"ids": "[ID!]!"}),
    (
        "Query",
        "statements",
        "StatementConnection!",
        {
            "first": "Int",
            "after": "String",
            "last": "Int",
            "before": "String",
            "filter": "StatementFilter",
            "orderBy": "StatementOrder",
        },
    ),
    (
        "Query",
        "actors",
        "ActorConnection!",
        {
            "first": "Int",
            "after": "String",
            "last": "Int",
            "before": "String",
            "filter": "ActorFilter",
        },
    ),
    (
        "Query",
        "agreements",
        "AgreementConnection!",
        {"first": "Int", "after": "String", "last": "Int", "before": "String"},
    ),
    ("Query", "deployments", "DeploymentConnection!", {"filter": "DeploymentFilter"}),
    ("Query", "events", "EventConnection!", {"filter": "EventFilter"}),
    ("Query", "sources", "SourceConnection!", {"first": "Int"}),
    (
        "Query",
        "timeline",
        "TimelineEntryConnection!",
        {"first": "Int", "after": "String", "between": "DateRange", "actor": "ID"},
    ),
    (
        "Query",
        "search",
        "SearchResultConnection!",
        {"text": "String!", "first": "Int", "after": "String"},
    ),
    ("StatementConnection", "edges", "[StatementEdge!]!", {}),
    ("StatementConnection", "nodes", "[Statement!]!", {}),
    ("StatementConnection", "pageInfo", "PageInfo!", {}),
    ("StatementConnection", "totalCount", "Int!", {}),
    ("PageInfo", "hasNextPage", "Boolean!", {}),
    ("PageInfo", "hasPreviousPage", "Boolean!", {}),
    ("PageInfo", "startCursor", "String", {}),
    ("PageInfo", "endCursor", "String", {}),
    ("FuzzyDate", "edtf", "String!", {}),
    ("FuzzyDate", "earliest", "Date!", {}),
    ("FuzzyDate", "latest", "Date!", {}),
    ("FuzzyDate", "precision", "DatePrecision!", {}),
    ("FuzzyDate", "approximate", "Boolean!", {}),
    ("FuzzyDate", "uncertain", "Boolean!", {}),
    ("FuzzyDate", "phrase", "String", {}),
    ("FuzzyDate", "anchor", "String", {}),
    ("Excerpt", "source", "Source!", {}),
    ("Excerpt", "start", "Int!", {}),
    ("Excerpt", "end", "Int!", {}),
    ("Excerpt", "text", "String!", {}),
    ("Source", "publisher", "Actor", {}),
    ("Source", "contributors", "[Actor!]!", {}),
    ("Source", "publishedOn", "FuzzyDate!", {}),
    ("Source", "contentSha256", "String!", {}),
    ("Source", "statements", "StatementConnection!", {"first": "Int", "after": "String"}),
    ("Statement", "speaker", "Actor!", {}),
    ("Statement", "mode", "StatementMode!", {}),
    ("Statement", "excerpt", "Excerpt!", {}),
    ("Statement", "saidOn", "FuzzyDate!", {}),
    ("Statement", "reportedOn", "FuzzyDate!", {}),
    ("Statement", "recordedAt", "DateTime!", {}),
    ("Statement", "relations", "[StatementRelation!]!", {}),
    ("StatementRelation", "kind", "RelationKind!", {}),
    ("StatementRelation", "direction", "RelationDirection!", {}),
    ("StatementRelation", "statement", "Statement!", {}),
    ("Actor", "roles", "[Role!]!", {}),
    ("Actor", "statements", "StatementConnection!", {"first": "Int", "after": "String"}),
    ("Actor", "mentionedIn", "StatementConnection!", {"first": "Int", "after": "String"}),
    ("Actor", "agreements", "[Agreement!]!", {}),
    ("Actor", "deployments", "[Deployment!]!", {}),
    ("Role", "organization", "Actor", {}),
    ("Role", "period", "FuzzyDate", {}),
    ("Role", "evidence", "[Statement!]!", {}),
    ("Agreement", "status", "AgreementStatus!", {}),
    ("Agreement", "terms", "[AgreementTerm!]!", {}),
    ("Agreement", "reportedOn", "FuzzyDate", {}),
    ("AgreementTerm", "due", "FuzzyDate", {}),
    ("Deployment", "force", "Actor!", {}),
    ("Deployment", "personnel", "Int", {}),
    ("Deployment", "personnelApproximate", "Boolean!", {}),
    ("Deployment", "asOf", "FuzzyDate!", {}),
    ("Event", "occurredOn", "FuzzyDate!", {}),
    ("Event", "participants", "[Actor!]!", {}),
    ("StatementFilter", "saidBetween", "DateRange", {}),
    ("DateRange", "from", "Date", {}),
    ("DateRange", "to", "Date", {}),
]


def test_the_contract_of_the_design_holds() -> None:
    type_map: dict[str, Any] = dict(schema._schema.type_map)
    for type_name, field_name, field_type, arguments in CONTRACT:
        fields = type_map[type_name].fields
        field = fields[field_name]
        assert str(field.type) == field_type, (type_name, field_name)
        for argument, argument_type in arguments.items():
            assert str(field.args[argument].type) == argument_type, (field_name, argument)
    assert str(type_map["TimelineEntry"]) == "TimelineEntry"
    assert {t.name for t in type_map["TimelineEntry"].types} == {"Statement", "Event"}
    members = {t.name for t in type_map["SearchResult"].types}
    assert members == {"Statement", "Actor", "Agreement", "Deployment", "Event", "Source"}
    for node_type in ("Source", "Statement", "Actor", "Agreement", "Deployment", "Event"):
        assert [i.name for i in type_map[node_type].interfaces] == ["Node"]
