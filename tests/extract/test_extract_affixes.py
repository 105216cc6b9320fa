"""The tokenizer shortcuts (graphbuild/extract/affixes.py) give spaCy's tokens exactly."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import spacy
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from graphbuild.extract.affixes import infix_finditer, prefix_search, required_match, speed_up, suffix_search

ROOT = Path(__file__).resolve().parents[2]

EDGE_CASES = [
    "10km", "5km/h.", "100$", "$100", "US$5", "5°C.", "it's", "IT'S", "dogs'", "ResNet-50's", "(ROT)", "GPT-4,",
    "e.g..", "wait...", "wait....", "a..b", "x.\n", "word\n", "\n\n", "…", "……", "state-of-the-art", "a/b", "a:b",
    "3+4", "3-4", "x=y", "U.S.", "Ph.D.", "don't", "can't.", "₹100", "100₹", "→", "smile😀", "😀,", "«quoted»",
    "naïve", "Schrödinger's", "ĲSSEL.", "ok)", "ok).", '"ok"', "ok'", "—", "–", "a—b", "1.5x", "50%", "50%.",
    "CIFAR-10/100", "x_i", "#1", "*", "", " ", "a", "12", "1.", ".5", "ok?!", "(ok)?",
    "www.example.com", "https://github.com/org/repo.", "(https://x.org/a?b=1)", "example.com,", "a.b", "localhost:8080",
    "192.168.0.1", "user@mail.org",
]


@pytest.fixture(scope="module")
def tokenizers() -> tuple[spacy.language.Language, spacy.language.Language]:
    plain, fast = spacy.blank("en"), spacy.blank("en")
    installed = speed_up(fast.tokenizer, fast.Defaults.suffixes, fast.Defaults.infixes, fast.Defaults.prefixes)
    assert installed == ["prefix_search", "suffix_search", "infix_finditer", "url_match"]
    return plain, fast


def _tokens(nlp: spacy.language.Language, text: str) -> list[tuple[str, str]]:
    return [(t.text, t.whitespace_) for t in nlp.make_doc(text)]


def test_edge_cases_tokenize_as_spacy_does(tokenizers) -> None:
    plain, fast = tokenizers
    for text in EDGE_CASES:
        assert _tokens(fast, text) == _tokens(plain, text), text
    joined = " ".join(EDGE_CASES)
    assert _tokens(fast, joined) == _tokens(plain, joined)


def test_sample_corpus_tokenizes_as_spacy_does(tokenizers) -> None:
    plain, fast = tokenizers
    lines = (ROOT / "data" / "hf_trending_papers.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 400
    for line in lines:
        assert _tokens(fast, line) == _tokens(plain, line), line[:80]


def test_random_strings_tokenize_as_spacy_does(tokenizers) -> None:
    plain, fast = tokenizers
    # characters the affix rules care about, plus letters, digits and whitespace
    alphabet = [*"abcXYZs019.,;:!?'\"()[]-–—/+*^=<>$€%°_#…’km\n ", "😀", "é", "ß"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        assert _tokens(fast, text) == _tokens(plain, text), repr(text)


def test_suffix_search_returns_the_same_span_as_the_regex() -> None:
    entries = spacy.blank("en").Defaults.suffixes
    full = compile_suffix_regex(entries)
    fast = suffix_search(entries, full.pattern)
    assert fast is not None
    for text in [*EDGE_CASES, "abc..........", "x" * 40 + "km", "x" * 40 + ".", "no suffix here"]:
        want, got = full.search(text), fast.search(text)
        assert (want and want.span()) == (got and got.span()), repr(text)


def test_suffix_search_keeps_the_order_of_alternatives() -> None:
    # both alternatives match at the same start; the first one listed wins in a regex
    entries = ["ab", "a[bc]"]
    pattern = compile_suffix_regex(entries).pattern
    fast = suffix_search(entries, pattern)
    assert fast is not None
    m = fast.search("xab")
    assert m is not None and m.span() == (1, 3)
    assert fast.search("xac").span() == (1, 3)
    assert fast.search("xad") is None


def test_unbounded_suffixes_are_searched_whole() -> None:
    entries = [r"\.\.+", r"\."]
    fast = suffix_search(entries, compile_suffix_regex(entries).pattern)
    assert fast is not None
    assert fast.search("wait" + "." * 30).span() == (4, 34)


def test_no_shortcut_when_the_entries_are_not_the_tokenizers() -> None:
    entries = spacy.blank("en").Defaults.suffixes
    assert suffix_search(entries[1:], compile_suffix_regex(entries).pattern) is None
    assert suffix_search(entries, None) is None
    assert suffix_search(["(?i)s"], compile_suffix_regex(["(?i)s"]).pattern) is None


def test_no_infix_shortcut_when_an_infix_may_consume_letters_or_digits() -> None:
    for entries in (["[a-z]"], [r"\w"], ["."], ["x(?=y)"], ["[^-]"], [r"(?<=\d)5"], ["(?=a)"]):
        assert infix_finditer(entries, compile_infix_regex(entries).pattern) is None, entries
    ok = [r"(?<=[a-z])-(?=[a-z])", r"\.\.+"]
    fast = infix_finditer(ok, compile_infix_regex(ok).pattern)
    assert fast is not None
    assert list(fast.finditer("abc123")) == []
    assert [m.span() for m in fast.finditer("ab-cd")] == [(2, 3)]


def test_a_tokenizer_with_shortcuts_still_serializes(tokenizers) -> None:
    _, fast = tokenizers
    copy = spacy.blank("en")
    copy.tokenizer.from_bytes(fast.tokenizer.to_bytes())
    assert isinstance(copy.tokenizer.suffix_search.__self__, re.Pattern)
    text = "We train GPT-4's heads on CIFAR-10/100 (10km...)."
    assert _tokens(copy, text) == _tokens(fast, text)


def test_url_shortcut_needs_a_character_every_match_consumes() -> None:
    fast = required_match(re.compile(r"^(?:[a-z]+://)?[a-z]+\.(?:com|net)$"))
    assert fast is not None and fast.required == "."
    assert fast.match("example") is None
    assert fast.match("example.com").span() == (0, 11)
    for pattern in (r"a|b", r"a\.?", r"(?=\.)a", r"(?i:x)y|xz"):
        shortcut = required_match(re.compile(pattern))
        assert shortcut is None or "." not in shortcut.required, pattern
    assert required_match(re.compile(r"(?i)ab")) is None  # case folding: "A" counts too


def test_infix_groups_give_the_full_regexs_matches() -> None:
    entries = [r"(?<=[a-z])-(?=[a-z])", r"\.\.+", "[é]", r"\.?,", r"(?<=[0-9])[+\-*](?=[0-9])"]
    full = compile_infix_regex(entries)
    fast = infix_finditer(entries, full.pattern)
    assert fast is not None
    for text in ("ab-cdé", "a,b", "a.,b", "1-2+3", "x..y-z", "é-é", "a—b", "ok", "", "-", "a..,b"):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in full.finditer(text)], text
    # a chunk whose other characters start no alternative (an apostrophe here) has no infix
    assert list(fast.finditer("ab'cd")) == []


def test_prefix_search_returns_the_same_span_as_the_regex() -> None:
    entries = spacy.blank("en").Defaults.prefixes
    full = compile_prefix_regex(entries)
    fast = prefix_search(entries, full.pattern)
    assert fast is not None
    for text in [*EDGE_CASES, "((x", "$5", "“quoted", "...x", "#tag", "¿qué"]:
        want, got = full.search(text), fast.search(text)
        assert (want and want.span()) == (got and got.span()), repr(text)


def test_entries_with_a_bar_of_their_own_get_no_shortcut() -> None:
    # "x|b" joined as "^x|b" leaves "b" unanchored: it may match anywhere, not only at the start
    assert prefix_search(["x|b"], compile_prefix_regex(["x|b"]).pattern) is None
    assert suffix_search(["x|b"], compile_suffix_regex(["x|b"]).pattern) is None


def test_without_the_private_regex_parser_nothing_installs_and_the_extractor_says_so(monkeypatch, caplog) -> None:
    import logging

    import spacy

    from graphbuild.extract import affixes, pipeline

    monkeypatch.setattr(affixes, "_sre", None)
    nlp = spacy.blank("en")
    before = nlp.tokenizer.suffix_search
    assert speed_up(nlp.tokenizer, nlp.Defaults.suffixes, nlp.Defaults.infixes, nlp.Defaults.prefixes) == []
    assert nlp.tokenizer.suffix_search == before  # spaCy's own search stays
    pipeline._warn_missing_shortcuts.cache_clear()
    with caplog.at_level(logging.WARNING, logger="graphbuild.extract.pipeline"):
        pipeline._warn_missing_shortcuts(())
        pipeline._warn_missing_shortcuts(())  # once per process
    assert len([r for r in caplog.records if "shortcuts not installed" in r.getMessage()]) == 1
    pipeline._warn_missing_shortcuts.cache_clear()


def test_a_parser_that_changed_shape_falls_back_to_spacy(monkeypatch) -> None:
    import spacy

    from graphbuild.extract import affixes

    def broken(*a, **k):
        raise AttributeError("the parser changed")

    monkeypatch.setattr(affixes, "_parse", broken)
    nlp = spacy.blank("en")
    installed = speed_up(nlp.tokenizer, nlp.Defaults.suffixes, nlp.Defaults.infixes, nlp.Defaults.prefixes)
    assert "suffix_search" not in installed and "prefix_search" not in installed
    assert [t.text for t in nlp("CIFAR-10 (ours).")] == ["CIFAR-10", "(", "ours", ")", "."]


def test_special_cases_survive_installing_the_shortcuts(tokenizers) -> None:
    # speed_up takes the special cases out while it sets the searches (each set would reload them all)
    plain, fast = tokenizers
    assert fast.tokenizer.rules == plain.tokenizer.rules and len(fast.tokenizer.rules) > 1000
    for text in plain.tokenizer.rules:
        assert _tokens(fast, f"{text} {text}.") == _tokens(plain, f"{text} {text}."), text
