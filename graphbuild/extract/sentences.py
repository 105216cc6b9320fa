"""Sentence bounds from the text: the rule of spaCy's Sentencizer without per-token objects.

A sentence ends after ``.``, ``!``, ``?`` (and their CJK/ellipsis forms) plus
any closing quotes/brackets, before whitespace — except after abbreviations
the tokenizer keeps whole ("e.g.", "i.e.", "et al.", "Fig.") and single
initials; "..." does not end a sentence (one token, as in spaCy). This costs a
regex pass instead of a Python object per token.
"""

from __future__ import annotations

import re

# "[…][…]*" rather than "[…]+": a pattern that opens with a plain character set lets the
# regex engine skip to the next end mark in C instead of trying a match at every position
_END = re.compile(r"[.!?…。！？][.!?…。！？]*[\"'”’)\]]*(?=\s+\S)")
_NON_SPACE = re.compile(r"\S")


def _is_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """Whether the period at ``dot`` ends an abbreviation or a single initial ("J.")."""
    space = text.rfind(" ", 0, dot)
    # the word starts after the last space or "(" before the dot; only a "(" after that
    # space can be the later one (no scan back to the start of the text)
    start = max(space, text.rfind("(", space + 1, dot)) + 1
    word = text[start:dot]
    if len(word) == 1:
        return word.isupper()
    return word.lower() in abbreviations


def split_sentences(text: str, abbreviations: frozenset[str] | None = None) -> tuple[tuple[int, int], ...]:
    """(start, end) character offsets of each sentence, trailing spaces excluded.

    ``abbreviations``: lowercase words whose final period does not end a sentence
    (default: ``abbreviations`` in the extractor's patterns file).
    """
    if abbreviations is None:
        from graphbuild.extract.rules import load_rules

        abbreviations = load_rules().abbreviations
    if not text.strip():
        return ()
    bounds: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _END.finditer(text):
        mark = m.group()
        if mark.startswith(".."):
            continue  # "..." is one token, not in the Sentencizer's punctuation list
        if mark == "." and _is_abbreviation(text, m.start(), abbreviations):
            continue
        end = m.end()
        bounds.append((start, end))
        # the match is followed by whitespace and then a non-space: the next sentence starts there
        # (usually after one space: no regex call)
        start = end + 1 if text[end] == " " and not text[end + 1].isspace() else (
            _NON_SPACE.search(text, end).start())  # type: ignore[union-attr]
    end = len(text.rstrip())
    if start < end:
        bounds.append((start, end))
    return tuple(bounds)
