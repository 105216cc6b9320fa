"""The matcher's tokenized patterns cached on disk: same matches, keyed by content, never required."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphbuild.extract import pattern_cache
from graphbuild.extract.components import CANDIDATES, DOMAIN_HITS, paper_doc
from graphbuild.extract.pipeline import build_nlp

TITLE = "Deep Q-Networks for Atari and Reinforcement Learning"
ABSTRACT = ("We train a DQN with a Transformer encoder on ImageNet and CIFAR-10. "
            "Our convolutional neural networks beat LSTMs; dqn is not DQN. Graph neural networks help too.")


def _found(nlp) -> tuple:
    doc = paper_doc(nlp.make_doc, (("title", TITLE), ("abstract", ABSTRACT)))
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc.user_data[CANDIDATES], doc.user_data[DOMAIN_HITS]


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*")) if folder.is_dir() else []


def test_a_matcher_from_cached_patterns_finds_what_one_from_docs_finds(config, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(pattern_cache.CACHE_ENV, "")  # off: patterns tokenized in this process
    fresh = _found(build_nlp(config))
    monkeypatch.setenv(pattern_cache.CACHE_ENV, str(tmp_path))
    cold = _found(build_nlp(config))  # tokenizes, writes the file
    (written,) = _files(tmp_path)
    assert written.name.startswith("patterns-") and written.suffix == ".npz"  # no temporary left behind
    warm = _found(build_nlp(config))  # reads it
    assert fresh == cold == warm
    assert any(c.vocab_id for cands in fresh[0].values() for c in cands)  # the test has matches to compare


def test_cached_keywords_equal_tokenizing_now(nlp, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(pattern_cache.CACHE_ENV, str(tmp_path))
    spellings = ["convolutional neural network", "CIFAR-10", "Q-learning", "GPT-4o", "e.g. BERT", "x"]
    first = pattern_cache.pattern_keywords(nlp, spellings)
    assert first == pattern_cache.pattern_keywords(nlp, spellings) == pattern_cache.tokenize_patterns(nlp, spellings)
    assert len(first[0]) == 3 and len(first[1]) >= 1


def test_the_key_follows_the_spellings(nlp) -> None:
    a = pattern_cache.cache_key(nlp, ["BERT", "GPT"])
    assert a == pattern_cache.cache_key(nlp, ["BERT", "GPT"])
    assert a != pattern_cache.cache_key(nlp, ["BERT", "GPT-2"])
    assert a != pattern_cache.cache_key(nlp, ["BERTGPT"])  # not only the characters: where they split


@pytest.mark.parametrize("where", ["a file, not a folder", "off"])
def test_extraction_works_without_a_usable_cache_folder(config, monkeypatch, tmp_path, where) -> None:
    monkeypatch.setenv(pattern_cache.CACHE_ENV, "")
    want = _found(build_nlp(config))
    if where == "off":
        folder = ""
    else:
        (tmp_path / "blocker").write_text("x")
        folder = str(tmp_path / "blocker" / "cache")  # cannot be created (as root, a read-only mode would not stop it)
    monkeypatch.setenv(pattern_cache.CACHE_ENV, folder)
    assert _found(build_nlp(config)) == want
    assert _files(tmp_path) == ([tmp_path / "blocker"] if where != "off" else [])


def test_a_damaged_cache_file_is_ignored_and_replaced(nlp, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(pattern_cache.CACHE_ENV, str(tmp_path))
    spellings = ["graph neural network", "ResNet-50"]
    want = pattern_cache.tokenize_patterns(nlp, spellings)
    path = tmp_path / f"patterns-{pattern_cache.cache_key(nlp, spellings)}.npz"
    for damage in (b"not a zip file", b""):
        path.write_bytes(damage)
        assert pattern_cache.pattern_keywords(nlp, spellings) == want
        assert path.read_bytes()[:2] == b"PK"  # rewritten whole


def test_old_pattern_files_are_pruned(nlp, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(pattern_cache.CACHE_ENV, str(tmp_path))
    for i in range(pattern_cache.KEEP + 3):
        pattern_cache.pattern_keywords(nlp, [f"method {i}"])
    assert len(_files(tmp_path)) == pattern_cache.KEEP
