from graphbuild.extract.abbreviations import best_long_form, find_abbreviations, is_short_form


def _pairs(text):
    return [(a.short, a.long) for a in find_abbreviations(text)]


def test_acronym_of_lowercase_long_form_gsnr():
    text = "We study the gradient signal to noise ratio (GSNR) of parameters."
    [a] = find_abbreviations(text)
    assert (a.short, a.long) == ("GSNR", "gradient signal to noise ratio")
    assert text[a.short_start : a.short_end] == "GSNR"
    assert text[a.long_start : a.long_end] == "gradient signal to noise ratio"


def test_acronym_with_inner_lowercase_letters():
    assert _pairs("We build on Data-regularized Q (DrQ) for control.") == [("DrQ", "Data-regularized Q")]
    assert _pairs("Reinforcement Learning from Human Feedback (RLHF) is costly.") == [
        ("RLHF", "Reinforcement Learning from Human Feedback")
    ]


def test_shortest_long_form_is_chosen():
    assert _pairs("We use a recently proposed Differentiable Architecture Search (DARTS).") == [
        ("DARTS", "Differentiable Architecture Search")
    ]


def test_reversed_order_short_then_long():
    assert _pairs("trained with RLHF (Reinforcement Learning from Human Feedback).") == [
        ("RLHF", "Reinforcement Learning from Human Feedback")
    ]


def test_short_form_with_trailing_clause():
    assert _pairs("out-of-distribution (OOD, e.g. corrupted) inputs") == [("OOD", "out-of-distribution")]


def test_no_pair_in_plain_parentheses_or_sentence_without_acronym():
    assert _pairs("The results (see Table 1) are good (a) and (b).") == []
    assert _pairs("This sentence mentions nothing at all.") == []


def test_long_form_does_not_cross_sentence_boundary():
    assert _pairs("Transfer networks. Results (TN) are good.") == []
    assert _pairs("Transfer networks, Results (TN) are good.") == [("TN", "Transfer networks, Results")]


def test_non_ascii_text():
    assert _pairs("Die Méthode «Régularisation Optimale Transportée» (ROT) marche.") == [
        ("ROT", "«Régularisation Optimale Transportée»")
    ]
    assert _pairs("Régularized Öptimal Transport (ROT) — ça marche.") == [("ROT", "Régularized Öptimal Transport")]


def test_short_form_rules():
    assert is_short_form("GSNR")
    assert not is_short_form("a")
    assert not is_short_form("see Table 1 now")
    assert not is_short_form("(x)")
    assert best_long_form("ROT", "the Regularized Optimal Transport") == "Regularized Optimal Transport"
    assert best_long_form("XYZ", "nothing matching") is None


def test_cjk_sentence_end_bounds_the_long_form():
    assert _pairs("我们提出了 GPT-4 和 ImageNet。Über Cats (ÜC) text.") == [("ÜC", "Über Cats")]


def test_emphasis_around_a_long_form_is_not_part_of_it() -> None:
    from graphbuild.extract.abbreviations import find_abbreviations

    text = "Finally, we provide *Generic COG* (gCOG), a configurable benchmark with several tasks."
    [a] = find_abbreviations(text)
    assert (a.long, text[a.long_start : a.long_end]) == ("Generic COG", "Generic COG")


def test_an_acronym_pair_is_typed_by_the_apposition_after_it() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.abbreviations import find_abbreviations
    from graphbuild.extract.rules import load_rules

    text = "Finally, we provide Generic COG (gCOG), a configurable benchmark with several tasks."
    found = discovery.acronym_definitions(text, find_abbreviations(text), load_rules())
    assert {(c.surface, c.type) for c in found} == {("Generic COG", "benchmark"), ("gCOG", "benchmark")}


def test_the_words_around_a_pair_type_it_and_a_versioned_short_form_is_no_pair() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.abbreviations import find_abbreviations
    from graphbuild.extract.rules import load_rules

    text = ("accuracy on the validation set of Static Facial Expressions in the Wild (SFEW 2.0) and on the "
            "validation set of Real-World Affective Faces (RAF) Database. Rodimus employs a data-dependent "
            "tempered selection (DDTS) mechanism. Models rely on shortcut opportunities (SO) in images. "
            "We attach a Region Proposal Network (RPN) detection head.")
    pairs = find_abbreviations(text)
    # a release number is no letter of the long form: "SQuAD 2.0" must not become SQuAD's spelled-out name
    assert all(a.short != "SFEW 2.0" for a in pairs)
    typed = {c.surface: c.type for c in discovery.acronym_definitions(text, pairs, load_rules())}
    assert typed["RAF"] == "benchmark"
    assert typed.get("DDTS") == "method" and typed.get("SO") != "benchmark"
    assert typed.get("RPN") == "method"  # "(RPN) detection head": a module, not part of a task's name
    found = discovery.task_by_head([c for c in discovery.acronym_definitions(text, pairs, load_rules())
                                    if c.surface == "data-dependent tempered selection"], text, load_rules())
    assert [c.type for c in found] == ["method"]
    assert [c.surface for c in discovery.cue_nouns("We evaluate on the Hub5’00 benchmark.", [0], load_rules())] == [
        "Hub5’00"]


def test_spelled_out_objects_and_task_parts_are_no_names() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.abbreviations import find_abbreviations
    from graphbuild.extract.rules import load_rules

    text = ("Problems arise where Partial Differential Equations (PDEs) model systems. Methods for zero-shot "
            "Human-Object Interaction (HOI) detection leverage CLIP. We use a Graph Attention Network (GAT).")
    found = {c.surface for c in discovery.acronym_definitions(text, find_abbreviations(text), load_rules())}
    assert found == {"Graph Attention Network", "GAT"}


def test_a_description_after_a_name_without_its_comma() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    text = "Our study introduces Upscale-A-Video a text-guided latent diffusion framework for video upscaling."
    assert discovery.described_contribution(text, load_rules()) == []
