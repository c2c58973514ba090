"""The extractor against the gold set: the goals on the fictional articles, and the seed's
four direct quotes with every speaker right."""

from __future__ import annotations

from pathlib import Path

from claimgraph.extract.evaluate import GOALS, evaluate

GOLD = Path(__file__).parent / "gold"


def test_gold_set_meets_the_goals() -> None:
    folders = sorted(p for p in GOLD.iterdir() if (p / "case.yaml").exists())
    scores, total, _ = evaluate(folders)
    assert len(scores) >= 7  # the seed and six fictional articles
    ratios = total.ratios()
    assert {k: ratios[k] >= goal for k, goal in GOALS.items()} == dict.fromkeys(GOALS, True), ratios
    assert total.over_precise == 0
    seed = scores["rudaw-seed"]
    assert (seed.quotes, seed.quotes_found) == (4, 4)
    assert seed.speakers_right == seed.matched > 0
    assert seed.over_precise == 0
