"""The whole synthetic corpus, generated in a fixed order from one seeded RNG."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from claimgraph.db import models as m
from claimgraph.seed.synthetic.corpus import Batch, Draw, Sizes, SyntheticError
from claimgraph.seed.synthetic.reference import References
from claimgraph.seed.synthetic.statements import Statements


class Generator:
    """Generates the corpus of ``statements`` with ``seed``; ids start after ``base``.

    Take :meth:`reference_batches`, then :meth:`statement_batches`, then
    :meth:`evidence_batches`: each draws on what the one before drew.
    """

    def __init__(self, statements: int, seed: int, base: Mapping[str, int] | None = None) -> None:
        self.sizes = Sizes.for_statements(statements)
        self.draw = Draw(seed, base or {})
        self.references = References(self.draw, self.sizes)
        self._statements: Statements | None = None

    def reference_batches(self) -> list[Batch]:
        """Actors, roles, agreements, deployments and events, with their links."""
        batches, cast = self.references.batches()
        self._statements = Statements(self.draw, self.sizes.statements, cast)
        return batches

    def statement_batches(self, chunk_statements: int = 50_000) -> Iterator[list[Batch]]:
        """Sources with their statements and links, about ``chunk_statements`` at a time."""
        return self._after_references().batches(chunk_statements)

    def evidence_batches(self) -> list[Batch]:
        """Role and term evidence (the first statements of each speaker / agreement), and the
        change log of the reference records."""
        statements = self._after_references()
        role_evidence = Batch(m.role_evidence)
        for role_id, actor in statements.cast.roles:
            for statement_id in statements.spoken.get(actor, []):
                role_evidence.add(role_id=role_id, statement_id=statement_id)
        term_evidence = Batch(m.term_evidence)
        for term_id, agreement_id in statements.cast.terms:
            for statement_id in statements.about_agreement.get(agreement_id, []):
                term_evidence.add(term_id=term_id, statement_id=statement_id)
        return [role_evidence, term_evidence, self.references.changes]

    def _after_references(self) -> Statements:
        if self._statements is None:
            raise SyntheticError("generate the reference batches first")
        return self._statements
