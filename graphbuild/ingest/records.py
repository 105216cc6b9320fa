"""Turning a reader's raw fields into a validated :class:`~graphbuild.model.Paper`.

All formats share this step, so every format rejects the same bad records
with the same reasons; every field value goes through :mod:`graphbuild.ingest.fields`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphbuild.ingest import fields as fv
from graphbuild.ingest.normalize import (
    arxiv_id,
    doi,
    normalize_text,
    normalize_whitespace,
    paper_id,
    year_from_arxiv,
)
from graphbuild.ingest.source import BadRecord, RawRecord
from graphbuild.model import Paper

#: an abstract longer than this is almost surely a full text or a broken file
MAX_ABSTRACT_CHARS = 100_000
MAX_TITLE_CHARS = 1_000
MAX_ID_CHARS = 256


@dataclass(frozen=True)
class Checked:
    """A validated record: the paper, and what was repaired or ignored on the way (counted by ingest)."""

    paper: Paper
    repairs: dict[str, int]


def _year(f: dict[str, Any], aid: str | None, repairs: fv.Repairs) -> int | None:
    """Explicit year, else first arXiv version, else the arXiv id's YYMM, else other dates."""
    y = fv.year("year", f.get("year"), repairs)
    if y is not None:
        return y
    versions = f.get("versions")
    if versions is not None:
        if isinstance(versions, list) and versions and isinstance(versions[0], dict):
            y = fv.year("versions", versions[0].get("created"), repairs)
            if y is not None:
                return y
        elif versions != []:
            repairs.add("versions", f"expected a list of {{'created': date}} objects, got {fv.kind(versions)}; ignored")
    from_id = year_from_arxiv(aid)
    if from_id:
        return from_id
    for name in ("published", "date", "update_date"):
        y = fv.year(name, f.get(name), repairs)
        if y is not None:
            return y
    return None


def _authors(f: dict[str, Any], repairs: fv.Repairs) -> tuple[str, ...]:
    parsed = fv.authors_parsed(f.get("authors_parsed"), repairs)
    if parsed is not None:
        return parsed
    if "author" in f:  # BibTeX: "Last, First and Last, First"
        names = fv.text_list("author", normalize_whitespace(f["author"]) if isinstance(f["author"], str)
                             else f["author"], repairs, r"\s+and\s+")  # fmt: skip
        return tuple(" ".join(reversed([s.strip() for s in n.split(",", 1)])).strip() for n in names)
    raw = f.get("authors")
    if isinstance(raw, str):
        raw = normalize_whitespace(raw)
    return fv.text_list("authors", raw, repairs, r"\s+and\s+|,\s*(?:and\s+)?")


def check_record(rec: RawRecord, *, normalize: bool = True) -> Checked | BadRecord:
    """Validate and convert; a :class:`BadRecord` explains what is wrong and how to fix it.

    ``normalize=False`` leaves ``abstract_norm`` empty (a cheaper pass that only needs ids and checks).
    """
    f = rec.fields
    repairs = fv.Repairs()
    try:
        title = fv.essential_text("title", f.get("title"), repairs)
        abstract = fv.essential_text("abstract", f.get("abstract"), repairs)
    except fv.FieldError as e:
        return BadRecord(rec.path, rec.line, str(e))
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
    given = fv.optional_text("id", f.get("id"), repairs, numbers=True)
    if given is not None:
        given = normalize_whitespace(given) or None
    if given is not None and len(given) > MAX_ID_CHARS:
        return BadRecord(rec.path, rec.line, f"id is {len(given):,} characters, over {MAX_ID_CHARS}")
    url = fv.optional_text("url", f.get("url"), repairs)
    doi_field = fv.optional_text("doi", f.get("doi"), repairs)
    eprint = fv.optional_text("eprint", f.get("eprint"), repairs)
    # a DOI such as 10.1145/1234.5678 must not be read as an arXiv id
    d = doi(doi_field) or doi(given) or (doi(url) if url and "doi.org" in url else None)
    aid = (
        arxiv_id(eprint)
        or (arxiv_id(given) if given and not doi(given) else None)
        or (arxiv_id(url) if url and "arxiv" in url.lower() else None)
    )
    cats_name = "categories" if "categories" in f else "keywords"
    cats = fv.text_list(cats_name, f.get(cats_name), repairs, r"[\s,;]+")
    paper = Paper(
        id=paper_id(title=title, arxiv=aid, doi_value=d, given=given),
        title=normalize_whitespace(title),
        abstract=abstract.strip(),
        title_norm=normalize_text(title),
        abstract_norm=normalize_text(abstract) if normalize else "",
        year=_year(f, aid, repairs),
        url=url or (f"https://arxiv.org/abs/{aid}" if aid else None),
        doi=d,
        categories=cats,
        authors=_authors(f, repairs),
        source=f"{rec.path}:{rec.line}",
    )
    return Checked(paper, dict(repairs.items))


def to_paper(rec: RawRecord) -> Paper | BadRecord:
    """Validate and convert (repairs not reported; :func:`check_record` gives them)."""
    checked = check_record(rec)
    return checked.paper if isinstance(checked, Checked) else checked
