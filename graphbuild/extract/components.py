"""spaCy components of the extractor: thin shells over the pure functions.

Each component reads and writes Doc extensions only:

* ``doc._.sentences``: sentence character bounds (``paperkg_sentencizer``)
* ``doc._.abbreviations``: Schwartz–Hearst pairs (``paperkg_abbreviations``)
* ``doc._.candidates``: method/benchmark Candidates (``paperkg_vocabulary`` adds
  vocabulary matches, ``paperkg_discovery`` adds discovered names and keeps the
  longest of overlapping ones)
* ``doc._.domain_hits``: taxonomy key phrases (``paperkg_vocabulary``: the same
  PhraseMatcher pass as the vocabulary, one pass per attribute instead of two)

Per-token work avoids Token objects: lexeme flags (computed once per word
type) and one ``Doc.to_array`` per Doc point the rules at the few tokens that
matter; ``doc.user_data`` caches the text, which ``Doc.text`` would rebuild.

Importing this module registers the factories (it imports spaCy).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

from graphbuild.extract import discovery
from graphbuild.extract.abbreviations import find_abbreviations
from graphbuild.extract.candidates import Candidate, select_non_overlapping
from graphbuild.extract.domains import DomainHit, Taxonomy, load_taxonomy
from graphbuild.extract.matching import accept_match, is_case_sensitive, spelling_variants, vocabulary_patterns
from graphbuild.extract.rules import load_rules
from graphbuild.extract.sentences import split_sentences
from graphbuild.extract.vocabulary import load_vocabulary


def doc_text(doc: Doc) -> str:
    """``doc.text`` once per Doc (spaCy rebuilds it from every token on each access)."""
    text = doc.user_data.get("paperkg_text")
    if text is None:
        text = doc.user_data["paperkg_text"] = doc.text
    return text


def sentence_bounds(doc: Doc) -> tuple[tuple[int, int], ...]:
    """Character (start, end) of each sentence (set by ``paperkg_sentencizer``)."""
    cached = doc.user_data.get("paperkg_sentences")
    if cached is None:
        cached = doc.user_data["paperkg_sentences"] = split_sentences(doc_text(doc))
    return cached


def token_array(doc: Doc) -> numpy.ndarray:
    """Per token: start, length, name-shape and cue-noun flags (one ``to_array`` per Doc)."""
    arr = doc.user_data.get("paperkg_tokens")
    if arr is None:
        shape_flag, cue_flag = lexeme_flags(doc.vocab)
        arr = doc.user_data["paperkg_tokens"] = doc.to_array([IDX, LENGTH, shape_flag, cue_flag])
    return arr


_FLAGS: dict[int, tuple[int, int]] = {}


def lexeme_flags(vocab: Vocab) -> tuple[int, int]:
    """Lexeme flags (computed once per word type, cached in the vocab): name-shaped and cue noun."""
    key = id(vocab)
    if key not in _FLAGS:
        rules = load_rules()
        cue = {w for w in (*rules.benchmark_nouns, *rules.benchmark_weak_nouns, *rules.method_nouns) if " " not in w}
        _FLAGS[key] = (
            vocab.add_flag(lambda s: bool(discovery.SHAPE_HINT.search(s))),
            vocab.add_flag(lambda s: s.lower() in cue),
        )
    return _FLAGS[key]


@lru_cache(maxsize=1 << 16)
def _may_end_name(word: str) -> bool:
    """Capitalized, digit-initial or name-shaped: a token a cue noun may follow."""
    return word[:1].isupper() or word[:1].isdigit() or bool(discovery.SHAPE_HINT.search(word))


class TextSentencizer:
    """Sentence bounds (``doc._.sentences``) with the Sentencizer's rule, on the text."""

    def __init__(self, patterns_file: str | None) -> None:
        self.abbreviations = load_rules(patterns_file).abbreviations

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data["paperkg_sentences"] = split_sentences(doc_text(doc), self.abbreviations)
        return doc


for _name in ("abbreviations", "candidates", "domain_hits"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _ext_key(name: str) -> tuple[str, str, None, None]:
    # where spaCy keeps ``doc._.<name>`` in ``doc.user_data``: reading and writing it there
    # skips building an Underscore object on every access (``doc._.<name>`` still works)
    return ("._.", name, None, None)


ABBREVIATIONS, CANDIDATES, DOMAIN_HITS = _ext_key("abbreviations"), _ext_key("candidates"), _ext_key("domain_hits")
if not Doc.has_extension("sentences"):
    Doc.set_extension("sentences", getter=sentence_bounds)


def pattern_tokenizer(nlp: Language) -> Tokenizer:
    """A fresh tokenizer with ``nlp``'s rules and vocab, for tokenizing patterns.

    Tokenizing tens of thousands of pattern strings with ``nlp.tokenizer`` fills
    its cache and makes it several times slower on the corpus afterwards.
    """
    t = nlp.tokenizer
    return Tokenizer(nlp.vocab, rules=t.rules, prefix_search=t.prefix_search, suffix_search=t.suffix_search,
                     infix_finditer=t.infix_finditer, token_match=t.token_match, url_match=t.url_match)


class AbbreviationDetector:
    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[ABBREVIATIONS] = find_abbreviations(doc_text(doc))
        return doc


class VocabularyMatcher:
    """Vocabulary entities and taxonomy key phrases in one pass of two PhraseMatchers.

    ORTH for acronym-like spellings, LOWER for the rest. Writes vocabulary
    Candidates to ``doc._.candidates`` and taxonomy phrases to ``doc._.domain_hits``.
    """

    def __init__(self, nlp: Language, vocab_dir: str | None, patterns_file: str | None,
                 taxonomy_file: str | None) -> None:
        self.vocab = load_vocabulary(vocab_dir)
        self.rules = load_rules(patterns_file)
        self.cs = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.ci = PhraseMatcher(nlp.vocab, attr="LOWER")
        lexeme_flags(nlp.vocab)
        self.domains = _add_domain_phrases(nlp, self.cs, self.ci, load_taxonomy(taxonomy_file), self.rules.domains)
        groups: dict[tuple[str, bool], list[str]] = {}
        for entity_id, spelling, cs in vocabulary_patterns(self.vocab):
            groups.setdefault((entity_id, cs), []).append(spelling)
        flat = [(k, s) for k, spellings in groups.items() for s in spellings]
        docs = list(pattern_tokenizer(nlp).pipe(s for _, s in flat))
        by_key: dict[tuple[str, bool], list[Doc]] = {}
        for (k, _), d in zip(flat, docs, strict=True):
            by_key.setdefault(k, []).append(d)
        for (entity_id, cs), pattern_docs in by_key.items():
            (self.cs if cs else self.ci).add(entity_id, pattern_docs)
        # match id -> entry, and per field the domain hits (field filled in): no string
        # lookups or record copies per match
        self.entry_by_match = {nlp.vocab.strings[e]: self.vocab.entries[e] for e, _ in by_key}
        self.domains_by_field: dict[str, dict[int, DomainHit]] = {"": self.domains}
        conf = self.rules.confidence
        self.conf = (conf["vocab"], conf["vocab_ambiguous"])

    def _domain_hits(self, field: str) -> dict[int, DomainHit]:
        hits = self.domains_by_field.get(field)
        if hits is None:
            hits = self.domains_by_field[field] = {k: replace(h, field=field) for k, h in self.domains.items()}
        return hits

    def __call__(self, doc: Doc) -> Doc:
        data = doc.user_data
        found: list[Candidate] = list(data.get(CANDIDATES) or ())
        # the pipeline says which field a Doc is (domain hits carry it)
        domains = self._domain_hits(data.get("paperkg_field", ""))
        hits: dict[int, DomainHit] = {}
        matches = self.cs(doc)
        matches += self.ci(doc)
        if matches:
            text = doc_text(doc)
            arr = token_array(doc)
            starts: set[int] | None = None
            entry_by_match, suffix_ok = self.entry_by_match, self.rules.hyphen_suffix_ok
            for match_id, s, e in matches:
                hit = domains.get(match_id)
                if hit is not None:
                    hits[match_id] = hit
                    continue
                entry = entry_by_match[match_id]
                start, end = int(arr[s, 0]), int(arr[e - 1, 0] + arr[e - 1, 1])
                if entry.ambiguous and starts is None:
                    starts = {b for b, _ in sentence_bounds(doc)}
                if not accept_match(text, start, end, entry.ambiguous, entry.ambiguous and start in starts,
                                    suffix_ok):
                    continue
                found.append(Candidate(entry.kind, text[start:end], start, end, "vocabulary",
                                       self.conf[entry.ambiguous], entry.id))
        data[CANDIDATES] = found
        data[DOMAIN_HITS] = list(hits.values())
        return doc


def _add_domain_phrases(
    nlp: Language, cs: PhraseMatcher, ci: PhraseMatcher, taxonomy: Taxonomy, weights: dict[str, float]
) -> dict[int, DomainHit]:
    """Add taxonomy phrases to the matchers; match id → hit (field filled in later)."""
    rows: dict[tuple[str, str, bool], float] = {}
    for domain, phrase, weight in taxonomy.phrases(weights):
        for v in spelling_variants(phrase):
            case = is_case_sensitive(v)
            key = (domain, v if case else v.lower(), case)
            rows[key] = max(weight, rows.get(key, 0.0))
    docs = list(pattern_tokenizer(nlp).pipe(v for _, v, _ in rows))
    out: dict[int, DomainHit] = {}
    for ((domain, v, case), weight), d in zip(rows.items(), docs, strict=True):
        label = f"domain\t{domain}\t{v}"
        (cs if case else ci).add(label, [d])
        out[nlp.vocab.strings[label]] = DomainHit(domain, v, weight, "")
    return out


class NameDiscovery:
    """Discovery rules; lexeme flags point the per-token rules at the few tokens that matter."""

    def __init__(self, nlp: Language, vocab_dir: str | None, patterns_file: str | None) -> None:
        self.vocab = load_vocabulary(vocab_dir)
        self.rules = load_rules(patterns_file)
        lexeme_flags(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        data = doc.user_data
        starts = [s for s, _ in sentence_bounds(doc)] or [0]
        rules = self.rules
        found = list(data.get(CANDIDATES) or ())
        shaped: list[int] = []
        nouns: list[tuple[int, int]] = []
        if len(doc):
            arr = token_array(doc)
            shaped = arr[arr[:, 2].nonzero()[0], 0].tolist()
            # a cue noun matters only right after a token that may end a name
            before_cue = arr[1:, 3].nonzero()[0]
            if len(before_cue):
                for (ps, pn), (s, n) in zip(arr[before_cue, :2].tolist(), arr[before_cue + 1, :2].tolist(),
                                            strict=True):
                    if _may_end_name(text[ps : ps + pn]):
                        nouns.append((s, s + n))
        if "we " in text or "We " in text:
            found += discovery.contribution(text, rules)
        found += discovery.naming(text, starts, rules)
        abbreviations = data.get(ABBREVIATIONS)
        if abbreviations:
            found += discovery.acronym_definitions(text, abbreviations, rules)
        if nouns:
            found += discovery.cue_nouns(text, starts, rules, nouns)
        if shaped:
            found += discovery.name_shapes(text, rules, self.vocab.is_blocked, shaped)
        data[CANDIDATES] = merge_candidates(found) if len(found) > 1 else found
        return doc


def merge_candidates(found: list[Candidate]) -> list[Candidate]:
    """Longest span wins; a winner inherits the role a same-span rule found."""
    kept = select_non_overlapping(found)
    roles = {(c.start, c.end): c.role for c in found if c.role}
    return [replace(c, role=roles.get((c.start, c.end))) if c.role is None and (c.start, c.end) in roles
            else c for c in kept]


@Language.factory("paperkg_abbreviations")
def make_abbreviations(nlp: Language, name: str) -> AbbreviationDetector:
    return AbbreviationDetector()


@Language.factory(
    "paperkg_vocabulary", default_config={"vocab_dir": None, "patterns_file": None, "taxonomy_file": None}
)
def make_vocabulary(
    nlp: Language, name: str, vocab_dir: str | None, patterns_file: str | None, taxonomy_file: str | None
) -> VocabularyMatcher:
    return VocabularyMatcher(nlp, vocab_dir, patterns_file, taxonomy_file)


@Language.factory("paperkg_discovery", default_config={"vocab_dir": None, "patterns_file": None})
def make_discovery(nlp: Language, name: str, vocab_dir: str | None, patterns_file: str | None) -> NameDiscovery:
    return NameDiscovery(nlp, vocab_dir, patterns_file)


@Language.factory("paperkg_sentencizer", default_config={"patterns_file": None})
def make_sentencizer(nlp: Language, name: str, patterns_file: str | None) -> TextSentencizer:
    return TextSentencizer(patterns_file)
