"""Discovery's cheap tests in front of its costly regexes decide exactly as the regexes would.

A shortcut may only skip a regex that cannot match, so each is checked against the regex it stands for,
on real abstracts and on text where ``str.lower`` and ``re.IGNORECASE`` disagree ("ſ", "K", "İ").
"""

from __future__ import annotations

import gzip
import json
import re
from itertools import islice
from pathlib import Path

import pytest

from graphbuild.extract import discovery
from graphbuild.ingest.normalize import normalize_whitespace

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "mlanthology-sample.jsonl.gz"

TRICKY = [
    "This paper presents X.",
    "this PAPER PROPOSES a new method",
    "This paper preſents a novel activation pruning scheme.",  # long s: re.IGNORECASE matches "s", str.lower keeps "ſ"
    "A novel pruning scheme is introduced here.",
    "A novel kernel pruning scheme is propoſed.",
    "A novel \u212aernel pruning scheme IS DEVELOPED",  # Kelvin sign: matches "k" under re.IGNORECASE
    "Our İstanbul work develops a model",
    "a b c d e f g h is proposed",
    "",
]


@pytest.fixture(scope="module")
def abstracts() -> list[str]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, 400)]
    return [normalize_whitespace(r.get("abstract") or "") for r in rows] + TRICKY


def _slow_described(text: str, rules) -> list:
    """``described_contribution`` as it was: the paper and passive regexes run whenever their words occur."""
    comp = discovery.compile_rules(rules)
    spans = []
    matches = list(comp.propose.finditer(text))
    if any(w in text for w in discovery._PAPER_WORDS):
        matches += discovery._PAPER_PROPOSES.finditer(text)
    for m in matches:
        d = discovery._DESCRIBED.search(" " + m.group("obj")[:160])
        if d and d.start() <= 40:
            spans.append((d.group("np"), m.start("obj") + d.start("np") - 1))
    if any(p in text for p in discovery._PASSIVE_WORDS):
        spans += [(m.group("np"), m.start("np")) for m in discovery._PASSIVE.finditer(text)]
    return [got for np, start in spans
            if not discovery._apposition_of_name(text, start, rules)
            and (got := discovery._described_name(np, start, text, rules))]


def test_described_contribution_finds_what_the_regexes_alone_find(abstracts, rules) -> None:
    found = 0
    for text in abstracts:
        fast = [(c.start, c.end) for c in discovery.described_contribution(text, rules)]
        assert fast == _slow_described(text, rules), text
        found += len(fast)
    assert found > 5  # the sample exercises the rule


@pytest.mark.parametrize("word", ["Sheared Backpropagation", "graph", "Proposed", "kernel", "K", "Net_2"])
def test_word_search_equals_the_ignorecase_regex(abstracts, word) -> None:
    texts = [*abstracts, "sheared backpropagation.", "Xgraph graph_ graph", "a \u212aernel", "net_2", "NET_2x"]
    for text in texts:
        want = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None
        assert discovery._has_word_ignorecase(text, word) == want, (word, text)


@pytest.mark.parametrize("name", ["Model Ratatouille", "Lila", "kernel", "Stable Diffusion"])
def test_substring_precheck_never_rejects_a_match(abstracts, name) -> None:
    for text in [*abstracts, "we call it model \u212aernel", "we propose ſtable diffusion"]:
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            assert discovery._may_contain_ignorecase(text, name), (name, text)


def test_title_subject_keeps_its_results(rules) -> None:
    abstract = "We propose sheared backpropagation, which halves the memory of fine-tuning."
    [c] = discovery.title_subject("Sheared Backpropagation for Fine-tuning Foundation Models", abstract, rules)
    assert (c.surface, c.rule) == ("Sheared Backpropagation", "title-subject")
    assert discovery.title_subject("Sheared Backpropagation for Fine-tuning", "no such words", rules) == []
    # the name as a word only: "backpropagations" is not "backpropagation"
    assert discovery.title_subject("Sheared Backpropagation for Fine-tuning", "sheared backpropagations", rules) == []


def test_title_colon_name_written_again_in_the_abstract(rules) -> None:
    abstract = "We view classification as a sequential process: datum-wise classification reads features one by one."
    [c] = discovery.title_subject("Datum-Wise Classification: A Sequential Approach to Sparsity", abstract, rules)
    assert (c.surface, c.type, c.role) == ("Datum-Wise Classification", "method", "proposed")
    # not written again, or a headline that opens with a gerund: no name
    assert discovery.title_subject("Datum-Wise Classification: A Sequential Approach", "other words", rules) == []
    headline = "Mastering Visual Continuous Control: Improved Data-Augmented Reinforcement Learning"
    assert discovery.title_subject(headline, "mastering visual continuous control is hard", rules) == []


def test_title_subject_proposed_in_other_words(rules) -> None:
    abstract = "We develop an automated variational method for approximate inference in Gaussian process models."
    [c] = discovery.title_subject("Automated Variational Inference for Gaussian Process Models", abstract, rules)
    assert (c.surface, c.role) == ("Automated Variational Inference", "proposed")
    abstract = "This paper presents a hybrid generative-discriminative classifier for tagging."
    [c] = discovery.title_subject("Hybrid Generative/Discriminative Learning for Image Annotation", abstract, rules)
    assert c.surface == "Hybrid Generative/Discriminative Learning"
    # one shared word is not enough; a title name ending in a task word is a task
    assert discovery.title_subject("Automated Variational Inference for GPs", "We develop a sampler.", rules) == []
    assert discovery.title_subject("Semi-Supervised Classification with Graph Networks",
                                   "We present semi-supervised classification on graphs.", rules) == []


def test_a_title_result_is_no_method(rules) -> None:
    abstract = "We derive information-theoretic generalization bounds for meta-learning."
    assert discovery.title_subject("Information-Theoretic Generalization Bounds for Meta-Learning", abstract,
                                   rules) == []
