from graphbuild.extract.domains import DomainHit, load_taxonomy, parse_taxonomy, score_domains
from graphbuild.extract.roles import assign_roles, in_propose_clause

W = {"max_domains": 4, "min_score": 1.0, "relative_cutoff": 0.35, "title_weight": 2.0,
     "strong_weight": 1.0, "weak_weight": 0.35, "cso_weight": 0.5, "category_weight": 1.5, "entity_weight": 0.5}


def test_domains_from_phrases_categories_and_entities(config):
    tax = load_taxonomy(config.taxonomy_file)
    hits = [DomainHit("Reinforcement Learning", "reinforcement learning", 1.0, "abstract"),
            DomainHit("Reinforcement Learning", "reinforcement learning", 1.0, "abstract"),  # counted once
            DomainHit("Computer Vision", "image", 0.35, "abstract")]
    out = score_domains(tax, hits, ["cs.RO"], [("Meta-World", "Robotics"), ("Meta-World", "Reinforcement Learning")], W)
    names = [n for n, _, _ in out]
    assert names[:2] == ["Robotics", "Reinforcement Learning"]
    assert "Computer Vision" not in names  # one weak phrase is not enough
    ev = dict((n, e) for n, _, e in out)
    assert "arXiv:cs.RO" in ev["Robotics"] and "entity:Meta-World" in ev["Robotics"]
    assert all(0 < s <= 1 for _, s, _ in out)
    assert [s for _, s, _ in out] == sorted((s for _, s, _ in out), reverse=True)


def test_child_domain_lifts_parent_and_no_evidence_gives_no_domain(config):
    tax = load_taxonomy(config.taxonomy_file)
    hits = [DomainHit("Large Language Models", "large language models", 1.0, "title")]
    names = [n for n, _, _ in score_domains(tax, hits, [], [], W)]
    assert names == ["Large Language Models", "Natural Language Processing"]
    assert score_domains(tax, [], [], [], W) == []


def test_taxonomy_keys_and_aliases():
    tax = parse_taxonomy([{"name": "Graph Learning", "aliases": ["graph neural networks"]}])
    d = tax.domains["Graph Learning"]
    assert d.key == "domain:graph-learning"
    assert "graph neural networks" in d.strong and "Graph Learning" in d.strong


def test_one_role_per_entity_own_cue_wins():
    roles = assign_roles([("method", "m:a", None, False), ("method", "m:a", "proposed", False),
                          ("benchmark", "b:x", None, True), ("benchmark", "b:y", None, False)])
    assert roles == {("method", "m:a"): "proposed", ("benchmark", "b:x"): "introduced",
                     ("benchmark", "b:y"): "used"}


def test_propose_clause():
    assert in_propose_clause("In this paper we propose a new ")
    assert not in_propose_clause("We propose a method using ")
    assert not in_propose_clause("Prior work uses ")


def test_title_subject_positions():
    from graphbuild.extract.roles import title_subject_at

    title = "Learning to Compare: Relation Network for Few-Shot Learning"
    s = title.index("Relation")
    assert title_subject_at(title, s, s + len("Relation Network"))
    assert title_subject_at("Batch Normalization: Accelerating Training", 0, 19)
    assert title_subject_at("Wide Residual Networks", 0, 22)
    assert not title_subject_at("Network Compression via Policy Gradient", 24, 39)


def test_named_after_a_propose_clause():
    assert in_propose_clause("We introduce a class of CNNs called ")
    assert not in_propose_clause("Prior work introduced a model called ")
