"""``make bench-extract``: how long extraction takes, spaCy's start-up apart from the
per-article time. The article is the fictional gold set's bodies run together to 1,000 words
or more (tests/extract/gold), with the seed's actors known."""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from claimgraph.extract.known import from_files
from claimgraph.seed.reader import DEFAULT_SEED_DIR

WORDS = 1_000
RUNS = 5


def article(gold: Path, words: int = WORDS) -> str:
    paragraphs: list[str] = []
    for path in sorted(gold.glob("*/article.txt")):
        paragraphs += path.read_text(encoding="utf-8").split("\n")[1:]  # not the headline
        if sum(len(p.split()) for p in paragraphs) >= words:
            break
    return "\n".join(p for p in paragraphs if p)


def main(argv: list[str] | None = None) -> int:
    gold = Path((argv or sys.argv[1:] or ["tests/extract/gold"])[0])
    text = article(gold)
    started = time.perf_counter()
    from claimgraph.extract.extractor import extract
    from claimgraph.extract.nlp import blank_pipeline

    blank_pipeline()
    load = time.perf_counter() - started
    known = from_files(DEFAULT_SEED_DIR)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        draft = extract(
            text, published=dt.date(2024, 9, 18), publisher="Meridian Wire", known_actors=known
        )
        times.append(time.perf_counter() - started)
    print(
        f"article: {len(text.split())} words, {len(text)} characters, "
        f"{len(draft.proposals)} proposals"
    )
    print(f"spaCy import and blank pipeline: {load:.3f} s (once per process)")
    print(
        f"first extraction (builds the entity ruler for {len(known)} known actors): "
        f"{times[0]:.3f} s"
    )
    print(
        f"each extraction after: median {statistics.median(times[1:]):.3f} s over {RUNS - 1} runs"
    )
    total = load + times[0]
    print(
        f"cold ingest of one article: {total:.3f} s "
        f"({'under' if total < 2 else 'OVER'} the 2 s goal)"
    )
    return 0 if total < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
