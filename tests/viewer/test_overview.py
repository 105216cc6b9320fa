"""The overview map's numbers: co-occurrence, association strength, clusters, layout, papers on demand, streams."""

from __future__ import annotations

import math
import random
from collections import Counter
from itertools import combinations

import networkx as nx
import pytest

from graphbuild.graph import new_graph
from graphbuild.model import LABELS, REL_TYPES
from graphbuild.overview import OverviewOptions, Restartable, build_overview, cut, entity_types, graph_streams

ROLE_OF_TYPE = {"method": "used", "benchmark": "used", "task": "addressed"}


def make_graph(
    papers: list[tuple[str, int | None, list[str]]], proposed: set[tuple[str, str]] = frozenset()
) -> nx.MultiDiGraph:
    """Papers (id, year, entity keys) linked the way a build links them; (paper, key) in ``proposed`` → PROPOSES."""
    g = new_graph()
    for pid, year, keys in papers:
        attrs = {"label": "Paper", "name": f"Paper {pid}", "title": f"Paper {pid}", "abstract": f"On {' '.join(keys)}."}
        if year is not None:
            attrs["year"] = year
        g.add_node(f"paper:{pid}", **attrs)
        for key in keys:
            etype = key.split(":", 1)[0]
            if key not in g:
                g.add_node(key, label=LABELS[etype], name=key.split(":", 1)[1].title(), aliases=[], paper_count=0)
            g.nodes[key]["paper_count"] += 1
            if etype == "domain":
                rel, role = "IN_DOMAIN", None
            else:
                role = "proposed" if (pid, key) in proposed else ROLE_OF_TYPE[etype]
                rel = REL_TYPES[(etype, role)]
            attrs = {"type": rel, "surface": key.split(":", 1)[1]}
            if role:
                attrs["role"] = role
            g.add_edge(f"paper:{pid}", key, key=rel, **attrs)
    return g


OPEN = OverviewOptions(min_papers=1, min_shared=1)


def _stable(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "layoutSeconds"}


def _pairs(d: dict) -> dict[tuple[str, str], tuple[int, float]]:
    keys = d["n"]["key"]
    return {
        tuple(sorted((keys[s], keys[t]))): (w, a)
        for s, t, w, a in zip(d["e"]["s"], d["e"]["t"], d["e"]["w"], d["e"]["a"], strict=True)
    }


def test_cooccurrence_counts_and_association_strength() -> None:
    a, b, c, x = "method:a", "method:b", "benchmark:c", "domain:x"
    g = make_graph(
        [
            ("1", 2020, [a, b]), ("2", 2021, [a, b, c]), ("3", 2021, [a, b]), ("4", 2022, [a, c]),
            ("5", 2022, [c, x]), ("6", 2023, [x]),
        ]
    )  # fmt: skip
    d = build_overview(*graph_streams(g), options=OPEN)
    pairs = _pairs(d)
    c_ab, c_ac, c_bc, c_cx = 3, 2, 1, 1
    # w_i: total co-occurrences of i; m: half their sum (= the sum over pairs)
    w = {a: c_ab + c_ac, b: c_ab + c_bc, c: c_ac + c_bc + c_cx, x: c_cx}
    m = c_ab + c_ac + c_bc + c_cx
    for (u, v), count in {(a, b): c_ab, (a, c): c_ac, (b, c): c_bc, (c, x): c_cx}.items():
        got_w, got_a = pairs[tuple(sorted((u, v)))]
        assert got_w == count
        assert got_a == pytest.approx(2 * m * count / (w[u] * w[v]), abs=1e-3)
    keys = d["n"]["key"]
    assert d["n"]["pc"][keys.index(a)] == 4 and d["n"]["pc"][keys.index(x)] == 2
    # a link's papers per year: a-b shared papers in 2020 (1) and 2021 (2)
    k = next(j for j, (s, t) in enumerate(zip(d["e"]["s"], d["e"]["t"], strict=True)) if {keys[s], keys[t]} == {a, b})
    yh = d["e"]["yh"][k]
    assert dict(zip(yh[::2], yh[1::2], strict=True)) == {0: 1, 1: 2}
    assert d["years"] == [2020, 2023]


def test_entity_types_come_from_the_schema_and_tasks_are_on_the_map() -> None:
    assert entity_types() == ["method", "benchmark", "task", "domain"]
    g = make_graph([("1", 2020, ["task:ner", "benchmark:conll"]), ("2", 2021, ["task:ner", "benchmark:conll"])])
    d = build_overview(*graph_streams(g), options=OPEN)
    assert sorted(d["types"][t] for t in d["n"]["t"]) == ["benchmark", "task"]


def test_papers_per_year_and_top_cooccurring_entities() -> None:
    rng = random.Random(3)
    ents = [f"method:m{i}" for i in range(12)] + ["domain:d1", "domain:d2"]
    papers = [(str(p), rng.choice([2018, 2019, 2020, None]), rng.sample(ents, rng.randint(1, 5))) for p in range(200)]
    g = make_graph(papers)
    d = build_overview(*graph_streams(g), options=OverviewOptions(min_papers=1, min_shared=1, co_entities=3))
    keys = d["n"]["key"]
    y0 = d["years"][0]
    for i, key in enumerate(keys):
        years = Counter(g.nodes[u].get("year") for u, _ in g.in_edges(key))
        years.pop(None, None)
        yh = d["n"]["yh"][i]
        assert {y0 + y: c for y, c in zip(yh[::2], yh[1::2], strict=True)} == dict(years)
        shared = Counter()
        for u, _ in g.in_edges(key):
            for _, other in g.out_edges(u):
                if other != key:
                    shared[other] += 1
        co = d["n"]["co"][i]
        got = [(keys[j], c) for j, c in zip(co[::2], co[1::2], strict=True)]
        assert [c for _, c in got] == sorted((c for c in shared.values()), reverse=True)[:3]
        assert all(shared[k] == c for k, c in got)


def test_listed_papers_oldest_proposing_first_then_newest_with_cut_abstracts() -> None:
    m = "method:m"
    papers = [(str(p), 2010 + p, [m, "benchmark:b"]) for p in range(10)]
    g = make_graph(papers, proposed={("6", m), ("2", m), ("4", m)})
    g.nodes["paper:5"]["abstract"] = "word " * 200
    opts = OverviewOptions(min_papers=1, min_shared=1, papers_per_entity=6, abstract_chars=60)
    d = build_overview(*graph_streams(g), options=opts)
    i = d["n"]["key"].index(m)
    listed = [d["P"]["key"][r] for r in d["n"]["pp"][i]]
    # where it comes from (a third of the list: the two oldest proposing papers), then the newest
    assert listed == ["paper:2", "paper:4", "paper:9", "paper:8", "paper:7", "paper:6"]
    assert [d["roles"][r] for r in d["n"]["ppr"][i]] == ["proposed", "proposed", "used", "used", "used", "proposed"]
    r5 = d["n"]["pp"][d["n"]["key"].index("benchmark:b")]
    assert len(r5) == 6
    # every listed paper knows its entities (on the map: by index)
    r = d["P"]["key"].index("paper:9")
    ents = d["P"]["ents"][r]
    assert sorted(d["n"]["key"][j] for j in ents[::2]) == ["benchmark:b", m]
    assert cut("word " * 200, 60).endswith("…") and len(cut("word " * 200, 60)) <= 61


def test_clusters_separate_two_communities() -> None:
    left = [f"method:l{i}" for i in range(8)]
    right = [f"benchmark:r{i}" for i in range(8)]
    papers = []
    for group in (left, right):
        for p, (u, v) in enumerate(combinations(group, 2)):
            papers += [(f"{group[0]}-{p}-{k}", 2020, [u, v]) for k in range(2)]
    papers.append(("bridge", 2021, [left[0], right[0]]))
    papers.append(("bridge2", 2021, [left[0], right[0]]))
    d = build_overview(*graph_streams(make_graph(papers)), options=OPEN)
    keys, cl = d["n"]["key"], d["n"]["cl"]
    assert len({cl[keys.index(k)] for k in left}) == 1 and len({cl[keys.index(k)] for k in right}) == 1
    assert cl[keys.index(left[0])] != cl[keys.index(right[0])]
    assert d["clusters"]["size"] == [8, 8]
    # laid out apart: every node is nearer to its own cluster's centre than to the other's
    pos = {k: (d["n"]["x"][i], d["n"]["y"][i]) for i, k in enumerate(keys)}
    centre = {
        name: (sum(pos[k][0] for k in grp) / 8, sum(pos[k][1] for k in grp) / 8)
        for name, grp in (("l", left), ("r", right))
    }
    for name, grp in (("l", left), ("r", right)):
        other = "r" if name == "l" else "l"
        for k in grp:
            assert math.dist(pos[k], centre[name]) < math.dist(pos[k], centre[other])
    assert max(map(abs, d["n"]["x"] + d["n"]["y"])) <= 1000 + 1


def test_map_keeps_the_best_supported_linked_entities() -> None:
    papers = [(str(p), 2020, ["method:big", "benchmark:b"]) for p in range(5)]
    papers += [("x1", 2020, ["method:lonely"]), ("x2", 2021, ["method:lonely"])]  # 2 papers, no partner
    papers += [("y1", 2020, ["method:small", "benchmark:b"]), ("y2", 2021, ["method:small", "benchmark:b"])]
    d = build_overview(*graph_streams(make_graph(papers)), options=OverviewOptions(min_papers=2, min_shared=2))
    assert set(d["n"]["key"]) == {"method:big", "benchmark:b", "method:small"}
    d = build_overview(*graph_streams(make_graph(papers)), options=OverviewOptions(entities=2, min_shared=2))
    assert set(d["n"]["key"]) == {"method:big", "benchmark:b"}


def test_one_shot_streams_nodes_first_and_edge_order_does_not_matter() -> None:
    rng = random.Random(7)
    ents = [f"method:m{i}" for i in range(15)] + [f"benchmark:b{i}" for i in range(5)]
    g = make_graph([(str(p), rng.randint(2015, 2020), rng.sample(ents, rng.randint(1, 4))) for p in range(300)])
    expected = build_overview(*graph_streams(g), options=OPEN)
    node_list = list(g.nodes(data=True))
    edge_list = [(u, v, k, dict(d)) for u, v, k, d in g.edges(keys=True, data=True)]
    rng.shuffle(edge_list)
    seen = {"nodes_done": False}

    def nodes():
        yield from node_list
        seen["nodes_done"] = True

    def edges():
        assert seen["nodes_done"], "edges were read before the nodes were exhausted"
        yield from edge_list

    got = build_overview(nodes(), edges(), options=OPEN)
    assert _stable(got) == _stable(expected)


def test_restartable_nodes_are_read_twice_and_text_only_of_listed_papers() -> None:
    rng = random.Random(11)
    ents = [f"method:m{i}" for i in range(6)]
    g = make_graph([(str(p), rng.randint(2015, 2020), rng.sample(ents, rng.randint(1, 3))) for p in range(400)])
    opts = OverviewOptions(min_papers=1, min_shared=1, papers_per_entity=3)
    expected = build_overview(*graph_streams(g), options=opts)
    passes = Counter()
    texts_read: set[str] = set()

    class Attrs(dict):
        def get(self, name, default=None):  # type: ignore[override]
            if name == "abstract":
                texts_read.add(self["title"])
            return super().get(name, default)

    def nodes():
        passes["nodes"] += 1
        return ((k, Attrs(d)) for k, d in g.nodes(data=True))

    def edges():
        passes["edges"] += 1
        return ((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True))

    got = build_overview(Restartable(nodes), Restartable(edges), options=opts)
    assert _stable(got) == _stable(expected)
    assert passes == {"nodes": 2, "edges": 1}
    listed = set(got["P"]["title"])
    assert 0 < len(listed) <= 6 * 3 < 400
    assert texts_read == listed  # the other papers' abstracts were never read


def test_deterministic() -> None:
    rng = random.Random(1)
    ents = [f"method:m{i}" for i in range(30)]
    g = make_graph([(str(p), 2020, rng.sample(ents, 3)) for p in range(200)])
    first, second = (_stable(build_overview(*graph_streams(g), options=OPEN)) for _ in range(2))
    assert first == second


def test_entities_off_the_map_keep_papers_first_year_and_neighbours_on_it() -> None:
    papers = [(str(p), 2015 + p % 3, ["method:big", "benchmark:b"]) for p in range(6)]
    papers += [("s1", 2019, ["method:small", "method:big"]), ("s2", 2021, ["method:small", "method:big"]),
               ("s3", 2020, ["method:small", "benchmark:b"])]  # fmt: skip
    d = build_overview(*graph_streams(make_graph(papers)), options=OverviewOptions(entities=2, min_shared=2))
    assert set(d["n"]["key"]) == {"method:big", "benchmark:b"}
    xn = d["xn"]
    x = xn["key"].index("method:small")
    assert xn["name"][x] == "Small" and xn["pc"][x] == 3 and xn["fy"][x] == 2019
    co = dict(zip((d["n"]["key"][j] for j in xn["co"][x][::2]), xn["co"][x][1::2], strict=True))
    assert co == {"method:big": 2, "benchmark:b": 1}
