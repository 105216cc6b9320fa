"""The spaCy components on one Doc per paper, and the speed-ups that must not change results."""

import random
import re
from dataclasses import replace

from graphbuild.extract import discovery
from graphbuild.extract.candidates import Candidate, select_non_overlapping
from graphbuild.extract.components import CANDIDATES, DOMAIN_HITS, merge_candidates, paper_doc, sentence_bounds


def _run(nlp, title: str, abstract: str):
    doc = paper_doc(nlp.make_doc, (("title", title), ("abstract", abstract)))
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def test_one_doc_per_paper_keeps_fields_apart(nlp):
    title, abstract = "Playing Atari with Deep", "Q-Network agents. We train a DQN, not a dqn."
    doc = _run(nlp, title, abstract)
    cands = doc.user_data[CANDIDATES]
    # offsets are per field; no match spans the title's end and the abstract's start
    assert all(c.end <= len(title) and "Deep" not in c.surface for c in cands["title"])  # no "Deep Q-Network"
    dqn = [c for c in cands["abstract"] if c.vocab_id == "method:dqn"]
    assert [(c.surface, abstract[c.start : c.end]) for c in dqn] == [("DQN", "DQN")]  # not "dqn"
    assert sentence_bounds(doc)["title"] == ((0, len(title)),)
    assert set(doc.user_data[DOMAIN_HITS]) == {"title", "abstract"}


def test_a_doc_without_fields_is_one_field(nlp):
    doc = nlp("We train a DQN agent.")
    assert [c.surface for c in doc.user_data[CANDIDATES][""]] == ["DQN"]


def _merge_reference(found):
    kept = select_non_overlapping(found)
    roles = {(c.start, c.end): c.role for c in found if c.role}
    return [replace(c, role=roles.get((c.start, c.end))) if c.role is None and (c.start, c.end) in roles
            else c for c in kept]


def test_merge_fast_path_gives_the_same_result():
    rng = random.Random(3)
    for _ in range(500):
        found = []
        for _ in range(rng.randrange(2, 7)):
            s = rng.randrange(0, 40)
            found.append(Candidate(rng.choice(["method", "benchmark"]), "x", s, s + rng.randrange(0, 6),
                                   "r", rng.choice([0.5, 0.9]), rng.choice([None, "v"]),
                                   rng.choice([None, None, "proposed"])))
        assert merge_candidates(found) == _merge_reference(found)


def test_last_words_start_keeps_the_search_result():
    pattern = re.compile(r"(?<![\w-])(?:evaluated\s+on|such\s+as|on|e\.g\.,)\s+$", re.I)
    rng = random.Random(5)
    words = ["we", "evaluated", "on", "such", "as", "(e.g.,", "x-on", "data", "On"]
    for _ in range(2000):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 9))) + " "
        end = len(text)
        lo = rng.randrange(0, end)
        narrowed = discovery._last_words_start(text, lo, end - 1, 2)
        expected = pattern.search(text, lo, end)
        got = pattern.search(text, narrowed, end)
        assert (expected and expected.span()) == (got and got.span()), text


def test_word_alternation_matches_like_a_word_boundary():
    words = ["called", "named", "referred to as"]
    fast = re.compile(rf"(?:{discovery._word_alt(words)})\s+X")
    slow = re.compile(r"\b(?:referred\s+to\s+as|called|named)\s+X")
    for text in ["so-called X", "renamed X", "a method named X", "(called X)", "is referred  to as X", "_named X"]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)], text
