"""The spaCy pipeline and the paper-level assembly around it.

``build_nlp`` makes ``spacy.blank("en")`` + sentencizer + the paperkg
components. ``run_documents`` runs it over each paper (one Doc: title and abstract),
adds the title-subject rule (it needs both fields), resolves entities across
the corpus, assigns one role per (paper, entity) and scores domains.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from graphbuild.extract import discovery
from graphbuild.extract.abbreviations import Abbreviation
from graphbuild.extract.candidates import Candidate
from graphbuild.extract.domains import DomainHit, load_taxonomy, score_domains
from graphbuild.extract.names import match_key
from graphbuild.extract.own_names import own_name_pairs, spelled_out_pairs
from graphbuild.extract.roles import assign_roles, first_of_its_kind, in_propose_clause, title_subject_at
from graphbuild.extract.rules import load_rules
from graphbuild.extract.vocabulary import load_vocabulary
from graphbuild.model import DomainScore, Field, Mention, Paper, PaperExtraction
from graphbuild.resolve import DocInput, MentionRef, NameTable, ResolvedEntity

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
    """One pipeline per process and config (building the matchers takes seconds).

    The matchers hold ~10^5 long-lived objects: a worker process or the CLI may ``gc.freeze()`` after
    this (see :mod:`graphbuild.gc_pause`); the library leaves the collector alone."""
    return build_nlp(config)


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
    vocab = load_vocabulary(_vocab_dir(nlp))
    index = vocab.index

    def is_known(name: str) -> bool:
        return match_key(name) in index

    def is_task(name: str) -> bool:
        return vocab.lookup(name, "task") is not None

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
            extra = discovery.title_subject(title_text, abstract_text, rules, is_known, is_task)
            extra += discovery.title_tasks(title_text, rules, title.candidates)
            if extra:
                title = FieldResult("title", tuple(merge_candidates([*extra, *title.candidates])), title.sentences,
                                    title.abbreviations, title.domain_hits)
            yield DocResult(paper, (title, abstract))


def _vocab_dir(nlp: Language) -> str | None:
    if "paperkg_discovery" not in nlp.pipe_names:
        return None
    return nlp.get_pipe_config("paperkg_discovery").get("vocab_dir")


def _patterns(nlp: Language) -> str | None:
    if "paperkg_discovery" not in nlp.pipe_names:
        return None
    return nlp.get_pipe_config("paperkg_discovery").get("patterns_file")


#: rules that find a paper's own name in its title
_TITLE_RULES = frozenset({"title-colon", "title-subject"})


@dataclass(frozen=True, slots=True)
class PreparedMention:
    """A kept candidate with everything its paper alone tells (picklable plain data; cached on disk).

    ``sentence_start``/``sentence_end`` bound the evidence sentence in the field text (stripped when the
    mention becomes a :class:`Mention`); -1/-1 means the field had no sentences: the whole text, as is.
    """

    type: str
    surface: str  # the span as written (head noun and version included)
    name: str  # what resolution reads (generic head nouns dropped: Candidate.key_text)
    vocab_id: str | None
    field: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    rule: str
    confidence: float
    role: str | None  # the role the rule itself implies
    own: bool  # an own-cue: "our X", a propose clause, the title's subject
    opens_title: bool  # an abstract name that also opens the title ("Graph Metanetworks for …")


@dataclass(frozen=True, slots=True)
class PreparedPaper:
    """One paper's extraction before corpus-level resolution: what :func:`finish` needs besides the keys.

    Depends only on the paper's text and categories (and the extractor), so it is cached by their content.
    """

    mentions: tuple[PreparedMention, ...]
    pairs: tuple[tuple[str, str], ...]  # acronym definitions (short, long)
    domains: tuple[DomainScore, ...]

    def doc_input(self) -> DocInput:
        """The resolution input of this paper."""
        return DocInput(tuple(MentionRef(m.type, m.name, m.vocab_id) for m in self.mentions), self.pairs)


class Assembler:
    """The per-paper halves of assembly around corpus-level resolution: :meth:`prepare` (no corpus
    knowledge; runs where the extraction runs) and :meth:`finish` (after resolution). Holds the data files
    and per-spelling caches of one process."""

    def __init__(self, config: ExtractorConfig = ExtractorConfig()) -> None:
        self.vocab = load_vocabulary(config.vocab_dir)
        rules = self.rules = load_rules(config.patterns_file)
        self.taxonomy = load_taxonomy(config.taxonomy_file)
        self._our = discovery.compile_rules(rules).our  # discovery.own_cue without the per-call cache lookup
        self._modifiers = rules.modifier_suffixes
        # per-surface work once per process: which discovered names are generic or blocked
        self._linkable: dict[str, bool] = {}

    def prepare(self, r: DocResult) -> PreparedPaper:
        """Kept candidates with evidence sentence and own-cues, acronym definitions, domain scores."""
        paper = r.paper
        min_confidence = self.rules.min_confidence
        linkable, generic, is_blocked = self._linkable, self.rules.generic_words, self.vocab.is_blocked
        texts = {f.field: paper.text(f.field) for f in r.fields}
        title = texts["title"]
        title_low = title.lower()
        starts: dict[str, list[int]] = {}
        sentences: dict[tuple[str, int], tuple[int, int]] = {}
        mentions: list[PreparedMention] = []
        kept: list[Candidate] = []
        for f in r.fields:
            field, text = f.field, texts[f.field]
            for c in f.candidates:
                if c.confidence < min_confidence:
                    continue
                name = c.key_text
                if c.vocab_id is None:
                    ok = linkable.get(name)
                    if ok is None:
                        ok = linkable[name] = match_key(name) not in generic and not is_blocked(name)
                    if not ok:
                        continue
                kept.append(c)
                start = c.start
                if f.sentences:
                    sent_starts = starts.get(field)
                    if sent_starts is None:
                        sent_starts = starts[field] = [b for b, _ in f.sentences]
                    i = max(0, bisect_right(sent_starts, start) - 1)
                    got = sentences.get((field, i))
                    if got is None:
                        got = sentences[(field, i)] = f.sentences[i]
                    s0, s1 = got
                else:
                    s0, s1 = -1, -1
                window = text[max(0, start - 60) : start]
                own = not text.startswith(self._modifiers, c.end) and (
                    # the "our X" / "the proposed X" regex needs one of these words: test them first
                    (("our" in window or "Our" in window or "proposed" in window) and bool(self._our.search(window)))
                    # (a bounded window: a propose clause is short, and a 50 KB sentence must not cost per mention)
                    or in_propose_clause(text[max(s0, start - 300, 0) : start])
                    or (field == "title" and title_subject_at(text, start, c.end))
                    # (a known name "the first …" is a citation: "Unlike AlphaGo, the first program to …")
                    or (c.vocab_id is None and first_of_its_kind(text, c.end))
                )
                opens_title = False
                if field == "abstract":
                    low = name.lower()
                    opens_title = title_low.startswith(low) and title_subject_at(title, 0, len(low))
                mentions.append(PreparedMention(c.type, c.surface, name, c.vocab_id, field, start, c.end, s0, s1,
                                                c.rule, c.confidence, c.role, own, opens_title))  # fmt: skip
        entries = self.vocab.entries
        entity_domains = [
            (entry.name, d)
            for c in kept
            if c.vocab_id is not None and (entry := entries.get(c.vocab_id)) is not None
            for d in entry.domains
        ]
        # a paper that introduces a benchmark is (also) about evaluation (the guidelines' convention)
        introduced = self.rules.introduced_benchmark_domain
        if introduced in self.taxonomy.domains:
            entity_domains += [(c.key_text, introduced) for c in kept
                               if c.type == "benchmark" and c.role == "introduced"]
        title_hits, abstract_hits = (f.domain_hits for f in r.fields)
        taxonomy = self.taxonomy
        scored = score_domains(taxonomy, title_hits + abstract_hits, paper.categories, entity_domains,
                               self.rules.domains)  # fmt: skip
        domains = tuple(DomainScore(n, taxonomy.domains[n].key, s, ev, taxonomy.parent_key(n)) for n, s, ev in scored)
        pairs = [(a.short, a.long) for f in r.fields for a in f.abbreviations]
        # the paper's own name written two ways, in the title and in the abstract (own_names.py)
        title_own = [m.name for m in mentions if m.field == "title" and m.rule in _TITLE_RULES and m.vocab_id is None]
        abstract_own = [m.name for m in mentions if m.field == "abstract" and m.vocab_id is None
                        and (m.role in ("proposed", "introduced") or m.own)]
        if title_own:
            pairs += own_name_pairs(title_own, abstract_own)
        if abstract_own:
            pairs += spelled_out_pairs(abstract_own, [m.name for m in mentions if m.vocab_id is None])
        return PreparedPaper(tuple(mentions), tuple(pairs), domains)


def finish(
    paper: Paper, prepared: PreparedPaper, keys: Sequence[str], table: Mapping[str, ResolvedEntity]
) -> PaperExtraction:
    """One paper's extraction record from its prepared mentions and their resolved entity keys."""
    facts = []
    located = []
    texts: dict[str, str] = {}
    for m, key in zip(prepared.mentions, keys, strict=True):
        ent = table[key]
        facts.append((ent.type, key, m.role, m.own))
        if m.opens_title:
            facts.append((ent.type, key, None, True))
        located.append((m, key, ent))
    roles = assign_roles(facts)
    mentions = []
    for m, key, ent in located:
        text = texts.get(m.field)
        if text is None:
            text = texts[m.field] = paper.text(m.field)  # type: ignore[arg-type]
        sentence = text if m.sentence_start < 0 else text[m.sentence_start : m.sentence_end].strip()
        mentions.append(Mention(ent.type, ent.name, key, m.surface, roles[(ent.type, key)], m.field,  # type: ignore[arg-type]
                                m.start, m.end, sentence, m.rule, m.confidence, ent.aliases))  # fmt: skip
    return PaperExtraction(paper, tuple(mentions), prepared.domains)


def assemble(results: Sequence[DocResult], config: ExtractorConfig = ExtractorConfig()) -> list[PaperExtraction]:
    """Resolution across the corpus, then roles and domains per paper (the whole corpus in memory)."""
    assembler = Assembler(config)
    prepared = [assembler.prepare(r) for r in results]
    names = NameTable(assembler.vocab)
    for p in prepared:
        names.add(p.doc_input())
    resolution = names.resolve()
    return [
        finish(r.paper, p, resolution.keys_of(d), resolution.table)
        for d, (r, p) in enumerate(zip(results, prepared, strict=True))
    ]


def extract(
    papers: Iterable[Paper],
    *,
    on_progress: Callable[[int], None] | None = None,
    config: ExtractorConfig = ExtractorConfig(),
) -> list[PaperExtraction]:
    """Per-document extraction in this process, then corpus-level resolution (all in memory).

    For many papers, :func:`graphbuild.pipeline.extract` streams in shards over worker processes.
    """
    results = []
    for r in run_documents(shared_nlp(config), papers):
        results.append(r)
        if on_progress is not None:
            on_progress(1)
    return assemble(results, config)
