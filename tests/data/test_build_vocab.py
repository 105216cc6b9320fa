"""Unit tests of the pure helpers in scripts/build_vocab.py (the vocabulary builder)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from script_module import load_script


@pytest.fixture(scope="module")
def bv() -> ModuleType:
    return load_script("build_vocab")


@pytest.mark.parametrize(
    "name,expected",
    [
        ("Transformer", "transformer"),
        ("ResNet-50", "resnet-50"),
        ("PointNet++", "pointnet-plus-plus"),
        ("RRT*", "rrt-star"),
        ("ViT-B/16", "vit-b-16"),
        ("CNN/Daily Mail", "cnn-daily-mail"),
    ],
)
def test_slug(bv: ModuleType, name: str, expected: str) -> None:
    assert bv.slug(name) == expected


def test_squash_ignores_case_spaces_and_hyphens_but_not_plus(bv: ModuleType) -> None:
    assert bv.squash("CIFAR-10") == bv.squash("cifar10") == bv.squash("CIFAR 10")
    assert bv.squash("PointNet++") != bv.squash("PointNet")
    assert bv.squash("ImageNet-C") != bv.squash("ImageNet")


def test_detokenize_undoes_ptb_spacing(bv: ModuleType) -> None:
    assert bv.detokenize("CIFAR - 10") == "CIFAR-10"
    assert bv.detokenize("CTB 5 . 0") == "CTB 5.0"
    assert bv.detokenize("-LRB- PTB -RRB-") == "(PTB)"


@pytest.mark.parametrize(
    "short,long,expected",
    [
        ("LSTM", "Long Short-Term Memory", True),
        ("SNLI", "Stanford Natural Language Inference", True),
        ("GANs", "Generative Adversarial Networks", True),
        ("PPO", "Trust Region Policy Optimization", False),
        ("X", "Some Long Form", False),
    ],
)
def test_is_acronym_of(bv: ModuleType, short: str, long: str, expected: bool) -> None:
    assert bv.is_acronym_of(short, long) is expected


def test_schwartz_hearst_finds_the_long_form(bv: ModuleType) -> None:
    words = ["we", "use", "the", "Stanford", "Natural", "Language", "Inference"]
    assert bv.schwartz_hearst("SNLI", words) == "Stanford Natural Language Inference"
    assert bv.schwartz_hearst("XYZ", ["no", "matching", "words", "here"]) is None


def test_acronym_pairs_from_tokens(bv: ModuleType) -> None:
    docs = [["trained", "with", "Proximal", "Policy", "Optimization", "(", "PPO", ")", "."]]
    assert ("PPO", "Proximal Policy Optimization") in bv.acronym_pairs(docs)


def test_split_versions_keeps_v1_and_splits_later_versions(bv: ModuleType) -> None:
    keep, versions = bv.split_versions("MoCo", ["Momentum Contrast", "MoCo v2", "MoCov2", "MoCo v3"])
    assert keep == ["Momentum Contrast"]
    assert versions == {"2": ["MoCo v2", "MoCov2"], "3": ["MoCo v3"]}
    keep, versions = bv.split_versions("Dreamer", ["DreamerV1", "DreamerV2"])
    assert keep == ["DreamerV1"] and versions == {"2": ["DreamerV2"]}
    keep, versions = bv.split_versions("wav2vec", ["wav2vec 2.0", "wav2vec2"])
    assert keep == [] and versions == {"2": ["wav2vec 2.0", "wav2vec2"]}


@pytest.mark.parametrize(
    "name,variants",
    [
        ("CIFAR-10", ["CIFAR10", "CIFAR 10"]),
        ("Meta-World", ["MetaWorld", "Meta World"]),
        ("t-SNE", []),  # a one-letter part is not split into a space variant nor joined
        ("Q-learning", []),
        ("Deep Q-Network", []),  # multi-word names keep their spelling
    ],
)
def test_spelling_variants(bv: ModuleType, name: str, variants: list[str]) -> None:
    assert bv.spelling_variants(name) == variants


@pytest.mark.parametrize(
    "name,plural",
    [
        ("GAN", ["GANs"]),
        ("Transformer", ["Transformers"]),
        ("Random Forest", ["Random Forests"]),
        ("Adam", []),
        ("ResNet-50", []),
    ],
)
def test_plural_variants(bv: ModuleType, name: str, plural: list[str]) -> None:
    assert bv.plural_variants(name) == plural


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("Set5 - 4x upscaling", "Set5"),
        ("COCO test-dev", "COCO"),
        ("ARC Challenge (25-Shot)", "ARC Challenge"),
        ("VisDrone- 1% labeled data", "VisDrone-"),
        ("LibriSpeech test-clean", "LibriSpeech"),
        ("Cityscapes", "Cityscapes"),
    ],
)
def test_clean_dataset_name(bv: ModuleType, raw: str, clean: str) -> None:
    assert bv.clean_dataset_name(raw) == clean


def test_parse_entry(bv: ModuleType) -> None:
    assert bv.parse_entry("Adam | Adam optimizer !ambiguous") == ("Adam", ["Adam optimizer"], True)
    assert bv.parse_entry(" Transformer |  Transformers ") == ("Transformer", ["Transformers"], False)


def test_bad_yaml_names_file_and_line(bv: ModuleType, tmp_path: Path) -> None:
    bad = tmp_path / "methods_bad.yaml"
    bad.write_text('- subtype: model\n  entries:\n    - "Ok"\n    - "unclosed\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        bv.load_yaml(bad)
    assert str(exc.value).startswith(f"error: {bad}:") and "invalid YAML" in str(exc.value)


@pytest.mark.parametrize(
    "spelling,variants",
    [
        ("message passing", ["message-passing"]),
        ("least squares", ["least-squares"]),
        ("k-nearest neighbors", ["k nearest neighbors", "k-nearest-neighbors"]),
        ("score-based diffusion model", ["score based diffusion model"]),
        ("policy gradient methods", []),  # three spaced words: no all-hyphen spelling
        ("Monte Carlo tree search", []),  # a proper noun inside: written as named
        ("GPT-3 model", []),  # digits: a versioned name
        ("DQN", []),
        ("Q-learning", []),
    ],
)
def test_compound_variants(bv: ModuleType, spelling: str, variants: list[str]) -> None:
    assert bv.compound_variants(spelling) == variants


def test_curated_entries_of_a_group_do_not_share_their_domain_list(bv: ModuleType, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # merging a later entry's domains into one entry must not leak into the rest of its group
    (tmp_path / "methods_a.yaml").write_text(
        '- subtype: algorithm\n  entries:\n    - "Alpha Method | shared name"\n    - "Beta Method"\n'
        '- subtype: algorithm\n  domains: [Optimization]\n  entries:\n    - "Shared Name"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(bv, "SRC", tmp_path)
    entries = bv.load_curated("method")
    merged, _ = bv.merge_entries([entries])
    by_name = {e.name: e for e in merged}
    assert by_name["Alpha Method"].domains == ["Optimization"]
    assert by_name["Beta Method"].domains == []
