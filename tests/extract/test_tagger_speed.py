"""The tagger's fast inference path must give the training path's numbers, bit for bit."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import numpy as np
import pytest

from graphbuild.extract.components import (
    ABBREVIATIONS,
    CANDIDATES,
    WordAttrs,
    doc_fields,
    paper_doc,
    sentence_bounds,
    tagger_bases,
    tagger_columns,
    tagger_spans,
    token_array,
)
from graphbuild.extract.pipeline import ExtractorConfig, build_nlp
from graphbuild.extract.tagger import OUT, decode, features, load_clusters, load_model
from graphbuild.ingest import read_papers

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "mlanthology-sample.jsonl.gz"


@pytest.fixture(scope="module")
def rule_docs():
    """Docs of real abstracts after the rule components (what the tagger reads), shipped data files."""
    nlp = build_nlp(ExtractorConfig(extractor="rules"))
    papers = list(islice(read_papers([SAMPLE]), 300))
    docs = [paper_doc(nlp.make_doc, (("title", p.text("title")), ("abstract", p.text("abstract"))))
            for p in papers]  # fmt: skip
    for _, proc in nlp.pipeline:
        docs = [proc(d) for d in docs]
    return docs


def test_coded_scores_equal_the_scores_of_hashed_features_bit_for_bit(rule_docs) -> None:
    model, clusters = load_model(), load_clusters()
    assert model is not None
    for batch in (rule_docs[:1], rule_docs[1:40], rule_docs[40:]):
        slow = model.scores(features(tagger_bases(batch, clusters), model.bits))
        fast = model.coded_scores(tagger_columns(batch, clusters))
        assert slow.shape == fast.shape and slow.shape[0] > 0
        # the same float32 sums in the same order: equal bits, not just close values
        assert np.array_equal(slow.view(np.uint32), fast.view(np.uint32))


def test_word_attributes_kept_across_batches_give_the_same_columns(rule_docs) -> None:
    clusters = load_clusters()
    words = WordAttrs(limit=3000)  # fills up after a few batches: later new words are looked up each time
    sizes = []
    for batch in (rule_docs[:1], rule_docs[1:40], rule_docs[40:120], rule_docs[120:], rule_docs[5:60]):
        want, got = tagger_columns(batch, clusters), tagger_columns(batch, clusters, words)
        assert want.keys() == got.keys()
        for name in want:
            assert np.array_equal(want[name].codes, got[name].codes), name
            assert np.array_equal(want[name].mixed, got[name].mixed), name
        sizes.append(len(words.keys))
    assert 0 < sizes[0] < sizes[1] < 3000 <= sizes[2] == sizes[3] == sizes[4]  # grew, then stopped
    assert np.all(words.keys[1:] > words.keys[:-1])  # sorted, distinct


def _reference_spans(doc) -> tuple:
    """``tagger_spans`` written plainly: one ``searchsorted`` per position."""
    starts = token_array(doc)[:, 0].astype(np.int64)

    def span(a: int, b: int) -> tuple[int, int]:
        return int(starts.searchsorted(a, "right")) - 1, int(starts.searchsorted(b - 1, "right"))

    gaz, rules, short, long_, sents, title_end = [], [], [], [], [], 0
    for field, offset, text in doc_fields(doc):
        if field == "title":
            title_end = int(starts.searchsorted(offset + len(text), "left"))
        for c in doc.user_data[CANDIDATES].get(field, ()):
            s, e = span(c.start + offset, c.end + offset)
            if c.rule == "vocabulary":
                gaz.append((s, e, c.type))
            else:
                rules.append((s, e, c.type, c.rule))
        for a in doc.user_data[ABBREVIATIONS].get(field, ()):
            short.append(span(a.short_start + offset, a.short_end + offset))
            long_.append(span(a.long_start + offset, a.long_end + offset))
        sents += [int(starts.searchsorted(b + offset, "left")) for b, _ in sentence_bounds(doc)[field]]
    return gaz, rules, short, long_, title_end, sents


def test_token_spans_of_rule_findings_equal_one_lookup_per_position(rule_docs) -> None:
    seen = {"gazetteer": 0, "rules": 0, "abbr_short": 0}
    for doc in rule_docs:
        sp = tagger_spans(doc)
        got = (sp.gazetteer, sp.rules, sp.abbr_short, sp.abbr_long, sp.title_end, sp.sentence_starts)
        assert got == _reference_spans(doc)
        for name in seen:
            seen[name] += len(getattr(sp, name))
    assert min(seen.values()) > 10  # the sample has vocabulary matches, discovered names and acronyms


def _reference_decode(scores: np.ndarray, trans: np.ndarray) -> list[tuple[int, int, int]]:
    """Viterbi for one document, written plainly with argmax (first maximum wins) and a backtrace."""
    out = []
    for k in range(trans.shape[0]):
        em = scores[:, 3 * k : 3 * k + 3]
        delta = em[0] + np.array([0.0, 0.0, -1e4], dtype=np.float32)
        back = []
        for t in range(1, len(em)):
            cand = delta[:, None] + trans[k]
            back.append(cand.argmax(axis=0))
            delta = cand.max(axis=0) + em[t]
        path = [int(delta.argmax())]
        for b in reversed(back):
            path.append(int(b[path[-1]]))
        path.reverse()
        start = -1
        for i, y in enumerate([*path, OUT]):
            if start >= 0 and y != 2:
                out.append((k, start, i))
                start = -1
            if y == 1 or (y == 2 and start < 0):
                start = i
    return sorted(out)


def test_decode_breaks_ties_as_argmax_does() -> None:
    # small integer scores and transitions: many exactly equal paths, so the tie-break decides
    rng = np.random.default_rng(7)
    trans = rng.integers(-1, 2, size=(3, 3, 3)).astype(np.float32)
    docs = [rng.integers(-1, 2, size=(int(rng.integers(1, 30)), 9)).astype(np.float32) for _ in range(400)]
    got = sorted((d, k, a, b) for d, k, a, b, _ in decode(docs, trans))
    want = sorted((d, k, a, b) for d, x in enumerate(docs) for k, a, b in _reference_decode(x, trans))
    assert got == want


def test_lexeme_flags_are_registered_in_a_vocab_that_reuses_a_freed_vocabs_id() -> None:
    import spacy

    from graphbuild.extract import components

    vocab = spacy.blank("en").vocab
    # what a freed vocab at the same address leaves behind: flag ids whose getters this vocab never got
    components._FLAGS[id(vocab)] = (40, 41, lambda s: True)
    shape_flag, cue_flag = components.lexeme_flags(vocab)
    assert shape_flag in vocab.lex_attr_getters and cue_flag in vocab.lex_attr_getters
    assert vocab["SmoothHess"].check_flag(shape_flag) and not vocab["the"].check_flag(shape_flag)
    assert components.lexeme_flags(vocab) == (shape_flag, cue_flag)  # registered once
