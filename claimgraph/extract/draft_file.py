"""Writing a draft: the article's text, byte for byte, next to an extraction file in the seed
format (docs/seed-format.md) whose proposals carry a ``draft`` mark (rule, confidence).
The seed reader reads it like any curated file; nothing here touches the database."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from claimgraph.extract.errors import ExtractError
from claimgraph.extract.model import Draft, Proposal, ProposedActor
from claimgraph.extract.names import slugify
from claimgraph.seed.schema import ExtractionFile


def source_slug(draft: Draft) -> str:
    title_words = "-".join(slugify(draft.title).split("-")[:8])
    return f"{draft.publisher}-{draft.published.isoformat()}-{title_words}"[:200].strip("-")


def _date(value: Any) -> dict[str, str]:
    fields = {"edtf": value.edtf, "phrase": value.phrase, "anchor": value.anchor}
    return {key: text for key, text in fields.items() if text}


def _unique_excerpt(text: str, start: int, end: int) -> tuple[int, int]:
    """Lengthen an excerpt that occurs twice (the loader refuses an ambiguous one)."""
    while text.count(text[start:end]) > 1:
        if end < len(text):
            end += 1
        elif start > 0:
            start -= 1
        else:
            break
    return start, end


def _statement(text: str, proposal: Proposal) -> dict[str, Any]:
    start, end = _unique_excerpt(text, proposal.start, proposal.end)
    record: dict[str, Any] = {
        "slug": proposal.slug,
        "speaker": proposal.speaker,
        "speaker_role": proposal.speaker_role,
        "mode": proposal.mode.value,
        "claim": proposal.claim,
        "quote": proposal.quote,
        "excerpt": text[start:end],
        "channel": proposal.channel,
        "said_on": _date(proposal.said_on),
        "draft": {"rule": proposal.rule, "confidence": proposal.confidence},
    }
    if proposal.dates:
        record["draft"]["dates"] = [_date(d) for d in proposal.dates]
    return {key: value for key, value in record.items() if value not in (None, [])}


def _actor(actor: ProposedActor) -> dict[str, Any]:
    record: dict[str, Any] = {"slug": actor.slug, "name": actor.name, "kind": actor.kind.value}
    if actor.role:
        role = {"title": actor.role, "organization": actor.organization}
        record["roles"] = [{k: v for k, v in role.items() if v}]
    record["draft"] = {"rule": actor.rule, "confidence": actor.confidence}
    return record


def to_extraction(draft: Draft, *, url: str | None, text_file: str) -> dict[str, Any]:
    """The draft as an extraction-file mapping, checked against the seed schema."""
    data = draft.text.encode("utf-8")
    source: dict[str, Any] = {
        "slug": source_slug(draft),
        "kind": "NEWS_ARTICLE",
        "title": draft.title,
        "text_file": text_file,
        "content_sha256": hashlib.sha256(data).hexdigest(),
        "url": url,
        "publisher": draft.publisher,
        "published": {"edtf": draft.published.isoformat()},
        "language": "en",
    }
    extraction = {
        "source": {k: v for k, v in source.items() if v is not None},
        "actors": [_actor(actor) for actor in draft.actors],
        "statements": [_statement(draft.text, p) for p in draft.proposals],
    }
    ExtractionFile.model_validate(extraction)  # a bug here must not reach an editor's desk
    return extraction


def write_draft(draft: Draft, out: Path, *, url: str | None) -> tuple[Path, Path]:
    """Write ``<slug>.txt`` and ``<slug>.yaml`` into ``out``; refuse to overwrite either."""
    slug = source_slug(draft)
    text_path, yaml_path = out / f"{slug}.txt", out / f"{slug}.yaml"
    for path in (text_path, yaml_path):
        if path.exists():
            raise ExtractError(f"{path}: exists already; move it or pass another --out")
    extraction = to_extraction(draft, url=url, text_file=text_path.name)
    header = (
        f"# Draft extraction written by `claimgraph ingest` ({len(draft.proposals)} proposals).\n"
        "# Every proposal carries `draft: {rule, confidence}`; review each before publishing.\n"
    )
    body = yaml.safe_dump(extraction, sort_keys=False, allow_unicode=True, width=100)
    out.mkdir(parents=True, exist_ok=True)
    text_path.write_bytes(draft.text.encode("utf-8"))
    yaml_path.write_text(header + body, encoding="utf-8")
    return text_path, yaml_path
