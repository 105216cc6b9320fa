"""A tiny graph whose titles and names try to inject HTML, built through the real code path.

``make_viewer_graph()``: 3 papers, 4 methods, 2 benchmarks, 2 domains (11 nodes), made with
``graphbuild.graph.build_graph`` from extraction records.
"""

from __future__ import annotations

import networkx as nx

from graphbuild.graph import build_graph
from graphbuild.model import DomainScore, Mention, Paper, PaperExtraction

XSS_TITLE = '<script>alert(1)</script> Robust "RL" onerror=alert(2) <img src=x onerror="window.__pwned=1">'
XSS_METHOD = "<img src=x onerror=alert(3)>Net"


def _mention(paper: Paper, kind: str, name: str, key: str, surface: str, role: str, sentence: str,
             fieldname: str = "abstract", aliases: tuple[str, ...] = ()) -> Mention:  # fmt: skip
    text = paper.text(fieldname)  # type: ignore[arg-type]
    start = text.index(surface)
    return Mention(
        type=kind,  # type: ignore[arg-type]
        name=name,
        key=key,
        surface=surface,
        role=role,  # type: ignore[arg-type]
        field=fieldname,  # type: ignore[arg-type]
        start=start,
        end=start + len(surface),
        sentence=sentence,
        rule="fixture",
        confidence=0.9,
        aliases=aliases,
    )


def _paper(pid: str, title: str, abstract: str, year: int, url: str | None = None) -> Paper:
    return Paper(
        id=pid,
        title=title,
        abstract=abstract,
        title_norm=" ".join(title.split()),
        abstract_norm=" ".join(abstract.split()),
        year=year,
        url=url,
        source=f"fixture:{pid}",
    )


def make_viewer_graph() -> nx.MultiDiGraph:
    """3 papers, 4 methods, 2 benchmarks, 2 domains (11 nodes)."""
    return build_graph(make_viewer_extractions())


def make_viewer_extractions() -> list[PaperExtraction]:
    """The extraction records :func:`make_viewer_graph` is built from."""
    s_tr = "We propose the Transformer, a simple network architecture based solely on attention mechanisms."
    s_wmt = "Experiments on the WMT 2014 English-to-German translation task show these models to be superior."
    p1 = _paper(
        "1706.03762", "Attention Is All You Need", s_tr + "\n  " + s_wmt, 2017, "https://arxiv.org/abs/1706.03762"
    )
    s_ppo = "We train PPO agents on the DeepMind Control Suite."
    s_img = f"We compare with {XSS_METHOD} & <b>bold</b> baselines <script>window.__pwned=1</script>."
    p2 = _paper("xss-1", XSS_TITLE, s_ppo + " " + s_img, 2023, "javascript:alert(4)")
    s_gpt = "We train GPT-3, an autoregressive language model built on the Transformer."
    p3 = _paper("2005.14165", "Language Models are Few-Shot Learners", s_gpt + " It is strong at few-shot tasks.", 2020)
    nlp = DomainScore("Natural Language Processing", "domain:natural-language-processing", 0.8, ("language model",))
    rl = DomainScore("Reinforcement Learning", "domain:reinforcement-learning", 0.7, ("agents",))
    extractions = [
        PaperExtraction(
            p1,
            (
                _mention(p1, "method", "Transformer", "method:transformer", "Transformer", "proposed", s_tr),
                _mention(p1, "benchmark", "WMT 2014", "benchmark:wmt-2014", "WMT 2014", "used", s_wmt),
            ),
            (nlp,),
        ),
        PaperExtraction(
            p2,
            (
                _mention(p2, "method", "PPO", "method:ppo", "PPO", "used", s_ppo),
                _mention(
                    p2,
                    "benchmark",
                    "DeepMind Control Suite",
                    "benchmark:deepmind-control-suite",
                    "DeepMind Control Suite",
                    "used",
                    s_ppo,
                    aliases=("DMC", "dm_control"),
                ),
                _mention(p2, "method", XSS_METHOD, "method:img-net", XSS_METHOD, "used", s_img),
            ),
            (rl,),
        ),
        PaperExtraction(
            p3,
            (
                _mention(p3, "method", "GPT-3", "method:gpt-3", "GPT-3", "proposed", s_gpt),
                _mention(p3, "method", "Transformer", "method:transformer", "Transformer", "used", s_gpt),
            ),
            (nlp,),
        ),
    ]
    return extractions
