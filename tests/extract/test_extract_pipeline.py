"""The whole extractor on small papers with the fixture vocabulary and taxonomy."""

import pytest

from graphbuild.extract import to_record
from graphbuild.extract.pipeline import extract


@pytest.fixture(scope="module")
def corpus(make_paper):
    return [
        make_paper("Lila: A Unified Benchmark for Mathematical Reasoning",
                   "We propose LILA, a unified benchmark. We evaluate GPT-4 and GPT-3 on it.", "p1"),
        make_paper("Robust Transformers under Corruption",
                   "We study ImageNet-C and ImageNet's validation set with ResNet-50 and ResNet-101 "
                   "backbones. Transformers are more robust than LSTMs.", "p2", ("cs.CV",)),
        make_paper("Reward Shaping for Robot Learning",
                   "Our agent is evaluated on Meta-World and the DeepMind Control Suite (DMC). "
                   "We use Adam. Adam is not matched at a sentence start.", "p3"),
        make_paper("Über Lernen: ein Überblick", "Dieser Satz enthält keine Entität – nur Text mit Umlauten.", "p4"),
        make_paper("Sentence Without Entities", "This sentence names no method and no dataset.", "p5"),
    ]


@pytest.fixture(scope="module")
def extracted(corpus, config):
    return extract(corpus, config=config)


def _names(ex, typ):
    return {m.name: m.role for m in ex.mentions if m.type == typ}


def test_offsets_point_at_the_surface_in_the_normalized_text(corpus, extracted):
    for paper, ex in zip(corpus, extracted, strict=True):
        for m in ex.mentions:
            assert paper.text(m.field)[m.start : m.end] == m.surface
            assert m.surface in m.sentence


def test_title_benchmark_is_introduced_and_acronym_merges(extracted):
    ex = extracted[0]
    bench = [m for m in ex.mentions if m.type == "benchmark"]
    assert {m.key for m in bench} == {"benchmark:lila"}
    assert {m.role for m in bench} == {"introduced"}
    assert {m.surface for m in bench} == {"Lila", "LILA"}
    assert _names(ex, "method") == {"GPT-4": "used", "GPT-3": "used"}


def test_nested_names_possessives_and_plurals(extracted):
    ex = extracted[1]
    assert _names(ex, "benchmark") == {"ImageNet-C": "used", "ImageNet": "used"}
    assert set(_names(ex, "method")) == {"ResNet-50", "ResNet-101", "Transformer", "Long Short-Term Memory"}
    surfaces = {m.surface for m in ex.mentions}
    assert "ImageNet" in surfaces and "ImageNet's" not in surfaces
    assert "Computer Vision" in [d.name for d in ex.domains]


def test_vocabulary_acronym_and_ambiguous_names(extracted):
    ex = extracted[2]
    assert _names(ex, "benchmark") == {"Meta-World": "used", "DeepMind Control Suite": "used"}
    adam = [m for m in ex.mentions if m.name == "Adam"]
    assert len(adam) == 1 and adam[0].sentence == "We use Adam."
    assert {d.name for d in ex.domains} == {"Robotics", "Reinforcement Learning"}


def test_no_entities_and_non_ascii(extracted):
    assert extracted[3].mentions == () and extracted[4].mentions == ()


def test_records_and_workers_give_identical_output(corpus, extracted, config):
    rec = to_record(extracted[0])
    assert set(rec) == {"paper", "mentions", "domains"}
    assert set(rec["paper"]) == {"id", "title", "year", "source"}
    assert set(rec["mentions"][0]) == {"type", "name", "aliases", "surface", "role", "field", "start", "end",
                                       "sentence", "rule", "confidence"}
    from graphbuild.extract.parallel import run_parallel
    from graphbuild.extract.pipeline import assemble

    parallel = assemble(run_parallel(corpus * 3, 2, config), config)
    single = extract(corpus * 3, config=config)
    assert [to_record(e) for e in parallel] == [to_record(e) for e in single]


def test_extraction_leaves_no_cyclic_garbage(corpus, extracted, config):
    # the extractor pauses the cyclic GC (graphbuild.gc_pause): that is only safe while nothing it
    # makes is in a reference cycle, or memory would grow until the end of a long extraction
    import gc

    gc.collect()
    gc.disable()
    try:
        out = extract(corpus * 20, config=config)
        del out
        leaked = gc.collect()
    finally:
        gc.enable()
    assert leaked == 0
    assert gc.isenabled()


def test_extraction_leaves_the_garbage_collector_alone(corpus, config):
    # library hygiene: no gc.freeze() / pause inside library calls (worker processes and the CLI do that)
    import gc

    from graphbuild.extract.pipeline import shared_nlp

    shared_nlp.cache_clear()  # the pipeline is built inside the call
    frozen, threshold = gc.get_freeze_count(), gc.get_threshold()
    extract(corpus, config=config)
    # a freeze would raise the count; objects an earlier in-process CLI run froze may be freed meanwhile
    assert (gc.isenabled(), gc.get_threshold()) == (True, threshold)
    assert gc.get_freeze_count() <= frozen
