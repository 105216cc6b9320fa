from graphbuild.extract import discovery


def _found(cands):
    return {(c.surface, c.type, c.role) for c in cands}


def test_title_colon_benchmark(rules):
    [c] = discovery.title_subject("Lila: A Unified Benchmark for Mathematical Reasoning",
                                  "we propose LILA, a unified benchmark.", rules)
    assert (c.surface, c.type, c.role, c.start, c.end) == ("Lila", "benchmark", "introduced", 0, 4)


def test_title_colon_method_with_digits_and_hyphens(rules):
    [c] = discovery.title_subject("N2N Learning: Network to Network Compression via Policy Gradient", "", rules)
    assert (c.surface, c.type, c.role) == ("N2N Learning", "method", "proposed")
    [c] = discovery.title_subject("sharpDARTS: Faster and More Accurate Differentiable Architecture Search", "", rules)
    assert c.surface == "sharpDARTS"


def test_title_colon_plain_words_are_not_names(rules):
    assert discovery.title_subject("Mastering Visual Continuous Control: Improved Data-Augmented RL", "", rules) == []
    # a plain word is a name only if the abstract writes it as one
    assert discovery.title_subject("Grokking: Generalization Beyond Overfitting",
                                   'a process of "grokking" a pattern', rules) == []


def test_we_propose_name_with_appositive(rules):
    text = "We present DrQ-v2, a model-free reinforcement learning algorithm for visual control."
    assert ("DrQ-v2", "method", "proposed") in _found(discovery.contribution(text, rules))
    text = "To this end we introduce Scylla, a dynamic evaluation framework that measures generalization."
    assert ("Scylla", "benchmark", "introduced") in _found(discovery.contribution(text, rules))


def test_we_propose_a_noun_then_lowercase_name(rules):
    text = "To overcome this, we propose a novel prompting strategy, least-to-most prompting."
    assert ("least-to-most prompting", "method", "proposed") in _found(discovery.contribution(text, rules))


def test_naming_verbs(rules):
    text = "We derive a simpler first-order algorithm named Fish that approximates it."
    assert _found(discovery.naming(text, [0], rules)) == {("Fish", "method", "proposed")}


def test_cue_nouns_and_possessive(rules):
    text = "Experiments use the MiniGrid environment and the Arcade Learning Environment's games."
    found = _found(discovery.cue_nouns(text, [0], rules))
    assert ("MiniGrid", "benchmark", None) in found
    assert ("Arcade Learning Environment", "benchmark", None) in found


def test_name_shapes_typed_by_context(rules):
    text = "We evaluate on ManiSkill2, CIFAR-100 and RLBench and compare against GPT-4."
    found = _found(discovery.name_shapes(text, rules, lambda s: False))
    assert {("ManiSkill2", "benchmark", None), ("CIFAR-100", "benchmark", None),
            ("RLBench", "benchmark", None)} <= found
    assert ("GPT-4", "method", None) in found


def test_sentence_without_entity(rules):
    text = "This sentence has no named method or dataset in it, only 3D shapes and 7B parameters."
    assert discovery.name_shapes(text, rules, lambda s: False) == []
    assert discovery.contribution(text, rules) == []
    assert discovery.cue_nouns(text, [0], rules) == []


def test_generic_words_are_not_names(rules):
    text = "We propose our approach, a simple method. We compare baselines on the new dataset."
    assert discovery.contribution(text, rules) == []
    assert discovery.cue_nouns(text, [0], rules) == []


def test_own_cue(rules):
    text = "Our DrQ-v2 agent"
    assert discovery.own_cue(text, 4, rules)
    assert not discovery.own_cue("We use DrQ", 7, rules)


def test_multiword_title_subject_needs_the_abstract(rules):
    [c] = discovery.title_subject("Model Ratatouille: Recycling Diverse Models",
                                  "we thus propose model ratatouille, a new strategy", rules)
    assert (c.surface, c.type, c.role) == ("Model Ratatouille", "method", "proposed")
    assert discovery.title_subject("Model Ratatouille: Recycling Diverse Models", "nothing here", rules) == []


def test_own_cue_skips_prepositions(rules):
    text = "We apply our ideas to Atari 2600 games."
    assert not discovery.own_cue(text, text.index("Atari"), rules)
    text = "our fast text classifier fastText is fast; our “DeepLab” system"
    assert discovery.own_cue(text, text.index("fastText"), rules)
    assert discovery.own_cue(text, text.index("DeepLab"), rules)


def test_hyphen_capital_is_not_a_name_shape(rules):
    assert not discovery.is_name_shaped("Encoder-Decoder", rules)
    assert discovery.is_name_shaped("ImageNet-C", rules)


def test_title_prefix_and_function_words(rules):
    [c] = discovery.title_subject("Towards QD-suite: A Benchmark", "", rules)
    assert (c.surface, c.start) == ("QD-suite", 8)
    text = "We release OPT-IML at both scales, together with data."
    assert {c.surface for c in discovery.contribution(text, rules)} == {"OPT-IML"}
    text = "we propose a new method, which enables the activation memory to shrink."
    assert discovery.contribution(text, rules) == []


def test_context_phrase_before_a_name_any_case_and_spacing(rules):
    # the context test compares the last word before a name first: it must keep the regex's
    # case folding, any whitespace and punctuation right before the phrase
    text = "Results ON  DrQ-v2 hold (e.g.,\tGPT-4) and Trained\non ManiSkill2 too."
    found = _found(discovery.name_shapes(text, rules, lambda s: False))
    assert {("DrQ-v2", "benchmark", None), ("GPT-4", "method", None), ("ManiSkill2", "benchmark", None)} <= found


def test_context_phrase_in_non_ascii_text(rules):
    # "ſ" (long s) folds to "s" in the regex: non-ASCII text takes the regex path
    text = "Models uſing GPT-4 and compared\u00a0with BERT2 win."
    found = _found(discovery.name_shapes(text, rules, lambda s: False))
    assert ("GPT-4", "method", None) in found
    assert ("BERT2", "method", None) in found


def test_title_tasks_are_phrases_ending_in_a_task_head() -> None:
    from graphbuild.extract.discovery import title_tasks
    from graphbuild.extract.rules import load_rules

    rules = load_rules()

    def tasks(title: str, found: tuple = ()) -> list[str]:
        return [c.surface for c in title_tasks(title, rules, list(found))]

    assert tasks("Diffusion Twigs with Loop Guidance for Conditional Graph Generation") == [
        "Conditional Graph Generation"]
    # break words, "and", a colon and modifiers end the phrase on its left; gerunds and evaluative words drop
    assert tasks("JOINED: Prior Guided Multi-task Learning for Joint Optic Disc/Cup Segmentation and Fovea "
                 "Detection") == ["Optic Disc/Cup Segmentation", "Fovea Detection"]
    assert tasks("Trap and Replace: Defending Backdoor Attacks by Trapping Them") == ["Backdoor Attacks"]
    assert tasks("Efficient Fine-Grained Guidance for Diffusion Model Based Symbolic Music Generation") == [
        "Symbolic Music Generation"]
    # a title (part) that is only the phrase names a method; a head inside a longer noun phrase is no end
    assert tasks("Chain-of-Thought Predictive Control") == []
    assert tasks("Datum-Wise Classification: A Sequential Approach to Sparsity") == []
    assert tasks("End-to-End Object Detection Transformers for Driving") == []
    assert tasks("Contrastive Energy Prediction for Exact Energy-Guided Diffusion Sampling") == []
    # a verb inside leaves no clean phrase; what follows by/via/using is how it is done
    assert tasks("Stress Testing Social Reasoning in Large Language Models") == []
    assert tasks("Chain-of-Thought Prompting Elicits Reasoning in Large Language Models") == []
    assert tasks("Curiosity-driven Exploration by Self-supervised Prediction") == []
    assert tasks("Unsupervised Visual Representation Learning by Context Prediction") == []
    assert tasks("Ring Attention Detection for Long Contexts") == []  # "Ring" is no verb: the method slot
    assert tasks("Chain-of-Thought Enables Complex Reasoning in Transformers") == ["Complex Reasoning"]
    assert tasks("On Minimizing Counterfactual Error in Adversarial Reinforcement Learning") == [
        "Adversarial Reinforcement Learning"]
    assert tasks("NeoRL: Efficient Exploration for Nonepisodic RL") == ["Nonepisodic RL"]  # the method slot
    assert tasks("NeoRL: Provably Efficient Exploration in Nonepisodic RL") == [
        "Efficient Exploration", "Nonepisodic RL"]
    assert tasks("Robust Gaussian Covariance Estimation in Nearly-Matrix Multiplication Time") == [
        "Gaussian Covariance Estimation"]
    # a task another rule found as the very phrase is not found twice; a title's longer phrase is more specific
    from graphbuild.extract.candidates import Candidate

    title = "Diffusion Twigs with Loop Guidance for Conditional Graph Generation"
    at = title.index("Graph Generation")
    known = Candidate("task", "Graph Generation", at, at + len("Graph Generation"), "vocabulary", 0.95)
    assert tasks(title, (known,)) == ["Conditional Graph Generation"]
    at = title.index("Conditional")
    same = Candidate("task", "Conditional Graph Generation", at, len(title), "vocabulary", 0.95)
    assert tasks(title, (same,)) == []


def test_markdown_emphasis_and_hyphen_modifiers_are_not_part_of_names() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()
    text = "we propose a novel framework, **Self-Braking Tuning**(SBT), which stops early"
    [c] = [c for c in discovery.contribution(text, rules) if "Braking" in c.surface]
    assert c.surface == "Self-Braking Tuning"
    assert discovery._trim_name("A* search", 0, 2) == (0, 2)  # a name's own star stays
    assert not discovery.is_name_shaped("L1-based", rules)
    assert not discovery.is_name_shaped("GPT-style", rules)
    assert discovery.is_name_shaped("GPT-4", rules)


def test_a_count_before_a_cue_noun_name_is_not_part_of_it() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()
    text = "CoA outperforms ACT across 60 RLBench tasks and 8 real-world tasks."
    assert [c.surface for c in discovery.cue_nouns(text, [0], rules)] == ["RLBench"]
    text = "We report results on the CoNLL - 2012 Shared Task data."
    assert all(not c.surface.startswith("Shared") for c in discovery.cue_nouns(text, [0], rules))


def test_a_gerund_clause_after_a_proposal_is_no_name() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    text = "Meanwhile, we propose a Dynamic Hard Negative Optimizer, utilizing dual prompts to construct tasks."
    surfaces = [c.surface for c in discovery.contribution(text, load_rules())]
    assert "utilizing dual prompts" not in surfaces


def test_we_introduce_a_name_shaped_token_without_its_comma() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()
    text = "To address these challenges we introduce PreBackRazor a novel activation pruning scheme."
    assert [(c.surface, c.role) for c in discovery.contribution(text, rules)] == [("PreBackRazor", "proposed")]
    # an ordinary word before "a" is no name
    assert discovery.contribution("We propose pruning a network in one shot.", rules) == []


def test_naming_phrases_and_outperforming_context() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()
    text = "We define a sampler in the latent space. We name our method LD-SMC. It is fast."
    assert "LD-SMC" in [c.surface for c in discovery.naming(text, [0], rules)]
    text = "Our proposed two-stage method, known as 'Adapt-then-Unlearn,' excels at unlearning."
    assert "Adapt-then-Unlearn" in [c.surface for c in discovery.naming(text, [0], rules)]
    text = "PRNet handles partial shapes, outperforming PointNetLK, DCP, and non-learning methods."
    found = {c.surface: c.type for c in discovery.name_shapes(text, rules, lambda s: False)}
    assert found.get("PointNetLK") == "method" and found.get("DCP") == "method"


def test_a_discovered_method_named_like_a_task_is_a_task_unless_presented_as_the_method() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.candidates import Candidate
    from graphbuild.extract.rules import load_rules

    rules = load_rules()

    def typed(text: str, surface: str, vocab_id: str | None = None) -> str:
        s = text.index(surface)
        c = Candidate("method", surface, s, s + len(surface), "acronym-definition", 0.75, vocab_id)
        return discovery.task_by_head([c], text, rules)[0].type

    assert typed("Results on Named Entity Recognition (NER) improve.", "Named Entity Recognition") == "task"
    assert typed("Our method, Chain-of-Thought Predictive Control (CoTPC), wins.",
                 "Chain-of-Thought Predictive Control") == "method"
    assert typed("This paper introduces the Relevance-Diversity Enhanced Selection (RDES), an innovative approach.",
                 "Relevance-Diversity Enhanced Selection") == "method"
    assert typed("Results on Named Entity Recognition improve.", "Named Entity Recognition", "method:x") == "method"


def test_a_description_followed_by_its_name_is_not_the_name() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()
    text = "We introduce a novel score-based diffusion framework named Twigs that uses flows."
    assert [(c.surface, c.role) for c in discovery.described_contribution(text, rules)] == [
        ("score-based diffusion", None)]
    text = "We propose a novel activation pruning scheme that saves memory."
    assert [(c.surface, c.role) for c in discovery.described_contribution(text, rules)] == [
        ("activation pruning", "proposed")]


def test_dataset_lists_en_dash_names_and_glued_counts() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()

    def shapes(text: str) -> dict[str, str]:
        return {c.surface: c.type for c in discovery.name_shapes(text, rules, lambda s: False)}

    assert shapes("We train on datasets including OpenWebText and MiniPile.").get("MiniPile") == "benchmark"
    assert shapes("results on benchmark datasets like MP3D and Replica.").get("MP3D") == "benchmark"
    assert "benchmark" not in shapes("Using Scylla, we benchmark GPT-4 and LLaMA-2 on it.").values()
    assert not discovery.is_name_shaped("28LLMs", rules) and not discovery.is_name_shaped("84xwhen", rules)
    assert discovery.is_name_shaped("100DOH", rules)
    text = "Additionally, we introduce PLM–VideoBench, a suite for evaluating video understanding."
    assert [(c.surface, c.type) for c in discovery.contribution(text, rules)] == [("PLM–VideoBench", "benchmark")]


def test_kernels_are_methods_and_cuda_is_no_name() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.abbreviations import find_abbreviations
    from graphbuild.extract.rules import load_rules

    rules = load_rules()
    text = "Methods using Walsh Hadamard Transform (WHT) and Gray-Code kernels (GCK) are fast."
    typed = {c.surface: c.type for c in discovery.acronym_definitions(text, find_abbreviations(text), rules)}
    assert typed.get("Gray-Code kernels") == "method"
    assert discovery.cue_nouns("Integrating with an advanced CUDA kernel speeds it up.", [0], rules) == []


def test_a_method_context_before_an_article() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()
    found = {c.surface: c.type for c in discovery.name_shapes(
        "It wins on HEVC and UVG, generally outperforming the VVC in PSNR.", rules, lambda s: False)}
    assert found.get("VVC") == "method"
    found = {c.surface: c.type for c in discovery.name_shapes(
        "JOINED ranked 5th on the OD segmentation task.", rules, lambda s: False)}
    assert found.get("OD") != "benchmark"


def test_propose_objects_ended_by_and_or_to_and_titled_objects_after_an_article() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()

    def names(text: str) -> list[str]:
        return [c.surface for c in discovery.contribution(text, rules)]

    assert names("We propose Differentiable Hyperparameter Grid Search and the HyperCuboid search space.")[0] == (
        "Differentiable Hyperparameter Grid Search")
    assert names("We finally propose DrQ-v2 to solve this problem.") == ["DrQ-v2"]
    assert names("Meanwhile, we propose a Dynamic Hard Negative Optimizer, utilizing dual prompts.") == [
        "Dynamic Hard Negative Optimizer"]
    assert names("We construct sensible baselines involving LSTM and BERT models.") == []


def test_naming_phrases_with_the_noun_inside_and_lower_case_names() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()
    text = "A new strategy, which we call loop guidance, orchestrates the flow of information."
    [c] = discovery.naming(text, [0], rules)
    assert (c.surface, c.type, c.role) == ("loop guidance", "method", "proposed")


def test_no_name_runs_past_an_article_and_one_lower_case_word_is_no_name() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()
    text = "We introduce RealSync a novel dataset designed to test sync."
    assert [c.surface for c in discovery.contribution(text, rules)] == ["RealSync"]
    assert discovery.naming("A noise model, which we call heteroscedastic, fits.", [0], rules) == []


def test_a_description_in_apposition_to_a_name_is_not_another_name() -> None:
    from graphbuild.extract import discovery
    from graphbuild.extract.rules import load_rules

    rules = load_rules()
    text = "To address this challenge, we introduce Scylla, a dynamic evaluation framework that measures it."
    assert discovery.described_contribution(text, rules) == []
    text = "We propose a novel activation pruning scheme that saves memory."
    assert [c.surface for c in discovery.described_contribution(text, rules)] == ["activation pruning"]


def test_reviewed_misfires_stay_fixed() -> None:
    from graphbuild.extract.pipeline import extract
    from graphbuild.model import Paper

    def found(title: str, abstract: str) -> dict[str, tuple[str, str]]:
        [rec] = extract([Paper("p", title, abstract)])
        return {m.surface: (m.type, m.role) for m in rec.mentions}

    # an en dash as punctuation joins nothing
    got = found("T", "Large models–such as GPT-4–fail here, and we fine-tune BERT–then distill it.")
    assert "GPT-4" in got and "BERT" in got and not any("–" in s for s in got)
    # notation and a bare "call" are no names; names others coined are used, not proposed
    got = found("T", "We construct a dataset, denoted as D. Our agent makes one tool call per step, which is cheap. "
                     "We use a regularizer called label smoothing.")
    assert "D" not in got and "per step" not in got and got.get("label smoothing", ("method", "used"))[1] == "used"
    # a score after a benchmark is no release number
    got = found("T", "Our detector improves results on COCO 2.1 AP over DETR.")
    assert "COCO" in got and "COCO 2.1" not in got
