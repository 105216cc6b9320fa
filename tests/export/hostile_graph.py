"""A small graph full of hostile text, shared by the export tests (fixture in ``conftest.py``).

Keys carry an ``xport`` marker so the Neo4j test can count and clean up exactly its own nodes on a
server other tests share.
"""

from __future__ import annotations

import networkx as nx

from graphbuild.graph import new_graph, update_paper_counts

HOSTILE = (
    "He said \"hi\" & it's <script>alert('x')</script> C:\\path\\to {braces} }{ $x$ $ 100% #1 a_b ~t^ "
    "`tick` @at \\n-not-a-newline\nsecond line\ttab — naïve café 東京 🚀 \\"
)
HOSTILE_NAME = 'Net "v2" {α} <b>x</b> $\\beta$ \\ ; | # % \' end'


def build_hostile_graph() -> nx.MultiDiGraph:
    g = new_graph()
    g.add_node(
        "method:xport-hostile",
        label="Method",
        name=HOSTILE_NAME,
        aliases=["H-Net", 'x,y;z|"q"'],
        paper_count=0,
    )
    g.add_node("method:xport-plain", label="Method", name="Plain Method", aliases=[], paper_count=0)
    g.add_node("benchmark:xport-bench", label="Benchmark", name="Bench & Co {1}", aliases=["BC"], paper_count=0)
    g.add_node("domain:xport-domain", label="Domain", name="Reinforcement Learning", aliases=["RL"], paper_count=0)
    papers = [
        ("paper:2401.00001", HOSTILE, 2024, ["Ada Lovelace", 'O\'Brien, J. "Jr"']),
        ("paper:xport-2", "A plain title", 2021, []),
        ("paper:xport-3", "Third: {unbalanced ( [ paper", None, ["Zoë Ünïcode"]),
    ]
    for key, title, year, authors in papers:
        attrs = {
            "label": "Paper",
            "name": title,
            "title": title,
            "abstract": f"Abstract of {title}. Second sentence.",
            "url": f"https://example.org/{key}?a=1&b=2",
            "categories": ["cs.LG", "cs.AI"],
            "authors": authors,
            "source": "papers.jsonl:3",
        }
        if year is not None:
            attrs["year"] = year
        if key == "paper:xport-2":
            attrs["doi"] = "10.1000/xyz_{1}"
        g.add_node(key, **attrs)

    def link(u: str, v: str, rel: str, role: str | None, evidence: str, conf: float, count: int) -> None:
        data = {
            "type": rel,
            "evidence": evidence,
            "field": "abstract",
            "start": 3,
            "end": 9,
            "surface": evidence[:12],
            "rule": "pattern:we-propose",
            "confidence": conf,
            "count": count,
        }
        if role is not None:
            data["role"] = role
        else:
            for k in ("field", "start", "end", "surface"):
                data.pop(k)
        g.add_edge(u, v, key=rel, **data)

    link("paper:2401.00001", "method:xport-hostile", "PROPOSES", "proposed", HOSTILE, 0.95, 2)
    link("paper:2401.00001", "benchmark:xport-bench", "EVALUATES_ON", "used", "We test on Bench & Co.", 0.8, 1)
    link("paper:2401.00001", "domain:xport-domain", "IN_DOMAIN", None, "policy; reward", 0.7, 2)
    link("paper:xport-2", "method:xport-hostile", "USES", "used", "We use it.", 0.6, 1)
    link("paper:xport-2", "method:xport-plain", "PROPOSES", "proposed", "We propose Plain Method.", 0.9, 3)
    link("paper:xport-2", "benchmark:xport-bench", "INTRODUCES", "introduced", "We introduce it.", 0.85, 1)
    link("paper:xport-3", "method:xport-plain", "USES", "used", 'Quotes "inside" \\ here', 0.5, 1)
    link("paper:xport-3", "domain:xport-domain", "IN_DOMAIN", None, "agents", 0.4, 1)
    update_paper_counts(g)
    return g
