"""Sentence bounds from the text: the rule of spaCy's Sentencizer without per-token objects.

A sentence ends after ``.``, ``!``, ``?`` (and their CJK/ellipsis forms) plus
any closing quotes/brackets, before whitespace — except after abbreviations
the tokenizer keeps whole ("e.g.", "i.e.", "et al.", "Fig.") and single
initials; "..." does not end a sentence (one token, as in spaCy). This costs a regex pass instead of a Python object per token.
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?…。！？]+[\"'”’)\]]*(?=\s+\S)")
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|vs|cf|Fig|Figs|Eq|Eqs|etc|approx|resp|Sec|Tab|No|Ref|Refs|al|Dr|Mr|Ms|St|Inc|Ltd)"
    r"|(?<![\w.])[A-Z])\.$"
)


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) character offsets of each sentence, trailing spaces excluded."""
    if not text.strip():
        return ()
    bounds: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _END.finditer(text):
        if m.group().startswith(".."):
            continue  # "..." is one token, not in the Sentencizer's punctuation list
        if m.group()[0] == "." and len(m.group()) == 1 and _ABBREV.search(text, max(0, m.start() - 8), m.end()):
            continue
        bounds.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    end = len(text.rstrip())
    if start < end:
        bounds.append((start, end))
    return tuple(bounds)
