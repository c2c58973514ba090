"""A document's size and shape, checked before graphql-core validates it.

Validation is not free: its overlapping-fields rule compares every pair of fields that share
a response name in a selection set, fragments spread, so 450 spreads of one small fragment
cost seconds of CPU before any limit that runs after validation sees them. One linear walk
of the parsed document (each fragment measured once) refuses such a document first: too many
fields (fragments counted wherever they are spread), one response name repeated too often in
one selection set, too many fragment spreads, too many introspection fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import ValidationCache

from claimgraph.api.settings import ApiSettings

#: Root fields that answer from the schema, not the data (``__typename`` costs nothing).
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


@dataclass
class _Measure:
    """What a selection set holds once its fragments are spread."""

    fields: int = 0
    introspection: int = 0
    #: Response names selected directly in the set (through fragments too), with counts.
    names: Counter[str] = field(default_factory=Counter)
    #: A response name repeated too often, and the node where it was seen.
    repeated: tuple[str, int, Node] | None = None


class DocumentShape:
    """Measures a parsed document: its fields counted with fragments spread, each fragment
    measured once however often it is spread."""

    def __init__(self, document: DocumentNode, max_repeats: int) -> None:
        self.max_repeats = max_repeats
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self._measured: dict[str, _Measure] = {}
        self._measuring: set[str] = set()
        self.spreads = 0
        self.fields = 0
        self.introspection = 0
        self.repeated: tuple[str, int, Node] | None = None
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                measure = self._selection_set(definition.selection_set)
                self.fields += measure.fields
                self.introspection += measure.introspection
                self.repeated = self.repeated or measure.repeated
        for fragment in self.fragments.values():
            self.repeated = self.repeated or self._fragment(fragment.name.value).repeated

    def _fragment(self, name: str) -> _Measure:
        known = self._measured.get(name)
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        if fragment is None or name in self._measuring:
            return _Measure()  # unknown or cyclic: validation says so, cheaply
        self._measuring.add(name)
        measure = self._selection_set(fragment.selection_set)
        self._measuring.discard(name)
        self._measured[name] = measure
        return measure

    def _selection_set(self, selection_set: SelectionSetNode | None) -> _Measure:
        measure = _Measure()
        for selection, inner in self._selections(selection_set):
            measure.fields += inner.fields
            measure.introspection += inner.introspection
            measure.names.update(inner.names)
            measure.repeated = measure.repeated or inner.repeated
            if measure.repeated is None:
                name, count = (measure.names.most_common(1) or [("", 0)])[0]
                if count > self.max_repeats:
                    measure.repeated = (name, count, selection)
        return measure

    def _selections(
        self, selection_set: SelectionSetNode | None
    ) -> Iterator[tuple[Node, _Measure]]:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                inner = self._selection_set(selection.selection_set)
                name = (selection.alias or selection.name).value
                own = 1 if selection.name.value in INTROSPECTION_FIELDS else 0
                yield (
                    selection,
                    _Measure(
                        fields=1 + inner.fields,
                        introspection=own + inner.introspection,
                        names=Counter({name: 1}),
                        repeated=inner.repeated,
                    ),
                )
            elif isinstance(selection, InlineFragmentNode):
                yield selection, self._selection_set(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                self.spreads += 1
                yield selection, self._fragment(selection.name.value)


def _refusal(message: str, limit: str, value: int, node: Any = None) -> GraphQLError:
    return GraphQLError(
        message, node, extensions={"code": "QUERY_TOO_COMPLEX", "limit": limit, "value": value}
    )


def shape_refusal(document: DocumentNode, settings: ApiSettings) -> GraphQLError | None:
    """Why ``document`` is too big to validate, if it is."""
    shape = DocumentShape(document, settings.max_field_repeats)
    if shape.spreads > settings.max_fragment_spreads:
        return _refusal(
            f"The document holds {shape.spreads:,} fragment spreads; the limit is "
            f"{settings.max_fragment_spreads:,}.",
            "fragmentSpreads",
            settings.max_fragment_spreads,
        )
    if shape.fields > settings.max_fields:
        return _refusal(
            f"The document selects {shape.fields:,} fields, counting each fragment wherever "
            f"it is spread; the limit is {settings.max_fields:,}.",
            "fields",
            settings.max_fields,
        )
    if shape.repeated is not None:
        name, count, node = shape.repeated
        return _refusal(
            f"`{name}` is selected {count} times in one selection set (fragments spread); the "
            f"limit is {settings.max_field_repeats}.",
            "fieldRepeats",
            settings.max_field_repeats,
            node,
        )
    if shape.introspection > settings.max_introspection_fields:
        return _refusal(
            f"The document asks for {shape.introspection} introspection fields (`__schema`, "
            f"`__type`); the limit is {settings.max_introspection_fields}.",
            "introspection",
            settings.max_introspection_fields,
        )
    return None


class GuardedValidation(ValidationCache):
    """Validation (cached), after the shape check: a document over a shape limit is refused
    without being validated."""

    def __init__(self, settings: ApiSettings, maxsize: int) -> None:
        super().__init__(maxsize=maxsize)
        self.settings = settings

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        refusal = None if document is None else shape_refusal(document, self.settings)
        if refusal is None:
            yield from super().on_validate()
        else:
            context.pre_execution_errors = [refusal]
            yield
