"""Schwartz–Hearst abbreviation detection (one algorithm, one file).

A. Schwartz and M. Hearst, "A simple algorithm for identifying abbreviation
definitions in biomedical text", PSB 2003 — the algorithm scispaCy's
``abbreviation.py`` implements. It finds ``long form (SF)`` and
``SF (long form)`` pairs and picks the shortest long form whose words cover
the short form's characters in order, the first one at a word start.

The functions here are pure (strings in, offsets out) so they can be tested
without spaCy; the pipeline component only stores their result on the Doc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# parenthesised chunks without nested parentheses; 1-60 chars is enough for
# either a short form or a long form in the reversed "SF (long form)" order
_PAREN = re.compile(r"\(([^()]{1,60})\)")
_CLAUSE = re.compile(r"[,;]\s")
_WRAP = "*_`\"'“”‘’"


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """A short form and the long form it abbreviates, as character offsets."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def is_short_form(candidate: str) -> bool:
    """Schwartz–Hearst short-form test: 2–10 chars, ≤ 2 words, a letter, alnum start."""
    if not 2 <= len(candidate) <= 10:
        return False
    if len(candidate.split()) > 2:
        return False
    if not any(c.isalpha() for c in candidate):
        return False
    return candidate[0].isalnum()


def best_long_form(short: str, long: str) -> str | None:
    """The shortest suffix of ``long`` that covers ``short``'s characters in order.

    Characters are matched right to left; the short form's first character must
    match at the start of a word of the long form. Returns None when no suffix
    works or the result is no longer than the short form.
    """
    s_idx = len(short) - 1
    l_idx = len(long) - 1
    while s_idx >= 0:
        c = short[s_idx].lower()
        if not c.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            long[l_idx].lower() != c or (s_idx == 0 and l_idx > 0 and long[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = long.rfind(" ", 0, l_idx + 1) + 1
    result = long[start:]
    if len(result) <= len(short) or short.lower() in result.lower().split():
        return None
    return result


def _window_before(text: str, end: int, n_words: int) -> tuple[int, str]:
    """At most ``n_words`` words ending at ``end``; never crosses a clause boundary."""
    lo = max(0, end - 16 * n_words)
    cut = lo
    for mark in (". ", "; ", ": ", "! ", "? ", "(", ")", "[", "]", "。", "！", "？", "；"):
        i = text.rfind(mark, lo, end)
        if i >= 0 and i + len(mark) > cut:
            cut = i + len(mark)
    if cut == lo and lo > 0 and not text[lo - 1].isspace():
        # the window starts inside a word: drop that partial word
        while cut < end and not text[cut].isspace():
            cut += 1
    n = len(text[cut:end].split())
    if n == 0:
        return end, ""
    start = _word_start(text, cut, end, max(0, n - n_words))
    return start, text[start:end]


def _word_start(text: str, lo: int, end: int, skip: int) -> int:
    """Offset of the word after skipping ``skip`` words from ``lo``."""
    i = lo
    while i < end and text[i].isspace():
        i += 1
    for _ in range(skip):
        while i < end and not text[i].isspace():
            i += 1
        while i < end and text[i].isspace():
            i += 1
    return i


def find_abbreviations(text: str) -> list[Abbreviation]:
    """All Schwartz–Hearst pairs in ``text``, in order of appearance."""
    pairs: list[Abbreviation] = []
    if "(" not in text:
        return pairs
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        # "(SF, e.g. ...)" / "(SF; ...)": the short form is the first chunk
        head = _CLAUSE.split(inner, maxsplit=1)[0].strip()
        head_start = m.start(1) + inner.find(head)
        if is_short_form(head):
            n_words = min(len(head) + 5, len(head) * 2)
            lstart, window = _window_before(text, m.start(), n_words)
            window_stripped = window.rstrip()
            lf = best_long_form(head, window_stripped)
            if lf is not None and _plausible(head, lf):
                ls = lstart + len(window_stripped) - len(lf)
                # quotes and Markdown emphasis around the long form are not part of it ("*Generic COG* (gCOG)")
                core = lf.lstrip(_WRAP)
                ls += len(lf) - len(core)
                lf = core.rstrip(_WRAP) or lf
                pairs.append(Abbreviation(head, lf, head_start, head_start + len(head), ls, ls + len(lf)))
                continue
        # reversed order: "SF (long form)"
        if len(inner.split()) < 2:
            continue
        # the word right before the parenthesis (rfind: no scan of the whole prefix)
        e0 = m.start()
        while e0 > 0 and text[e0 - 1].isspace():
            e0 -= 1
        s0 = max(text.rfind(" ", 0, e0), text.rfind("\n", 0, e0), text.rfind("\t", 0, e0)) + 1
        sf = text[s0:e0].rstrip(",;:")
        if not is_short_form(sf) or not any(c.isupper() for c in sf):
            continue
        lf = best_long_form(sf, inner.strip())
        if lf is not None and lf == inner.strip() and _plausible(sf, lf):
            pairs.append(Abbreviation(sf, lf, s0, s0 + len(sf), m.start(1), m.end(1)))
    return pairs


def _plausible(short: str, long: str) -> bool:
    # long forms that are mostly not words (formulas, citations) are noise
    words = long.split()
    if len(words) > min(len(short) + 5, len(short) * 2):
        return False
    return sum(any(c.isalpha() for c in w) for w in words) >= max(1, len(words) - 1)
