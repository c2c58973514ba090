"""A synthetic corpus for load tests (``claimgraph seed synthetic``).

Deterministic: the same number of statements and seed give the same rows and the same slugs,
on any engine. The shape follows the curated seed, scaled up: about one source per 25
statements, each source's text built from its statements' excerpts (so every
``excerpt_start``/``excerpt_end`` is a slice of the source text and every quote lies inside its
excerpt), thousands of actors whose activity is Zipf-skewed, roles, agreements with terms,
deployments, events, relations between statements, mentions, and fuzzy dates of every
precision over twenty years. Slugs start with ``syn-<seed>-`` so they never meet the curated
seed's, and the change log gets a CREATED entry per node, as a load would write.

The parts: ``vocabulary`` (the words), ``dates`` (EDTF to column values), ``corpus`` (slugs,
sizes, batches, the seeded draws), ``reference`` (actors, roles, agreements, deployments,
events), ``statements`` (sources and statements), ``generator`` (all of it in order) and
``writer`` (into the database).
"""

from claimgraph.seed.synthetic.corpus import (
    RECORDED_AT,
    SLUG_PREFIX,
    Batch,
    Sizes,
    SyntheticError,
    insert_columns,
    slug_prefix,
    statement_slug,
)
from claimgraph.seed.synthetic.dates import Dates
from claimgraph.seed.synthetic.generator import Generator
from claimgraph.seed.synthetic.writer import (
    SyntheticReport,
    corpus_present,
    load_synthetic,
    write_synthetic,
)

__all__ = [
    "RECORDED_AT",
    "SLUG_PREFIX",
    "Batch",
    "Dates",
    "Generator",
    "Sizes",
    "SyntheticError",
    "SyntheticReport",
    "corpus_present",
    "insert_columns",
    "load_synthetic",
    "slug_prefix",
    "statement_slug",
    "write_synthetic",
]
