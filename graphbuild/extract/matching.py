"""Vocabulary matching: which spellings match how, and which matches count.

Short acronyms (LSTM, DQN, GANs, ViT) match case-sensitively so that common
words do not fire; longer names match case-insensitively (spaCy ``LOWER``).
Entries flagged ``ambiguous`` (names that are also English words) match only
as written and never at the start of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphbuild.extract.vocabulary import Vocabulary

_HYPHEN_AFTER = re.compile(r"-([^\W_][\w]*)")


def is_case_sensitive(spelling: str) -> bool:
    """Acronym-like single tokens (≤ 3 chars, or mostly capitals) match as written."""
    if " " in spelling:
        return False
    letters = [c for c in spelling if c.isalpha()]
    if not letters:
        return True
    upper = sum(c.isupper() for c in letters)
    return len(spelling) <= 3 or (upper >= 2 and upper >= len(letters) - 2 and len(spelling) <= 10)


def spelling_variants(spelling: str) -> list[str]:
    """The spelling and its plural (LLM → LLMs, Transformer → Transformers)."""
    out = [spelling]
    last = spelling.split()[-1] if spelling.split() else ""
    if last and last[-1].isalpha() and not last.endswith(("s", "S")):
        out.append(spelling + "s")
    return out


def vocabulary_patterns(vocab: Vocabulary) -> Iterator[tuple[str, str, bool]]:
    """(entity id, spelling, case-sensitive) for every spelling worth matching."""
    seen: set[tuple[str, str, bool]] = set()
    for entry in vocab.entries.values():
        for spelling in entry.spellings:
            if vocab.is_blocked(spelling) or len(spelling) < 2:
                continue
            cs = entry.ambiguous or is_case_sensitive(spelling)
            for variant in spelling_variants(spelling):
                key = (entry.id, variant if cs else variant.lower(), cs)
                if key not in seen:
                    seen.add(key)
                    yield entry.id, variant, cs


def accept_match(text: str, start: int, end: int, ambiguous: bool, sentence_initial: bool,
                 suffix_ok: frozenset[str]) -> bool:
    """Whether a vocabulary match at [start, end) of ``text`` is a mention of that entity.

    Rejects a match that is only part of a longer hyphenated name (ImageNet in
    ImageNet-C, GPT-4 in GPT-4-turbo, ImageNet in Mini-ImageNet), unless the
    hyphenated word is a modifier such as "-based"; rejects ambiguous names at a
    sentence start.
    """
    if ambiguous and sentence_initial:
        return False
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum():
        return False
    m = _HYPHEN_AFTER.match(text, end)
    return not (m and m.group(1).lower() not in suffix_ok)
