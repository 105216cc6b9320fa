"""The distinct spellings of an entity, as the viewer's panel lists them.

A graph keeps every surface form it saw ("Transformer architecture", "Transformer architectures",
"transformers", …). A reader wants the distinct ones: spellings that differ only by case, by the
plural of their last word, or by hyphens/underscores against spaces are one spelling, shown in its
most frequent form; the canonical name's own variants are dropped; the most frequent come first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_SEPARATORS = re.compile(r"[\s\-_‐‑–]+")
_PLURAL_ES = ("sses", "shes", "ches", "xes", "zes")


def singular(word: str) -> str:
    """The English singular of a (lower-case) word, by suffix only; words it cannot tell stay."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(_PLURAL_ES):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def fold(spelling: str) -> str:
    """The key two spellings share when they are the same spelling to a reader.

    Case, the plural of the last word, and where words are split or hyphenated do not count:
    "self-attention" = "Self Attention" = "selfattention", and PDF line-break hyphenation
    ("genera- tive adversarial networks") folds onto the plain spelling.
    """
    words = _SEPARATORS.sub(" ", spelling.casefold()).strip().split(" ")
    # "GANs" → "gan": a trailing lower-case s after capitals is a plural too
    last = spelling.rstrip().split()[-1] if spelling.strip() else ""
    if len(last) >= 3 and last.endswith("s") and last[:-1].isupper():
        words[-1] = words[-1][:-1]
    else:
        words[-1] = singular(words[-1])
    return "".join(words)


def distinct_spellings(name: str, counts: Mapping[str, int], known: Iterable[str] = ()) -> list[str]:
    """Distinct spellings other than ``name``, most frequent first.

    ``counts``: how often each surface form was seen (papers); ``known``: further aliases
    (vocabulary, earlier builds) that count 0 unless seen. Each group of variants is shown by its
    most frequent member (ties: the alphabetically first); groups are ordered by their total count,
    then alphabetically.
    """
    groups: dict[str, dict[str, int]] = {}
    for spelling, c in counts.items():
        if spelling and spelling.strip():
            groups.setdefault(fold(spelling), {})[spelling] = int(c)
    for spelling in known:
        if spelling and spelling.strip():
            groups.setdefault(fold(spelling), {}).setdefault(spelling, 0)
    if name.strip():
        groups.pop(fold(name), None)
    ranked = []
    for members in groups.values():
        best = min(members, key=lambda s: (-members[s], s))
        ranked.append((-sum(members.values()), best))
    return [s for _, s in sorted(ranked)]
