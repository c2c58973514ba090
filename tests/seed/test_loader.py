"""The seed loader on the Rudaw story: what it writes, what a reload leaves alone, what an
edit changes, and how a curator's mistake is named (file, record, problem) with nothing
written.

Every test writes through the rolled-back ``connection``; the CLI tests use their own SQLite
file. Broken files are variations of a five-statement digest of the story (quick to read),
with slugs of its own so that a load that wrote anything would show in the row counts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Table, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from typer.testing import CliRunner

import claimgraph.db.engine
from claimgraph import migrations
from claimgraph.cli import app
from claimgraph.db.engine import create_engine
from claimgraph.db.models import Base
from claimgraph.db.settings import DatabaseSettings
from claimgraph.seed.errors import SeedError
from claimgraph.seed.loader import LoadReport, write_files
from claimgraph.seed.reader import DEFAULT_SEED_DIR, extraction_paths, read_files
from tests.conftest import SEEDED_AT

SEED_FILE = "rudaw-2024-09-08-coalition-withdrawal.yaml"
TEXT_FILE = "000_f91c6a280d4eed2a.txt"
TEXT_SHA256 = hashlib.sha256((DEFAULT_SEED_DIR / TEXT_FILE).read_bytes()).hexdigest()
#: A reload a month after the seed was recorded: anything it touches shows this time.
LATER = SEEDED_AT + dt.timedelta(days=30)

TABLES = Base.metadata.tables
STATEMENTS = TABLES["statements"]
SOURCES = TABLES["sources"]
RELATIONS = TABLES["statement_relations"]
SLUGGED = {name: table for name, table in TABLES.items() if "slug" in table.c}
TIMESTAMPED = {name: table for name, table in TABLES.items() if "updated_at" in table.c}

Extraction = dict[str, Any]


# -- reading the database ------------------------------------------------------------------


async def row_counts(connection: AsyncConnection) -> dict[str, int]:
    return {
        name: (await connection.execute(select(func.count()).select_from(table))).scalar_one()
        for name, table in TABLES.items()
    }


async def all_rows(connection: AsyncConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order: equal snapshots mean nothing changed."""
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    for name, table in TABLES.items():
        query = select(table).order_by(*table.primary_key.columns)
        snapshot[name] = [tuple(row) for row in await connection.execute(query)]
    return snapshot


async def slug_ids(connection: AsyncConnection) -> dict[str, set[tuple[str, int]]]:
    return {
        name: {(slug, id_) for slug, id_ in await connection.execute(select(t.c.slug, t.c.id))}
        for name, t in SLUGGED.items()
    }


async def updated_ats(connection: AsyncConnection) -> dict[tuple[str, str], dt.datetime]:
    """(table, slug) -> updated_at for every timestamped row."""
    found: dict[tuple[str, str], dt.datetime] = {}
    for name, table in TIMESTAMPED.items():
        for slug, updated_at in await connection.execute(select(table.c.slug, table.c.updated_at)):
            found[(name, slug)] = updated_at
    return found


async def statement_id(connection: AsyncConnection, slug: str) -> int:
    query = select(STATEMENTS.c.id).where(STATEMENTS.c.slug == slug)
    result: int = (await connection.execute(query)).scalar_one()
    return result


async def rows_naming(connection: AsyncConnection, table: Table, id_: int) -> int:
    """How many rows of ``table`` point at statement ``id_`` (through any column)."""
    columns = [c for c in table.c if c.name in ("statement_id", "subject_id", "object_id")]
    query = select(func.count()).select_from(table).where(or_(*(c == id_ for c in columns)))
    count: int = (await connection.execute(query)).scalar_one()
    return count


async def relations_from(connection: AsyncConnection, subject: str) -> set[tuple[str, str]]:
    """(kind, object slug) of every relation whose subject is the statement ``subject``."""
    subjects, objects = STATEMENTS.alias("subjects"), STATEMENTS.alias("objects")
    rows = await connection.execute(
        select(RELATIONS.c.kind, objects.c.slug)
        .join_from(RELATIONS, subjects, RELATIONS.c.subject_id == subjects.c.id)
        .join(objects, RELATIONS.c.object_id == objects.c.id)
        .where(subjects.c.slug == subject)
    )
    return {(str(kind), slug) for kind, slug in rows}


async def changes_since(connection: AsyncConnection, when: dt.datetime) -> list[tuple[str, ...]]:
    """The change log's (node type, slug, kind) entries from ``when`` on, oldest first."""
    changes = TABLES["changes"]
    rows = await connection.execute(
        select(changes.c.node_type, changes.c.node_slug, changes.c.kind)
        .where(changes.c.changed_at >= when)
        .order_by(changes.c.id)
    )
    return [(node_type, slug, str(kind)) for node_type, slug, kind in rows]


# -- writing extraction files ----------------------------------------------------------------


# libyaml's loader and dumper when PyYAML has them (ten times faster), else the pure ones.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def read_extraction(path: Path) -> Extraction:
    data: Extraction = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    return data


def write_extraction(path: Path, data: Extraction) -> None:
    text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")


def edit_extraction(path: Path, edit: Callable[[Extraction], None]) -> None:
    data = read_extraction(path)
    edit(data)
    write_extraction(path, data)


def statement_edit(index: int, **changes: Any) -> Callable[[Extraction], None]:
    """Set fields of ``statements[index]``; a value of ``None`` removes the field."""

    def edit(data: Extraction) -> None:
        statement = data["statements"][index]
        for key, value in changes.items():
            if value is None:
                del statement[key]
            else:
                statement[key] = value

    return edit


def copy_seed(tmp_path: Path) -> Path:
    """The shipped seed folder, copied so a test may edit it."""
    folder = tmp_path / "seed"
    shutil.copytree(DEFAULT_SEED_DIR, folder)
    return folder


async def load(connection: AsyncConnection, folder: Path) -> LoadReport:
    """What ``claimgraph seed load FOLDER`` does, inside the test's transaction."""
    return await write_files(connection, read_files(extraction_paths(folder)), now=LATER)


# A digest of the story, as a second curator might write it: five statements under slugs of
# its own, on the same text.
DIGEST_FILE = "rudaw-digest.yaml"
DIGEST = f"""
source:
  slug: digest-rudaw-2024-09-08
  kind: NEWS_ARTICLE
  title: "US-led coalition forces to leave Iraq before 2026: PM advisor"
  text_file: {TEXT_FILE}
  content_sha256: {TEXT_SHA256}
  published: "2024-09-08"
  language: en
actors:
  - slug: digest-jiad
    name: Sabhan Mullah Jiad
    kind: PERSON
    roles:
      - title: political advisor to the Iraqi prime minister
        evidence: [digest-jiad-agreement-reached]
  - slug: digest-patel
    name: Vedant Patel
    kind: PERSON
  - slug: digest-state-department
    name: United States Department of State
    kind: GOVERNMENT_BODY
statements:
  - slug: digest-headline
    speaker: digest-jiad
    mode: PARAPHRASE
    claim: US-led coalition forces will leave Iraq before 2026.
    excerpt: "US-led coalition forces to leave Iraq before 2026: PM advisor"
    said_on: "2024-09-08"
  - slug: digest-jiad-agreement-reached
    speaker: digest-jiad
    mode: DIRECT_QUOTE
    claim: Iraq and the US agreed that coalition forces withdraw by the end of 2025.
    quote: we have reached an agreement
    excerpt: >-
      we have reached an agreement for the international coalition forces against the
      Islamic State (ISIS), including US forces, to withdraw from Iraq by the end of 2025
    said_on: "2024-09-08"
  - slug: digest-state-department-denial
    speaker: digest-state-department
    mode: PARAPHRASE
    claim: The United States did not discuss a withdrawal with Iraq.
    excerpt: the US State Department denied that a withdrawal had been discussed
    said_on: "[2024-07-31..2024-08-30]"
    mentions: [digest-patel]
  - slug: digest-patel-no-withdrawal-discussed
    speaker: digest-patel
    mode: DIRECT_QUOTE
    claim: The United States never discussed the withdrawal of US forces from Iraq.
    quote: At no point did we discuss the withdrawal of US forces from Iraq
    excerpt: >-
      “At no point did we discuss the withdrawal of US forces from Iraq, but we continued
      to discuss a - the transition to a - what we would say a bilateral security
      partnership,” deputy spokesperson Vedant Patel said in a press conference.
    said_on: "[2024-07-31..2024-08-30]"
  - slug: digest-some-troops-leave-soon
    speaker: digest-jiad
    mode: PARAPHRASE
    claim: Some coalition troops will leave Iraq in the coming months.
    excerpt: >-
      He added some troops in the US-led global anti-ISIS coalition will leave Iraq in the
      coming months.
    said_on: "2024-09-08"
relations:
  - subject: digest-patel-no-withdrawal-discussed
    kind: CONTRADICTS
    object: digest-jiad-agreement-reached
"""
PATEL = "statements[3] 'digest-patel-no-withdrawal-discussed'"
SOME_TROOPS = "statements[4] 'digest-some-troops-leave-soon'"


def write_digest(tmp_path: Path) -> Path:
    """A folder holding the digest and the story's text."""
    folder = tmp_path / "digest"
    folder.mkdir()
    shutil.copy(DEFAULT_SEED_DIR / TEXT_FILE, folder / TEXT_FILE)
    (folder / DIGEST_FILE).write_text(DIGEST, encoding="utf-8")
    return folder


FOLLOW_UP = "follow-up-contributor"


def write_follow_up(
    folder: Path,
    *,
    name: str = "zz-follow-up.yaml",
    speaker: str = "rudaw",
    relations: list[dict[str, str]] | None = None,
) -> None:
    """Rudaw's one-statement follow-up in ``folder``, declaring no actor of its own (every
    slug it names must come from another file or from the database)."""
    if not (folder / TEXT_FILE).exists():
        shutil.copy(DEFAULT_SEED_DIR / TEXT_FILE, folder / TEXT_FILE)
    source = {
        "slug": "rudaw-follow-up",
        "kind": "NEWS_ARTICLE",
        "title": "Follow-up: who contributed",
        "text_file": TEXT_FILE,
        "content_sha256": TEXT_SHA256,
        "published": "2024-09-09",
        "language": "en",
    }
    statement = {
        "slug": FOLLOW_UP,
        "speaker": speaker,
        "mode": "BACKGROUND",
        "claim": "Hemin Baban Rahim contributed to Rudaw's report.",
        "excerpt": "Hemin Baban Rahim contributed to this report.",
        "said_on": "2024-09-08",
    }
    extraction = {"source": source, "statements": [statement], "relations": relations or []}
    write_extraction(folder / name, extraction)


# -- what the seed writes ------------------------------------------------------------------


async def test_every_excerpt_is_its_source_text_between_its_offsets_and_holds_its_quote(
    connection: AsyncConnection,
) -> None:
    curated = read_extraction(DEFAULT_SEED_DIR / SEED_FILE)["statements"]
    written = {s["slug"]: s["excerpt"] for s in curated}
    length = STATEMENTS.c.excerpt_end - STATEMENTS.c.excerpt_start
    rows = await connection.execute(
        select(
            STATEMENTS.c.slug,
            STATEMENTS.c.quote,
            STATEMENTS.c.excerpt_start,
            STATEMENTS.c.excerpt_end,
            SOURCES.c.text,
            func.substr(SOURCES.c.text, STATEMENTS.c.excerpt_start + 1, length),
        ).join_from(STATEMENTS, SOURCES, STATEMENTS.c.source_id == SOURCES.c.id)
    )
    offsets: dict[str, tuple[int, int]] = {}
    for slug, quote, start, end, text, sql_excerpt in rows:
        excerpt = text[start:end]
        assert excerpt == written[slug], slug  # the curator's words, found verbatim
        assert sql_excerpt == excerpt, slug  # the database counts characters as Python does
        if quote is not None:
            assert quote in excerpt, slug
        offsets[slug] = (start, end)
    assert set(offsets) == set(written)
    assert len(offsets) == 24

    # The headline is the text's first line, and Patel's two quotes share one sentence.
    assert offsets["headline-coalition-to-leave-iraq-before-2026"][0] == 0
    assert (
        offsets["patel-at-no-point-did-we-discuss-withdrawal"]
        == offsets["patel-discussed-transition-to-security-partnership"]
    )


async def test_loading_the_seed_again_changes_nothing(connection: AsyncConnection) -> None:
    stamps = await updated_ats(connection)
    assert set(stamps.values()) == {SEEDED_AT}
    ids = await slug_ids(connection)
    rows = await all_rows(connection)

    report = await write_files(connection, read_files(extraction_paths()), now=LATER)

    assert not report.changed
    assert (report.inserted, report.updated, report.deleted) == (Counter(), Counter(), Counter())
    assert report.relinked == Counter()  # not even a list of links was rewritten
    assert "nothing changed" in report.summary()
    assert sum(report.statements_by_mode.values()) == 24
    assert await updated_ats(connection) == stamps  # no row was touched a month later
    assert await slug_ids(connection) == ids  # every record keeps its id (and so its global ID)
    assert await all_rows(connection) == rows  # nor did any link, role or term move


# -- what an edit of the seed changes -----------------------------------------------------------


async def test_a_rewritten_claim_updates_that_statement_and_nothing_else(
    connection: AsyncConnection, tmp_path: Path
) -> None:
    patel = "patel-at-no-point-did-we-discuss-withdrawal"
    claim = "The US says the withdrawal of US forces from Iraq was never discussed."

    def rewrite(data: Extraction) -> None:
        [statement] = [s for s in data["statements"] if s["slug"] == patel]
        statement["claim"] = claim

    folder = copy_seed(tmp_path)
    edit_extraction(folder / SEED_FILE, rewrite)
    stamps = await updated_ats(connection)
    ids = await slug_ids(connection)

    report = await load(connection, folder)

    assert report.updated == Counter({"statements": 1})
    assert (report.inserted, report.deleted, report.relinked) == (Counter(), Counter(), Counter())
    after = await updated_ats(connection)
    assert {key for key, stamp in after.items() if stamp != stamps[key]} == {("statements", patel)}
    assert after[("statements", patel)] == LATER
    query = select(STATEMENTS.c.claim).where(STATEMENTS.c.slug == patel)
    assert (await connection.execute(query)).scalar_one() == claim
    assert await slug_ids(connection) == ids
    assert await changes_since(connection, LATER) == [("Statement", patel, "UPDATED")]


async def test_a_statement_dropped_from_its_file_is_deleted_with_its_links(
    connection: AsyncConnection, tmp_path: Path
) -> None:
    # The curator drops the foreign ministry's "we reached an agreement" claim, and the four
    # relations that name it (one SUPPORTS from it, two CONTRADICTS and one ELABORATES to it).
    dropped = "iraq-foreign-ministry-withdrawal-agreement-reached"

    def drop(data: Extraction) -> None:
        data["statements"] = [s for s in data["statements"] if s["slug"] != dropped]
        data["relations"] = [
            r for r in data["relations"] if dropped not in (r["subject"], r["object"])
        ]

    folder = copy_seed(tmp_path)
    edit_extraction(folder / SEED_FILE, drop)
    id_ = await statement_id(connection, dropped)
    link_tables = [TABLES[name] for name in ("statement_mentions", "statement_agreements")]
    assert [await rows_naming(connection, t, id_) for t in link_tables] == [1, 1]
    assert await rows_naming(connection, RELATIONS, id_) == 4
    counts = await row_counts(connection)
    ids = await slug_ids(connection)

    report = await load(connection, folder)

    assert report.deleted == Counter({"statements": 1})
    assert report.inserted == Counter()
    after = await row_counts(connection)
    assert after["statements"] == counts["statements"] - 1 == 23
    assert after["statement_relations"] == counts["statement_relations"] - 4 == 17
    for table in [*link_tables, RELATIONS, TABLES["role_evidence"], TABLES["term_evidence"]]:
        assert await rows_naming(connection, table, id_) == 0, table.name
    assert (await slug_ids(connection))["statements"] == ids["statements"] - {(dropped, id_)}
    # The statement is gone; the records that lost a link to it are updated: the other ends
    # of its relations, and the agreement it was about.
    assert sorted(await changes_since(connection, LATER)) == sorted(
        [
            ("Statement", dropped, "DELETED"),
            ("Statement", "jiad-agreement-reached-withdraw-by-end-2025", "UPDATED"),
            ("Statement", "state-department-denies-withdrawal-discussed", "UPDATED"),
            ("Statement", "patel-at-no-point-did-we-discuss-withdrawal", "UPDATED"),
            ("Statement", "iraq-foreign-ministry-announcement-delayed", "UPDATED"),
            ("Agreement", "iraq-us-coalition-withdrawal-agreement", "UPDATED"),
        ]
    )


# -- what a broken file says -------------------------------------------------------------------


async def test_the_digest_loads_beside_the_seed(
    connection: AsyncConnection, tmp_path: Path
) -> None:
    """The control for the broken digests below: unbroken, it loads, and shows in the counts."""
    counts = await row_counts(connection)

    report = await load(connection, write_digest(tmp_path))

    assert report.inserted == Counter({"actors": 3, "sources": 1, "statements": 5})
    after = await row_counts(connection)
    grown = {name: after[name] - counts[name] for name in after if after[name] != counts[name]}
    assert grown == {
        "actors": 3,
        "roles": 1,
        "role_evidence": 1,
        "sources": 1,
        "statements": 5,
        "statement_mentions": 1,
        "statement_relations": 1,
        "changes": 9,  # each new node is logged as CREATED
        "revisions": 9,  # and has its first revision
    }
    assert await relations_from(connection, "digest-patel-no-withdrawal-discussed") == {
        ("CONTRADICTS", "digest-jiad-agreement-reached")
    }


@dataclass(frozen=True)
class Breakage:
    """One curator's mistake in the digest, and what the error must say about it."""

    story: str
    edit: Callable[[Path], None]
    record: str
    problem: str

    def __str__(self) -> str:
        return self.story


def in_statement(index: int, **changes: Any) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        edit_extraction(folder / DIGEST_FILE, statement_edit(index, **changes))

    return edit


def append_to_text(folder: Path) -> None:
    with (folder / TEXT_FILE).open("a", encoding="utf-8") as text:
        text.write("\nCorrection: an earlier version misquoted the advisor.\n")


def not_yaml(folder: Path) -> None:
    (folder / DIGEST_FILE).write_text("source: [rudaw\nstatements: - : :\n", encoding="utf-8")


BREAKAGES = [
    Breakage(
        "speaker-is-nobody",
        in_statement(3, speaker="nobody-we-know"),
        PATEL,
        "speaker 'nobody-we-know' is not a known actor slug",
    ),
    Breakage(
        "quote-not-in-text",
        in_statement(3, quote="we never agreed to anything"),
        PATEL,
        "quote 'we never agreed to anything' does not lie inside the excerpt",
    ),
    Breakage(
        "excerpt-not-in-text",
        in_statement(4, excerpt="He added that all troops will stay."),
        SOME_TROOPS,
        "excerpt 'He added that all troops will stay.' is not in the source text verbatim",
    ),
    Breakage(
        "excerpt-twice-in-text",
        in_statement(4, excerpt="US-led coalition"),
        SOME_TROOPS,
        "excerpt 'US-led coalition' is ambiguous: it stands at characters 0 and",
    ),
    Breakage(
        "said-on-thirteenth-month",
        in_statement(3, said_on="2024-13-45"),
        PATEL,
        "said_on.edtf: '2024-13-45' is not a valid EDTF date",
    ),
    Breakage("claim-missing", in_statement(3, claim=None), PATEL, "claim: is required but missing"),
    Breakage(
        "unknown-field",
        in_statement(3, speaker_mood="calm"),
        PATEL,
        "speaker_mood: is not a known field",
    ),
    Breakage(
        "text-changed-after-curation",
        append_to_text,
        "source 'digest-rudaw-2024-09-08'",
        f"text_file '{TEXT_FILE}' has SHA-256",
    ),
    Breakage("not-yaml", not_yaml, "file", "cannot be read"),
]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=str)
async def test_a_broken_file_loads_nothing_and_names_file_record_and_problem(
    connection: AsyncConnection, tmp_path: Path, breakage: Breakage
) -> None:
    folder = write_digest(tmp_path)
    breakage.edit(folder)
    counts = await row_counts(connection)
    rows = await all_rows(connection)

    with pytest.raises(SeedError) as raised:
        await load(connection, folder)

    [problem] = raised.value.problems
    assert (problem.file, problem.record) == (DIGEST_FILE, breakage.record)
    assert breakage.problem in problem.message
    assert f"{DIGEST_FILE}: {breakage.record}: {breakage.problem}" in str(raised.value)
    assert "nothing was loaded" in str(raised.value)
    assert await row_counts(connection) == counts
    assert await all_rows(connection) == rows


def test_a_text_whose_digest_differs_is_named_with_both_digests(tmp_path: Path) -> None:
    folder = write_digest(tmp_path)
    append_to_text(folder)
    actual = hashlib.sha256((folder / TEXT_FILE).read_bytes()).hexdigest()

    with pytest.raises(SeedError) as raised:
        read_files(extraction_paths(folder))

    assert f"has SHA-256 {actual}, not the content_sha256 {TEXT_SHA256}" in str(raised.value)


async def test_one_bad_file_stops_the_good_file_beside_it(
    connection: AsyncConnection, tmp_path: Path
) -> None:
    # The digest is fine; the follow-up loaded after it misspells its speaker.
    folder = write_digest(tmp_path)
    write_follow_up(folder, speaker="hemin-baban")  # the actor is hemin-baban-rahim
    rows = await all_rows(connection)

    with pytest.raises(SeedError) as raised:
        await load(connection, folder)

    assert [str(p) for p in raised.value.problems] == [
        f"zz-follow-up.yaml: statements[0] '{FOLLOW_UP}': "
        "speaker 'hemin-baban' is not a known actor slug"
    ]
    assert await all_rows(connection) == rows


@pytest.mark.parametrize(
    ("edits", "records"),
    [
        pytest.param(
            [statement_edit(2, claim=None), statement_edit(4, speaker_mood="calm")],
            ["statements[2]", "statements[4]"],
            id="missing-claim-and-unknown-field",
        ),
        pytest.param(
            [statement_edit(2, excerpt="nowhere"), statement_edit(4, excerpt="US-led coalition")],
            ["statements[2]", "statements[4]"],
            id="excerpt-missing-and-excerpt-twice",
        ),
        pytest.param(
            [statement_edit(0, speaker="nobody"), statement_edit(2, mentions=["no-one"])],
            ["statements[0]", "statements[2]"],
            id="two-unknown-actors",
        ),
        pytest.param(
            [statement_edit(2, claim=None), statement_edit(4, excerpt="nowhere")],
            ["statements[2]", "statements[4]"],
            id="missing-claim-and-excerpt-missing",
        ),
    ],
)
async def test_every_problem_of_a_file_is_reported_not_just_the_first(
    connection: AsyncConnection,
    tmp_path: Path,
    edits: list[Callable[[Extraction], None]],
    records: list[str],
) -> None:
    folder = write_digest(tmp_path)
    for edit in edits:
        edit_extraction(folder / DIGEST_FILE, edit)
    rows = await all_rows(connection)

    with pytest.raises(SeedError) as raised:
        await load(connection, folder)

    problems = raised.value.problems
    assert [p.record.split(" ")[0] for p in problems] == records
    assert {p.file for p in problems} == {DIGEST_FILE}
    assert str(raised.value).startswith("2 problems in the seed; nothing was loaded:\n")
    assert await all_rows(connection) == rows


# -- files that name each other ------------------------------------------------------------------


async def test_a_new_file_may_name_actors_the_database_already_knows(
    connection: AsyncConnection, tmp_path: Path
) -> None:
    folder = tmp_path / "follow-up"
    folder.mkdir()
    write_follow_up(folder, speaker="hemin-baban-rahim")  # declared only by the loaded seed
    actors = (await slug_ids(connection))["actors"]

    report = await load(connection, folder)

    assert report.inserted == Counter({"sources": 1, "statements": 1})
    query = select(STATEMENTS.c.speaker_id).where(STATEMENTS.c.slug == FOLLOW_UP)
    speaker_id = (await connection.execute(query)).scalar_one()
    assert ("hemin-baban-rahim", speaker_id) in actors
    assert (await slug_ids(connection))["actors"] == actors  # no actor was added


async def test_a_relation_may_point_at_a_statement_of_a_file_loaded_with_it(
    connection: AsyncConnection, tmp_path: Path
) -> None:
    # The follow-up sorts first, yet names a statement of the digest, loaded in the same run.
    folder = write_digest(tmp_path)
    agreement = "digest-jiad-agreement-reached"
    write_follow_up(
        folder,
        name="aa-follow-up.yaml",
        relations=[{"subject": FOLLOW_UP, "kind": "ELABORATES", "object": agreement}],
    )

    first = await load(connection, folder)
    again = await load(connection, folder)

    assert first.inserted["statements"] == 6
    assert await relations_from(connection, FOLLOW_UP) == {("ELABORATES", agreement)}
    assert not again.changed


async def test_a_relation_may_point_at_a_statement_already_in_the_database(
    connection: AsyncConnection, tmp_path: Path
) -> None:
    folder = tmp_path / "follow-up"
    folder.mkdir()
    patel = "patel-at-no-point-did-we-discuss-withdrawal"
    write_follow_up(folder, relations=[{"subject": FOLLOW_UP, "kind": "SUPPORTS", "object": patel}])

    await load(connection, folder)

    assert await relations_from(connection, FOLLOW_UP) == {("SUPPORTS", patel)}


async def test_a_relation_from_an_older_statement_adds_to_its_relations(
    connection: AsyncConnection, tmp_path: Path
) -> None:
    # The follow-up says the State Department's denial CONTRADICTS its own statement; the
    # denial's five CONTRADICTS from the story must stay beside the new one.
    denial = "state-department-denies-withdrawal-discussed"
    seeded = await relations_from(connection, denial)
    assert seeded == {
        ("CONTRADICTS", "iraq-foreign-ministry-withdrawal-agreement-reached"),
        ("CONTRADICTS", "jiad-agreement-reached-withdraw-by-end-2025"),
        ("CONTRADICTS", "headline-coalition-to-leave-iraq-before-2026"),
        ("CONTRADICTS", "jiad-coalition-to-leave-iraq-by-end-of-next-year"),
        ("CONTRADICTS", "jiad-withdrawal-begins-this-year-in-phases"),
    }
    folder = tmp_path / "follow-up"
    folder.mkdir()
    write_follow_up(
        folder, relations=[{"subject": denial, "kind": "CONTRADICTS", "object": FOLLOW_UP}]
    )

    await load(connection, folder)

    assert await relations_from(connection, denial) == seeded | {("CONTRADICTS", FOLLOW_UP)}


# -- the command line ----------------------------------------------------------------------


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh, migrated SQLite file that ``claimgraph`` reaches through DATABASE_URL."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    migrations.upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    # A real run reads DATABASE_URL when claimgraph is imported; this process imported it
    # long ago, so the engine module gets settings read from the environment set above.
    monkeypatch.setattr(claimgraph.db.engine, "settings", DatabaseSettings())
    return url


def count_statements(url: str) -> int:
    async def count() -> int:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                query = select(func.count()).select_from(STATEMENTS)
                result: int = (await connection.execute(query)).scalar_one()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(count())


def test_cli_names_the_problem_and_exits_1(cli_database: str, tmp_path: Path) -> None:
    folder = write_digest(tmp_path)
    in_statement(3, speaker="nobody-we-know")(folder)

    result = CliRunner().invoke(
        app, ["seed", "load", str(folder)], env={"DATABASE_URL": cli_database}
    )

    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "1 problem in the seed; nothing was loaded:\n"
        f"  - {DIGEST_FILE}: {PATEL}: speaker 'nobody-we-know' is not a known actor slug\n"
    )
    assert result.stdout == ""
    assert count_statements(cli_database) == 0


def test_cli_loads_a_good_file_into_the_database_it_is_given(
    cli_database: str, tmp_path: Path
) -> None:
    folder = write_digest(tmp_path)

    result = CliRunner().invoke(
        app, ["seed", "load", str(folder)], env={"DATABASE_URL": cli_database}
    )

    assert result.exit_code == 0, result.output
    assert "statements 5" in result.stdout
    assert count_statements(cli_database) == 5
