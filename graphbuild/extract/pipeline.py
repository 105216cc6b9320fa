"""The spaCy pipeline and the paper-level assembly around it.

``build_nlp`` makes ``spacy.blank("en")`` + sentencizer + the paperkg
components. ``run_documents`` runs it over each paper (one Doc: title and abstract),
adds the title-subject rule (it needs both fields), resolves entities across
the corpus, assigns one role per (paper, entity) and scores domains.
"""

from __future__ import annotations

import gc
import logging
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from graphbuild.extract import discovery
from graphbuild.extract.abbreviations import Abbreviation
from graphbuild.extract.candidates import Candidate
from graphbuild.extract.domains import DomainHit, load_taxonomy, score_domains
from graphbuild.extract.names import match_key
from graphbuild.extract.roles import assign_roles, in_propose_clause, title_subject_at
from graphbuild.extract.rules import load_rules
from graphbuild.extract.vocabulary import load_vocabulary
from graphbuild.gc_pause import gc_paused
from graphbuild.model import DomainScore, Field, Mention, Paper, PaperExtraction
from graphbuild.resolve import DocInput, MentionRef, resolve

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

FIELDS: tuple[Field, Field] = ("title", "abstract")


EXTRACTORS = ("learned", "rules")


@dataclass(frozen=True)
class ExtractorConfig:
    """Which extractor and where its data files are (None: the shipped ones).

    ``extractor``: ``learned`` (rules + the learned span tagger) or ``rules`` (rules only).
    """

    vocab_dir: str | None = None
    patterns_file: str | None = None
    taxonomy_file: str | None = None
    extractor: str = "learned"
    model_file: str | None = None
    clusters_file: str | None = None


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
    from graphbuild.extract.affixes import speed_up

    nlp = spacy.blank("en")
    # same tokens, about half the tokenizer's regex time (see affixes)
    installed = speed_up(nlp.tokenizer, nlp.Defaults.suffixes, nlp.Defaults.infixes, nlp.Defaults.prefixes)
    _warn_missing_shortcuts(tuple(installed))
    nlp.add_pipe("paperkg_sentencizer", config={"patterns_file": config.patterns_file})
    nlp.add_pipe("paperkg_abbreviations")
    cfg = {"vocab_dir": config.vocab_dir, "patterns_file": config.patterns_file}
    nlp.add_pipe("paperkg_vocabulary", config={**cfg, "taxonomy_file": config.taxonomy_file})
    nlp.add_pipe("paperkg_discovery", config=cfg)
    if config.extractor == "learned":
        nlp.add_pipe("paperkg_tagger", config={**cfg, "model_file": config.model_file,
                                               "clusters_file": config.clusters_file})
    return nlp


@lru_cache(maxsize=1)
def _warn_missing_shortcuts(installed: tuple[str, ...]) -> None:
    """Say once per process when spaCy's patterns or Python's regex parser no longer allow every shortcut."""
    from graphbuild.extract.affixes import ALL_SHORTCUTS

    missing = [s for s in ALL_SHORTCUTS if s not in installed]
    if missing:
        log.warning("tokenizer shortcuts not installed (%s): same tokens, but extraction runs up to ~2x slower; "
                    "spaCy's tokenizer patterns or Python's re parser changed", ", ".join(missing))


@dataclass(frozen=True, slots=True)
class FieldResult:
    """What the pipeline found in one field of one paper (plain data: picklable)."""

    field: Field
    candidates: tuple[Candidate, ...]
    sentences: tuple[tuple[int, int], ...]
    abbreviations: tuple[Abbreviation, ...]
    domain_hits: tuple[DomainHit, ...]


@dataclass(frozen=True, slots=True)
class DocResult:
    """Per-paper pipeline output before corpus-level resolution."""

    paper: Paper
    fields: tuple[FieldResult, FieldResult]


def run_documents(nlp: Language, papers: Iterable[Paper], batch_size: int = 512) -> Iterator[DocResult]:
    """Per-paper pipeline results, in input order.

    One Doc per paper (title and abstract joined; see ``components``). Each
    stage (tokenizer, then each component) runs over a batch of ``batch_size``
    Docs before the next starts, so its code and tables stay in the CPU caches
    across the batch: ~18% less CPU than paper by paper (512 Docs hold a few
    tens of MB). Calls the components directly rather than through
    ``nlp.pipe``: none of them batches, and the generator chain ``nlp.pipe``
    builds costs more per Doc than some of the components.
    """
    from graphbuild.extract.components import (
        ABBREVIATIONS,
        CANDIDATES,
        DOMAIN_HITS,
        merge_candidates,
        paper_doc,
        sentence_bounds,
    )

    rules = load_rules(_patterns(nlp))
    make_doc = nlp.make_doc
    procs = [proc for _, proc in nlp.pipeline]
    it = iter(papers)
    while batch := list(islice(it, batch_size)):
        texts = [(p.text("title"), p.text("abstract")) for p in batch]
        docs = [paper_doc(make_doc, (("title", t), ("abstract", a))) for t, a in texts]
        for proc in procs:
            batched = getattr(proc, "pipe_batch", None)
            docs = batched(docs) if batched is not None else [proc(doc) for doc in docs]
        for paper, (title_text, abstract_text), doc in zip(batch, texts, docs, strict=True):
            data = doc.user_data
            # what the components left on the Doc (a pipeline without some component leaves less)
            candidates, abbreviations = data.get(CANDIDATES) or {}, data.get(ABBREVIATIONS) or {}
            hits, sentences = data.get(DOMAIN_HITS) or {}, sentence_bounds(doc)
            title, abstract = (
                FieldResult(f, tuple(candidates.get(f, ())), sentences[f],  # type: ignore[arg-type]
                            tuple(abbreviations.get(f, ())), tuple(hits.get(f, ())))
                for f in FIELDS
            )
            extra = discovery.title_subject(title_text, abstract_text, rules)
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
    # per-surface work once per corpus: which discovered names are generic or blocked,
    # and one (immutable) MentionRef per spelling and type
    linkable: dict[str, bool] = {}
    refs: dict[tuple[str, str, str | None], MentionRef] = {}
    generic, is_blocked = rules.generic_words, vocab.is_blocked
    for r in results:
        cands = []
        mentions = []
        for f in r.fields:
            for c in f.candidates:
                if c.confidence < min_confidence:
                    continue
                if c.vocab_id is None:
                    kt = c.key_text
                    ok = linkable.get(kt)
                    if ok is None:
                        ok = linkable[kt] = match_key(kt) not in generic and not is_blocked(kt)
                    if not ok:
                        continue
                cands.append((f, c))
                k = (c.type, c.key_text, c.vocab_id)
                ref = refs.get(k)
                if ref is None:
                    ref = refs[k] = MentionRef(*k)
                mentions.append(ref)
        kept.append(cands)
        pairs = tuple((a.short, a.long) for f in r.fields for a in f.abbreviations)
        inputs.append(DocInput(tuple(mentions), pairs))
    keys, table = resolve(inputs, vocab)

    out: list[PaperExtraction] = []
    entries, weights = vocab.entries, rules.domains
    for r, cands, doc_keys in zip(results, kept, keys, strict=True):
        paper = r.paper
        facts = []
        located = []
        # per field: its text and sentence starts; per sentence: its stripped text (shared by its mentions)
        texts = {f.field: paper.text(f.field) for f in r.fields}
        starts: dict[str, list[int]] = {}
        sentences: dict[tuple[str, int], tuple[int, str]] = {}
        title = texts["title"]
        title_low = title.lower()
        for (f, c), key in zip(cands, doc_keys, strict=True):
            field, start = f.field, c.start
            text = texts[field]
            if f.sentences:
                sent_starts = starts.get(field)
                if sent_starts is None:
                    sent_starts = starts[field] = [b for b, _ in f.sentences]
                i = max(0, bisect_right(sent_starts, start) - 1)
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
            if field == "abstract":
                low = c.key_text.lower()
                if title_low.startswith(low) and title_subject_at(title, 0, len(low)):
                    facts.append((ent.type, key, None, True))
        roles = assign_roles(facts)
        mentions = tuple(
            Mention(ent.type, ent.name, key, c.surface, roles[(ent.type, key)], f.field,  # type: ignore[arg-type]
                    c.start, c.end, sentence, c.rule, c.confidence, ent.aliases)
            for f, c, key, ent, sentence in located
        )
        entity_domains = [
            (entry.name, d)
            for _, c in cands
            if c.vocab_id is not None and (entry := entries.get(c.vocab_id)) is not None
            for d in entry.domains
        ]
        title_hits, abstract_hits = (f.domain_hits for f in r.fields)
        scored = score_domains(taxonomy, title_hits + abstract_hits, paper.categories, entity_domains, weights)
        domains = tuple(DomainScore(n, taxonomy.domains[n].key, s, ev, taxonomy.parent_key(n)) for n, s, ev in scored)
        out.append(PaperExtraction(paper, mentions, domains))
    return out


def extract(
    papers: Iterable[Paper],
    *,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
    config: ExtractorConfig = ExtractorConfig(),
) -> list[PaperExtraction]:
    """Per-document extraction (``workers`` processes) then corpus-level resolution.

    The cyclic GC is paused throughout: nothing the extractor makes is in a reference cycle
    (a test checks), and with its first threshold even at 50,000 it cost ~3% of the time.
    """
    with gc_paused():
        if workers > 1:
            from graphbuild.extract.parallel import run_parallel

            results = run_parallel(list(papers), workers, config, on_progress)
        else:
            results = []
            for r in run_documents(shared_nlp(config), papers):
                results.append(r)
                if on_progress is not None:
                    on_progress(1)
        return assemble(results, config)
