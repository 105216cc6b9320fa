"""A paper's own name written two ways: the title's and the abstract's (one algorithm, one file).

Titles often carry a longer or spelled-out form of the name the abstract uses: "Diffusion Twigs with
Loop Guidance …" / "we introduce … Twigs"; "Topology-Aware Hierarchical Graph Diffusion Model for …" /
"This work introduces THGD". Both are the paper's own (found by a title rule, proposed in the
abstract), so the short one is the long one's alias, exactly like an acronym defined in the text:
:func:`own_name_pairs` returns ``(short, long)`` pairs for resolution.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PARTS = re.compile(r"[\s-]+")
#: generic last words a title name may add to its acronym ("… Diffusion Model" for THGD)
_GENERIC_LAST = frozenset({"model", "models", "network", "networks", "framework", "method", "algorithm"})


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w).lower()


def spells_out(short: str, long: str) -> bool:
    """``long``'s word initials are ``short`` (with or without a generic last word): "THGD" /
    "Topology-Aware Hierarchical Graph Diffusion Model"."""
    if len(short.split()) != 1 or not short[:1].isupper() or sum(c.isupper() for c in short) < 2:
        return False
    target = short.replace("-", "").lower()
    # a hyphenated word gives one letter or one per part ("Topology-Aware" → T; "Multi-Scale" → MS)
    for parts in (long.split(), [p for p in _PARTS.split(long) if p]):
        if len(parts) >= 2 and (_initials(parts) == target
                                or (parts[-1].lower() in _GENERIC_LAST and _initials(parts[:-1]) == target)):
            return True
    return False


def abbreviates(short: str, long: str) -> bool:
    """``short`` is ``long`` less leading words ("Twigs" / "Diffusion Twigs"), or the initials of its
    words, with or without a generic last word ("THGD" / "Topology-Aware Hierarchical Graph Diffusion
    Model")."""
    # only a one-word coined name: a shared phrase ("Sketch Attention" of "Tensor Sketch Attention") would
    # become every paper's spelling of this paper's method (pairs are corpus-wide definitions)
    l_words = long.lower().split()
    if len(short.split()) == 1 and short[:1].isupper() and len(l_words) > 1 and l_words[-1] == short.lower():
        return True
    return spells_out(short, long)


def own_name_pairs(title_names: Iterable[str], abstract_names: Iterable[str]) -> list[tuple[str, str]]:
    """``(short, long)`` for each abstract name the title's name abbreviates (either way round)."""
    pairs = []
    titles = list(dict.fromkeys(title_names))
    for a in dict.fromkeys(abstract_names):
        for t in titles:
            if a == t:
                continue
            if abbreviates(a, t):
                pairs.append((a, t))
            elif abbreviates(t, a):
                pairs.append((t, a))
    return pairs


def spelled_out_pairs(own_shorts: Iterable[str], names: Iterable[str]) -> list[tuple[str, str]]:
    """``(short, long)`` for each of the paper's own acronym-like names that another of its names spells
    out ("This work introduces THGD, a Topology-Aware Hierarchical Graph Diffusion Model design"). Only
    names the vocabulary does not know are passed in: a known acronym (GAN) keeps its meaning."""
    longs = [n for n in dict.fromkeys(names) if len(n.split()) > 1]
    return [(s, lf) for s in dict.fromkeys(own_shorts) for lf in longs if spells_out(s, lf)]
