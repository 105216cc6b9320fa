"""The learned tagger's pieces: hashed features, the batched Viterbi decoder, the model file."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from graphbuild.errors import ConfigError
from graphbuild.extract.tagger import TEMPLATES, decode, features, load_model, save_model


def _best_path(s: np.ndarray, trans: np.ndarray) -> tuple[int, ...]:
    """Exhaustive search (the definition Viterbi must meet); a path may not start with I."""
    best: tuple[float, tuple[int, ...]] | None = None
    for p in itertools.product(range(3), repeat=len(s)):
        if p[0] == 2:
            continue
        v = sum(s[i, p[i]] for i in range(len(s))) + sum(trans[p[i - 1], p[i]] for i in range(1, len(s)))
        if best is None or v > best[0]:
            best = (v, p)
    assert best is not None
    return best[1]


def _spans(path: tuple[int, ...]) -> set[tuple[int, int]]:
    out, start = set(), -1
    for i, y in enumerate([*path, 0]):
        if start >= 0 and y != 2:
            out.add((start, i))
            start = -1
        if y == 1 or (y == 2 and start < 0):
            start = i
    return out


def test_decode_finds_the_best_path_of_every_document_and_type_at_once() -> None:
    rng = np.random.default_rng(0)
    for _ in range(60):
        trans = rng.normal(size=(2, 3, 3)).astype(np.float32)
        docs = [rng.normal(size=(int(rng.integers(0, 7)), 6)).astype(np.float32) for _ in range(4)]
        got = {(d, k, a, b) for d, k, a, b, _ in decode(docs, trans)}
        want = {(d, k, a, b) for d, x in enumerate(docs) if len(x) for k in range(2)
                for a, b in _spans(_best_path(x[:, 3 * k : 3 * k + 3], trans[k]))}
        assert got == want


def test_decode_margin_is_how_much_the_entity_labels_beat_o() -> None:
    s = np.array([[5, 0, 0], [0, 4, 1], [0, 1, 6], [5, 0, 0]], dtype=np.float32)
    ((doc, k, a, b, margin),) = decode([s], np.zeros((1, 3, 3), dtype=np.float32))
    assert (doc, k, a, b) == (0, 0, 1, 3) and margin == pytest.approx(5.0)


def test_features_are_stable_across_processes_and_differ_by_template() -> None:
    base = np.arange(40, dtype=np.uint64).reshape(4, 10) * np.uint64(0x9E3779B97F4A7C15)
    here = features(base, 20)
    code = ("import numpy as np, sys; from graphbuild.extract.tagger import features; "
            "b = np.arange(40, dtype=np.uint64).reshape(4, 10) * np.uint64(0x9E3779B97F4A7C15); "
            "sys.stdout.write(str(features(b, 20).tolist()))")
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert here.tolist() == json.loads(there)  # no per-process hash seed
    assert here.shape == (4, len(TEMPLATES)) and here.max() < 2**20
    assert len(set(here[0].tolist())) > len(TEMPLATES) - 3  # templates hash apart


def test_model_file_round_trips_and_refuses_other_templates(tmp_path: Path) -> None:
    state = {"method": {(5, 1): 1.5, (7, 0): -0.25}, "task": {(5, 2): 2.0}}
    trans = {t: np.eye(3, dtype=np.float32) for t in state}
    save_model(tmp_path / "m.npz", ("method", "task"), 12, state, trans, {"card": "x"})
    m = load_model(str(tmp_path / "m.npz"))
    assert m is not None and m.types == ("method", "task") and m.weights.shape == (4096, 6)
    assert m.weights[5, 1] == 1.5 and m.weights[7, 0] == -0.25 and m.weights[5, 5] == 2.0
    first = (tmp_path / "m.npz").read_bytes()
    save_model(tmp_path / "m.npz", ("method", "task"), 12, state, trans, {"card": "x"})
    assert (tmp_path / "m.npz").read_bytes() == first  # the same model, the same bytes
    with np.load(tmp_path / "m.npz") as z:
        arrays = dict(z)
    meta = json.loads(bytes(arrays["meta"]).decode())
    meta["templates"] = meta["templates"][:-1]
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    np.savez(tmp_path / "other.npz", **arrays)
    with pytest.raises(ConfigError, match="other feature templates"):
        load_model(str(tmp_path / "other.npz"))


def test_the_shipped_model_loads() -> None:
    m = load_model()
    assert m is not None and set(m.types) == {"method", "benchmark", "task"}


def test_decode_of_a_large_batch_equals_decoding_each_document_alone() -> None:
    rng = np.random.default_rng(1)
    trans = rng.normal(size=(2, 3, 3)).astype(np.float32)
    docs = [rng.normal(size=(int(rng.integers(0, 40)), 6)).astype(np.float32) for _ in range(500)]
    together = {(d, k, a, b) for d, k, a, b, _ in decode(docs, trans)}
    alone = {(d, k, a, b) for d, x in enumerate(docs) for _, k, a, b, _ in decode([x], trans)}
    assert together == alone
