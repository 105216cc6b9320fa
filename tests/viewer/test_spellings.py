"""The panel's 'Also:' line: distinct spellings only, most frequent first."""

from __future__ import annotations

import pytest

from graphbuild.spellings import distinct_spellings, fold


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Transformer architecture", "transformer architectures"),
        ("GANs", "GAN"),
        ("Gaussian Processes", "gaussian process"),
        ("self-attention", "Self Attention"),
        ("policy", "policies"),
        ("dm_control", "DM control"),
        ("genera- tive adversarial networks", "Generative Adversarial Network"),
        ("generative ad-versarial network", "Generative Adversarial Network"),
        ("CIFAR-10", "CIFAR10"),
    ],
)
def test_fold_joins_case_plural_and_separator_variants(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(("a", "b"), [("ResNet", "ResNeXt"), ("analysis", "analysi"), ("CIFAR-10", "CIFAR-100")])
def test_fold_keeps_different_names_apart(a: str, b: str) -> None:
    assert fold(a) != fold(b)


def test_distinct_spellings_most_frequent_first() -> None:
    counts = {
        "Transformer": 40,  # the name itself: never listed
        "transformers": 9,  # a variant of the name: dropped
        "Transformer architecture": 2,
        "Transformer architectures": 3,
        "transformer architecture": 1,
        "Transformer models": 7,
        "TF": 1,
    }
    got = distinct_spellings("Transformer", counts, known=["Vaswani Transformer", "transformer model"])
    # groups by total: models 7 (+0 known), architecture(s) 6, TF 1, the vocabulary's own alias 0
    assert got == ["Transformer models", "Transformer architectures", "TF", "Vaswani Transformer"]
    assert distinct_spellings("X", {}, known=[]) == []
