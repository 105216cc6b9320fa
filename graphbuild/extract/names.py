"""Spelling normalization shared by matching, resolution and evaluation (one normalizer).

``match_key`` is the identity of a spelling: two spellings with the same key
are the same name. It absorbs case, hyphens, spaces, dots, possessives, a
leading article, Unicode dash/quote/width variants and the plural of the last
word ("Transformers" → transformer, "ResNets" → resnet, "LLMs" → llm,
"CIFAR10" = "CIFAR-10", "the DeepMind Control Suite" = "DeepMind Control Suite"),
but keeps every letter, digit and "+" that distinguishes names (GPT-3 ≠ GPT-4,
ResNet-50 ≠ ResNet-101, ImageNet ≠ ImageNet-C, Rodimus ≠ Rodimus+).
``graphbuild.evaluate`` scores with the same key, so a spelling the graph merges
is a spelling the evaluation accepts, and the other way round.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_POSSESSIVE = re.compile(r"(?:'s|s')$")
# a possessive inside a name: "Montezuma's Revenge" = "Montezuma Revenge"
_INNER_POSSESSIVE = re.compile(r"(?<=\w)'s?(?=\s)")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+(?=\S)", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-_./'\"’,:;()]+")
# plural "s" of an acronym (LLMs, GANs, CNNs) or of a word (Transformers, networks)
_ACRONYM_PLURAL = re.compile(r"(?<=[A-Z0-9])s$")
# "ResNets" too: two lower-case letters before the "s", which does not end in ss/us/is
_WORD_PLURAL = re.compile(r"(?<=[a-z]{2})(?<![sui])s$")
_SLUG_BAD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)
def clean_surface(text: str) -> str:
    """Unicode-normalized spelling with possessives and outer punctuation removed."""
    s = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES).strip()
    s = s.strip(" \t\"'`,;:.()[]{}")
    return _POSSESSIVE.sub("", s) if len(s) > 3 else s


def singular(word: str) -> str:
    """Drop one plural 's' from the last word (acronym plurals and ordinary words)."""
    if _ACRONYM_PLURAL.search(word) and len(word) >= 3:
        return word[:-1]
    if _WORD_PLURAL.search(word) and not word.endswith("ss"):
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        return word[:-1]
    return word


@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """The identity of a spelling (see module doc)."""
    s = _INNER_POSSESSIVE.sub("", _LEADING_ARTICLE.sub("", clean_surface(text)))
    words = s.split()
    if words:
        words[-1] = singular(words[-1])
        s = " ".join(words)
    return _SEPARATORS.sub("", s.lower())


def slugify(text: str) -> str:
    """Readable key part: ``DeepMind Control Suite`` → ``deepmind-control-suite``."""
    s = unicodedata.normalize("NFKD", clean_surface(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("+", "plus")
    return _SLUG_BAD.sub("-", s).strip("-") or "x"
