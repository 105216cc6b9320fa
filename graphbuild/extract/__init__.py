"""Method, benchmark and domain extraction (public API).

``extract_corpus`` runs the spaCy pipeline (``graphbuild.extract.pipeline``)
over every paper, resolves entities across the corpus
(``graphbuild.resolve``) and returns one PaperExtraction per paper, in input
order. ``to_record`` turns one into the public extraction record written by
``paperkg extract``. Importing this package is cheap: spaCy loads on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from graphbuild.model import Paper, PaperExtraction

__all__ = ["extract_corpus", "to_record"]


def extract_corpus(
    papers: Iterable[Paper],
    *,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
    extractor: str = "learned",
) -> list[PaperExtraction]:
    """Extract methods, benchmarks (with roles and evidence) and domains from papers.

    ``workers`` > 1 runs the per-document stage in that many processes; the
    result is identical to ``workers=1``. ``on_progress(n)`` is called as
    papers finish the per-document stage. ``extractor``: ``learned`` (rules and the learned span
    tagger) or ``rules``.
    """
    from graphbuild.extract.pipeline import ExtractorConfig, assemble, extract

    config = ExtractorConfig(extractor=extractor)
    if workers <= 1:
        return extract(papers, on_progress=on_progress, config=config)
    from graphbuild.extract.parallel import run_parallel

    return assemble(run_parallel(list(papers), workers, config, on_progress=on_progress), config)


def to_record(ex: PaperExtraction) -> dict[str, Any]:
    """The public extraction record of one paper (see README, "Extraction record")."""
    p = ex.paper
    return {
        "paper": {"id": p.id, "title": p.title, "year": p.year, "source": p.source},
        "mentions": [
            {
                "type": m.type,
                "name": m.name,
                "aliases": list(m.aliases),
                "surface": m.surface,
                "role": m.role,
                "field": m.field,
                "start": m.start,
                "end": m.end,
                "sentence": m.sentence,
                "rule": m.rule,
                "confidence": round(float(m.confidence), 4),
            }
            for m in ex.mentions
        ],
        "domains": [
            {"name": d.name, "score": round(float(d.score), 4), "evidence": list(d.evidence), "parent": d.parent}
            for d in sorted(ex.domains, key=lambda d: -d.score)
        ],
    }
