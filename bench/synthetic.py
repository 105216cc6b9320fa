"""A realistic synthetic paperkg graph for benchmarks (not for tests' expected values).

Entity popularity follows a Zipf law (a few Transformers and ImageNets, a long
tail of one-paper names), each paper links to ~8 entities, years span
2015–2025. The graph follows ``graphbuild.graph``'s conventions exactly, so every
store, exporter and the viewer accept it.

    python -m bench.synthetic 50000 --out /tmp/synth   # writes /tmp/synth/graph.json
"""

from __future__ import annotations

import argparse
import random

import networkx as nx

from graphbuild.extract.names import slugify as _slug
from graphbuild.graph import new_graph, save_graph, update_paper_counts

_DOMAINS = (
    "Reinforcement Learning", "Robotics", "Natural Language Processing", "Large Language Models",
    "Computer Vision", "Multimodal Learning", "Generative Models", "Graph Learning", "Continual Learning",
    "Meta-Learning", "Transfer Learning and Domain Generalization", "Generalization Theory", "Optimization",
    "Neural Architecture Search", "Evaluation and Benchmarking", "Reasoning", "AI Safety and Alignment",
    "Program Synthesis and Code", "Representation Learning", "Imitation Learning", "Model Efficiency",
    "Games", "Mathematical Reasoning", "Interpretability", "Recommender Systems",
    "Neuroscience and Biomedical", "Combinatorial Optimization", "Agents",
)  # fmt: skip


def _zipf_picker(rng: random.Random, n: int, s: float = 1.1):
    weights = [1.0 / (i + 1) ** s for i in range(n)]
    cum: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    import bisect

    def pick() -> int:
        return bisect.bisect_left(cum, rng.random() * total)

    return pick


def make_graph(n_papers: int, seed: int = 0) -> nx.MultiDiGraph:
    """``n_papers`` papers, ~n/5 methods, ~n/10 benchmarks, ~n/50 tasks, 28 domains, ~9 links per paper."""
    rng = random.Random(seed)
    g = new_graph()
    n_methods = max(20, n_papers // 5)
    n_benchmarks = max(10, n_papers // 10)
    methods = [f"Method{i}" if i % 7 else f"M{i}-Net" for i in range(n_methods)]
    benchmarks = [f"Bench{i}" if i % 5 else f"B{i}-Suite" for i in range(n_benchmarks)]
    for kind, label, names in (("method", "Method", methods), ("benchmark", "Benchmark", benchmarks)):
        for name in names:
            g.add_node(f"{kind}:{_slug(name)}", label=label, name=name, aliases=[name.upper()], paper_count=0)
    # tasks draw from their own generator, so the rest of the graph is the same as without them
    rng_task = random.Random(seed + 1)
    tasks = [f"Task{i}" for i in range(max(8, n_papers // 50))]
    for name in tasks:
        g.add_node(f"task:{_slug(name)}", label="Task", name=name, aliases=[name.lower()], paper_count=0)
    pick_t = _zipf_picker(rng_task, len(tasks))
    for d in _DOMAINS:
        g.add_node(f"domain:{_slug(d)}", label="Domain", name=d, aliases=[], paper_count=0)
    pick_m, pick_b = _zipf_picker(rng, n_methods), _zipf_picker(rng, n_benchmarks)
    pick_d = _zipf_picker(rng, len(_DOMAINS), 0.8)
    for i in range(n_papers):
        pid = f"paper:syn{i:07d}"
        title = f"Synthetic paper {i} on {methods[pick_m()]}"
        sentence = f"We evaluate {methods[pick_m()]} on {benchmarks[pick_b()]} and report results."
        g.add_node(
            pid, label="Paper", name=title, title=title, abstract=sentence * 3,
            year=2015 + rng.randrange(11), url=f"https://example.org/{i}", categories=["cs.LG"],
            authors=[], source=f"synthetic:{i + 1}",
        )  # fmt: skip
        links = []
        for _ in range(rng.randint(3, 6)):
            links.append((f"method:{_slug(methods[pick_m()])}", "method"))
        for _ in range(rng.randint(1, 3)):
            links.append((f"benchmark:{_slug(benchmarks[pick_b()])}", "benchmark"))
        rel_of: dict[str, str] = {}  # one role per (paper, entity), as build_graph guarantees
        for key, kind in links:
            if key in rel_of:
                g.edges[pid, key, rel_of[key]]["count"] += 1
                continue
            first = rng.random() < 0.08
            rel = ("PROPOSES" if first else "USES") if kind == "method" else (
                "INTRODUCES" if first else "EVALUATES_ON")  # fmt: skip
            rel_of[key] = rel
            role = {"PROPOSES": "proposed", "USES": "used", "INTRODUCES": "introduced"}.get(rel, "used")
            g.add_edge(
                pid, key, key=rel, type=rel, role=role, evidence=sentence, field="abstract", start=12,
                end=20, surface=g.nodes[key]["name"], rule="synthetic", confidence=0.9, count=1,
            )  # fmt: skip
        for _ in range(rng_task.randint(0, 2)):
            tkey = f"task:{_slug(tasks[pick_t()])}"
            if not g.has_edge(pid, tkey, "ADDRESSES"):
                g.add_edge(pid, tkey, key="ADDRESSES", type="ADDRESSES", role="addressed", evidence=sentence,
                           field="abstract", start=0, end=9, surface=g.nodes[tkey]["name"], rule="synthetic",
                           confidence=0.9, count=1)  # fmt: skip
        for _ in range(rng.randint(1, 3)):
            dkey = f"domain:{_slug(_DOMAINS[pick_d()])}"
            if not g.has_edge(pid, dkey, "IN_DOMAIN"):
                g.add_edge(pid, dkey, key="IN_DOMAIN", type="IN_DOMAIN", evidence="synthetic",
                           rule="domain-taxonomy", confidence=0.5, count=1)  # fmt: skip
    # drop entities no paper picked, as a real build would never create them
    g.remove_nodes_from([n for n, d in g.nodes(data=True) if d["label"] != "Paper" and g.in_degree(n) == 0])
    update_paper_counts(g)
    return g


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("papers", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    g = make_graph(a.papers, a.seed)
    print(save_graph(g, a.out), g.number_of_nodes(), "nodes", g.number_of_edges(), "edges")


if __name__ == "__main__":
    main()
