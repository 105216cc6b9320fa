"""Issue 17 item 12: resolved vocabulary entities keep the vocabulary's aliases, even spellings the paper
never wrote (queries and --focus find "PPO" through them)."""

from __future__ import annotations

from graphbuild.extract import extract_corpus
from graphbuild.graph import build_graph
from graphbuild.ingest.normalize import normalize_text
from graphbuild.model import Paper


def test_vocabulary_aliases_reach_the_graph() -> None:
    abstract = "We train agents with Proximal Policy Optimization and evaluate them on the Arcade Learning Environment."
    paper = Paper(id="t:x", title="Agents", abstract=abstract, title_norm="Agents",
                  abstract_norm=normalize_text(abstract), source="t:1")  # fmt: skip
    (ex,) = extract_corpus([paper])
    ppo = next(m for m in ex.mentions if m.key == "method:proximal-policy-optimization")
    assert "PPO" in ppo.aliases  # the vocabulary's alias, though the text only has the long form
    g = build_graph([ex])
    assert "PPO" in g.nodes["method:proximal-policy-optimization"]["aliases"]
