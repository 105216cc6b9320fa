"""Exact shortcuts for the affix searches of spaCy's rule-based tokenizer.

spaCy splits a whitespace-separated chunk it has not cached by calling
``prefix_search`` and ``suffix_search`` (a regex of ~80 ``…$`` alternatives)
at least twice, ``url_match`` and ``infix_finditer`` once. Python's ``re``
tries every alternative at every position of the chunk: on abstracts these
take about half of the tokenizer's time. Each has a shortcut that gives the
same matches:

* **prefixes**: all alternatives are anchored at the start (``^``): only those
  whose first element admits the chunk's first character can match.

* **suffixes**: all alternatives are anchored at the end (``$``), so a match's
  last character is the text's: only the alternatives whose last element admits
  that character can match, and when all of those are bounded (W characters at
  most) a search that starts W characters before the end finds the same
  leftmost match (``Pattern.search`` with ``pos`` still lets lookbehinds read
  the text before ``pos``).
* **infixes**: when no alternative can consume an ASCII letter or digit (the
  lookarounds only look), a chunk made of letters and digits has no infix, and
  in other chunks only the alternatives that can start with one of the chunk's
  other characters can match.
* **URLs**: every match of spaCy's URL pattern consumes a ``.``; a chunk
  without one is no URL.

Both facts are derived from the patterns with ``re``'s own parser; where a
derivation does not hold (a newline that ``$`` matches before, an unexpected
construct, different entries) the plain search runs. Tokens are identical to
spaCy's (``tests/extract/test_extract_affixes.py`` checks a corpus and edge cases).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer

# The parser is CPython's private API: without it (or if it changed shape) no shortcut installs and
# the tokenizer keeps spaCy's own searches — same tokens, slower; ``speed_up`` says which installed.
try:
    from re import _constants as _c
    from re import _parser as _sre
except ImportError:  # pragma: no cover - other Pythons
    try:
        import sre_constants as _c  # type: ignore[no-redef]
        import sre_parse as _sre  # type: ignore[no-redef]
    except ImportError:
        _c = _sre = None  # type: ignore[assignment]

#: every shortcut this module can install (``speed_up`` returns the ones it did)
ALL_SHORTCUTS = ("prefix_search", "suffix_search", "infix_finditer", "url_match")
_ALNUM = frozenset(string.ascii_letters + string.digits)
_UNBOUNDED = getattr(_c, "MAXREPEAT", None)
_REPEATS = tuple(op for op in (getattr(_c, n, None) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")) if op)


Ranges = tuple[tuple[int, int], ...]  # code point ranges


@dataclass(frozen=True, slots=True)
class Alternative:
    """One alternative of an affix regex: its source, maximal width, and the characters it may start
    with (prefixes, infixes) or end with (suffixes); ``edge`` None: any character."""

    source: str
    width: int
    edge: Ranges | None


def _admitted(alternatives: Sequence[Alternative], chars: Iterable[str]) -> list[Alternative]:
    """The alternatives whose edge admits one of ``chars``, in their original order."""
    return [a for a in alternatives if _admits(a.edge, chars)]


def _union(alternatives: Sequence[Alternative]) -> re.Pattern[str] | None:
    """One regex of ``alternatives`` in their order (so its leftmost-first match is the full regex's
    wherever the others cannot match); None if there are none."""
    return _compile_union(tuple(a.source for a in alternatives)) if alternatives else None


@lru_cache(maxsize=4096)
def _compile_union(sources: tuple[str, ...]) -> re.Pattern[str]:
    # many character sets admit the same alternatives (every accented letter, most punctuation): one
    # compiled regex per distinct set of alternatives. ``re``'s own cache (512 patterns, shared with
    # every other module) does not keep them: on 20k abstracts, compiling took ~3% of extraction.
    return re.compile("|".join(sources))


class SuffixSearch:
    """``suffix_search`` that tries only what can end with the text's last character.

    ``pattern`` is the original one (spaCy serializes a tokenizer's searches as
    ``search.__self__.pattern``). Every match ends at the end of the text (there
    is no newline, which ``$`` also matches before), so its last character is the
    text's: the search runs a regex of only the alternatives whose last element
    admits that character, from ``width`` characters before the end when all of
    them are bounded. One regex per distinct last character, made when first needed.
    """

    def __init__(self, alternatives: Sequence[Alternative], full: re.Pattern[str]) -> None:
        self.pattern = full.pattern
        self.alternatives = tuple(alternatives)
        self._full = full.search
        self._by_last: dict[str, tuple[Callable[..., re.Match[str] | None], int] | None] = {}

    def search(self, text: str) -> re.Match[str] | None:
        if not text or "\n" in text:
            return self._full(text)
        last = text[-1]
        try:
            group = self._by_last[last]
        except KeyError:
            group = self._by_last[last] = self._group(last)
        if group is None:
            return None
        search, width = group
        return search(text, max(0, len(text) - width)) if width else search(text)

    def _group(self, last: str) -> tuple[Callable[..., re.Match[str] | None], int] | None:
        admitted = _admitted(self.alternatives, last)
        regex = _union(admitted)
        if regex is None:
            return None
        # width 0: some alternative is unbounded, search the whole text
        width = 0 if any(a.width >= _UNBOUNDED for a in admitted) else max(a.width for a in admitted)
        return regex.search, width


class PrefixSearch:
    """``prefix_search`` that tries only the alternatives that can start with the text's first character.

    All alternatives are anchored at the start (``^``), so a match's first
    character is the text's; one regex per distinct first character.
    """

    def __init__(self, alternatives: Sequence[Alternative], full: re.Pattern[str]) -> None:
        self.pattern = full.pattern
        self.alternatives = tuple(alternatives)
        self._full = full.search
        self._by_first: dict[str, re.Pattern[str] | None] = {}

    def search(self, text: str) -> re.Match[str] | None:
        if not text:
            return self._full(text)
        first = text[0]
        try:
            regex = self._by_first[first]
        except KeyError:
            regex = self._by_first[first] = _union(_admitted(self.alternatives, first))
        return regex.search(text) if regex is not None else None


class InfixFinditer:
    """``infix_finditer`` that runs only the alternatives that can start with a character of the text.

    No alternative consumes an ASCII letter or digit, so a chunk of those has no
    infix; otherwise the chunk's other characters pick the alternatives whose
    first consumed character may be one of them (in their original order: the
    same matches), one regex per set of characters (hyphenated words make most
    calls: two alternatives instead of all of them).
    """

    def __init__(self, alternatives: Sequence[Alternative], full: re.Pattern[str], max_groups: int = 4096) -> None:
        self.pattern = full.pattern
        self.alternatives = tuple(alternatives)
        self.max_groups = max_groups
        self._full = full.finditer
        self._groups: dict[frozenset[str], re.Pattern[str] | None] = {}

    def finditer(self, text: str) -> Iterable[re.Match[str]]:
        if text.isascii() and text.isalnum():
            return ()
        others = frozenset(text).difference(_ALNUM)
        try:
            regex = self._groups[others]
        except KeyError:
            if len(self._groups) >= self.max_groups:
                return self._full(text)
            regex = self._groups[others] = _union(_admitted(self.alternatives, others))
        return regex.finditer(text) if regex is not None else ()


class RequiredMatch:
    """``url_match`` that fails at once when the text lacks a character every match consumes."""

    def __init__(self, full: re.Pattern[str], required: str) -> None:
        self.pattern = full.pattern
        self.required = required
        self._full = full.match

    def match(self, text: str) -> re.Match[str] | None:
        for ch in self.required:
            if ch not in text:
                return None
        return self._full(text)


def speed_up(tokenizer: Tokenizer, suffixes: Sequence[str] | None, infixes: Sequence[str] | None,
             prefixes: Sequence[str] | None = None) -> list[str]:
    """Install the shortcuts on ``tokenizer`` where they provably apply; the names of those installed.

    ``suffixes`` / ``infixes`` / ``prefixes``: the entries the tokenizer's regexes
    were compiled from (``nlp.Defaults``); a shortcut is installed only if they
    compile to the very pattern the tokenizer has.
    """
    installed: list[str] = []
    if _sre is None:
        return installed

    def derive(make: Callable[[], Any]) -> Any:
        try:
            return make()
        except Exception:  # the private parser changed shape: keep spaCy's own search
            return None

    # spaCy reloads every special case (~1,300 in English, ~0.1 s) whenever a search is set: with none
    # loaded meanwhile, they load once, at the end, with every shortcut in place
    rules = tokenizer.rules
    tokenizer.rules = {}
    try:
        prefix = derive(lambda: prefix_search(prefixes, _pattern_of(tokenizer.prefix_search))) if prefixes else None
        if prefix is not None:
            tokenizer.prefix_search = prefix.search
            installed.append("prefix_search")
        suffix = derive(lambda: suffix_search(suffixes, _pattern_of(tokenizer.suffix_search))) if suffixes else None
        if suffix is not None:
            tokenizer.suffix_search = suffix.search
            installed.append("suffix_search")
        infix = derive(lambda: infix_finditer(infixes, _pattern_of(tokenizer.infix_finditer))) if infixes else None
        if infix is not None:
            tokenizer.infix_finditer = infix.finditer
            installed.append("infix_finditer")
        url = getattr(tokenizer.url_match, "__self__", None)
        if isinstance(url, re.Pattern) and tokenizer.url_match == url.match:
            shortcut = derive(lambda: required_match(url))
            if shortcut is not None:
                tokenizer.url_match = shortcut.match
                installed.append("url_match")
    finally:
        tokenizer.rules = rules
    return installed


def prefix_search(entries: Sequence[str], pattern: str | None) -> PrefixSearch | None:
    """A search equal to ``compile_prefix_regex(entries).search``, or None if the shortcut does not apply."""
    sources = ["^" + e for e in entries if e.strip()]
    if pattern is None or "|".join(sources) != pattern:
        return None
    alternatives = []
    for source in sources:
        tree = _parse(source)
        if tree is None or tree.state.flags & (re.IGNORECASE | re.MULTILINE) or (
            tree.data[:1] != [(_c.AT, _c.AT_BEGINNING)]
        ):
            return None  # case folding; ``^`` at every line start; an entry with a "|" of its own
        alternatives.append(Alternative(source, tree.getwidth()[1], _edge_chars(tree, last=False)))
    return PrefixSearch(alternatives, re.compile(pattern))


def suffix_search(entries: Sequence[str], pattern: str | None) -> SuffixSearch | None:
    """A search equal to ``compile_suffix_regex(entries).search``, or None if the shortcut does not apply."""
    sources = [e + "$" for e in entries if e.strip()]
    if pattern is None or "|".join(sources) != pattern:
        return None
    alternatives = []
    for source in sources:
        tree = _parse(source)
        if tree is None or tree.state.flags & (re.IGNORECASE | re.MULTILINE) or (
            tree.data[-1:] != [(_c.AT, _c.AT_END)]
        ):
            return None  # case folding; ``$`` at every line end; an entry with a "|" of its own
        alternatives.append(Alternative(source, tree.getwidth()[1], _edge_chars(tree, last=True)))
    return SuffixSearch(alternatives, re.compile(pattern))


def infix_finditer(entries: Sequence[str], pattern: str | None) -> InfixFinditer | None:
    """A finditer equal to ``compile_infix_regex(entries).finditer``, or None if the shortcut does not apply."""
    if pattern is None or "|".join(entries) != pattern:
        return None
    alternatives = []
    for source in entries:
        tree = _parse(source)
        if tree is None or tree.state.flags & re.IGNORECASE or tree.getwidth()[0] == 0:
            return None  # case folding, or an empty match (a zero-width infix)
        if _may_consume(tree, _ALNUM):
            return None
        alternatives.append(Alternative(source, tree.getwidth()[1], _edge_chars(tree, last=False)))
    return InfixFinditer(alternatives, re.compile(pattern))


def required_match(pattern: re.Pattern[str]) -> RequiredMatch | None:
    """``pattern.match`` behind a test for the characters every match consumes, or None if there are none."""
    tree = _parse(pattern.pattern, pattern.flags)
    if tree is None:
        return None
    chars = "".join(sorted(_required(tree)))
    if not chars or (tree.state.flags & re.IGNORECASE and chars.lower() != chars.upper()):
        return None
    return RequiredMatch(pattern, chars)


def _parse(source: str, flags: int = 0) -> Any:
    """``re``'s parse tree of ``source``; None if the parser rejects it (then no shortcut applies)."""
    try:
        return _sre.parse(source, flags)
    except (re.error, ValueError, TypeError):  # pragma: no cover
        return None


def _required(tree: Any) -> set[str]:
    """Characters that every match of a parsed pattern consumes (lookarounds consume nothing)."""
    out: set[str] = set()
    for op, av in tree:
        if op is _c.LITERAL:
            out.add(chr(av))
        elif op is _c.IN and len(av) == 1 and av[0][0] is _c.LITERAL:
            out.add(chr(av[0][1]))
        elif op is _c.SUBPATTERN:
            if not av[1] & re.IGNORECASE:
                out |= _required(av[-1])
        elif op in _REPEATS and av[0] > 0:
            out |= _required(av[2])
        elif op is _c.BRANCH:
            parts = [_required(b) for b in av[1]]
            out |= set.intersection(*parts) if parts else set()
    return out


def _pattern_of(search: Callable[..., Any] | None) -> str | None:
    owner = getattr(search, "__self__", None)
    pattern = getattr(owner, "pattern", None)
    return pattern if isinstance(pattern, str) else None


def _edge_chars(tree: Any, last: bool) -> Ranges | None:
    """Code point ranges the first (or last) character a parsed pattern consumes may be in (None: any)."""
    items = [(op, av) for op, av in tree if op not in (_c.ASSERT, _c.ASSERT_NOT, _c.AT)]
    if not items:
        return None
    op, av = items[-1 if last else 0]
    if op is _c.LITERAL:
        return ((av, av),)
    if op is _c.IN:
        return _set_ranges(av)
    if op is _c.BRANCH:
        parts = [_edge_chars(b, last) for b in av[1]]
        if any(p is None for p in parts):
            return None
        return tuple(r for p in parts if p is not None for r in p)
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return None if add_flags & re.IGNORECASE else _edge_chars(sub, last)
    if op in _REPEATS and av[0] > 0:
        return _edge_chars(av[2], last)
    return None  # an optional element, ANY, NOT_LITERAL, CATEGORY…


def _set_ranges(items: Any) -> Ranges | None:
    """The code point ranges of a character set ``[…]``; None (any) for NEGATE, CATEGORY (\\w, \\d…)."""
    ranges = []
    for op, av in items:
        if op is _c.LITERAL:
            ranges.append((av, av))
        elif op is _c.RANGE:
            ranges.append(tuple(av))
        else:
            return None
    return tuple(ranges)


def _admits(ranges: Ranges | None, chars: Iterable[str]) -> bool:
    return ranges is None or any(lo <= ord(ch) <= hi for ch in chars for lo, hi in ranges)


def _may_consume(tree: Any, chars: frozenset[str]) -> bool:
    """Whether some element of a parsed pattern outside lookarounds may consume one of ``chars``."""
    for op, av in tree:
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue  # lookarounds and anchors consume nothing
        if op is _c.LITERAL:
            if _admits(((av, av),), chars):
                return True
        elif op is _c.IN:
            if _admits(_set_ranges(av), chars):
                return True
        elif op is _c.BRANCH:
            if any(_may_consume(b, chars) for b in av[1]):
                return True
        elif op is _c.SUBPATTERN:
            if _may_consume(av[-1], chars):
                return True
        elif op in _REPEATS:
            if _may_consume(av[2], chars):
                return True
        else:
            return True  # ANY, NOT_LITERAL, CATEGORY, back references…: assume it may
    return False
