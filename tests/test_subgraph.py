"""Subgraph selection on a small hand-built graph whose answers were worked out by hand.

Papers (year, domain) and their links (confidence):

    p1 2017 NLP  PROPOSES transformer .95, EVALUATES_ON wmt14 .9
    p2 2019 NLP  PROPOSES bert .9, USES transformer .85, EVALUATES_ON glue .9
    p3 2018 RL   INTRODUCES dmc .95, USES ppo .4
    p4 2020 RL   PROPOSES dreamer .9, EVALUATES_ON dmc .9, USES transformer .3
    p5 2021 CV   PROPOSES vit .9, USES transformer .9, EVALUATES_ON imagenet .95
    p6 2023 RL   PROPOSES decision-transformer .9, USES transformer .8, EVALUATES_ON dmc .6,
                 EVALUATES_ON dt .7
    p7 ----  RL  USES ppo .7, USES ppo2 .8, USES obscure-net .2

IN_DOMAIN links: p1,p2→nlp (.8,.7), p3→rl .9, p4→rl .8, p5→cv .9, p6→rl .6, p7→rl .5.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graphbuild.errors import AmbiguousEntityError, ConfigError, UnknownEntityError
from graphbuild.graph import new_graph, update_paper_counts
from graphbuild.subgraph import Selection, describe_selection, resolve_names, select

ROLE = {"PROPOSES": "proposed", "USES": "used", "INTRODUCES": "introduced", "EVALUATES_ON": "used"}


def _entity(g: nx.MultiDiGraph, key: str, label: str, name: str, aliases: tuple[str, ...] = ()) -> None:
    g.add_node(key, label=label, name=name, aliases=list(aliases), paper_count=0)


def _paper(g: nx.MultiDiGraph, pid: str, title: str, year: int | None, links: list[tuple[str, str, float]]) -> None:
    attrs = {"label": "Paper", "name": title, "title": title, "abstract": f"About {title}.", "source": "t:1"}
    if year is not None:
        attrs["year"] = year
    g.add_node(f"paper:{pid}", **attrs)
    for rel, target, conf in links:
        data = {"type": rel, "evidence": f"{title} evidence", "rule": "test", "confidence": conf, "count": 1}
        if rel != "IN_DOMAIN":
            data["role"] = ROLE[rel]
        g.add_edge(f"paper:{pid}", target, key=rel, **data)


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    g = new_graph()
    _entity(g, "method:transformer", "Method", "Transformer", ("Transformers", "transformer model"))
    _entity(g, "method:bert", "Method", "BERT")
    _entity(g, "method:ppo", "Method", "PPO", ("Proximal Policy Optimization", "PPO-Clip"))
    _entity(g, "method:ppo2", "Method", "PPO2", ("ppo-clip",))
    _entity(g, "method:dreamer", "Method", "Dreamer")
    _entity(g, "method:vit", "Method", "ViT", ("Vision Transformer",))
    _entity(g, "method:decision-transformer", "Method", "Decision Transformer", ("DT",))
    _entity(g, "method:obscure-net", "Method", "ObscureNet")
    _entity(g, "benchmark:wmt14", "Benchmark", "WMT14")
    _entity(g, "benchmark:glue", "Benchmark", "GLUE")
    _entity(g, "benchmark:dmc", "Benchmark", "DeepMind Control Suite", ("DMC",))
    _entity(g, "benchmark:imagenet", "Benchmark", "ImageNet")
    _entity(g, "benchmark:dt", "Benchmark", "DT")
    _entity(g, "domain:nlp", "Domain", "Natural Language Processing", ("NLP",))
    _entity(g, "domain:rl", "Domain", "Reinforcement Learning", ("RL",))
    _entity(g, "domain:cv", "Domain", "Computer Vision")
    T, D = "method:transformer", "benchmark:dmc"
    _paper(
        g,
        "p1",
        "Attention",
        2017,
        [("PROPOSES", T, 0.95), ("EVALUATES_ON", "benchmark:wmt14", 0.9), ("IN_DOMAIN", "domain:nlp", 0.8)],
    )
    _paper(
        g,
        "p2",
        "BERT paper",
        2019,
        [
            ("PROPOSES", "method:bert", 0.9),
            ("USES", T, 0.85),
            ("EVALUATES_ON", "benchmark:glue", 0.9),
            ("IN_DOMAIN", "domain:nlp", 0.7),
        ],
    )
    _paper(
        g,
        "p3",
        "DMC paper",
        2018,
        [("INTRODUCES", D, 0.95), ("USES", "method:ppo", 0.4), ("IN_DOMAIN", "domain:rl", 0.9)],
    )
    _paper(
        g,
        "p4",
        "Dreamer paper",
        2020,
        [
            ("PROPOSES", "method:dreamer", 0.9),
            ("EVALUATES_ON", D, 0.9),
            ("USES", T, 0.3),
            ("IN_DOMAIN", "domain:rl", 0.8),
        ],
    )
    _paper(
        g,
        "p5",
        "ViT paper",
        2021,
        [
            ("PROPOSES", "method:vit", 0.9),
            ("USES", T, 0.9),
            ("EVALUATES_ON", "benchmark:imagenet", 0.95),
            ("IN_DOMAIN", "domain:cv", 0.9),
        ],
    )
    _paper(
        g,
        "p6",
        "DT paper",
        2023,
        [
            ("PROPOSES", "method:decision-transformer", 0.9),
            ("USES", T, 0.8),
            ("EVALUATES_ON", D, 0.6),
            ("EVALUATES_ON", "benchmark:dt", 0.7),
            ("IN_DOMAIN", "domain:rl", 0.6),
        ],
    )
    _paper(
        g,
        "p7",
        "Untitled",
        None,
        [
            ("USES", "method:ppo", 0.7),
            ("USES", "method:ppo2", 0.8),
            ("USES", "method:obscure-net", 0.2),
            ("IN_DOMAIN", "domain:rl", 0.5),
        ],
    )
    update_paper_counts(g)
    return g


def P(*ids: str) -> set[str]:
    return {f"paper:{i}" for i in ids}


def nodes(g: nx.MultiDiGraph, **kw: object) -> set[str]:
    return set(select(g, Selection(**kw)).nodes)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- resolution


def test_focus_resolves_names_aliases_and_keys_case_insensitively(graph: nx.MultiDiGraph) -> None:
    assert resolve_names(graph, ["deepmind control suite"]) == ("benchmark:dmc",)
    assert resolve_names(graph, ["dmc"]) == ("benchmark:dmc",)
    assert resolve_names(graph, ["Proximal Policy Optimization"]) == ("method:ppo",)
    assert resolve_names(graph, ["METHOD:Transformer"]) == ("method:transformer",)
    assert resolve_names(graph, ["  transformers "]) == ("method:transformer",)


def test_a_canonical_name_beats_an_alias(graph: nx.MultiDiGraph) -> None:
    # "DT" is the name of benchmark:dt and an alias of the Decision Transformer
    assert resolve_names(graph, ["dt"]) == ("benchmark:dt",)


def test_ambiguous_name_lists_every_candidate(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(AmbiguousEntityError) as e:
        select(graph, Selection(focus=("ppo-clip",)))
    msg = str(e.value)
    assert "method:ppo" in msg and "method:ppo2" in msg and "\n" not in msg


def test_unknown_name_suggests_the_closest(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(UnknownEntityError) as e:
        select(graph, Selection(focus=("Transfomer",)))
    assert "Transformer" in str(e.value) and "did you mean" in str(e.value)


def test_unknown_domain_is_reported_as_such(graph: nx.MultiDiGraph) -> None:
    # a method name is not a domain
    with pytest.raises(UnknownEntityError, match="--domain"):
        select(graph, Selection(domain="Transformer"))


# --------------------------------------------------------------------------- each option


def test_no_options_selects_everything_as_a_copy(graph: nx.MultiDiGraph) -> None:
    sub = select(graph)
    assert set(sub.nodes) == set(graph.nodes) and sub.number_of_edges() == graph.number_of_edges()
    sub.nodes["method:transformer"]["aliases"].append("mutated")
    assert "mutated" not in graph.nodes["method:transformer"]["aliases"]


def test_focus_and_hops(graph: nx.MultiDiGraph) -> None:
    assert nodes(graph, focus=("DMC",), hops=0) == {"benchmark:dmc"}
    assert nodes(graph, focus=("DMC",), hops=1) == {"benchmark:dmc"} | P("p3", "p4", "p6")
    assert nodes(graph, focus=("DMC",), hops=2) == {"benchmark:dmc"} | P("p3", "p4", "p6") | {
        "method:ppo",
        "domain:rl",
        "method:dreamer",
        "method:transformer",
        "method:decision-transformer",
        "benchmark:dt",
    }


def test_several_focus_names_union_their_neighbourhoods(graph: nx.MultiDiGraph) -> None:
    assert nodes(graph, focus=("BERT", "ImageNet"), hops=1) == {"method:bert", "benchmark:imagenet"} | P("p2", "p5")


def test_edges_are_exactly_those_among_selected_nodes(graph: nx.MultiDiGraph) -> None:
    sub = select(graph, Selection(focus=("DMC",), hops=1))
    assert sorted(sub.edges(keys=True)) == [
        ("paper:p3", "benchmark:dmc", "INTRODUCES"),
        ("paper:p4", "benchmark:dmc", "EVALUATES_ON"),
        ("paper:p6", "benchmark:dmc", "EVALUATES_ON"),
    ]
    assert sub.edges["paper:p3", "benchmark:dmc", "INTRODUCES"]["evidence"] == "DMC paper evidence"


def test_types(graph: nx.MultiDiGraph) -> None:
    assert nodes(graph, types=("domain",)) == {"domain:nlp", "domain:rl", "domain:cv"}
    assert nodes(graph, focus=("DMC",), hops=2, types=("method",)) == {
        "method:ppo",
        "method:dreamer",
        "method:transformer",
        "method:decision-transformer",
    }


def test_min_papers_counts_supporting_papers(graph: nx.MultiDiGraph) -> None:
    kept = nodes(graph, min_papers=2)
    entities = {n for n in kept if not n.startswith("paper:")}
    assert entities == {"method:transformer", "benchmark:dmc", "method:ppo", "domain:nlp", "domain:rl"}
    assert kept >= P("p1", "p2", "p3", "p4", "p5", "p6", "p7")


def test_min_confidence_drops_weak_links_and_their_orphans(graph: nx.MultiDiGraph) -> None:
    sub = select(graph, Selection(min_confidence=0.5))
    assert not sub.has_edge("paper:p4", "method:transformer", "USES")
    assert not sub.has_edge("paper:p3", "method:ppo", "USES")
    assert sub.has_edge("paper:p7", "method:ppo", "USES")
    assert set(graph.nodes) - set(sub.nodes) == {"method:obscure-net"}


def test_roles(graph: nx.MultiDiGraph) -> None:
    sub = select(graph, Selection(roles=("introduced",)))
    assert set(sub.nodes) == {"paper:p3", "benchmark:dmc"}
    assert list(sub.edges(keys=True)) == [("paper:p3", "benchmark:dmc", "INTRODUCES")]
    proposed = select(graph, Selection(roles=("proposed",)))
    assert {k for _, _, k in proposed.edges(keys=True)} == {"PROPOSES"}
    assert proposed.number_of_edges() == 5


def test_year_range(graph: nx.MultiDiGraph) -> None:
    since_2020 = nodes(graph, year_from=2020)
    assert {n for n in since_2020 if n.startswith("paper:")} == P("p4", "p5", "p6")  # p7 has no year
    assert since_2020 - P("p4", "p5", "p6") == {
        "method:dreamer",
        "benchmark:dmc",
        "method:transformer",
        "domain:rl",
        "method:vit",
        "benchmark:imagenet",
        "domain:cv",
        "method:decision-transformer",
        "benchmark:dt",
    }
    until_2018 = nodes(graph, year_to=2018)
    assert {n for n in until_2018 if n.startswith("paper:")} == P("p1", "p3")
    assert {n for n in nodes(graph, year_from=2019, year_to=2020) if n.startswith("paper:")} == P("p2", "p4")


def test_domain(graph: nx.MultiDiGraph) -> None:
    kept = nodes(graph, domain="rl")
    assert {n for n in kept if n.startswith("paper:")} == P("p3", "p4", "p6", "p7")
    assert "method:bert" not in kept and "domain:nlp" not in kept and "domain:rl" in kept


def test_limit_keeps_the_best_supported(graph: nx.MultiDiGraph) -> None:
    # support = distinct neighbours: transformer 5, p6 5, rl 4, p4 4, p7 4; ties → paper_count, key
    assert nodes(graph, limit=3) == {"method:transformer", "paper:p6", "domain:rl"}


def test_limit_never_drops_the_focus(graph: nx.MultiDiGraph) -> None:
    kept = nodes(graph, focus=("ObscureNet",), hops=2, limit=2)
    assert "method:obscure-net" in kept and len(kept) == 2


# --------------------------------------------------------------------------- composition


def test_focus_year_and_confidence_compose(graph: nx.MultiDiGraph) -> None:
    sel = {"focus": ("Transformer",), "hops": 1, "year_from": 2020, "min_confidence": 0.5}
    assert nodes(graph, **sel) == {"method:transformer"} | P("p5", "p6")
    assert nodes(graph, **sel, types=("paper",)) == P("p5", "p6")


def test_domain_and_year_compose(graph: nx.MultiDiGraph) -> None:
    kept = nodes(graph, domain="Reinforcement Learning", year_from=2020)
    assert {n for n in kept if n.startswith("paper:")} == P("p4", "p6")


def test_min_papers_counts_within_the_filtered_graph(graph: nx.MultiDiGraph) -> None:
    # since 2020, DMC has 2 papers (p4, p6) and the Transformer 3 (p4, p5, p6); PPO none
    kept = nodes(graph, year_from=2020, min_papers=2)
    assert {n for n in kept if not n.startswith("paper:")} == {
        "benchmark:dmc",
        "method:transformer",
        "domain:rl",
    }
    kept3 = nodes(graph, year_from=2020, min_papers=3)
    assert {n for n in kept3 if not n.startswith("paper:")} == {"method:transformer"}


def test_a_focus_filtered_out_by_year_gives_an_empty_graph(graph: nx.MultiDiGraph) -> None:
    assert nodes(graph, focus=("paper:p1",), year_from=2020) == set()


def test_focus_is_exempt_from_min_papers(graph: nx.MultiDiGraph) -> None:
    assert nodes(graph, focus=("BERT",), hops=1, min_papers=5) == {"method:bert", "paper:p2"}


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "kw",
    [
        {"types": ("papers",)},
        {"roles": ("invented",)},
        {"hops": -1},
        {"min_confidence": 1.5},
        {"limit": 0},
        {"year_from": 2022, "year_to": 2020},
        {"focus": ("",)},
    ],
)
def test_bad_options_raise_config_errors(kw: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        Selection(**kw)  # type: ignore[arg-type]


def test_describe_selection() -> None:
    assert describe_selection(Selection()) == "whole graph"
    assert describe_selection(Selection(focus=("DMC",), hops=2, year_from=2020)) == "focus=DMC hops=2 year_from=2020"


def test_an_entity_beats_a_paper_with_the_same_title(graph: nx.MultiDiGraph) -> None:
    g = graph.copy()
    g.add_node("paper:dmc-title", label="Paper", name="DeepMind Control Suite", title="DeepMind Control Suite")
    assert resolve_names(g, ["DeepMind Control Suite"]) == ("benchmark:dmc",)
    # two papers with one title stay ambiguous
    g.add_node("paper:p1-again", label="Paper", name="Attention", title="Attention")
    with pytest.raises(AmbiguousEntityError, match="paper:p1-again"):
        resolve_names(g, ["attention"])
