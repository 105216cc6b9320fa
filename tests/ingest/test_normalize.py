"""LaTeX residue and whitespace normalization, ids."""

from __future__ import annotations

import pytest

from graphbuild.ingest.normalize import arxiv_id, doi, normalize_text, paper_id, strip_latex, title_fingerprint


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("We train \\emph{ResNet-50}  on\nImageNet.", "We train ResNet-50 on ImageNet."),
        ("Nested \\textbf{\\emph{bold}} text", "Nested bold text"),
        ("An $O(n)$ method with $\\alpha$-divergence", "An O(n) method with α-divergence"),
        ("{BERT} and {{GPT}}", "BERT and GPT"),
        ("\\textcolor{teal}{Directed} graphs, \\href{https://x.org}{code}", "Directed graphs, code"),
        ("Caf\\'{e} na\\\"ive", "Café naïve"),
        ("10\\% gains \\& more", "10% gains & more"),
        ("Plain text is untouched: a-b (c) 3.5", "Plain text is untouched: a-b (c) 3.5"),
        ("non-ASCII 東京 stays", "non-ASCII 東京 stays"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_ids() -> None:
    assert arxiv_id("https://arxiv.org/abs/2106.01345v2") == "2106.01345"
    assert arxiv_id("10.1145/1234.5678") is None  # inside a DOI
    assert arxiv_id("9999.12345") is None  # month 99 does not exist
    assert doi("https://doi.org/10.1109/CVPR.2016.90.") == "10.1109/cvpr.2016.90"
    assert paper_id(title="X", arxiv="2106.01345", doi_value="10.1/x") == "arxiv:2106.01345"
    assert paper_id(title="X", doi_value="10.1/x") == "doi:10.1/x"
    assert title_fingerprint("Attention Is All You Need!") == title_fingerprint("attention is all  you need")


def test_each_latex_special_alone_is_enough_to_strip() -> None:
    # the shortcut for plain text must not skip a text whose only LaTeX is one of the four specials
    assert strip_latex("a 50\\% gain") == "a 50% gain"
    assert strip_latex("the $k$-means step") == "the k-means step"
    assert strip_latex("{BERT} wins") == "BERT wins"
    assert strip_latex("BERT} wins") == "BERT wins"
    assert strip_latex("plain text, no residue (10% off)") == "plain text, no residue (10% off)"
