"""spaCy components of the extractor: thin shells over the pure functions.

One Doc is one paper: its fields (title, abstract) joined by a blank line,
with ``doc.user_data["paperkg_fields"]`` = ``((field, offset, text), ...)``
saying where each field starts (a Doc made without it is one field ``""``).
Token-level work (the PhraseMatcher, lexeme flags, ``Doc.to_array``) runs once
per paper; the text rules run on each field's own text, so offsets, sentences
and acronym definitions stay per field. The blank line is a whitespace token,
so no pattern match spans two fields.

Each component reads and writes Doc extensions only, each a dict field → value:

* ``doc._.sentences``: sentence character bounds (``paperkg_sentencizer``)
* ``doc._.abbreviations``: Schwartz–Hearst pairs (``paperkg_abbreviations``)
* ``doc._.candidates``: method/benchmark Candidates (``paperkg_vocabulary`` adds
  vocabulary matches, ``paperkg_discovery`` adds discovered names and keeps the
  longest of overlapping ones)
* ``doc._.domain_hits``: taxonomy key phrases (``paperkg_vocabulary``: the same
  PhraseMatcher pass as the vocabulary)
* ``doc._.tagged``: the learned tagger's spans per field, ``(type, start, end, score)``
  (``paperkg_tagger``, after the rules: their findings are among its features)

Per-token work avoids Token objects: lexeme flags (computed once per word
type) and one ``Doc.to_array`` per Doc point the rules at the few tokens that
matter; ``doc.user_data`` caches the text, which ``Doc.text`` would rebuild.

Importing this module registers the factories (it imports spaCy).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from operator import attrgetter

import numpy
from spacy.attrs import (
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LENGTH,
    LIKE_NUM,
    LOWER,
    ORTH,
    SHAPE,
    SUFFIX,
)
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from graphbuild.extract import discovery
from graphbuild.extract.abbreviations import Abbreviation, find_abbreviations
from graphbuild.extract.candidates import Candidate, select_non_overlapping
from graphbuild.extract.domains import DomainHit, Taxonomy, load_taxonomy
from graphbuild.extract.matching import accept_match, is_case_sensitive, spelling_variants, vocabulary_patterns
from graphbuild.extract.names import match_key
from graphbuild.extract.pattern_cache import pattern_keywords
from graphbuild.extract.rules import load_rules
from graphbuild.extract.sentences import split_sentences
from graphbuild.extract.span_merge import extend_spans, merge_field, split_lists, with_names
from graphbuild.extract.tagger import (
    Clusters,
    Coded,
    Spans,
    base_columns_batch,
    coded_column,
    decode,
    lexeme_columns,
    load_clusters,
    load_model,
    rule_columns,
)
from graphbuild.extract.vocabulary import load_vocabulary

#: what joins the fields of a paper in its Doc (a whitespace token: no match crosses it)
FIELD_SEPARATOR = "\n\n"
TEXT, FIELDS, SENTENCES, TOKENS = "paperkg_text", "paperkg_fields", "paperkg_sentences", "paperkg_tokens"

FieldSpec = tuple[str, int, str]  # (field, offset in the Doc text, field text)


def doc_text(doc: Doc) -> str:
    """``doc.text`` once per Doc (spaCy rebuilds it from every token on each access)."""
    text = doc.user_data.get(TEXT)
    if text is None:
        text = doc.user_data[TEXT] = doc.text
    return text


def paper_doc(make_doc: object, fields: Sequence[tuple[str, str]]) -> Doc:
    """One Doc for a paper's fields ((name, text), ...), joined by ``FIELD_SEPARATOR``."""
    specs: list[FieldSpec] = []
    offset = 0
    for name, text in fields:
        specs.append((name, offset, text))
        offset += len(text) + len(FIELD_SEPARATOR)
    joined = FIELD_SEPARATOR.join(t for _, t in fields)
    doc = make_doc(joined)  # type: ignore[operator]
    doc.user_data[TEXT] = joined
    doc.user_data[FIELDS] = tuple(specs)
    return doc


def doc_fields(doc: Doc) -> tuple[FieldSpec, ...]:
    """The fields of a Doc: ``paper_doc``'s, or the whole text as field ``""``."""
    fields = doc.user_data.get(FIELDS)
    if fields is None:
        fields = doc.user_data[FIELDS] = (("", 0, doc_text(doc)),)
    return fields


def sentence_bounds(doc: Doc) -> dict[str, tuple[tuple[int, int], ...]]:
    """Per field: character (start, end) of each sentence (set by ``paperkg_sentencizer``)."""
    cached = doc.user_data.get(SENTENCES)
    if cached is None:
        cached = doc.user_data[SENTENCES] = {f: split_sentences(t) for f, _, t in doc_fields(doc)}
    return cached


def token_array(doc: Doc) -> numpy.ndarray:
    """Per token: start, length, name-shape and cue-noun flags, ORTH (one ``to_array`` per Doc:
    the rules read the first four columns, the tagger the word ids)."""
    arr = doc.user_data.get(TOKENS)
    if arr is None:
        shape_flag, cue_flag = lexeme_flags(doc.vocab)
        arr = doc.user_data[TOKENS] = doc.to_array([IDX, LENGTH, shape_flag, cue_flag, ORTH])
    return arr


#: id(vocab) -> (name-shape flag, cue-noun flag, the getter registered for the first)
_FLAGS: dict[int, tuple[int, int, object]] = {}
_U64 = numpy.uint64


def lexeme_flags(vocab: Vocab) -> tuple[int, int]:
    """Lexeme flags (computed once per word type, cached in the vocab): name-shaped and cue noun."""
    key = id(vocab)
    known = _FLAGS.get(key)
    # the id of a vocab that was freed is reused by a later one: the flags must be registered in this one
    if known is None or vocab.lex_attr_getters.get(known[0]) is not known[2]:
        rules = load_rules()
        cue = {w for w in (*rules.benchmark_nouns, *rules.benchmark_weak_nouns, *rules.method_nouns) if " " not in w}

        def shaped(s: str) -> bool:
            return bool(discovery.SHAPE_HINT.search(s))

        known = _FLAGS[key] = (vocab.add_flag(shaped), vocab.add_flag(lambda s: s.lower() in cue), shaped)
    return known[0], known[1]


@lru_cache(maxsize=1 << 16)
def _may_end_name(word: str) -> bool:
    """Capitalized, digit-initial or name-shaped: a token a cue noun may follow."""
    return word[:1].isupper() or word[:1].isdigit() or bool(discovery.SHAPE_HINT.search(word))


def _by_field(fields: Sequence[FieldSpec], offsets: Sequence[int]) -> list[list[int]]:
    """Sorted Doc offsets split by field, made field-local."""
    if len(fields) == 1:
        return [list(offsets)]
    out: list[list[int]] = [[] for _ in fields]
    starts = [off for _, off, _ in fields]
    for o in offsets:
        i = bisect_right(starts, o) - 1
        out[i].append(o - starts[i])
    return out


class TextSentencizer:
    """Sentence bounds (``doc._.sentences``) with the Sentencizer's rule, on each field's text."""

    def __init__(self, patterns_file: str | None) -> None:
        self.abbreviations = load_rules(patterns_file).abbreviations

    def __call__(self, doc: Doc) -> Doc:
        abbreviations = self.abbreviations
        doc.user_data[SENTENCES] = {f: split_sentences(t, abbreviations) for f, _, t in doc_fields(doc)}
        return doc


for _name in ("abbreviations", "candidates", "domain_hits", "tagged"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _ext_key(name: str) -> tuple[str, str, None, None]:
    # where spaCy keeps ``doc._.<name>`` in ``doc.user_data``: reading and writing it there
    # skips building an Underscore object on every access (``doc._.<name>`` still works)
    return ("._.", name, None, None)


ABBREVIATIONS, CANDIDATES, DOMAIN_HITS = _ext_key("abbreviations"), _ext_key("candidates"), _ext_key("domain_hits")
TAGGED = _ext_key("tagged")
if not Doc.has_extension("sentences"):
    Doc.set_extension("sentences", getter=sentence_bounds)


class AbbreviationDetector:
    def __call__(self, doc: Doc) -> Doc:
        out: dict[str, list[Abbreviation]] = {f: find_abbreviations(t) for f, _, t in doc_fields(doc)}
        doc.user_data[ABBREVIATIONS] = out
        return doc


def _domain_phrases(taxonomy: Taxonomy, weights: dict[str, float]) -> dict[tuple[str, str, bool], float]:
    """(domain, spelling, case-sensitive) → weight of every taxonomy key phrase and its plural."""
    rows: dict[tuple[str, str, bool], float] = {}
    for domain, phrase, weight in taxonomy.phrases(weights):
        for v in spelling_variants(phrase):
            case = is_case_sensitive(v)
            key = (domain, v if case else v.lower(), case)
            rows[key] = max(weight, rows.get(key, 0.0))
    return rows


def _no_space(s: str) -> str:
    return "".join(s.split()) if " " in s else s


class VocabularyMatcher:
    """Vocabulary entities and taxonomy key phrases in one pass of one PhraseMatcher.

    The matcher compares ``LOWER``; acronym-like spellings must also match as
    written (``ORTH``), which the few matches of those patterns check on the
    text. Writes vocabulary Candidates to ``doc._.candidates`` and taxonomy
    phrases to ``doc._.domain_hits``.
    """

    def __init__(self, nlp: Language, vocab_dir: str | None, patterns_file: str | None,
                 taxonomy_file: str | None) -> None:
        self.vocab = load_vocabulary(vocab_dir)
        self.rules = load_rules(patterns_file)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        #: match id of a case-sensitive pattern group -> its spellings as written, whitespace removed
        self.exact: dict[int, frozenset[str]] = {}
        lexeme_flags(nlp.vocab)
        phrases = _domain_phrases(load_taxonomy(taxonomy_file), self.rules.domains)
        groups: dict[tuple[str, bool], list[str]] = {}
        for entity_id, spelling, cs in vocabulary_patterns(self.vocab):
            groups.setdefault((entity_id, cs), []).append(spelling)
        flat = [(k, s) for k, spellings in groups.items() for s in spellings]
        # every pattern tokenized (or read from the cache) at once: the matcher takes token sequences
        keywords = pattern_keywords(nlp, [v for _, v, _ in phrases] + [s for _, s in flat])
        self.domains = self._add_domain_phrases(nlp, phrases, keywords[: len(phrases)])
        by_key: dict[tuple[str, bool], list[tuple[int, ...]]] = {}
        for (k, _), kw in zip(flat, keywords[len(phrases) :], strict=True):
            by_key.setdefault(k, []).append(kw)
        self.entry_by_match = {}
        for (entity_id, cs), patterns in by_key.items():
            # an entity may have both kinds of spellings: the case-insensitive group gets its own
            # label. (Same-span matches of two entities come out in label-hash order, and the
            # first one wins an overlap: the case-sensitive labels keep the ids they had with
            # two matchers, so acronyms shared by two entities keep their winner.)
            label = entity_id if cs else f"{entity_id}\tci"
            self.matcher.add(label, patterns)
            match_id = nlp.vocab.strings[label]
            self.entry_by_match[match_id] = self.vocab.entries[entity_id]
            if cs:
                self.exact[match_id] = frozenset(_no_space(s) for s in groups[(entity_id, cs)])
        #: domain phrases matched case-insensitively: most matches, handled in bulk
        self.ci_domains = frozenset(k for k in self.domains if k not in self.exact)
        # per field the domain hits (field filled in): no record copies per match
        self.domains_by_field: dict[str, dict[int, DomainHit]] = {"": self.domains}
        conf = self.rules.confidence
        self.conf = (conf["vocab"], conf["vocab_ambiguous"])

    def _add_domain_phrases(self, nlp: Language, phrases: dict[tuple[str, str, bool], float],
                            keywords: Sequence[tuple[int, ...]]) -> dict[int, DomainHit]:
        """Add taxonomy phrases (their tokens' ``LOWER`` hashes) to the matcher; match id → hit (field filled
        in later)."""
        out: dict[int, DomainHit] = {}
        for ((domain, v, case), weight), kw in zip(phrases.items(), keywords, strict=True):
            label = f"domain\t{domain}\t{v}" + ("" if case else "\tci")
            self.matcher.add(label, [kw])
            match_id = nlp.vocab.strings[label]
            if case:
                self.exact[match_id] = frozenset((_no_space(v),))
            out[match_id] = DomainHit(domain, v, weight, "")
        return out

    def _domain_hits(self, field: str) -> dict[int, DomainHit]:
        hits = self.domains_by_field.get(field)
        if hits is None:
            hits = self.domains_by_field[field] = {k: replace(h, field=field) for k, h in self.domains.items()}
        return hits

    def __call__(self, doc: Doc) -> Doc:
        data = doc.user_data
        fields = doc_fields(doc)
        old = data.get(CANDIDATES) or {}
        found: list[list[Candidate]] = [list(old.get(f, ())) for f, _, _ in fields]
        # per field: match ids of domain phrases in order of first occurrence
        hit_ids: list[dict[int, None]] = [{} for _ in fields]
        matches = self.matcher(doc)
        if matches:
            exact, domains, ci_domains = self.exact, self.domains, self.ci_domains
            arr = token_array(doc)
            item = arr.item
            text = doc_text(doc)
            ci_hits: list[dict[int, None]] = []
            if len(fields) <= 2:
                # case-insensitive domain phrases (most matches) need only their field and
                # first occurrence; the token where the second field starts tells the field
                # (a numpy.uint64 key: a Python int would make numpy search a float64 copy)
                first = int(arr[:, 0].searchsorted(_U64(fields[1][1]))) if len(fields) == 2 else len(doc)
                # one pass: the first field's, the second field's and the other matches
                ci_first: list[int] = []
                ci_second: list[int] = []
                rest = []
                for m in matches:
                    if m[0] in ci_domains:
                        (ci_first if m[1] < first else ci_second).append(m[0])
                    else:
                        rest.append(m)
                ci_hits.append(dict.fromkeys(ci_first))
                if len(fields) == 2:
                    ci_hits.append(dict.fromkeys(ci_second))
                matches = rest
            cs = [m for m in matches if m[0] in exact]
            if cs:
                # case-sensitive patterns first: the order two matchers (ORTH, then LOWER) gave
                matches = cs + [m for m in matches if m[0] not in exact]
            offsets = [off for _, off, _ in fields]
            # the field a match is in (a match never spans two: they are a whitespace token apart)
            many = len(fields) > 2
            boundary = offsets[1] if len(fields) == 2 else len(text) + 1
            entry_by_match, suffix_ok, conf = self.entry_by_match, self.rules.hyphen_suffix_ok, self.conf
            sentence_starts: dict[int, set[int]] = {}
            for match_id, s, e in matches:
                start, end = item(s, 0), item(e - 1, 0) + item(e - 1, 1)
                i = bisect_right(offsets, start) - 1 if many else (1 if start >= boundary else 0)
                spellings = exact.get(match_id)
                if spellings is not None and _no_space(text[start:end]) not in spellings:
                    continue  # an acronym-like pattern matched only up to case
                if match_id in domains:
                    hit_ids[i][match_id] = None
                    continue
                field, offset, ftext = fields[i]
                entry = entry_by_match[match_id]
                start -= offset
                end -= offset
                initial = False
                if entry.ambiguous:
                    if i not in sentence_starts:
                        sentence_starts[i] = {b for b, _ in sentence_bounds(doc)[field]}
                    initial = start in sentence_starts[i]
                if not accept_match(ftext, start, end, entry.ambiguous, initial, suffix_ok):
                    continue
                found[i].append(Candidate(entry.kind, ftext[start:end], start, end, "vocabulary",
                                          conf[entry.ambiguous], entry.id))
            for ids, more in zip(hit_ids, ci_hits, strict=False):
                ids.update(more)  # after the case-sensitive ones, as in match order
        data[CANDIDATES] = {f: c for (f, _, _), c in zip(fields, found, strict=True)}
        hits: dict[str, list[DomainHit]] = {}
        for (field, _, _), ids in zip(fields, hit_ids, strict=True):
            by_id = self._domain_hits(field)
            hits[field] = [by_id[k] for k in ids]
        data[DOMAIN_HITS] = hits
        return doc


class NameDiscovery:
    """Discovery rules; lexeme flags point the per-token rules at the few tokens that matter."""

    def __init__(self, nlp: Language, vocab_dir: str | None, patterns_file: str | None) -> None:
        self.vocab = load_vocabulary(vocab_dir)
        self.rules = load_rules(patterns_file)
        # the same name-shaped words recur across papers: test each spelling once
        self.is_blocked = lru_cache(maxsize=1 << 16)(self.vocab.is_blocked)
        self.is_known = lambda s: match_key(s) in self.vocab.index
        self.propose = discovery.compile_rules(self.rules).propose
        lexeme_flags(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        data = doc.user_data
        fields = doc_fields(doc)
        shaped_all: list[int] = []
        nouns_all: list[int] = []
        noun_ends: dict[int, int] = {}
        if len(doc):
            arr = token_array(doc)
            # columns as rows (views): ``compress``/``nonzero`` on a row are the cheapest numpy calls
            cols = arr.T
            shaped_all = cols[0].compress(cols[2]).tolist()
            # a cue noun matters only right after a token that may end a name
            item = arr.item
            for j in cols[3, 1:].nonzero()[0].tolist():
                ps = item(j, 0)
                if _may_end_name(text[ps : ps + item(j, 1)]):
                    s = item(j + 1, 0)
                    nouns_all.append(s)
                    noun_ends[s] = s + item(j + 1, 1)
        old = data.get(CANDIDATES) or {}
        abbreviations = data.get(ABBREVIATIONS) or {}
        sentences = sentence_bounds(doc)
        rules = self.rules
        out: dict[str, list[Candidate]] = {}
        for (field, offset, ftext), shaped, noun_starts in zip(
            fields, _by_field(fields, shaped_all), _by_field(fields, nouns_all), strict=True
        ):
            found = list(old.get(field, ()))
            starts = [s for s, _ in sentences[field]] or [0]
            propose = list(self.propose.finditer(ftext)) if "we " in ftext or "We " in ftext else []
            if propose:
                found += discovery.contribution(ftext, rules, propose)
            found += discovery.described_contribution(ftext, rules, propose)
            found += discovery.naming(ftext, starts, rules)
            pairs = abbreviations.get(field)
            if pairs:
                found += discovery.acronym_definitions(ftext, pairs, rules)
            if noun_starts:
                nouns = [(s, noun_ends[s + offset] - offset) for s in noun_starts]
                found += discovery.cue_nouns(ftext, starts, rules, nouns)
            if shaped:
                found += discovery.name_shapes(ftext, rules, self.is_blocked, shaped)
            found = merge_candidates(found) if len(found) > 1 else found
            if found:
                found = with_names(extend_spans(ftext, split_lists(discovery.task_by_head(found, ftext, rules),
                                                                  self.is_known), self.vocab.lookup))
            out[field] = found
        data[CANDIDATES] = out
        return doc


_start = attrgetter("start")


def merge_candidates(found: list[Candidate]) -> list[Candidate]:
    """Longest span wins; a winner inherits the role a same-span rule found."""
    by_start = sorted(found, key=_start)
    prev_end = -1
    for c in by_start:
        if c.start < prev_end or c.start >= c.end:
            break
        prev_end = c.end
    else:
        return by_start  # nothing overlaps (the usual case): nothing to choose or inherit
    kept = select_non_overlapping(found)
    roles = {(c.start, c.end): c.role for c in found if c.role}
    return [replace(c, role=roles.get((c.start, c.end))) if c.role is None and (c.start, c.end) in roles
            else c for c in kept]


#: token attributes the tagger's featurizer reads (``tagger.base_columns``)
TAGGER_ATTRS = [LOWER, SHAPE, SUFFIX, IS_TITLE, IS_UPPER, LIKE_NUM, IS_PUNCT, IS_SPACE, IS_ALPHA]


def tagger_spans(doc: Doc) -> Spans:
    """What the rule components found, as token spans (the tagger's gazetteer/rule features).

    A span of characters [start, end) covers the tokens from the one holding ``start`` to the one holding
    ``end - 1``; a sentence start or the title's end is the first token at or after it. Every position of
    the Doc is looked up in one ``searchsorted`` call (~50 single calls per paper cost more than the rest)."""
    fields = doc_fields(doc)
    # int64: a searchsorted with Python ints on a uint64 array would compare float64 copies
    starts = token_array(doc)[:, 0].astype(numpy.int64) if len(doc) else numpy.zeros(0, numpy.int64)
    cands = doc.user_data.get(CANDIDATES) or {}
    abbreviations = doc.user_data.get(ABBREVIATIONS) or {}
    sentences = sentence_bounds(doc)
    found: list[Candidate] = []
    # first and last character of each candidate, then of each acronym's short and long form
    inner: list[int] = []
    abbr_inner: list[int] = []
    before: list[int] = []  # the title's end (first, if there is a title) and each sentence start
    has_title = False
    for field, offset, ftext in fields:
        if field == "title":
            before.insert(0, offset + len(ftext))
            has_title = True
        for c in cands.get(field, ()):
            found.append(c)
            inner += (c.start + offset, c.end + offset - 1)
        for a in abbreviations.get(field, ()):
            abbr_inner += (a.short_start + offset, a.short_end + offset - 1,
                           a.long_start + offset, a.long_end + offset - 1)  # fmt: skip
        before += [b + offset for b, _e in sentences.get(field, ())]
    at = starts.searchsorted(inner + abbr_inner, "right").tolist() if inner or abbr_inner else []
    first = starts.searchsorted(before, "left").tolist() if before else []
    gaz, rules = [], []
    for c, s, e in zip(found, at[0 : len(inner) : 2], at[1 : len(inner) : 2], strict=True):
        if c.rule == "vocabulary":
            gaz.append((s - 1, e, c.type))
        else:
            rules.append((s - 1, e, c.type, c.rule))
    k = len(inner)
    short = [(at[i] - 1, at[i + 1]) for i in range(k, len(at), 4)]
    long_ = [(at[i + 2] - 1, at[i + 3]) for i in range(k, len(at), 4)]
    title_end = first[0] if has_title else 0
    return Spans(gaz, rules, short, long_, title_end, first[1:] if has_title else first)


def tagger_base(doc: Doc, clusters: Clusters) -> numpy.ndarray:
    """The featurizer's input columns for a Doc the rule components have run on."""
    return tagger_bases([doc], clusters)


def tagger_bases(docs: Sequence[Doc], clusters: Clusters) -> numpy.ndarray:
    """The featurizer's input columns of Docs, concatenated (see ``tagger.base_columns_batch``)."""
    attrs = [doc.to_array(TAGGER_ATTRS).astype(numpy.uint64) if len(doc)
             else numpy.zeros((0, len(TAGGER_ATTRS)), numpy.uint64) for doc in docs]
    return base_columns_batch(attrs, [tagger_spans(doc) for doc in docs], clusters)


class WordAttrs:
    """``TAGGER_ATTRS`` rows of words by ORTH id, kept across batches: they are the word's lexeme's, the same
    in every Doc, and most words of a batch were in an earlier one (building a Doc of a batch's ~10^4 distinct
    words was a third of the featurizer's time). Stops taking words at ``limit`` (~10 MB at the default);
    later new words are looked up anew each time."""

    def __init__(self, limit: int = 1 << 17) -> None:
        self.limit = limit
        self.keys = numpy.zeros(0, numpy.uint64)  # sorted ORTH ids
        self.rows = numpy.zeros((0, len(TAGGER_ATTRS)), numpy.uint64)

    def rows_of(self, vocab: Vocab, words: numpy.ndarray) -> numpy.ndarray:
        """The rows of ``words`` (distinct ORTH ids, sorted), in their order."""
        keys = self.keys
        at = keys.searchsorted(words)
        known = keys[numpy.minimum(at, len(keys) - 1)] == words if len(keys) else numpy.zeros(len(words), bool)
        if known.all():
            return self.rows[at]
        new = words[~known]
        new_rows = _word_attrs(vocab, new)
        out = numpy.empty((len(words), len(TAGGER_ATTRS)), numpy.uint64)
        out[known] = self.rows[at[known]]
        out[~known] = new_rows
        if len(keys) < self.limit:  # (the last batch let in may pass the limit by its new words)
            where = keys.searchsorted(new)
            self.keys = numpy.insert(keys, where, new)
            self.rows = numpy.insert(self.rows, where, new_rows, axis=0)
        return out


def _word_attrs(vocab: Vocab, words: numpy.ndarray) -> numpy.ndarray:
    """``TAGGER_ATTRS`` of words by ORTH id: one Doc of the words (lexeme attributes only)."""
    if not len(words):
        return numpy.zeros((0, len(TAGGER_ATTRS)), numpy.uint64)
    strings = vocab.strings
    return Doc(vocab, words=[strings[w] for w in words.tolist()]).to_array(TAGGER_ATTRS)


def tagger_columns(docs: Sequence[Doc], clusters: Clusters, word_attrs: WordAttrs | None = None) -> dict[str, Coded]:
    """The featurizer's input columns of Docs, concatenated, as codes into tables of distinct values
    (what ``TaggerModel.coded_scores`` reads; the same columns as :func:`tagger_bases`).

    The word-level columns are computed once per distinct word of the batch (a Doc of those words
    gives their attributes: one ``to_array`` over ~10^4 words instead of ~10^5 tokens), or read from
    ``word_attrs`` for the words an earlier batch had."""
    orths = [token_array(doc)[:, 4] for doc in docs if len(doc)]
    orth = numpy.concatenate(orths) if orths else numpy.zeros(0, numpy.uint64)
    words, codes = numpy.unique(orth, return_inverse=True)
    vocab = docs[0].vocab if docs else None
    if len(words) and vocab is not None:
        attrs = word_attrs.rows_of(vocab, words) if word_attrs is not None else _word_attrs(vocab, words)
    else:
        attrs = numpy.zeros((0, len(TAGGER_ATTRS)), numpy.uint64)
    codes = codes.reshape(-1)  # numpy 2.0 and 2.1 shape the inverse like the input
    out = {c: coded_column(c, v, codes) for c, v in lexeme_columns(attrs, clusters).items()}
    spans = [tagger_spans(doc) for doc in docs]
    out.update((c, coded_column(c, v)) for c, v in rule_columns([len(doc) for doc in docs], spans).items())
    return out


class SpanTagger:
    """The learned tagger (``graphbuild.extract.tagger``): typed spans per field in ``doc._.tagged``.

    ``pipe_batch`` tags a list of Docs at once (one Viterbi pass over the batch); ``__call__`` is
    the one-Doc form spaCy expects.
    """

    def __init__(self, model_file: str | None, clusters_file: str | None, vocab_dir: str | None,
                 patterns_file: str | None) -> None:
        self.model = load_model(model_file)
        self.clusters = load_clusters(clusters_file)
        self.words = WordAttrs()
        vocab, rules = load_vocabulary(vocab_dir), load_rules(patterns_file)
        self.lookup = vocab.lookup
        generic = rules.generic_words

        def vetoed(s: str) -> bool:
            # generic words, blocked words, and spellings the vocabulary knows only as ambiguous (its
            # matcher decides those by context: "Adam" opening a sentence is not the optimizer)
            ids = vocab.index.get(match_key(s), ())
            return (s.lower() in generic or match_key(s) in generic or vocab.is_blocked(s)
                    or (bool(ids) and all(vocab.entries[i].ambiguous for i in ids)))

        self.is_generic = lru_cache(maxsize=1 << 16)(vetoed)
        self.is_ambiguous = lambda vid: vid is None or vocab.entries[vid].ambiguous if vid in vocab.entries else True

    def __call__(self, doc: Doc) -> Doc:
        return self.pipe_batch([doc])[0]

    def pipe_batch(self, docs: list[Doc]) -> list[Doc]:
        model = self.model
        if model is None:
            for doc in docs:
                doc.user_data[TAGGED] = {}
            return docs
        sizes = [len(doc) for doc in docs]
        scores = model.coded_scores(tagger_columns(docs, self.clusters, self.words))
        bounds = numpy.cumsum([0, *sizes])
        per_doc = [scores[bounds[i] : bounds[i + 1]] for i in range(len(docs))]
        found: list[list[tuple[str, int, int, float]]] = [[] for _ in docs]
        for d, k, a, b, margin in decode(per_doc, model.transitions):
            found[d].append((model.types[k], a, b, margin))
        for doc, spans in zip(docs, found, strict=True):
            tagged = doc.user_data[TAGGED] = _char_spans(doc, spans)
            cands = doc.user_data.get(CANDIDATES) or {}
            doc.user_data[CANDIDATES] = {
                field: with_names(extend_spans(ftext, merge_field(ftext, cands.get(field, ()), tagged.get(field, ()),
                                                                  self.is_generic, self.is_ambiguous),
                                               self.lookup))
                for field, _, ftext in doc_fields(doc)
            }
        return docs


def _char_spans(doc: Doc, spans: list[tuple[str, int, int, float]]) -> dict[str, list[tuple[str, int, int, float]]]:
    """Token spans → field-local character spans, per field (a span never crosses fields)."""
    out: dict[str, list[tuple[str, int, int, float]]] = {}
    if not spans:
        return out
    arr = token_array(doc)  # starts and lengths, already there (the rules read them)
    fields = doc_fields(doc)
    offsets = [off for _, off, _ in fields]
    for etype, a, b, margin in sorted(spans, key=lambda x: x[1]):
        start, end = int(arr[a, 0]), int(arr[b - 1, 0] + arr[b - 1, 1])
        i = bisect_right(offsets, start) - 1
        field, offset, text = fields[i]
        if end > offset + len(text):  # crosses into the next field: not a name
            continue
        out.setdefault(field, []).append((etype, start - offset, end - offset, margin))
    return out


@Language.factory(
    "paperkg_tagger",
    default_config={"model_file": None, "clusters_file": None, "vocab_dir": None, "patterns_file": None},
)
def make_tagger(nlp: Language, name: str, model_file: str | None, clusters_file: str | None,
                vocab_dir: str | None, patterns_file: str | None) -> SpanTagger:
    return SpanTagger(model_file, clusters_file, vocab_dir, patterns_file)


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
