"""The spaCy pipeline and the paper-level assembly around it.

``build_nlp`` makes ``spacy.blank("en")`` + sentencizer + the paperkg
components. ``extract_papers`` runs it over titles and abstracts (``nlp.pipe``),
adds the title-subject rule (it needs both fields), resolves entities across
the corpus, assigns one role per (paper, entity) and scores domains.
"""

from __future__ import annotations

import gc
import logging
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from graphbuild.extract import discovery
from graphbuild.extract.abbreviations import Abbreviation
from graphbuild.extract.candidates import Candidate
from graphbuild.extract.domains import DomainHit, load_taxonomy, score_domains
from graphbuild.extract.names import match_key
from graphbuild.extract.roles import assign_roles, in_propose_clause, title_subject_at
from graphbuild.extract.rules import load_rules
from graphbuild.extract.vocabulary import load_vocabulary
from graphbuild.model import DomainScore, Field, Mention, Paper, PaperExtraction
from graphbuild.resolve import DocInput, MentionRef, resolve

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

FIELDS: tuple[Field, Field] = ("title", "abstract")


@dataclass(frozen=True)
class ExtractorConfig:
    """Where the data files are (None: the shipped ones)."""

    vocab_dir: str | None = None
    patterns_file: str | None = None
    taxonomy_file: str | None = None


@lru_cache(maxsize=2)
def shared_nlp(config: ExtractorConfig = ExtractorConfig()) -> Language:
    """One pipeline per process and config (building the matchers takes seconds)."""
    nlp = build_nlp(config)
    # the matchers hold ~10^5 long-lived objects; keep the cyclic GC from rescanning
    # them on every collection while documents are processed
    gc.collect()
    gc.freeze()
    return nlp


def build_nlp(config: ExtractorConfig = ExtractorConfig()) -> Language:
    """``spacy.blank("en")`` + sentencizer + the paperkg components."""
    import spacy

    import graphbuild.extract.components  # noqa: F401  (registers the factories)

    nlp = spacy.blank("en")
    nlp.add_pipe("paperkg_sentencizer", config={"patterns_file": config.patterns_file})
    nlp.add_pipe("paperkg_abbreviations")
    cfg = {"vocab_dir": config.vocab_dir, "patterns_file": config.patterns_file}
    nlp.add_pipe("paperkg_vocabulary", config={**cfg, "taxonomy_file": config.taxonomy_file})
    nlp.add_pipe("paperkg_discovery", config=cfg)
    return nlp


@dataclass(frozen=True)
class FieldResult:
    """What the pipeline found in one field of one paper (plain data: picklable)."""

    field: Field
    candidates: tuple[Candidate, ...]
    sentences: tuple[tuple[int, int], ...]
    abbreviations: tuple[Abbreviation, ...]
    domain_hits: tuple[DomainHit, ...]


@dataclass(frozen=True)
class DocResult:
    """Per-paper pipeline output before corpus-level resolution."""

    paper: Paper
    fields: tuple[FieldResult, FieldResult]


def _field_result(doc: Doc, field: Field) -> FieldResult:
    from graphbuild.extract.components import ABBREVIATIONS, CANDIDATES, DOMAIN_HITS, sentence_bounds

    data = doc.user_data
    hits = data.get(DOMAIN_HITS) or ()
    return FieldResult(
        field=field,
        candidates=tuple(data.get(CANDIDATES) or ()),
        sentences=sentence_bounds(doc),
        abbreviations=tuple(data.get(ABBREVIATIONS) or ()),
        # the vocabulary component fills in the field when the Doc says which it is
        domain_hits=tuple(h if h.field == field else DomainHit(h.domain, h.phrase, h.weight, field) for h in hits),
    )


def run_documents(nlp: Language, papers: Iterable[Paper], batch_size: int = 256) -> Iterator[DocResult]:
    """Per-paper pipeline results, in input order.

    Calls the components directly rather than through ``nlp.pipe``: none of
    them batches, and the generator chain ``nlp.pipe`` builds costs more per
    Doc than some of the components. ``batch_size`` is kept for callers.
    """
    from graphbuild.extract.components import merge_candidates

    rules = load_rules(_patterns(nlp))
    make_doc = nlp.make_doc
    procs = [proc for _, proc in nlp.pipeline]
    for paper in papers:
        pair = []
        for f in FIELDS:
            text = paper.text(f)
            doc = make_doc(text)
            # components read the text from here: Doc.text rebuilds it from every token
            doc.user_data["paperkg_text"] = text
            doc.user_data["paperkg_field"] = f
            for proc in procs:
                doc = proc(doc)
            pair.append(_field_result(doc, f))
        title, abstract = pair
        extra = discovery.title_subject(paper.text("title"), paper.text("abstract"), rules)
        if extra:
            title = FieldResult("title", tuple(merge_candidates([*extra, *title.candidates])), title.sentences,
                                title.abbreviations, title.domain_hits)
        yield DocResult(paper, (title, abstract))


def _patterns(nlp: Language) -> str | None:
    if "paperkg_discovery" not in nlp.pipe_names:
        return None
    return nlp.get_pipe_config("paperkg_discovery").get("patterns_file")


def assemble(results: Sequence[DocResult], config: ExtractorConfig = ExtractorConfig()) -> list[PaperExtraction]:
    """Resolution across the corpus, then roles and domains per paper."""
    vocab = load_vocabulary(config.vocab_dir)
    rules = load_rules(config.patterns_file)
    taxonomy = load_taxonomy(config.taxonomy_file)
    min_confidence = rules.min_confidence
    our = discovery.compile_rules(rules).our  # discovery.own_cue without the per-call cache lookup
    kept: list[list[tuple[FieldResult, Candidate]]] = []
    inputs: list[DocInput] = []
    for r in results:
        cands = [
            (f, c)
            for f in r.fields
            for c in f.candidates
            if c.confidence >= min_confidence
            and (
                c.vocab_id is not None
                or (match_key(c.surface) not in rules.generic_words and not vocab.is_blocked(c.surface))
            )
        ]
        kept.append(cands)
        pairs = tuple((a.short, a.long) for f in r.fields for a in f.abbreviations)
        inputs.append(DocInput(tuple(MentionRef(c.type, c.surface, c.vocab_id) for _, c in cands), pairs))
    keys, table = resolve(inputs, vocab)

    out: list[PaperExtraction] = []
    for r, cands, doc_keys in zip(results, kept, keys, strict=True):
        paper = r.paper
        facts = []
        located = []
        # per field: its text and sentence starts; per sentence: its stripped text (shared by its mentions)
        texts = {f.field: paper.text(f.field) for f in r.fields}
        starts = {f.field: [b for b, _ in f.sentences] for f in r.fields}
        sentences: dict[tuple[str, int], tuple[int, str]] = {}
        for (f, c), key in zip(cands, doc_keys, strict=True):
            field, start = f.field, c.start
            text = texts[field]
            if f.sentences:
                i = max(0, bisect_right(starts[field], start) - 1)
                got = sentences.get((field, i))
                if got is None:
                    b, e = f.sentences[i]
                    got = sentences[(field, i)] = (b, text[b:e].strip())
                s0, sentence = got
            else:
                s0, sentence = 0, text
            window = text[max(0, start - 60) : start]
            own = (
                # the "our X" / "the proposed X" regex needs one of these words: test them first
                (("our" in window or "Our" in window or "proposed" in window) and bool(our.search(window)))
                or in_propose_clause(text[s0:start])
                or (field == "title" and title_subject_at(text, start, c.end))
            )
            ent = table[key]
            facts.append((ent.type, key, c.role, own))
            located.append((f, c, key, ent, sentence))
        # a name the abstract uses that also opens the title ("Graph Metanetworks for …")
        title = paper.text("title")
        title_low = title.lower()
        for f, c, key, ent, _ in located:
            low = c.surface.lower()
            if f.field == "abstract" and title_low.startswith(low) and title_subject_at(title, 0, len(low)):
                facts.append((ent.type, key, None, True))
        roles = assign_roles(facts)
        mentions = tuple(
            Mention(
                type=ent.type,  # type: ignore[arg-type]
                name=ent.name,
                key=key,
                surface=c.surface,
                role=roles[(ent.type, key)],  # type: ignore[arg-type]
                field=f.field,
                start=c.start,
                end=c.end,
                sentence=sentence,
                rule=c.rule,
                confidence=c.confidence,
                aliases=ent.aliases,
            )
            for f, c, key, ent, sentence in located
        )
        entity_domains = [
            (vocab.entries[c.vocab_id].name, d)
            for _, c in cands
            if c.vocab_id in vocab.entries
            for d in vocab.entries[c.vocab_id].domains
        ]
        scored = score_domains(
            taxonomy,
            [h for f in r.fields for h in f.domain_hits],
            paper.categories,
            entity_domains,
            rules.domains,
        )
        domains = tuple(DomainScore(n, taxonomy.domains[n].key, s, ev) for n, s, ev in scored)
        out.append(PaperExtraction(paper, mentions, domains))
    return out


def extract(
    papers: Iterable[Paper],
    *,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
    config: ExtractorConfig = ExtractorConfig(),
) -> list[PaperExtraction]:
    """Per-document extraction (``workers`` processes) then corpus-level resolution."""
    if workers > 1:
        from graphbuild.extract.parallel import run_parallel

        results = run_parallel(list(papers), workers, config, on_progress)
    else:
        nlp = shared_nlp(config)
        results = []
        with fewer_gc_passes():
            for r in run_documents(nlp, papers):
                results.append(r)
                if on_progress is not None:
                    on_progress(1)
    with fewer_gc_passes():
        return assemble(results, config)


@contextmanager
def fewer_gc_passes(gen0: int = 50_000) -> Iterator[None]:
    """Raise the cyclic GC's first threshold while millions of small records are made.

    The records have no reference cycles; the default threshold (700) makes the
    collector rescan the growing result lists thousands of times.
    """
    old = gc.get_threshold()
    gc.set_threshold(gen0, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)


