import pytest

from graphbuild.extract.names import match_key, slugify


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Transformers", "Transformer"),
        ("CIFAR10", "CIFAR-10"),
        ("LLMs", "LLM"),
        ("ImageNet's", "ImageNet"),
        ("Meta-World", "MetaWorld"),
        ("deepmind control suite", "DeepMind Control Suite"),
        ("GPT\u20114", "GPT-4"),  # non-breaking hyphen
        ("policies", "policy"),
        ("ResNets", "ResNet"),  # a CamelCase plural
        ("Montezuma's Revenge", "Montezuma Revenge"),
        ("the Pile", "Pile"),
    ],
)
def test_same_name(a, b):
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("GPT-3", "GPT-4"), ("ResNet-50", "ResNet-101"), ("ImageNet", "ImageNet-C"), ("DrQ", "DrQ-v2"),
     ("Rodimus", "Rodimus+")],
)
def test_different_names(a, b):
    assert match_key(a) != match_key(b)


def test_evaluation_scores_with_the_resolution_key():
    from graphbuild.evaluate import normalize_name, normalize_title
    from graphbuild.ingest.normalize import title_fingerprint

    for s in ("ResNets", "Deep TAMER's", "the DeepMind Control Suite", "ε-greedy", "Rodimus+"):
        assert normalize_name(s) == match_key(s)
    assert normalize_title("A Title: With $x$") == title_fingerprint("A Title: With $x$")


def test_acronyms_ending_in_capital_s_keep_it():
    assert match_key("VOS") == "vos"
    assert match_key("Process") == "process"


def test_slugs_are_readable_and_keep_non_ascii_letters():
    assert slugify("DeepMind Control Suite") == "deepmind-control-suite"
    assert slugify("ResNet-101") == "resnet-101"
    assert slugify("C++") == "cplusplus"
    assert slugify("π0") == "π0"
