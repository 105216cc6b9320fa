"""Held-out discipline of the vocabulary sources (scripts/reference_docs.py): gold papers and test splits
never feed a vocabulary."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import ModuleType

import pytest
from script_module import load_script

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("PAPERKG_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="module")
def rd() -> ModuleType:
    return load_script("reference_docs")


@pytest.fixture(scope="module")
def held(rd: ModuleType):
    return rd.HeldOut.from_repo(REPO)


ABSTRACT = (
    "We study the effect of tempered posteriors on the calibration of deep ensembles trained with stochastic "
    "gradient Langevin dynamics and find that a cold posterior improves the calibration on every data set we tried "
    "while a warm posterior hurts it in all but one of the cases that we report here"
)


def make_held(rd: ModuleType, tmp_path: Path) -> object:
    gold = tmp_path / "tests" / "gold"
    gold.mkdir(parents=True)
    (gold / "excluded_ids.txt").write_text("source:scirex:abc123\n", encoding="utf-8")
    paper = {"id": "x", "title": "Cold Posteriors and Deep Ensembles", "abstract": ABSTRACT}
    (gold / "g_papers.jsonl").write_text(json.dumps(paper) + "\n", encoding="utf-8")
    splits = tmp_path / "scripts" / "splits"
    splits.mkdir(parents=True)
    (splits / "scierc.tsv").write_text("doc_id\tsplit\nA-1\ttrain\nA-2\tdev\nA-3\ttest\nA-4\tgold\n", encoding="utf-8")
    blocks = {"splits": {"train": ["0"], "dev": ["1"], "test": ["2"]}, "vocab_dev": True}
    (splits / "tdmsci.json").write_text(json.dumps(blocks), encoding="utf-8")
    return rd.HeldOut.from_repo(tmp_path)


def test_gold_ids_titles_and_copied_abstracts_are_held_out(rd: ModuleType, tmp_path: Path) -> None:
    held = make_held(rd, tmp_path)
    doc = rd.Document
    assert held.reason(doc("scirex", "abc123", "train", ("anything",))) == "gold"
    # a title-only record (CS-NER) of a gold paper, tokenized differently
    assert held.reason(doc("csner-pwc", "train:4", "train", ("Cold", "Posteriors", "and", "Deep", "Ensembles")))
    # the abstract re-tokenized PTB-style, inside a longer document
    tokens = tuple(("Intro text . " + ABSTRACT.replace("cold posterior", "cold - posterior")).split())
    assert held.reason(doc("scirex", "zzz", "train", tokens)) == "gold text"
    # boilerplate shared with a gold text is not a copy
    boiler = "to the best of our knowledge this is the first study that we report here on parsing"
    boiler_tokens = tuple(boiler.split(" "))
    assert held.reason(doc("csner-acl", "train.data:0", "train", boiler_tokens)) is None


def test_split_files_hold_out_test_and_dev(rd: ModuleType, tmp_path: Path) -> None:
    held = make_held(rd, tmp_path)
    doc = rd.Document
    assert held.reason(doc("scierc", "A-1", "train", ("x",))) is None
    assert held.reason(doc("scierc", "A-2", "train", ("x",))) == "dev split"
    assert held.reason(doc("scierc", "A-3", "train", ("x",))) == "test split"
    assert held.reason(doc("scierc", "A-4", "train", ("x",))) == "gold"
    assert held.reason(doc("scierc", "A-5", "train", ("x",))) == "in no split"
    # TDMSci is split by blocks of 20 sentences; this split file lets dev feed vocabularies
    assert held.reason(doc("tdmsci", "19", "train", ("x",))) is None
    assert held.reason(doc("tdmsci", "25", "train", ("x",))) is None
    assert held.reason(doc("tdmsci", "45", "train", ("x",))) == "test split"
    assert held.keep(doc("scierc", "A-3", "train", ("x",))) is False
    assert held.keep(doc("scierc", "A-3", "train", ("x",))) is False
    assert held.summary() == "scierc test split 1"  # counted once per document


def test_bioes_and_bio_spans(rd: ModuleType) -> None:
    rows = [["Semi", "O"], ["Audio", "B-RESEARCH_PROBLEM"], ["Tagging", "E-RESEARCH_PROBLEM"], ["with", "O"],
            ["Mixup", "S-METHOD"], ["on", "O"], ["SQuAD", "B-DATASET"], ["v2", "I-DATASET"]]
    assert rd._bio_spans(rows) == (("RESEARCH_PROBLEM", "Audio Tagging"), ("METHOD", "Mixup"), ("DATASET", "SQuAD v2"))


@pytest.mark.skipif(not (DATA / "README.md").exists(), reason="reference data not found (set PAPERKG_SHARED_DATA)")
def test_real_sources_skip_every_gold_document(rd: ModuleType, held) -> None:
    docs = rd.ReferenceDocs(DATA, held)
    kept = {d.id for d in docs.scirex()}
    assert len(held.scirex_ids) >= 56 and not kept & held.scirex_ids
    salient = {row["doc_id"] for row in docs.scirex_salient()}
    assert salient and not salient & held.scirex_ids
    titles = [" ".join(d.tokens) for d in docs.csner("pwc", "train.data")]
    assert "Deep Exploration via Bootstrapped DQN" not in titles  # a check-gold paper's title
    assert len(titles) > 3000
    # only train documents of the project's split files feed vocabularies
    for dataset, reader in (("scierc", docs.scierc), ("scirex", docs.scirex), ("tdmsci", docs.tdmsci)):
        table = held.splits[dataset]
        assert {table[rd.split_id(d)] for d in reader()} == {"train"}, dataset
