"""Corpus-level entity resolution: every merge and every non-merge the issue lists."""

from pathlib import Path

import pytest

from graphbuild.extract.vocabulary import load_vocabulary
from graphbuild.resolve import DocInput, MentionRef, resolve

VOCAB = Path(__file__).parent / "extract" / "fixtures" / "vocab"


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(str(VOCAB))


def _doc(*mentions, pairs=()):
    return DocInput(tuple(MentionRef(t, s) for t, s in mentions), tuple(pairs))


def _keys(docs, vocab=None):
    keys, table = resolve(docs, vocab)
    return keys, table


def test_plurals_case_hyphens_and_spaces_merge_without_vocabulary():
    docs = [
        _doc(("method", "Transformers")),
        _doc(("method", "transformer")),
        _doc(("benchmark", "CIFAR10")),
        _doc(("benchmark", "CIFAR-10")),
        _doc(("method", "LLMs")),
        _doc(("method", "LLM")),
        _doc(("benchmark", "Meta World")),
        _doc(("benchmark", "Meta-World")),
    ]
    keys, table = _keys(docs)
    assert keys[0] == keys[1]
    assert keys[2] == keys[3]
    assert keys[4] == keys[5]
    assert keys[6] == keys[7]
    ent = table[keys[2][0]]
    assert ent.paper_count == 2
    assert {ent.name, *ent.aliases} == {"CIFAR10", "CIFAR-10"}


def test_vocabulary_aliases_merge_into_the_vocabulary_entity(vocab):
    docs = [_doc(("method", "Transformers")), _doc(("benchmark", "MetaWorld")), _doc(("benchmark", "DMC"))]
    keys, table = _keys(docs, vocab)
    assert keys == [["method:transformer"], ["benchmark:meta-world"], ["benchmark:deepmind-control-suite"]]
    assert table["method:transformer"].name == "Transformer"
    assert "Transformers" in table["method:transformer"].aliases


@pytest.mark.parametrize(("a", "b"), [("GPT-3", "GPT-4"), ("ResNet-50", "ResNet-101"), ("ImageNet", "ImageNet-C")])
def test_different_names_never_merge(a, b, vocab):
    t = "benchmark" if "Image" in a else "method"
    for v in (None, vocab):
        keys, table = _keys([_doc((t, a)), _doc((t, b))], v)
        assert keys[0] != keys[1]
        assert table[keys[0][0]].paper_count == table[keys[1][0]].paper_count == 1


def test_acronym_merges_with_long_form_defined_in_the_corpus():
    docs = [
        _doc(("method", "Regularized Optimal Transport"), ("method", "ROT"),
             pairs=[("ROT", "Regularized Optimal Transport")]),
        _doc(("method", "ROT")),  # used elsewhere without its definition
    ]
    keys, table = _keys(docs)
    assert keys[0][0] == keys[0][1] == keys[1][0]
    ent = table[keys[0][0]]
    assert ent.name == "Regularized Optimal Transport"
    assert "ROT" in ent.aliases
    assert ent.paper_count == 2
    assert ent.key == "method:regularized-optimal-transport"


def test_acronym_with_two_long_forms_stays_two_entities():
    docs = [
        _doc(("method", "Relational Transformer"), ("method", "RT"), pairs=[("RT", "Relational Transformer")]),
        _doc(("method", "Robust Training"), ("method", "RT"), pairs=[("RT", "Robust Training")]),
        _doc(("method", "RT")),  # ambiguous without a definition: neither long form
    ]
    keys, table = _keys(docs)
    assert keys[0][1] == keys[0][0]
    assert keys[1][1] == keys[1][0]
    assert keys[0][0] != keys[1][0]
    assert keys[2][0] not in (keys[0][0], keys[1][0])
    assert len(table) == 3


def test_local_definition_overrides_a_vocabulary_acronym(vocab):
    docs = [
        _doc(("method", "DT")),  # the vocabulary's DT = Decision Transformer
        _doc(("method", "digital twin"), ("method", "DT"), pairs=[("DT", "digital twin")]),
    ]
    keys, table = _keys(docs, vocab)
    assert keys[0] == ["method:decision-transformer"]
    assert keys[1][0] == keys[1][1] != "method:decision-transformer"
    assert table[keys[1][0]].name == "digital twin"


def test_acronym_defined_only_once_joins_vocabulary_long_form(vocab):
    docs = [_doc(("method", "Deep Q-Network"), ("method", "DQN"), pairs=[("DQN", "Deep Q-Network")]),
            _doc(("method", "DQNs"))]
    keys, _ = _keys(docs, vocab)
    assert keys == [["method:dqn", "method:dqn"], ["method:dqn"]]


def test_vocabulary_kind_wins_and_slug_collisions_get_a_suffix(vocab):
    keys, _ = _keys([_doc(("benchmark", "Transformer"))], vocab)
    assert keys == [["method:transformer"]]
    # two different names with one slug ("C++" and "Cplusplus") keep two keys
    keys, _ = _keys([_doc(("method", "C++")), _doc(("method", "Cplusplus"))])
    assert keys == [["method:cplusplus"], ["method:cplusplus-2"]]


def test_entities_keep_all_aliases_and_paper_counts():
    docs = [_doc(("method", "DrQ-v2"), ("method", "DrQ-v2")), _doc(("method", "DrQv2")), _doc(("method", "DrQ"))]
    keys, table = _keys(docs)
    assert keys[0][0] == keys[1][0] != keys[2][0]
    ent = table[keys[0][0]]
    assert ent.name == "DrQ-v2"
    assert ent.aliases == ("DrQv2",)
    assert ent.paper_count == 2


# ----------------------------------------------------------------------------- stable keys and streaming


def _resolve_with(docs, registry, vocab=None):
    from graphbuild.resolve import NameTable

    t = NameTable(vocab)
    for d in docs:
        t.add(d)
    return t.resolve(registry)


def test_a_bare_acronym_keeps_its_key_when_the_corpus_later_defines_it():
    from graphbuild.resolve import KeyRegistry

    v1 = [_doc(("method", "ROT")), _doc(("method", "ROT"))]
    r1 = _resolve_with(v1, KeyRegistry())
    assert r1.keys_of(0) == ["method:rot"]
    v2 = [*v1, _doc(("method", "Regularized Optimal Transport"), ("method", "ROT"),
                    pairs=[("ROT", "Regularized Optimal Transport")])]  # fmt: skip
    fresh = _resolve_with(v2, KeyRegistry())
    assert fresh.keys_of(0) == ["method:regularized-optimal-transport"]  # what a build without history gives
    grown = _resolve_with(v2, r1.registry)
    assert grown.keys_of(0) == grown.keys_of(2)[:1] == ["method:rot"]
    ent = grown.table["method:rot"]
    assert ent.name == "Regularized Optimal Transport" and ent.paper_count == 3
    # and the next build keeps it too, from either name
    assert _resolve_with(v2, grown.registry).keys_of(2) == ["method:rot", "method:rot"]


def test_slug_suffixes_belong_to_their_entity_for_good():
    from graphbuild.resolve import KeyRegistry

    r1 = _resolve_with([_doc(("method", "C++")), _doc(("method", "Cplusplus"))], KeyRegistry())
    assert r1.all_keys() == [["method:cplusplus"], ["method:cplusplus-2"]]
    # C++ is gone: Cplusplus keeps its key; its slug's plain form is not handed to anyone else
    r2 = _resolve_with([_doc(("method", "Cplusplus"))], r1.registry)
    assert r2.all_keys() == [["method:cplusplus-2"]]
    # C++ comes back later than Cplusplus: each still gets its own key (first-seen order no longer decides)
    r3 = _resolve_with([_doc(("method", "Cplusplus")), _doc(("method", "C++"))], r2.registry)
    assert r3.all_keys() == [["method:cplusplus-2"], ["method:cplusplus"]]
    # without the history, order decides (the old behaviour)
    assert _resolve_with([_doc(("method", "Cplusplus")), _doc(("method", "C++"))], KeyRegistry()).all_keys() == [
        ["method:cplusplus"], ["method:cplusplus-2"]]  # fmt: skip


def test_documents_added_one_by_one_resolve_as_in_one_call(vocab):
    docs = [
        _doc(("method", "ROT")),
        _doc(("method", "Regularized Optimal Transport"), ("method", "ROT"),
             pairs=[("ROT", "Regularized Optimal Transport")]),
        _doc(("method", "DT")),
        _doc(("method", "digital twin"), ("method", "DT"), pairs=[("DT", "digital twin")]),
        _doc(("benchmark", "CIFAR10"), ("task", "Object Detection"), ("task", "object detection")),
    ]  # fmt: skip
    keys, table = resolve(docs, vocab)
    from graphbuild.resolve import KeyRegistry

    r = _resolve_with(docs, KeyRegistry(), vocab)
    assert r.all_keys() == keys and r.table == table
    assert keys[4][1] == keys[4][2] and table[keys[4][1]].type == "task"  # tasks resolve like the others
