"""``claimgraph ingest``: a draft the seed reader accepts, known actors from the database,
and bad input refused with a clear message before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from claimgraph.cli import app
from claimgraph.extract.errors import MAX_TEXT_CHARS
from claimgraph.extract.known import from_database
from claimgraph.seed.reader import DEFAULT_SEED_DIR, read_files

ARTICLE = Path(__file__).parent / "gold" / "veloria-ports-strike" / "article.txt"
ACTORS = DEFAULT_SEED_DIR  # known actors: the seed's, so the article's people are new


def ingest(text_file: Path, out: Path, published: str = "2024-03-14") -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            str(text_file),
            "--url",
            "https://example.org/a",
            "--published",
            published,
            "--publisher",
            "Meridian Wire",
            "--out",
            str(out),
            "--actors",
            str(ACTORS),
        ],
    )
    return result.exit_code, result.output


def test_draft_is_a_seed_file_with_rule_and_confidence(tmp_path: Path) -> None:
    code, output = ingest(ARTICLE, tmp_path)
    assert code == 0, output
    (parsed,) = read_files(sorted(tmp_path.glob("*.yaml")))
    assert parsed.text == ARTICLE.read_text(encoding="utf-8")
    statements = parsed.extraction.statements
    assert statements
    assert all(s.draft is not None for s in statements)
    assert all(0 < s.draft.confidence <= 1 for s in statements if s.draft)
    varga = [s for s in statements if s.speaker == "lena-varga"]
    assert varga
    assert all(s.draft and s.draft.rule for s in varga)
    new = {a.slug: a for a in parsed.extraction.actors}
    assert set(new) >= {"lena-varga", "petr-halloran", "meridian-wire"}
    assert new["meridian-wire"].kind.value == "NEWS_ORGANIZATION"
    assert "rudaw" not in new  # known actors are named, not declared again


def test_draft_is_never_overwritten(tmp_path: Path) -> None:
    assert ingest(ARTICLE, tmp_path)[0] == 0
    code, output = ingest(ARTICLE, tmp_path)
    assert code == 1
    assert "exists already" in output


@pytest.mark.parametrize(
    ("content", "published", "message"),
    [
        (b"  \n ", "2024-03-14", "is empty"),
        (
            "Caf\u00e9 said so.".encode("latin-1"),
            "2024-03-14",
            "is not UTF-8 text (byte 3 is 0xe9)",
        ),
        (b"Rusk said so.", "14/03/2024", "--published: '14/03/2024' is not a date"),
        (b"word " * (MAX_TEXT_CHARS // 5 + 1), "2024-03-14", "over the limit of 200,000"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    tmp_path: Path, content: bytes, published: str, message: str
) -> None:
    text_file = tmp_path / "article.txt"
    text_file.write_bytes(content)
    out = tmp_path / "out"
    code, output = ingest(text_file, out, published)
    assert code == 1
    assert message in output
    assert not out.exists()


def test_missing_file_is_named(tmp_path: Path) -> None:
    code, output = ingest(tmp_path / "nowhere.txt", tmp_path / "out")
    assert code == 1
    assert "nowhere.txt: cannot be read" in output


async def test_known_actors_from_the_database(engine: AsyncEngine) -> None:
    actors = {a.slug: a for a in await from_database(engine)}
    (seed,) = read_files([next(DEFAULT_SEED_DIR.glob("*.yaml"))])
    assert set(actors) >= {a.slug for a in seed.extraction.actors}
    assert actors["vedant-patel"].roles == ("deputy spokesperson",)
    assert "Washington" in actors["united-states"].aliases
