"""Turning a reader's raw fields into a validated :class:`~graphbuild.model.Paper`.

All formats share this step, so every format rejects the same bad records
with the same reasons.
"""

from __future__ import annotations

import re
from typing import Any

from graphbuild.ingest.normalize import (
    arxiv_id,
    doi,
    normalize_text,
    normalize_whitespace,
    paper_id,
    year_from_arxiv,
)
from graphbuild.ingest.source import BadRecord, RawRecord, bad_utf8
from graphbuild.model import Paper

#: an abstract longer than this is almost surely a full text or a broken file
MAX_ABSTRACT_CHARS = 100_000
MAX_TITLE_CHARS = 1_000
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return str(value)


def _year(fields: dict[str, Any], aid: str | None) -> int | None:
    """Explicit year, else first arXiv version, else the arXiv id's YYMM, else other dates."""
    m = _YEAR.search(_text(fields.get("year")))
    if m:
        return int(m.group(1))
    versions = fields.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        m = _YEAR.search(_text(versions[0].get("created")))
        if m:
            return int(m.group(1))
    from_id = year_from_arxiv(aid)
    if from_id:
        return from_id
    for name in ("published", "date", "update_date"):
        m = _YEAR.search(_text(fields.get(name)))
        if m:
            return int(m.group(1))
    return None


def _list(value: Any, sep: str) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(normalize_whitespace(_text(v)) for v in value if _text(v).strip())
    parts = re.split(sep, _text(value))
    return tuple(p.strip() for p in parts if p.strip())


def _authors(fields: dict[str, Any]) -> tuple[str, ...]:
    parsed = fields.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        return tuple(normalize_whitespace(" ".join(reversed([p for p in a[:2] if p]))) for a in parsed)
    if "author" in fields:  # BibTeX: "Last, First and Last, First"
        names = _list(normalize_whitespace(_text(fields["author"])), r"\s+and\s+")
        return tuple(" ".join(reversed([s.strip() for s in n.split(",", 1)])) for n in names)
    raw = fields.get("authors")
    if isinstance(raw, list):
        return _list(raw, ",")
    return _list(normalize_whitespace(_text(raw)), r"\s+and\s+|,\s*(?:and\s+)?")


def to_paper(rec: RawRecord) -> Paper | BadRecord:
    """Validate and convert; a :class:`BadRecord` explains what is wrong and how to fix it."""
    f = rec.fields
    title = _text(f.get("title"))
    abstract = _text(f.get("abstract"))
    for name, value in (("title", title), ("abstract", abstract)):
        reason = bad_utf8(value)
        if reason:
            return BadRecord(rec.path, rec.line, f"{name}: {reason}")
    if not title.strip():
        return BadRecord(rec.path, rec.line, "missing title: every paper needs a non-empty 'title'")
    if not abstract.strip():
        return BadRecord(rec.path, rec.line, "empty or missing abstract: paperkg extracts from abstracts")
    if len(abstract) > MAX_ABSTRACT_CHARS:
        return BadRecord(
            rec.path, rec.line,
            f"abstract is {len(abstract):,} characters, over the {MAX_ABSTRACT_CHARS:,} limit "
            "(is this a full text?); shorten it or pass only the abstract",
        )  # fmt: skip
    if len(title) > MAX_TITLE_CHARS:
        return BadRecord(rec.path, rec.line, f"title is {len(title):,} characters, over {MAX_TITLE_CHARS:,}")
    url = _text(f.get("url")).strip() or None
    given = _text(f.get("id")).strip() or None
    # a DOI such as 10.1145/1234.5678 must not be read as an arXiv id
    d = doi(_text(f.get("doi"))) or doi(given) or (doi(url) if url and "doi.org" in url else None)
    aid = (
        arxiv_id(_text(f.get("eprint")))
        or (arxiv_id(given) if given and not doi(given) else None)
        or (arxiv_id(url) if url and "arxiv" in url.lower() else None)
    )
    title_norm = normalize_text(title)
    cats = f.get("categories", f.get("keywords"))
    return Paper(
        id=paper_id(title=title, arxiv=aid, doi_value=d, given=given),
        title=normalize_whitespace(title),
        abstract=abstract.strip(),
        title_norm=title_norm,
        abstract_norm=normalize_text(abstract),
        year=_year(f, aid),
        url=url or (f"https://arxiv.org/abs/{aid}" if aid else None),
        doi=d,
        categories=_list(cats, r"[\s,;]+") if cats is not None else (),
        authors=_authors(f),
        source=f"{rec.path}:{rec.line}",
    )
