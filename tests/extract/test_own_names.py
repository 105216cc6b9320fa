"""The paper's own name written two ways (graphbuild/extract/own_names.py)."""

from __future__ import annotations

from graphbuild.extract.own_names import abbreviates, own_name_pairs


def test_abbreviates_by_dropped_leading_words_or_initials() -> None:
    assert abbreviates("Twigs", "Diffusion Twigs")
    assert abbreviates("THGD", "Topology-Aware Hierarchical Graph Diffusion Model")
    assert abbreviates("THGDM", "Topology-Aware Hierarchical Graph Diffusion Model")
    assert not abbreviates("Diffusion", "Diffusion Twigs")  # a prefix is not the name
    assert not abbreviates("GAN", "Graph Attention Network Pruning")
    assert not abbreviates("Twigs", "Twigs")
    # a shared phrase is no coined name: every paper's "Sketch Attention" would become this paper's method
    assert not abbreviates("Sketch Attention", "Tensor Sketch Attention")


def test_pairs_either_way_round() -> None:
    assert own_name_pairs(["Diffusion Twigs"], ["Twigs", "Loop Guidance"]) == [("Twigs", "Diffusion Twigs")]
    assert own_name_pairs(["PRNet"], ["Partial Registration Network"]) == []
    assert own_name_pairs(["THGD"], ["Topology-Aware Hierarchical Graph Diffusion"]) == [
        ("THGD", "Topology-Aware Hierarchical Graph Diffusion")]


def test_title_and_abstract_name_become_one_entity() -> None:
    from graphbuild.extract.pipeline import extract
    from graphbuild.model import Paper

    paper = Paper("p1", "Diffusion Twigs with Loop Guidance for Conditional Graph Generation",
                  "We introduce a novel score-based diffusion framework named Twigs that incorporates multiple "
                  "co-evolving flows. Diffusion Twigs outperform strong baselines.")
    [rec] = extract([paper])
    found = {m.surface: m.key for m in rec.mentions if m.surface in ("Twigs", "Diffusion Twigs")}
    assert set(found) == {"Twigs", "Diffusion Twigs"} and len(set(found.values())) == 1


def test_an_own_acronym_spelled_out_elsewhere_in_the_abstract() -> None:
    from graphbuild.extract.own_names import spelled_out_pairs

    names = ["THGD", "Topology-Aware Hierarchical Graph Diffusion Model", "graph generation"]
    assert spelled_out_pairs(["THGD"], names) == [("THGD", "Topology-Aware Hierarchical Graph Diffusion Model")]
    assert spelled_out_pairs(["Twigs"], ["Diffusion Twigs"]) == []  # only spelled-out initials here

