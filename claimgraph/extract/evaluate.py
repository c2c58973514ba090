"""Scoring the extractor against hand-made gold extractions (``make extract-eval``).

A case is a folder with ``case.yaml`` (``gold``: an extraction file in the seed format;
``known_actors``: the slugs of its actors the database would already hold). Matching is by
overlap of character spans: a gold quote is found when a proposed DIRECT_QUOTE's quote
overlaps it (one proposal may cover two gold quotes the curator split, as the seed splits
Patel's at "but"); a gold paraphrase when a proposed PARAPHRASE's excerpt overlaps its
excerpt. Speakers and dates are scored on the gold statements found. A speaker is right when
it is the gold slug, or a proposed new actor whose name is the gold actor's name or alias.
A date is exact when its [earliest, latest] equals the gold's, over-precise when it is
strictly narrower than the gold's."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.db.models.enums import StatementMode
from claimgraph.extract.extractor import extract
from claimgraph.extract.known import from_extraction
from claimgraph.extract.model import Draft, KnownActor, Proposal
from claimgraph.seed.reader import ParsedFile, read_files

#: What the extractor must reach on the fictional gold set (the test asserts these).
GOALS = {"quote_recall": 0.95, "quote_precision": 0.9, "speaker": 0.85, "paraphrase_recall": 0.7}


@dataclass(frozen=True)
class Case:
    name: str
    gold: ParsedFile
    known: tuple[KnownActor, ...]

    @classmethod
    def load(cls, folder: Path) -> Case:
        spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
        (gold,) = read_files([(folder / spec["gold"]).resolve()])
        wanted = set(spec["known_actors"])
        known = from_extraction(gold.extraction, only=wanted)
        return cls(folder.name, gold, known)

    def run(self) -> Draft:
        source = self.gold.extraction.source
        publisher = next(a for a in self.gold.extraction.actors if a.slug == source.publisher)
        published = FuzzyDate.parse(source.published.edtf).earliest
        return extract(
            self.gold.text, published=published, publisher=publisher.name, known_actors=self.known
        )


@dataclass
class Score:
    quotes: int = 0
    quotes_found: int = 0
    proposed_quotes: int = 0
    proposed_quotes_right: int = 0
    paraphrases: int = 0
    paraphrases_found: int = 0
    matched: int = 0
    speakers_right: int = 0
    dates_exact: int = 0
    over_precise: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            if name != "misses":
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def ratios(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 1.0

        return {
            "quote_recall": ratio(self.quotes_found, self.quotes),
            "quote_precision": ratio(self.proposed_quotes_right, self.proposed_quotes),
            "speaker": ratio(self.speakers_right, self.matched),
            "paraphrase_recall": ratio(self.paraphrases_found, self.paraphrases),
            "date_exact": ratio(self.dates_exact, self.matched),
        }


def _quote_span(start: int, excerpt: str, quote: str | None) -> tuple[int, int]:
    if not quote:
        return start, start + len(excerpt)
    at = start + excerpt.find(quote)
    return at, at + len(quote)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _width(date: FuzzyDate) -> int:
    return date.latest.toordinal() - date.earliest.toordinal()


def score(case: Case, draft: Draft) -> Score:
    result = Score()
    new_names = {a.slug: a.name.lower() for a in draft.actors}
    gold_names = {
        a.slug: {n.lower() for n in (a.name, *a.aliases)} for a in case.gold.extraction.actors
    }
    quotes = [p for p in draft.proposals if p.mode is StatementMode.DIRECT_QUOTE]
    paraphrases = [p for p in draft.proposals if p.mode is StatementMode.PARAPHRASE]
    quote_spans = [_quote_span(p.start, p.excerpt, p.quote) for p in quotes]
    gold_quote_spans = []
    for statement in case.gold.extraction.statements:
        where = case.gold.excerpts[statement.slug]
        if statement.mode is StatementMode.DIRECT_QUOTE:
            span = _quote_span(where.start, statement.excerpt, statement.quote)
            gold_quote_spans.append(span)
            pool = list(zip(quotes, quote_spans, strict=True))
            result.quotes += 1
        elif statement.mode is StatementMode.PARAPHRASE:
            span = (where.start, where.end)
            pool = [(p, (p.start, p.end)) for p in paraphrases]
            result.paraphrases += 1
        else:
            continue
        best = max(pool, key=lambda item: _overlap(item[1], span), default=None)
        if best is None or _overlap(best[1], span) == 0:
            result.misses.append(f"missed {statement.mode.value} {statement.slug}")
            continue
        found: Proposal = best[0]
        if statement.mode is StatementMode.DIRECT_QUOTE:
            result.quotes_found += 1
        else:
            result.paraphrases_found += 1
        result.matched += 1
        if found.speaker == statement.speaker or new_names.get(found.speaker) in gold_names.get(
            statement.speaker, set()
        ):
            result.speakers_right += 1
        else:
            result.misses.append(f"speaker {found.speaker} for {statement.slug}")
        gold_date = statement.said_on.to_fuzzy_date()
        if (found.said_on.earliest, found.said_on.latest) == (gold_date.earliest, gold_date.latest):
            result.dates_exact += 1
        else:
            result.misses.append(
                f"date {found.said_on.edtf} for {statement.slug} ({gold_date.edtf})"
            )
        if _width(found.said_on) < _width(gold_date):
            result.over_precise += 1
            result.misses.append(f"OVER-PRECISE {found.said_on.edtf} for {statement.slug}")
    result.proposed_quotes = len(quotes)
    result.proposed_quotes_right = sum(
        1 for span in quote_spans if any(_overlap(span, g) for g in gold_quote_spans)
    )
    return result


def _row(name: str, s: Score) -> str:
    r = s.ratios()
    return (
        f"{name:<28} {s.quotes_found:>2}/{s.quotes:<2} {r['quote_recall']:>5.2f}"
        f" {r['quote_precision']:>6.2f} {r['speaker']:>8.2f}"
        f" {s.paraphrases_found:>2}/{s.paraphrases:<2}"
        f" {r['paraphrase_recall']:>5.2f} {r['date_exact']:>6.2f} {s.over_precise:>5}"
    )


def evaluate(folders: list[Path]) -> tuple[dict[str, Score], Score, float]:
    """Score every case; return the per-case scores, the fictional set's total (every case
    but the shipped seed's) and the seconds spent extracting."""
    scores: dict[str, Score] = {}
    total = Score()
    spent = 0.0
    for folder in folders:
        case = Case.load(folder)
        started = time.perf_counter()
        draft = case.run()
        spent += time.perf_counter() - started
        scores[case.name] = score(case, draft)
        if "seed" not in case.name:
            total.add(scores[case.name])
    return scores, total, spent


def main(argv: list[str] | None = None) -> int:
    root = Path((argv or sys.argv[1:] or ["tests/extract/gold"])[0])
    folders = sorted(p for p in root.iterdir() if (p / "case.yaml").exists())
    scores, total, spent = evaluate(folders)
    print(f"{'article':<28} quotes recall precis. speakers para. recall dates over-precise")
    for name, s in scores.items():
        print(_row(name, s))
        for miss in s.misses:
            print(f"    {miss}")
    print(_row("overall (fictional set)", total))
    failed = [k for k, goal in GOALS.items() if total.ratios()[k] < goal]
    print(f"extraction time: {spent:.3f} s for {len(folders)} articles (spaCy loaded first)")
    print("goals " + ("met" if not failed and total.over_precise == 0 else f"NOT met: {failed}"))
    return 0 if not failed and total.over_precise == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
