"""Span conventions, list splitting, type decisions and the two extractor modes (issue 13).

The end-to-end cases run the shipped extractor (vocabulary, rules and learned tagger); the unit
cases exercise ``graphbuild.extract.span_merge`` directly.
"""

from __future__ import annotations

import pytest

from graphbuild.extract.candidates import Candidate
from graphbuild.extract.pipeline import ExtractorConfig, extract
from graphbuild.extract.span_merge import extend_spans, load_config, merge_field, split_lists, with_names
from graphbuild.model import Paper

TEXT = (
    "We compare SGD/Adam/LARS/LAMB on ImageNet with a ViT-B/16 backbone. We evaluate on the Penn Treebank "
    "dataset, CIFAR - 10 and SemEval - 2010 Task 8. Named Entity Recognition (NER) and machine translation "
    "are the tasks; Visual Question Answering (VQA) is another."
)


@pytest.fixture(scope="module", params=["learned", "rules"])
def mentions(request: pytest.FixtureRequest) -> dict[str, tuple[str, str, str, str]]:
    (ex,) = extract([Paper("p", "Optimizers at scale", TEXT)], config=ExtractorConfig(extractor=request.param))
    return {m.surface: (m.type, m.name, m.key, m.rule) for m in ex.mentions}


def test_benchmark_spans_keep_the_head_noun_and_names_drop_it(mentions) -> None:
    assert mentions["Penn Treebank dataset"][:3] == ("benchmark", "Penn Treebank", "benchmark:penn-treebank")


def test_versions_across_spaced_hyphens_belong_to_the_name(mentions) -> None:
    assert mentions["CIFAR - 10"][:3] == ("benchmark", "CIFAR-10", "benchmark:cifar-10")
    assert mentions["SemEval - 2010 Task 8"][0] == "benchmark"
    assert "CIFAR" not in mentions and "SemEval" not in mentions


def test_slash_lists_are_split_but_slashed_names_are_not(mentions) -> None:
    for name in ("SGD", "Adam", "LARS", "LAMB"):
        assert mentions[name][0] == "method"
    assert "SGD/Adam/LARS/LAMB" not in mentions
    assert mentions["ViT-B/16"][0] == "method"


def test_task_names_are_tasks_not_methods(mentions) -> None:
    for surface in ("Named Entity Recognition", "NER", "machine translation", "Visual Question Answering", "VQA"):
        assert mentions[surface][0] == "task", surface
    assert mentions["NER"][2] == mentions["Named Entity Recognition"][2]  # one entity, acronym as alias


def test_rules_mode_has_no_tagger_mentions_and_learned_mode_can() -> None:
    text = "We fine-tune the SmoothHess estimator and compare it with SG-MCMC samplers."
    rules = extract([Paper("p", "T", text)], config=ExtractorConfig(extractor="rules"))[0]
    assert all(m.rule != "tagger" for m in rules.mentions)
    learned = extract([Paper("p", "T", text)], config=ExtractorConfig(extractor="learned"))[0]
    assert len(learned.mentions) >= len(rules.mentions)


# ----------------------------------------------------------------------------- span_merge units


def _c(etype: str, text: str, surface: str, rule: str = "name-shape", **kw) -> Candidate:
    start = text.index(surface)
    return Candidate(etype, surface, start, start + len(surface), rule, 0.8, **kw)


def _never(_s: str) -> bool:
    return False


def test_names_drop_generic_heads_and_a_trailing_acronym() -> None:
    text = "the BERT model and Gaussian mixture models (GMMs) on the SCATE corpus"
    cands = [_c("method", text, "BERT model"), _c("method", text, "Gaussian mixture models (GMMs)"),
             _c("benchmark", text, "SCATE corpus")]
    names = [c.name for c in with_names(cands)]
    assert names == ["BERT", "Gaussian mixture models", "SCATE"]


def test_a_tagger_span_extends_a_rule_candidate_by_its_head_and_keeps_its_vocabulary_id() -> None:
    text = "results on the Penn Treebank dataset are"
    rule = _c("benchmark", text, "Penn Treebank", rule="vocabulary", vocab_id="benchmark:penn-treebank")
    s = text.index("Penn")
    tagged = [("benchmark", s, s + len("Penn Treebank dataset"), 5.0)]
    (c,) = merge_field(text, [rule], tagged, _never, _never)
    assert (c.surface, c.vocab_id) == ("Penn Treebank dataset", "benchmark:penn-treebank")


def test_a_contribution_keeps_its_type_when_the_tagger_disagrees() -> None:
    text = "Contrastive Energy Prediction for exact guidance"
    rule = _c("method", text, "Contrastive Energy Prediction", rule="title-colon", role="proposed")
    tagged = [("task", 0, len("Contrastive Energy Prediction"), 6.0)]
    (c,) = merge_field(text, [rule], tagged, _never, _never)
    assert (c.type, c.role) == ("method", "proposed")


def test_a_weak_rule_finding_takes_the_tagger_type() -> None:
    text = "Named Entity Recognition (NER) is hard"
    rule = _c("method", text, "Named Entity Recognition", rule="acronym-definition")
    tagged = [("task", 0, len("Named Entity Recognition"), 6.0)]
    (c,) = merge_field(text, [rule], tagged, _never, _never)
    assert c.type == "task"


@pytest.mark.parametrize(
    ("surface", "kept"),
    [("SmoothHess", True), ("their function-calling capabilities", False), ("leveraging a scoring model", False),
     ("https://example.org/code", False), ("deep networks", False)],
)
def test_tagger_only_spans_must_look_like_names(surface: str, kept: bool) -> None:
    text = f"We then use {surface} here."
    s = text.index(surface)
    got = merge_field(text, [], [("method", s, s + len(surface), 5.0)], _never, _never)  # below the lower-case bar
    assert bool(got) == kept


def test_generic_or_ambiguous_spellings_never_come_from_the_tagger_alone() -> None:
    text = "Adam is a common choice."
    got = merge_field(text, [], [("method", 0, 4, 9.0)], lambda s: s == "Adam", _never)
    assert got == []


def test_split_lists_keeps_known_names_and_numbered_parts() -> None:
    text = "SGD/Adam and TCP/IP and ViT-B/16"
    cands = [_c("method", text, "SGD/Adam"), _c("method", text, "TCP/IP"), _c("method", text, "ViT-B/16")]
    out = split_lists(cands, lambda s: s == "TCP/IP")
    assert [c.surface for c in out] == ["SGD", "Adam", "TCP/IP", "ViT-B/16"]
    assert [text[c.start : c.end] for c in out] == [c.surface for c in out]


def test_extend_spans_relooks_up_a_versioned_vocabulary_match() -> None:
    text = "on CIFAR - 10 and the MNIST data set"
    cands = [_c("benchmark", text, "CIFAR", rule="vocabulary", vocab_id="benchmark:cifar"),
             _c("benchmark", text, "MNIST", rule="vocabulary", vocab_id="benchmark:mnist")]
    lookup = {"CIFAR - 10": "benchmark:cifar-10"}.get
    out = extend_spans(text, cands, lambda s, t: lookup(s), load_config())
    assert [(c.surface, c.vocab_id) for c in out] == [("CIFAR - 10", "benchmark:cifar-10"),
                                                      ("MNIST data set", "benchmark:mnist")]


def test_both_extractors_run_from_the_cli(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from graphbuild.cli import app

    src = tmp_path / "p.jsonl"
    src.write_text(json.dumps({"title": "T", "abstract": TEXT}) + "\n", "utf-8")
    rules = {}
    for mode in ("rules", "learned"):
        out = tmp_path / f"{mode}.jsonl"
        r = CliRunner().invoke(app, ["extract", str(src), "--extractor", mode, "--out", str(out)])
        assert r.exit_code == 0, r.output
        rules[mode] = {m["rule"] for m in json.loads((tmp_path / f"{mode}.jsonl").read_text("utf-8"))["mentions"]}
    assert "tagger" not in rules["rules"]
    bad = CliRunner().invoke(app, ["extract", str(src), "--extractor", "neural", "--out", str(tmp_path / "x.jsonl")])
    assert bad.exit_code == 2 and "--extractor must be one of learned, rules" in bad.output


def test_a_longer_span_ending_in_a_benchmark_head_is_a_benchmark() -> None:
    text = "results on the NIST 2003 MT evaluation set"
    rule = _c("task", text, "MT evaluation", rule="vocabulary", vocab_id="task:mt-evaluation")
    s = text.index("NIST")
    (c,) = merge_field(text, [rule], [("benchmark", s, len(text), 2.0)], _never, _never)
    assert (c.type, c.surface, c.vocab_id) == ("benchmark", "NIST 2003 MT evaluation set", None)


def test_a_method_name_is_not_extended_by_a_generic_head() -> None:
    text = "the R2LDA approach works"
    rule = _c("method", text, "R2LDA")
    (c,) = merge_field(text, [rule], [("method", 4, len("the R2LDA approach"), 5.0)], _never, _never)
    assert c.surface == "R2LDA"


def test_a_dotted_release_after_a_space_belongs_to_a_benchmark() -> None:
    from graphbuild.extract.discovery import cue_nouns
    from graphbuild.extract.rules import load_rules

    text = "We evaluate on the RAF database and the SFEW 2.0 dataset, beating MNIST 1.2% baselines."
    cands = cue_nouns(text, [0], load_rules())
    assert [c.surface for c in cands] == ["RAF", "SFEW 2.0"]
    out = extend_spans(text, [_c("benchmark", text, "MNIST", rule="name-shape")], lambda s, t: None, load_config())
    assert [c.surface for c in out] == ["MNIST"]
    text = "Results on SFEW 2.0 and AFEW are strong."
    out = extend_spans(text, [_c("benchmark", text, "SFEW")], lambda s, t: None, load_config())
    assert [c.surface for c in out] == ["SFEW 2.0"]


def test_a_tagger_span_never_starts_with_a_preposition() -> None:
    from graphbuild.extract.span_merge import _plausible

    text = "this paper takes a closer look at task learning."
    s = text.index("at task")
    assert not _plausible("at task learning", "task", s, text, 9.0, load_config())
    assert _plausible("task learning", "task", s + 3, text, 9.0, load_config())
