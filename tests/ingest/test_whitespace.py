"""``normalize_whitespace`` splits at exactly the characters the ``\\s+`` regex it replaced collapsed."""

from __future__ import annotations

import re
import sys

from graphbuild.ingest.normalize import normalize_whitespace


def test_every_whitespace_character_collapses_as_the_regex_did() -> None:
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c))]
    assert len(spaces) > 20  # Unicode whitespace, not only ASCII
    for s in spaces:
        text = f"{s}a{s}{s}b {s}c{s}"
        assert normalize_whitespace(text) == re.sub(r"\s+", " ", text).strip() == "a b c", repr(s)
    # and nothing else separates words (zero-width space, no-break joiners, controls that are not space)
    for s in ("\u200b", "\u2060", "\ufeff", "\x00", "\x1b"):
        assert normalize_whitespace(f"a{s}b") == f"a{s}b"


def test_ascii_text_with_one_odd_space_is_not_taken_as_clean() -> None:
    # the shortcut for clean ASCII text must see every ASCII separator, alone and at either end
    for s in [chr(c) for c in range(128) if chr(c).isspace()]:
        assert normalize_whitespace(f"a{s}b") == "a b", repr(s)
        assert normalize_whitespace(f"{s}a b") == normalize_whitespace(f"a b{s}") == "a b", repr(s)
    assert normalize_whitespace("a  b") == "a b" and normalize_whitespace("") == ""
    clean = "Plain ASCII, single spaces (10% off)."
    assert normalize_whitespace(clean) is clean
