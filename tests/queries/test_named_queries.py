"""Every named query on the tiny hand-built graph (tiny_graph.yaml), rows checked by hand.

The expected rows below were worked out from tiny_graph.yaml with pencil and
paper, not copied from a run; the comment above each case says how.
"""

from __future__ import annotations

from typing import Any

import pytest

from graphbuild.errors import QueryError, QueryParameterError, UnknownEntityError, UnknownQueryError
from graphbuild.queries import bind_params, get_query, list_queries, parse_param_args, run_named_query

T = "Transformer"
CASES: list[tuple[str, dict[str, Any], list[tuple[Any, ...]]]] = [
    # p3 (2020), p2 (2016), p9 (no year: last)
    ("papers-on-benchmark", {"benchmark": "imagenet"}, [
        ("paper:p3", "Vision transformers at scale", 2020, "used", "Results on ImageNet."),
        ("paper:p2", "Deep residual learning", 2016, "used", "ResNet wins ImageNet."),
        ("paper:p9", "Residual networks revisited", None, "used", "On ImageNet again."),
    ]),
    # introduced counts too, and the key works as well as the name
    ("papers-on-benchmark", {"benchmark": "benchmark:robosuite-x"}, [
        ("paper:p7", "RoboSuite-X: a robot benchmark", 2023, "introduced", "We introduce RoboSuite-X."),
    ]),
    # transformer p1 p3 p6 p7 p8 (proposed in p1); ppo/resnet tie at 3, by key
    ("top-methods", {"limit": "4"}, [
        ("method:transformer", T, 5, 1), ("method:ppo", "PPO", 3, 1),
        ("method:resnet", "ResNet", 3, 1), ("method:dqn", "DQN", 2, 1),
    ]),
    ("top-benchmarks", {}, [
        ("benchmark:atari", "Atari 2600", 3, 0), ("benchmark:imagenet", "ImageNet", 3, 0),
        ("benchmark:glue", "GLUE", 2, 0), ("benchmark:mujoco", "MuJoCo", 1, 0),
        ("benchmark:robosuite-x", "RoboSuite-X", 1, 1),
    ]),
    # resnet×imagenet p2 p3 p9; dqn×atari p4 p5; ppo×atari p4 p6; transformer×glue p1 p8
    ("method-benchmark-pairs", {}, [
        ("method:resnet", "ResNet", "benchmark:imagenet", "ImageNet", 3),
        ("method:dqn", "DQN", "benchmark:atari", "Atari 2600", 2),
        ("method:ppo", "PPO", "benchmark:atari", "Atari 2600", 2),
        ("method:transformer", T, "benchmark:glue", "GLUE", 2),
    ]),
    # only the top 1 method (transformer) is paired: glue 2, then atari/imagenet/robosuite-x 1
    ("method-benchmark-pairs", {"methods": "1", "min_papers": "1"}, [
        ("method:transformer", T, "benchmark:glue", "GLUE", 2),
        ("method:transformer", T, "benchmark:atari", "Atari 2600", 1),
        ("method:transformer", T, "benchmark:imagenet", "ImageNet", 1),
        ("method:transformer", T, "benchmark:robosuite-x", "RoboSuite-X", 1),
    ]),
    # image classification: p2 (ResNet proposed, ImageNet), p3 (Transformer + ResNet, ImageNet), p9 (ResNet, ImageNet)
    ("methods-for-task", {"task": "IMAGE CLASSIFICATION"}, [
        ("method:resnet", "ResNet", 3), ("method:transformer", T, 1),
    ]),
    # continuous control: p4 (PPO proposed, DQN), p7 (PPO, Transformer)
    ("methods-for-task", {"task": "task:continuous-control"}, [
        ("method:ppo", "PPO", 2), ("method:dqn", "DQN", 1), ("method:transformer", T, 1),
    ]),
    ("benchmarks-for-task", {"task": "image classification"}, [("benchmark:imagenet", "ImageNet", 3)]),
    # p4 evaluates on Atari and MuJoCo, p7 introduces RoboSuite-X
    ("benchmarks-for-task", {"task": "Continuous Control"}, [
        ("benchmark:atari", "Atari 2600", 1), ("benchmark:mujoco", "MuJoCo", 1),
        ("benchmark:robosuite-x", "RoboSuite-X", 1),
    ]),
    ("methods-on-benchmark", {"benchmark": "IMAGENET"}, [
        ("method:resnet", "ResNet", 3), ("method:transformer", T, 1),
    ]),
    # PPO: atari p4 p6, mujoco p4; DQN: atari p4 p5, mujoco p4; robosuite-x is PPO's only
    ("shared-benchmarks", {"method_a": "ppo", "method_b": "method:dqn"}, [
        ("benchmark:atari", "Atari 2600", 2, 2), ("benchmark:mujoco", "MuJoCo", 1, 1),
    ]),
    ("shared-benchmarks", {"method_a": "BERT", "method_b": "DQN"}, []),
    # transformer: nlp (p1 p6 p8), cv (p3), rl (p6 p7); bert has one paper (< min_papers 2)
    ("cross-domain-methods", {}, [
        ("method:transformer", T, 3, 5), ("method:ppo", "PPO", 2, 3),
        ("method:resnet", "ResNet", 1, 3), ("method:dqn", "DQN", 1, 2),
    ]),
    ("benchmarks-introduced-in-domain", {"domain": "reinforcement learning"}, [
        ("benchmark:robosuite-x", "RoboSuite-X", "paper:p7", "RoboSuite-X: a robot benchmark", 2023,
         "We introduce RoboSuite-X."),
    ]),
    ("benchmarks-introduced-in-domain", {"domain": "Computer Vision"}, []),
    ("neighbours", {"entity": "PPO"}, [
        ("method:ppo", "paper:p7", "RoboSuite-X: a robot benchmark", 2023, "used", "PPO agents are trained.", 0.75),
        ("method:ppo", "paper:p6", "Decision transformer", 2021, "used", "PPO is a baseline.", 0.75),
        ("method:ppo", "paper:p4", "Proximal policy optimization", 2017, "proposed", "We propose PPO.", 0.75),
    ]),
    # domain links carry their phrases as evidence and no role
    ("neighbours", {"entity": "domain:computer-vision", "limit": "2"}, [
        ("domain:computer-vision", "paper:p3", "Vision transformers at scale", 2020, None, "images", 0.75),
        ("domain:computer-vision", "paper:p2", "Deep residual learning", 2016, None, "image classification", 0.75),
    ]),
    # transformer's papers p1 p3 p6 p7 p8 mention glue (p1 p8), ppo (p6 p7), then one each
    ("related-entities", {"entity": "transformer"}, [
        ("benchmark:glue", "GLUE", 2), ("method:ppo", "PPO", 2), ("benchmark:atari", "Atari 2600", 1),
        ("benchmark:imagenet", "ImageNet", 1), ("benchmark:robosuite-x", "RoboSuite-X", 1),
        ("method:bert", "BERT", 1), ("method:resnet", "ResNet", 1),
        # tasks of p7, p3 and p1
        ("task:continuous-control", "Continuous Control", 1), ("task:image-classification", "Image Classification", 1),
        ("task:machine-translation", "Machine Translation", 1),
    ]),
    # dqn-p4|p5 → ppo|atari → p6|p7 → transformer → p1|p8 → glue: 6 hops; first 3 by key sequence
    ("path", {"source": "DQN", "target": "GLUE"}, [
        (6, ["method:dqn", "paper:p4", "benchmark:atari", "paper:p6", "method:transformer", "paper:p1",
             "benchmark:glue"],
         ["DQN", "Proximal policy optimization", "Atari 2600", "Decision transformer", T,
          "Attention networks for translation", "GLUE"]),
        (6, ["method:dqn", "paper:p4", "benchmark:atari", "paper:p6", "method:transformer", "paper:p8",
             "benchmark:glue"],
         ["DQN", "Proximal policy optimization", "Atari 2600", "Decision transformer", T,
          "BERT: pre-training", "GLUE"]),
        (6, ["method:dqn", "paper:p4", "method:ppo", "paper:p6", "method:transformer", "paper:p1",
             "benchmark:glue"],
         ["DQN", "Proximal policy optimization", "PPO", "Decision transformer", T,
          "Attention networks for translation", "GLUE"]),
    ]),
    ("path", {"source": "method:resnet", "target": "imagenet", "limit": "10"}, [
        (2, ["method:resnet", "paper:p2", "benchmark:imagenet"], ["ResNet", "Deep residual learning", "ImageNet"]),
        (2, ["method:resnet", "paper:p3", "benchmark:imagenet"],
         ["ResNet", "Vision transformers at scale", "ImageNet"]),
        (2, ["method:resnet", "paper:p9", "benchmark:imagenet"], ["ResNet", "Residual networks revisited", "ImageNet"]),
    ]),
    ("path", {"source": "BERT", "target": "BERT"}, []),
    ("search", {"text": "TRANSFORM"}, [
        ("method:transformer", T, "Method", 5, ["Transformers", "transformer model"]),
    ]),
    # aliases count: "Arcade Learning Environment" is an alias of Atari 2600
    ("search", {"text": "arcade"}, [
        ("benchmark:atari", "Atari 2600", "Benchmark", 3, ["ALE", "Arcade Learning Environment"]),
    ]),
    # "ne": ImageNet, ResNet, and DQN by its alias Deep Q-Network (not "environment": n-m-e-n-t)
    ("search", {"text": "ne", "limit": "5"}, [
        ("benchmark:imagenet", "ImageNet", "Benchmark", 3, ["ILSVRC"]),
        ("method:resnet", "ResNet", "Method", 3, ["ResNet-50", "residual network"]),
        ("method:dqn", "DQN", "Method", 2, ["Deep Q-Network"]),
        ("task:machine-translation", "Machine Translation", "Task", 1, ["MT"]),  # machi-ne
    ]),
    ("emerging", {"since": "2020", "min_papers": "1"}, [("benchmark:robosuite-x", "RoboSuite-X", 2023, 1)]),
    ("emerging", {"since": "2019", "min_papers": "1"}, [
        ("benchmark:robosuite-x", "RoboSuite-X", 2023, 1), ("method:bert", "BERT", 2019, 1),
    ]),
    ("emerging", {"since": "2019"}, []),
    # p6 has transformer, ppo, atari: p4 (ppo, atari) and p7 (ppo, transformer) share 2
    ("similar-papers", {"paper": "paper:p6"}, [
        ("paper:p4", "Proximal policy optimization", 2017, 2),
        ("paper:p7", "RoboSuite-X: a robot benchmark", 2023, 2),
        ("paper:p1", "Attention networks for translation", 2017, 1),
        ("paper:p3", "Vision transformers at scale", 2020, 1),
        ("paper:p5", "Playing Atari with deep Q-networks", 2015, 1),
        ("paper:p8", "BERT: pre-training", 2019, 1),
    ]),
    # p2 and p3 share ResNet, ImageNet and image classification
    ("similar-papers", {"paper": "deep residual learning", "limit": "1"}, [
        ("paper:p3", "Vision transformers at scale", 2020, 3),
    ]),
    ("strongest-entities", {"min_papers": "2", "type": "method"}, [
        ("method:transformer", T, 5, 5, 0.75), ("method:ppo", "PPO", 3, 3, 0.75),
        ("method:resnet", "ResNet", 3, 3, 0.75), ("method:dqn", "DQN", 2, 2, 0.75),
    ]),
    # any type, ≥ 3 papers: rl has p4 p5 p6 p7; cv p2 p3 p9; nlp p1 p6 p8; image classification p2 p3 p9
    ("strongest-entities", {}, [
        ("method:transformer", T, 5, 5, 0.75),
        ("domain:reinforcement-learning", "Reinforcement Learning", 4, 4, 0.75),
        ("benchmark:atari", "Atari 2600", 3, 3, 0.75), ("benchmark:imagenet", "ImageNet", 3, 3, 0.75),
        ("domain:computer-vision", "Computer Vision", 3, 3, 0.75),
        ("domain:natural-language-processing", "Natural Language Processing", 3, 3, 0.75),
        ("method:ppo", "PPO", 3, 3, 0.75), ("method:resnet", "ResNet", 3, 3, 0.75),
        ("task:image-classification", "Image Classification", 3, 3, 0.75),
    ]),
    ("domain-trend", {"domain": "domain:reinforcement-learning"}, [(2015, 1), (2017, 1), (2021, 1), (2023, 1)]),
    ("domain-trend", {"domain": "computer vision"}, [(2016, 1), (2020, 1)]),
    # node parameters take aliases too, case-insensitively (graphbuild.lookup), on every query
    ("papers-on-benchmark", {"benchmark": "ilsvrc"}, [
        ("paper:p3", "Vision transformers at scale", 2020, "used", "Results on ImageNet."),
        ("paper:p2", "Deep residual learning", 2016, "used", "ResNet wins ImageNet."),
        ("paper:p9", "Residual networks revisited", None, "used", "On ImageNet again."),
    ]),
    ("shared-benchmarks", {"method_a": "Proximal Policy Optimization", "method_b": "deep q-network"}, [
        ("benchmark:atari", "Atari 2600", 2, 2), ("benchmark:mujoco", "MuJoCo", 1, 1),
    ]),
    ("methods-for-task", {"task": "Image Recognition"}, [("method:resnet", "ResNet", 3), ("method:transformer", T, 1)]),
    # machine translation: p1 only, which evaluates on GLUE
    ("benchmarks-for-task", {"task": "mt"}, [("benchmark:glue", "GLUE", 1)]),
    ("methods-on-benchmark", {"benchmark": "Arcade Learning Environment"}, [
        ("method:dqn", "DQN", 2), ("method:ppo", "PPO", 2), ("method:transformer", T, 1),
    ]),
    # transformer's papers, all at confidence 0.75: the newest is p7 (2023)
    ("neighbours", {"entity": "  Transformer Model ", "limit": "1"}, [
        ("method:transformer", "paper:p7", "RoboSuite-X: a robot benchmark", 2023, "used",
         "A Transformer policy is trained.", 0.75),
    ]),
    # Atari's papers p4 p5 p6: DQN in p4 p5, PPO in p4 p6
    ("related-entities", {"entity": "ALE", "limit": "2"}, [("method:dqn", "DQN", 2), ("method:ppo", "PPO", 2)]),
    ("path", {"source": "residual network", "target": "ILSVRC", "limit": "1"}, [
        (2, ["method:resnet", "paper:p2", "benchmark:imagenet"], ["ResNet", "Deep residual learning", "ImageNet"]),
    ]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "params", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_named_query_rows(embedded, name: str, params: dict[str, Any], expected: list[tuple[Any, ...]]) -> None:
    result = run_named_query(embedded, name, params)
    assert [tuple(r) for r in result.rows] == expected


def test_every_query_has_a_hand_checked_case() -> None:
    assert {q.name for q in list_queries()} <= {c[0] for c in CASES}
    assert len(list_queries()) >= 12


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_headers_and_examples(embedded, query) -> None:
    assert query.description and query.text.startswith("// description:")
    assert query.example, f"{query.name} has no // example: line"
    bound = bind_params(query, query.example)
    assert set(bound) == {p.name for p in query.params}
    # every query orders its rows totally, so both stores agree row for row
    assert query.ordered
    try:
        result = run_named_query(embedded, query, query.example)
    except UnknownEntityError:
        # the example names the demo graph's entities; the docs test runs it there and wants rows
        return
    assert len(set(result.columns)) == len(result.columns)


def test_variants_are_rare_and_keep_columns(embedded) -> None:
    with_variants = [q for q in list_queries() if q.variants]
    assert [q.name for q in with_variants] == ["path"]
    assert set(with_variants[0].variants) == {"ladybug"}


def test_unknown_query_suggests_the_closest_name() -> None:
    with pytest.raises(UnknownQueryError, match="did you mean 'top-methods'"):
        get_query("top-method")


def test_parameter_errors() -> None:
    q = get_query("papers-on-benchmark")
    with pytest.raises(QueryParameterError, match="needs parameter benchmark"):
        bind_params(q, {})
    with pytest.raises(QueryParameterError, match="limit must be int, got 'ten'"):
        bind_params(q, {"benchmark": "x", "limit": "ten"})
    with pytest.raises(QueryParameterError, match="no parameter 'limt'"):
        bind_params(q, {"benchmark": "x", "limt": "3"})
    with pytest.raises(QueryParameterError, match="name=value"):
        parse_param_args(["limit"])
    assert bind_params(q, {"benchmark": "x"}) == {"benchmark": "x", "limit": 20}
    assert bind_params(q, {"benchmark": "a=b", "limit": 3}) == {"benchmark": "a=b", "limit": 3}
    assert parse_param_args(["text=a=b", "limit=3"]) == {"text": "a=b", "limit": "3"}


def test_bad_header_names_the_file_and_line(tmp_path) -> None:
    from graphbuild.queries import list_queries as load

    (tmp_path / "bad.cypher").write_text("// description: x\n// params: limit (integer, 3)\nRETURN 1", "utf-8")
    with pytest.raises(QueryError, match=r"bad\.cypher:2: bad parameter spec"):
        load(tmp_path)
