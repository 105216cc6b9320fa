"""BibTeX keeps inline LaTeX maths (arXiv titles) verbatim, and everything else escaped and exact."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graphbuild.export import export_graph
from graphbuild.export.bibtex import latex_escape, latex_unescape
from graphbuild.graph import new_graph

MATH_TITLES = {
    r"Sorting in $O(n \log n)$ comparisons": r"Sorting in $O(n \log n)$ comparisons",
    r"$\beta$-VAE: learning basic visual concepts": r"$\beta$-VAE: learning basic visual concepts",
    r"Attention with $\mathcal{O}(L^{2})$ memory and $$x_i^2$$ display": (
        r"Attention with $\mathcal{O}(L^{2})$ memory and $$x_i^2$$ display"
    ),
    # pandoc's rule: prices are not maths
    "Models that cost $5 and $10": r"Models that cost \$5 and \$10",
    "A $ sign alone, 100% sure": r"A \$ sign alone, 100\% sure",
    # an escaped dollar in the source opens no maths
    r"Pay \$x$ now": r"Pay \textbackslash{}\$x\$ now",
    # maths whose braces do not balance would end the BibTeX value early: escaped as text
    r"Broken $\{x$ maths": r"Broken \$\textbackslash{}\textbraceleft{}x\$ maths",
}


@pytest.mark.parametrize("title", MATH_TITLES)
def test_maths_is_kept_and_the_rest_escaped(title: str) -> None:
    assert latex_escape(title) == MATH_TITLES[title]
    assert latex_unescape(latex_escape(title)) == title


def test_bibtex_file_keeps_maths_and_parses(tmp_path: Path) -> None:
    import bibtexparser

    g = new_graph()
    for i, title in enumerate(MATH_TITLES):
        g.add_node(f"paper:m{i}", label="Paper", name=title, title=title, abstract=f"About {title}.")
    export_graph(g, "bibtex", tmp_path / "m.bib")
    text = (tmp_path / "m.bib").read_text("utf-8")
    assert r"title = {Sorting in $O(n \log n)$ comparisons}" in text
    assert r"title = {$\beta$-VAE: learning basic visual concepts}" in text
    lib = bibtexparser.parse_string(text)
    assert lib.failed_blocks == [] and len(lib.entries) == len(MATH_TITLES)
    assert sorted(latex_unescape(e["title"]) for e in lib.entries) == sorted(MATH_TITLES)
    assert sorted(latex_unescape(e["abstract"]) for e in lib.entries) == sorted(f"About {t}." for t in MATH_TITLES)


def test_escaping_is_exactly_invertible_on_random_text() -> None:
    rng = random.Random(16)
    alphabet = "ab $\\{}_^~%&#5 \n"
    for _ in range(20_000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        escaped = latex_escape(s)
        assert latex_unescape(escaped) == s, repr(s)
        # BibTeX counts every brace: the value must balance, or the entry ends early
        depth = 0
        for c in escaped:
            depth += 1 if c == "{" else -1 if c == "}" else 0
            assert depth >= 0, (s, escaped)
        assert depth == 0, (s, escaped)
