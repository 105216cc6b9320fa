"""Tests for graphbuild.evaluate and ``paperkg eval``: matching rules, scoring, gold loading, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphbuild.errors import InputError
from graphbuild.evaluate import (
    GoldEntity,
    GoldPaper,
    PredEntity,
    evaluate,
    evaluate_files,
    load_gold,
    load_predictions,
    normalize_name,
    normalize_title,
    parse_gold,
    parse_prediction,
    score_entities,
)

GOLD_DIR = Path(__file__).parent / "gold"

# the 28 domain names of issue 3 (the taxonomy may add aliases but must keep these)
TAXONOMY = {
    "Reinforcement Learning", "Robotics", "Natural Language Processing", "Large Language Models",
    "Computer Vision", "Multimodal Learning", "Generative Models", "Graph Learning", "Continual Learning",
    "Meta-Learning", "Transfer Learning and Domain Generalization", "Generalization Theory", "Optimization",
    "Neural Architecture Search", "Evaluation and Benchmarking", "Reasoning", "AI Safety and Alignment",
    "Program Synthesis and Code", "Representation Learning", "Imitation Learning", "Model Efficiency",
    "Games", "Mathematical Reasoning", "Interpretability", "Recommender Systems",
    "Neuroscience and Biomedical", "Combinatorial Optimization", "Agents",
}  # fmt: skip


# ----------------------------------------------------------------------------- normalization


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Transformers", "Transformer"),
        ("transformer", "TRANSFORMER"),
        ("CIFAR10", "CIFAR-10"),
        ("CIFAR 10", "CIFAR-10"),
        ("LLMs", "LLM"),
        ("Deep TAMER's", "Deep TAMER"),
        ("Montezuma’s Revenge", "Montezuma's Revenge"),  # curly apostrophe
        ("Montezuma's Revenge", "Montezuma Revenge"),
        ("the DeepMind Control Suite", "DeepMind Control Suite"),
        ("policy gradients", "policy gradient"),
        ("Decision-Transformer", "Decision Transformer"),
        ("ＧＰＴ-４", "GPT-4"),  # full-width forms (NFKC)
    ],
)
def test_normalize_name_merges_spelling_variants(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("GPT-3", "GPT-4"),
        ("ResNet-50", "ResNet-101"),
        ("ImageNet", "ImageNet-C"),
        ("CIFAR-10", "CIFAR-100"),
        ("DrQ", "DrQ-v2"),
    ],
)
def test_normalize_name_keeps_different_entities_apart(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


def test_normalize_name_keeps_words_ending_in_s_that_are_not_plurals() -> None:
    assert normalize_name("focal loss") == "focalloss"
    assert normalize_name("Gaussian process") == "gaussianprocess"
    assert normalize_name("ε-greedy") == "εgreedy"  # non-ASCII letters survive


def test_normalize_title_ignores_case_and_punctuation() -> None:
    assert normalize_title("sharpDARTS:  Faster and More Accurate") == normalize_title(
        "SharpDARTS - faster and more accurate"
    )


# ----------------------------------------------------------------------------- matching


def _g(name: str, aliases: tuple[str, ...] = (), role: str = "used", borderline: bool = False) -> GoldEntity:
    return GoldEntity(type="method", name=name, role=role, aliases=aliases, borderline=borderline)


def _p(name: str, surfaces: tuple[str, ...] = (), role: str = "used") -> PredEntity:
    return PredEntity(type="method", name=name, role=role, surfaces=surfaces)


def test_prediction_matches_gold_alias_by_surface() -> None:
    gold = [_g("Differentiable Architecture Search", ("DARTS",))]
    # canonical name differs, but a surface equals a gold alias
    r = score_entities(gold, [_p("differentiable NAS", ("DARTS",))])
    assert (r.counts.tp, r.counts.fp, r.counts.fn) == (1, 0, 0)


def test_prediction_matches_gold_alias_by_canonical_name() -> None:
    gold = [_g("Action Limited PreTraining", ("ALPT",))]
    r = score_entities(gold, [_p("ALPT")])
    assert r.counts.tp == 1


def test_unrelated_prediction_is_a_false_positive_and_gold_a_miss() -> None:
    r = score_entities([_g("GPT-4")], [_p("GPT-3")])
    assert (r.counts.tp, r.counts.fp, r.counts.fn) == (0, 1, 1)
    assert [m.name for m in r.missed] == ["GPT-4"]
    assert [e.name for e in r.extra] == ["GPT-3"]


def test_split_entity_counts_one_hit_and_one_duplicate() -> None:
    gold = [_g("DARTS", ("Differentiable Architecture Search",))]
    r = score_entities(gold, [_p("DARTS"), _p("Differentiable Architecture Search")])
    assert (r.counts.tp, r.counts.fp, r.counts.fn) == (1, 1, 0)
    assert r.extra[0].note == "duplicate of DARTS"


def test_borderline_gold_and_generic_terms_are_neither_rewarded_nor_penalized() -> None:
    gold = [_g("Fish", role="proposed"), _g("fine-tuning", borderline=True)]
    preds = [_p("Fish", role="proposed"), _p("finetuning", ("fine-tuning",)), _p("deep learning")]
    r = score_entities(gold, preds, generic_keys=frozenset({normalize_name("deep learning")}))
    assert (r.counts.tp, r.counts.fp, r.counts.fn, r.counts.ignored) == (1, 0, 0, 2)
    # an unpredicted borderline entity is not a miss
    r = score_entities(gold, [_p("Fish", role="proposed")])
    assert r.counts.fn == 0


def test_matching_is_one_to_one_and_maximal() -> None:
    # pred A could take either gold entity; pred B only the first: both must be matched
    gold = [_g("WMT 2014 English-German", ("WMT 2014",)), _g("WMT 2014 English-French", ("WMT 2014",))]
    preds = [_p("WMT 2014"), _p("WMT 2014 English-German")]
    r = score_entities(gold, preds)
    assert (r.counts.tp, r.counts.fp, r.counts.fn) == (2, 0, 0)


def test_the_prediction_agreeing_on_name_and_role_is_the_one_counted() -> None:
    gold = [_g("least-to-most prompting", ("least-to-most",), role="proposed")]
    preds = [_p("Least-to-Most", role="used"), _p("least-to-most prompting", role="proposed")]
    r = score_entities(gold, preds)
    assert (r.counts.tp, r.counts.fp) == (1, 1)
    assert r.role == (1, 1)  # the proposed one matched; the other is the duplicate
    assert r.extra[0].name == "Least-to-Most"


def test_type_confusion_is_reported() -> None:
    gold_benchmarks = [GoldEntity(type="benchmark", name="CNN/DailyMail", role="used")]
    r = score_entities([], [_p("CNN / DailyMail")], other_type_gold=gold_benchmarks)
    assert r.counts.fp == 1
    assert r.extra[0].note == "gold has it as a benchmark"


def test_role_accuracy_counts_only_matched_links() -> None:
    gold = [_g("sharpDARTS", role="proposed"), _g("DARTS"), _g("ImageNet-C")]
    preds = [_p("sharpDARTS", role="used"), _p("DARTS", role="used")]
    r = score_entities(gold, preds)
    assert r.role == (1, 2)
    assert [(e.gold_role, e.pred_role) for e in r.role_errors] == [("proposed", "used")]


def test_prediction_mentions_are_grouped_per_entity_with_strongest_role() -> None:
    rec = {
        "paper": {"id": "p1", "title": "T"},
        "mentions": [
            {"type": "method", "name": "DrQ-v2", "surface": "DrQ-v2", "role": "used"},
            {"type": "method", "name": "DrQ-v2", "surface": "DrQ v2", "role": "proposed"},
            {"type": "benchmark", "name": "DeepMind Control Suite", "surface": "DMC", "role": "used"},
            {"type": "task", "name": "locomotion"},  # role "addressed" by default
            {"type": "metric", "name": "accuracy"},  # not a scored type
        ],
        "domains": [{"name": "Reinforcement Learning", "score": 0.9, "evidence": []}, "Robotics"],
    }
    p = parse_prediction(rec)
    assert [(e.type, e.name, e.role, e.surfaces) for e in p.entities] == [
        ("method", "DrQ-v2", "proposed", ("DrQ-v2", "DrQ v2")),
        ("benchmark", "DeepMind Control Suite", "used", ("DMC",)),
        ("task", "locomotion", "addressed", ()),
    ]
    assert p.domains == ("Reinforcement Learning", "Robotics")


# ----------------------------------------------------------------------------- scoring on a tiny gold set


TINY_GOLD = {
    "generic_terms": ["deep learning"],
    "papers": [
        {
            "id": "2101.00001",
            "title": "DrQ-v2: Improved Data-Augmented RL",
            "abstract": "...",
            "methods": [
                {"name": "DrQ-v2", "aliases": ["DrQv2"], "role": "proposed"},
                {"name": "DrQ", "role": "used"},
                {"name": "reinforcement learning", "aliases": ["RL"], "role": "used", "borderline": True},
            ],
            "benchmarks": [{"name": "DeepMind Control Suite", "aliases": ["DMC"], "role": "used"}],
            "domains": ["Reinforcement Learning", "Robotics"],
        },
        {
            "id": None,
            "title": "Lila: A Unified Benchmark for Mathematical Reasoning",
            "abstract": "...",
            "methods": [{"name": "BHASKARA", "role": "proposed"}],
            "benchmarks": [{"name": "LILA", "role": "introduced"}],
            "domains": ["Mathematical Reasoning"],
        },
        {
            "id": "never-predicted",
            "title": "A paper the extractor skipped",
            "abstract": "...",
            "methods": [{"name": "Fish", "role": "proposed"}],
            "benchmarks": [],
            "domains": ["Optimization"],
        },
    ],
}

TINY_PRED = [
    {  # paired by id; title differs on purpose
        "paper": {"id": "2101.00001", "title": "DrQ-v2 (another title)", "year": 2021, "source": "x:1"},
        "mentions": [
            {"type": "method", "name": "DrQ-v2", "surface": "DrQv2", "role": "proposed"},  # TP, role ok
            {"type": "method", "name": "RL", "surface": "RL", "role": "used"},  # borderline: ignored
            {"type": "method", "name": "deep learning", "surface": "DL", "role": "used"},  # generic
            {"type": "method", "name": "SAC", "surface": "SAC", "role": "used"},  # FP
            {"type": "benchmark", "name": "DeepMind Control Suite", "surface": "DMC", "role": "used"},  # TP
        ],
        "domains": [{"name": "Reinforcement Learning", "score": 0.9, "evidence": []}],
    },
    {  # paired by title (ids are derived; this one is a hash)
        "paper": {"id": "h-3fa2", "title": "LILA: a unified benchmark for mathematical reasoning"},
        "mentions": [
            {"type": "method", "name": "BHASKARA", "surface": "BHASKARA", "role": "used"},  # TP, role wrong
            {"type": "benchmark", "name": "LILA", "surface": "Lila", "role": "introduced"},  # TP
            {"type": "benchmark", "name": "GSM8K", "surface": "GSM8K", "role": "used"},  # FP
        ],
        "domains": [{"name": "Mathematical Reasoning"}, {"name": "Reasoning"}],
    },
    {"paper": {"id": "other", "title": "Not in the gold"}, "mentions": [], "domains": []},
]


def _write(tmp_path: Path, gold: object = TINY_GOLD, preds: list[dict] = TINY_PRED) -> tuple[Path, Path]:
    g = tmp_path / "gold.json"
    g.write_text(json.dumps(gold), encoding="utf-8")
    p = tmp_path / "pred.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in preds), encoding="utf-8")
    return g, p


def test_scores_on_tiny_gold_match_hand_computed_values(tmp_path: Path) -> None:
    report = evaluate_files(*_write(tmp_path))
    m, b, d = report.counts["method"], report.counts["benchmark"], report.counts["domain"]
    # methods: gold DrQ-v2, DrQ, BHASKARA, Fish; hits DrQ-v2, BHASKARA; extra SAC; RL + deep learning ignored
    assert (m.tp, m.fp, m.fn, m.ignored) == (2, 1, 2, 2)
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == pytest.approx(2 / 4)
    assert m.f1 == pytest.approx(2 * (2 / 3) * (1 / 2) / (2 / 3 + 1 / 2))
    # benchmarks: gold DMC, LILA; both hit; extra GSM8K
    assert (b.tp, b.fp, b.fn) == (2, 1, 0)
    assert b.f1 == pytest.approx(0.8)
    # domains: gold RL, Robotics, Math, Optimization; predicted RL, Math, Reasoning
    assert (d.tp, d.fp, d.fn) == (2, 1, 2)
    assert report.counts["entity"].tp == 4
    assert report.role_accuracy("method") == pytest.approx(0.5)
    assert report.role_accuracy("benchmark") == pytest.approx(1.0)
    assert [p.matched_by for p in report.papers] == ["id", "title", None]
    assert report.papers_missing == ("A paper the extractor skipped",)
    assert report.unmatched_predictions == 1


def test_report_dict_has_per_paper_diff(tmp_path: Path) -> None:
    data = evaluate_files(*_write(tmp_path)).to_dict()
    diff = {d["title"]: d for d in data["diff"]}
    first = diff["DrQ-v2: Improved Data-Augmented RL"]
    assert {x["name"] for x in first["missed"]} == {"DrQ", "Robotics"}
    assert {x["name"] for x in first["extra"]} == {"SAC"}
    lila = diff["Lila: A Unified Benchmark for Mathematical Reasoning"]
    assert lila["role_errors"] == [
        {"type": "method", "gold_name": "BHASKARA", "pred_name": "BHASKARA", "gold_role": "proposed",
         "pred_role": "used"}
    ]  # fmt: skip
    assert data["scores"]["benchmark"]["f1"] == 0.8


def test_perfect_predictions_score_one() -> None:
    gold = parse_gold(TINY_GOLD)
    preds = []
    for gp in gold.papers:
        mentions = [
            {"type": e.type, "name": e.name, "surface": e.name, "role": e.role}
            for e in gp.methods + gp.benchmarks
            if not e.borderline
        ]
        rec = {"paper": {"id": gp.id, "title": gp.title}, "mentions": mentions, "domains": list(gp.domains)}
        preds.append(parse_prediction(rec))
    report = evaluate(gold, preds)
    for t in ("method", "benchmark", "domain"):
        assert report.counts[t].f1 == 1.0
    assert report.role_accuracy("entity") == 1.0
    assert all(p.clean for p in report.papers)


# ----------------------------------------------------------------------------- bad input


def test_gold_with_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    g = tmp_path / "gold.json"
    g.write_text('{\n "papers": [\n  {"title": "x",}\n ]\n}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.json:3: invalid JSON"):
        load_gold(g)


@pytest.mark.parametrize(
    ("papers", "message"),
    [
        ([{"abstract": "no title"}], r'papers\[0\]: missing or empty "title"'),
        (
            [{"title": "T", "methods": [{"name": "X", "role": "introduced"}]}],
            r"role must be proposed or used",
        ),
        (
            [{"title": "T", "benchmarks": [{"name": "B", "role": "proposed"}]}],
            r"role must be introduced or used",
        ),
        ([{"title": "T", "methods": [{"aliases": ["x"]}]}], r'methods\[0\]: missing or empty "name"'),
        ([{"title": "T"}, {"title": "t"}], r"papers\[1\]: duplicate title"),
        ([], r"no papers"),
    ],
)
def test_gold_schema_errors_are_one_line(tmp_path: Path, papers: list, message: str) -> None:
    g = tmp_path / "gold.json"
    g.write_text(json.dumps({"papers": papers}), encoding="utf-8")
    with pytest.raises(InputError, match=message) as exc:
        load_gold(g)
    assert "\n" not in str(exc.value)


def test_predictions_with_invalid_json_name_the_line(tmp_path: Path) -> None:
    p = tmp_path / "pred.jsonl"
    p.write_text(json.dumps(TINY_PRED[0]) + "\n\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pred\.jsonl:3: invalid JSON"):
        load_predictions(p)


def test_prediction_with_bad_role_is_rejected() -> None:
    rec = {
        "paper": {"id": "x", "title": "t"},
        "mentions": [{"type": "method", "name": "A", "role": "introduced"}],
    }
    with pytest.raises(InputError, match="not valid for a method"):
        parse_prediction(rec, "pred.jsonl", 7)


# ----------------------------------------------------------------------------- CLI


def _cli():
    from graphbuild.cli import app

    return app


def test_cli_prints_table_and_diff(tmp_path: Path) -> None:
    g, p = _write(tmp_path)
    result = CliRunner().invoke(_cli(), ["eval", "--gold", str(g), str(p), "--diff"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "entities" in out
    assert "0.800" in out  # benchmark F1
    assert "0.571" in out  # method F1 = 4/7
    assert "missed method: Fish" in out
    assert "extra benchmark: GSM8K" in out
    assert "role method: BHASKARA: gold proposed, predicted used" in out
    assert "by title: 1" in out


def test_cli_json_output_is_parseable(tmp_path: Path) -> None:
    g, p = _write(tmp_path)
    result = CliRunner().invoke(_cli(), ["eval", "--gold", str(g), str(p), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scores"]["method"]["tp"] == 2
    assert data["scores"]["domain"]["recall"] == 0.5
    assert data["papers"]["matched_by_title"] == 1


def test_cli_bad_gold_file_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    g, p = _write(tmp_path)
    g.write_text(
        '{"papers": [{"title": "T", "methods": [{"name": "X", "role": "bogus"}]}]}', encoding="utf-8"
    )
    result = CliRunner().invoke(_cli(), ["eval", "--gold", str(g), str(p)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "gold.json" in lines[0] and "role must be proposed or used" in lines[0]


def test_cli_missing_predictions_file(tmp_path: Path) -> None:
    g, _ = _write(tmp_path)
    result = CliRunner().invoke(_cli(), ["eval", "--gold", str(g), str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "predictions file not found" in result.stderr


# ----------------------------------------------------------------------------- the shipped dev gold


def _assert_paper_is_annotated(p: GoldPaper) -> None:
    """1–4 taxonomy domains, an abstract, and every scored entity written in the text (name or an alias)."""
    assert p.abstract.strip(), p.title
    assert 1 <= len(p.domains) <= 4 and set(p.domains) <= TAXONOMY, p.title
    text = (p.title + " " + p.abstract).lower()
    for e in p.methods + p.benchmarks:
        if not e.borderline:
            assert any(n.lower() in text for n in (e.name, *e.aliases)), (p.title, e.name)


def test_dev_gold_is_valid_and_complete() -> None:
    gold = load_gold(GOLD_DIR / "dev.json")
    assert len(gold.papers) >= 40
    sample = [p for p in gold.papers if p.source.startswith("hf_trending_papers.txt:")]
    scirex = [p for p in gold.papers if p.source.startswith("scirex:")]
    assert len(sample) == 20
    assert len(scirex) >= 20
    # only the dev lines 159-198 of the sample corpus: the rest is held out
    assert all(159 <= int(p.source.rsplit(":", 1)[1]) <= 198 for p in sample)
    for p in gold.papers:
        _assert_paper_is_annotated(p)


def test_dev_papers_input_matches_gold() -> None:
    gold = load_gold(GOLD_DIR / "dev.json")
    lines = (GOLD_DIR / "dev_papers.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["title"], r["abstract"]) for r in records] == [(p.title, p.abstract) for p in gold.papers]
    # SciREX records carry their id; sample-corpus records have none, like the corpus itself
    assert [r.get("id") for r in records] == [
        p.id if p.source.startswith("scirex:") else None for p in gold.papers
    ]


def test_dev_gold_ids_are_the_ids_the_ingest_derives() -> None:
    from graphbuild.ingest.normalize import paper_id

    gold = load_gold(GOLD_DIR / "dev.json")
    for p in gold.papers:
        if p.source.startswith("hf_trending_papers.txt:"):
            assert p.id == paper_id(title=p.title), p.title


@pytest.mark.parametrize("gold_file", ["dev.json", "check.json"])
def test_gold_aliases_are_consistent_across_papers(gold_file: str) -> None:
    """One spelling names one entity everywhere, except a family name and its members (CIFAR ⊃ CIFAR-10)."""
    gold = load_gold(GOLD_DIR / gold_file)
    seen: dict[tuple[str, str], dict[str, str]] = {}  # (type, key) → canonical key → paper title
    for p in gold.papers:
        for e in p.methods + p.benchmarks:
            if not e.borderline:
                for k in e.keys:
                    seen.setdefault((e.type, k), {}).setdefault(normalize_name(e.name), p.title)
    for (type_, key), names in seen.items():
        if len(set(names.values())) == 1:
            continue  # variants sharing an alias inside one paper (WMT 2014 En-De / En-Fr)
        canon = sorted(names, key=len)
        assert all(c.startswith(canon[0]) for c in canon), (type_, key, names)


# ----------------------------------------------------------------------------- the shipped check gold
# check.json is the untuned generalization gold (tests/gold/README.md): format only here, never scores.


def _compact(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def test_check_gold_is_valid_and_complete() -> None:
    gold = load_gold(GOLD_DIR / "check.json")
    raw = json.loads((GOLD_DIR / "check.json").read_text(encoding="utf-8"))
    dev_raw = json.loads((GOLD_DIR / "dev.json").read_text(encoding="utf-8"))
    assert raw["generic_terms"] == dev_raw["generic_terms"]  # one borderline list for both golds
    assert len(gold.papers) >= 30
    for p in gold.papers:
        assert p.source.startswith("scirex:"), p.title
        doc_id = p.source.split(":", 1)[1]
        assert len(doc_id) == 40 and p.id == "scirex-" + doc_id[:12], p.title
        _assert_paper_is_annotated(p)


def test_check_papers_input_matches_gold() -> None:
    gold = load_gold(GOLD_DIR / "check.json")
    lines = (GOLD_DIR / "check_papers.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["id"], r["title"], r["abstract"]) for r in records] == [
        (p.id, p.title, p.abstract) for p in gold.papers
    ]


def test_check_gold_is_disjoint_from_dev_gold_and_held_out_corpus() -> None:
    check = load_gold(GOLD_DIR / "check.json")
    dev = load_gold(GOLD_DIR / "dev.json")
    assert not {p.source for p in check.papers} & {p.source for p in dev.papers}
    assert not {normalize_title(p.title) for p in check.papers} & {normalize_title(p.title) for p in dev.papers}
    # no paper of the owners' held-out sample corpus (its titles are lines of their own)
    corpus = Path(__file__).parent.parent / "data" / "hf_trending_papers.txt"
    lines = [_compact(line) for line in corpus.read_text(encoding="utf-8").splitlines() if len(line) < 300]
    for p in check.papers:
        title = _compact(p.title)
        assert not any(line.endswith(title) for line in lines), p.title

