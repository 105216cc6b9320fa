"""Discovery of names no vocabulary has, from the way papers introduce them.

Pure functions over one field's text. Each rule returns Candidates with a
type (method/benchmark), a confidence and, when the wording says so, a role:

* title subject:  ``NAME: A Benchmark for …`` / ``NAME: … via …``
* contribution:   ``we propose/introduce/present NAME, a …`` and
                  ``we propose a new <noun>, NAME``
* naming:         ``… called / dubbed / named NAME``
* acronym definitions (from the Schwartz–Hearst pairs) whose long form is a name
* cue nouns:      ``the X benchmark / dataset / suite / environment …``
* name shape:     CamelCase / alphanumeric tokens (ManiSkill2, GPT-4, CIFAR-10)
                  typed by the words around them
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from graphbuild.extract.abbreviations import Abbreviation
from graphbuild.extract.candidates import Candidate
from graphbuild.extract.roles import in_propose_clause
from graphbuild.extract.rules import Rules

# one token of a name: letters/digits with inner - . / + (GPT-4, DrQ-v2, ViT-B/16, C++)
# joined by hyphens, dots, slashes, and en dashes before a capital or digit ("PLM–VideoBench"; not the
# dash of "models–such as", which is punctuation)
TOKEN = r"[^\W_][\w+]*(?:[-./][\w+]+|–[A-Z0-9][\w+]*)*\+*"
_TOKEN_RE = re.compile(TOKEN)
# quantities, also glued to a plural or a word when a space was lost: "28LLMs", "84xwhen"
_QUANTITY = re.compile(r"^\d+(?:\.\d+)?(?:[a-zA-Z]{1,2}|x|k|K|M|B)?$|^[a-zA-Z]?\d+$|^\d{2,}[A-Z]{2,}s$|^\d+x[a-z]{3,}$")
_ROMAN = re.compile(r"^[IVX]+$")
# an inner capital, or a letter and a digit anywhere
# (a capital after a hyphen does not count: Encoder-Decoder is not a name)
_NAME_SHAPE = re.compile(r"[^\W_][A-Z]|[A-Za-z].*\d|\d.*[A-Za-z]", re.S)
_SPLIT = re.compile(r"\s+")
_LIST_GAP = re.compile(r",?\s*(?:,|and|or|,\s*and|,\s*or)\s*")
#: a lexeme that may be part of a name-shaped word (used as a spaCy lexeme flag)
SHAPE_HINT = re.compile(r"[a-z][A-Z]|[A-Z]{2}|[A-Za-z]\d|\d[A-Za-z]")


@dataclass(frozen=True)
class Compiled:
    """Regexes built once from the rule word lists."""

    propose: re.Pattern[str]
    naming: re.Pattern[str]
    cue: re.Pattern[str]
    cue_before: re.Pattern[str]
    shape: re.Pattern[str]
    our: re.Pattern[str]
    # words right before a name that type it; the longest phrase wins (alternation order)
    context: re.Pattern[str]
    # the last character of any context phrase (same case rules as ``context``)
    context_last: re.Pattern[str]
    # the last word of each context phrase, lowercase: ASCII text before a match ends with one
    context_tails: tuple[str, ...]
    context_tail_len: int
    # most whitespace-separated words in a context phrase: a match lies within that many last words
    context_words: int
    strong_bench: frozenset[str]
    strong_bench_multi: tuple[str, ...]
    weak_bench: frozenset[str]
    all_bench: frozenset[str]
    naming_words: tuple[str, ...]  # first word of each naming verb, for a cheap substring test
    task_head: re.Pattern[str]  # a title task's head noun anywhere (title_tasks' cheap test)
    method_nouns: frozenset[str]
    # any title benchmark word as a whole word (one search instead of one per word)
    title_bench: re.Pattern[str]


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _word_alt(words: Sequence[str]) -> str:
    r"""``\b(?:w1|w2|…)`` for words that start with a word character, written so that each
    alternative starts with its first character (``c(?<!\wc)rest``): the regex engine then
    scans for those characters instead of trying every position."""
    out = []
    for w in sorted(words, key=len, reverse=True):
        first, rest = re.escape(w[0]), re.escape(w[1:]).replace(r"\ ", r"\s+")
        out.append(rf"{first}(?<!\w{first}){rest}")
    return "|".join(out)


@lru_cache(maxsize=4)
def compile_rules(rules: Rules) -> Compiled:
    nouns = _alt(rules.benchmark_nouns + rules.benchmark_weak_nouns + rules.method_nouns)
    # (joined by hyphens, en dashes, dots, slashes, or a year's apostrophe: "Hub5’00")
    join = r"(?:[-./][\w+]+|–[A-Z0-9][\w+]*)"  # an en dash joins only before a capital or digit (see TOKEN)
    cap = rf"(?:[A-Z0-9][\w+]*(?:{join}|['’]\d\d)*|[a-z]+[A-Z][\w]*{join}*)"
    return Compiled(
        # "[Ww](?<!\w[Ww])e" is "\b[Ww]e" with a character class first, which the regex
        # engine scans for quickly (a leading \b makes it try every position)
        propose=re.compile(
            r"[Ww](?<!\w[Ww])e\s+(?:also\s+|further\s+|then\s+|first\s+|thus\s+|therefore\s+|hence\s+|finally\s+"
            r"|additionally\s+|instead\s+|here\s+|now\s+|next\s+)?"
            rf"(?:{_alt(rules.propose_verbs)})\s+(?P<obj>[^.;:!?]{{1,200}})"
        ),
        naming=re.compile(
            rf"(?:{_word_alt(rules.naming_verbs)})\s+(?P<q>[\"“'‘]?)(?P<name>{TOKEN}(?:\s+{TOKEN}){{0,4}})"
        ),
        cue=re.compile(rf"(?P<name>{cap}(?:\s+{cap}){{0,3}})\s+(?P<noun>(?i:{nouns}))\b"),
        cue_before=re.compile(rf"(?<![\w\-])(?P<name>{cap}(?:[ \t]+{cap}){{0,3}})[ \t]+$"),
        # tokens with an inner capital or letters+digits: ManiSkill2, GPT-4, DrQ, sharpDARTS, N2N
        shape=re.compile(
            r"(?<![\w\-./])(?=[\w\-./+]*(?:[a-z][A-Z]|[A-Z]{2}|[A-Za-z]\d|\d[A-Za-z]|[A-Z]-\d))"
            rf"{TOKEN}"
        ),
        # "our X", "our fast text classifier X", "our “X”" — not "our ideas to X", nor "the proposed
        # algorithm uses a X" (a determiner or a verb starts another phrase)
        our=re.compile(
            r"(?:[Oo](?<!\w[Oo])ur|[Tt](?<!\w[Tt])he\s+proposed|[Oo](?<!\w[Oo])ur\s+proposed)\s+"
            r"(?:(?!(?:to|on|in|of|for|with|from|by|at|and|or|than|over|into|a|an|the|is|are|was|were|uses?"
            r"|employs?|adopts?|which|that|can|we)\b)[\w-]+,?\s+){0,3}[\"“'‘(]?$"
        ),
        context=_context_regex(rules),
        context_words=max((len(p.split()) for p in (*rules.benchmark_context_before,
                                                     *rules.method_context_before)), default=1),
        context_last=re.compile(
            "(?i:[" + "".join(sorted({re.escape(p[-1]) for p in (*rules.benchmark_context_before,
                                                                  *rules.method_context_before) if p})) + "])"
        ),
        context_tails=(tails := _context_tails(rules)),
        context_tail_len=max(map(len, tails), default=0),
        strong_bench=frozenset(w for w in rules.benchmark_nouns if " " not in w),
        strong_bench_multi=tuple(w for w in rules.benchmark_nouns if " " in w),
        weak_bench=frozenset(rules.benchmark_weak_nouns),
        all_bench=frozenset(rules.benchmark_nouns) | frozenset(rules.benchmark_weak_nouns),
        naming_words=_minimal_substrings({v.split()[0] + " " for v in rules.naming_verbs}),
        task_head=re.compile(
            rf"(?i:{_word_alt(sorted(rules.title_task_heads | {'rl'}))}|reinforcement\s+learning)(?![\w-])"),
        method_nouns=frozenset(rules.method_nouns),
        # a whole word, not part of a hyphenated one ("Real-World" is no "world")
        title_bench=re.compile(
            rf"(?<![\w-])(?:{'|'.join(re.escape(w) for w in rules.title_benchmark_words) or '(?!)'})(?![\w-])"),
    )


def _minimal_substrings(words: set[str]) -> tuple[str, ...]:
    """Words that contain no other of the words: a text has one of ``words`` iff it has one of
    these ("nicknamed " needs no test of its own after "named ")."""
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


def _context_tails(rules: Rules) -> tuple[str, ...]:
    """Last word of each context phrase, lowercase; ``("",)`` (no filter) unless all are ASCII."""
    phrases = [p for p in (*rules.benchmark_context_before, *rules.method_context_before) if p.split()]
    if not phrases or not all(p.isascii() for p in phrases):
        return ("",)
    return tuple(sorted({p.split()[-1].lower() for p in phrases}))


def _context_regex(rules: Rules) -> re.Pattern[str]:
    phrases = [(p, "b") for p in rules.benchmark_context_before] + [(p, "m") for p in rules.method_context_before]
    phrases.sort(key=lambda x: -len(x[0]))
    bench = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p, t in phrases if t == "b")
    meth = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p, t in phrases if t == "m")
    # try the benchmark and method phrases at the same position; the regex engine
    # scans left to right, so the longest (earliest-starting) phrase wins
    return re.compile(rf"(?i:(?<![\w-])(?:(?P<b>{bench})|(?P<m>{meth}))\s+$)")


@lru_cache(maxsize=1 << 16)
def is_name_shaped(token: str, rules: Rules) -> bool:
    """CamelCase, acronym or alphanumeric, and not a generic word, quantity or numeral."""
    core = token.rstrip("+")
    if len(core) < 2 or not _NAME_SHAPE.search(core):
        return False
    low = core.lower()
    # "L1-based", "GPT-style": a modifier of the next word, not a name
    return not (low in rules.generic_words or _QUANTITY.match(core) or _ROMAN.match(core)
                or low.endswith(_hyphen_modifiers(rules.modifier_suffixes)))


@lru_cache(maxsize=2)
def _hyphen_modifiers(suffixes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(m.lower() for m in suffixes if m.startswith("-"))


def _is_capitalized(token: str) -> bool:
    return token[:1].isupper()


def noun_type(phrase: str, rules: Rules) -> str | None:
    """The entity type a noun phrase's nouns imply ("a unified benchmark" → benchmark)."""
    words = [w.strip(",;:()\"'").lower() for w in phrase.split()]
    if not words:
        return None
    comp = compile_rules(rules)
    if comp.strong_bench.intersection(words) or (
        comp.strong_bench_multi and any(n in " ".join(words) for n in comp.strong_bench_multi)
    ):
        return "benchmark"
    method_nouns, weak = comp.method_nouns, comp.weak_bench
    for w in reversed(words):
        if w in method_nouns:
            return "method"
        if w in weak:
            return "benchmark"
    return None


_APPOSITIVE = re.compile(r"\s*(?:,|\(|—|–|--)\s*(?:a|an|the|which\s+is\s+an?)\s+([^,.;:()]{1,100})")
_CLAUSE_WORD = re.compile(r"\b(?:that|which|for|of|to|with|consisting|where|whose|in|on|by|from|designed)\b")


def _appositive(text: str, end: int) -> str:
    """The ", a/an/the … " phrase right after ``end`` up to a clause word, or ''."""
    m = _APPOSITIVE.match(text, end)
    if not m:
        return ""
    return _CLAUSE_WORD.split(m.group(1), maxsplit=1)[0]


def _sentence_start(sent_starts: Sequence[int], pos: int) -> int:
    i = bisect_right(sent_starts, pos) - 1
    return sent_starts[i] if i >= 0 else 0


def _valid_name(words: list[str], rules: Rules, allow_lower: bool = False) -> bool:
    if not words or len(words) > 5:
        return False
    if words[0].lower() in rules.generic_words or words[0] in rules.sentence_starters:
        return False
    if all(w.lower() in rules.generic_words for w in words):
        return False
    if any(is_name_shaped(w, rules) for w in words):
        return True
    if allow_lower:
        return True
    return all(_is_capitalized(w) or w.lower() in ("of", "for", "and", "the", "to", "in") for w in words) and (
        _is_capitalized(words[-1])
    )


def _cut_at_function_word(text: str, start: int, end: int, rules: Rules) -> int:
    """End of the name phrase before its first lowercase function word ("X at both scales")."""
    pos = start
    for w in text[start:end].split(" "):
        if pos > start and w in rules.function_words:
            return pos - 1
        pos += len(w) + 1
    return end


def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip outer punctuation and a possessive from [start, end)."""
    while end > start and text[end - 1] in ",.;:)\"'”’~":
        end -= 1
    while start < end and text[start] in "(\"'“‘":
        start += 1
    while end - start > 2 and text[start] in "*_" and text[end - 1] == text[start]:
        start, end = start + 1, end - 1  # Markdown emphasis: "**Self-Braking Tuning**" (not the star of "A*")
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


_TITLE_COLON = re.compile(r"^\s*(?P<name>[^:]{1,60}?)\s*:\s+(?P<rest>\S.*)$")


# per name, compiled once (the re module's own cache holds 512 patterns, fewer than a corpus has titles)
@lru_cache(maxsize=1 << 12)
def _written_as_name(name: str) -> re.Pattern[str]:
    """``name`` (or in capitals) as a word, not at the start of the text or of a sentence."""
    return re.compile(rf"(?<![.!?]\s)(?<!^)\b(?:{re.escape(name)}|{re.escape(name.upper())})\b")


def _may_contain_ignorecase(text: str, part: str) -> bool:
    """False only when ``part`` cannot occur in ``text`` under ``re.IGNORECASE``: a lowercase substring test
    for ASCII (with other characters re matches more than ``str.lower`` finds: "ſ" matches "s")."""
    return not (text.isascii() and part.isascii()) or part.lower() in text.lower()


def _has_word_ignorecase(text: str, word: str) -> bool:
    r"""``re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)``, without compiling a regex per
    word for ASCII text (the regex module's own cache holds fewer patterns than a corpus has titles)."""
    if not (text.isascii() and word.isascii()):
        return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None
    low, w = text.lower(), word.lower()
    i = low.find(w)
    while i >= 0:
        j = i + len(w)
        # ASCII \w: letters, digits and the underscore
        if (i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_")) and (
            j == len(low) or not (low[j].isalnum() or low[j] == "_")
        ):
            return True
        i = low.find(w, i + 1)
    return False


_TITLE_FOR = re.compile(
    r"^\s*(?P<name>(?:[A-Z][\w'/-]*\s+){1,3}[A-Z][\w'/-]*)\s+(?:for|via|with|through|by|under|as)\s+\S"
)


def title_subject(title: str, abstract: str, rules: Rules, is_known: Callable[[str], bool] | None = None,
                  is_task: Callable[[str], bool] | None = None) -> list[Candidate]:
    """``NAME: rest`` titles: NAME is the paper's own method or benchmark. And ``Two To Four Words
    for …`` titles whose words the abstract writes again ("Sheared Backpropagation for Fine-tuning
    …" / "we propose sheared backpropagation"): a method the paper proposes, unless ``is_known``
    (the vocabulary) knows the phrase as an existing entity."""
    if ":" not in title:
        return _title_for(title, abstract, rules, is_known, is_task)
    m = _TITLE_COLON.match(title)
    if not m:
        return []
    name = m.group("name")
    if name.endswith("*"):  # "Rodimus*: …" (a family mark, not part of the name)
        name = name.rstrip("*")
    words = name.split()
    start = m.start("name")
    while len(words) > 1 and words[0] in rules.title_prefixes:  # "Towards X: …"
        start = title.index(words[1], start + len(words[0]))
        words = words[1:]
        name = title[start : m.end("name")]
    if len(words) > 4 or not words or (len(words) == 1 and words[0] in rules.sentence_starters):
        return []
    shaped = any(is_name_shaped(w, rules) for w in words)
    if not shaped:
        if not all(_is_capitalized(w) or w.lower() in ("of", "for", "and", "the", "to", "in") for w in words):
            return []
        if len(words) == 1:
            # a plain word ("Lila", "Grokking") is a name only if the abstract writes it as one
            # (a substring test first: compiling the name's regex costs more than most searches)
            if not ((name in abstract or name.upper() in abstract) and _written_as_name(name).search(abstract)):
                return []
        elif _is_gerund(words[0]) or not (
                _may_contain_ignorecase(abstract, name) and _has_word_ignorecase(abstract, name)):
            # "Model Ratatouille: …" / "Datum-Wise Classification: …" is a name when the abstract
            # writes it again; "Mastering Visual Continuous Control: …" is a headline
            return []
    if name.lower() in rules.generic_words:
        return []
    rest = m.group("rest").lower()
    is_bench = bool(compile_rules(rules).title_bench.search(rest))
    etype = "benchmark" if is_bench else "method"
    return [
        Candidate(
            etype,
            name,
            start,
            start + len(name),
            "title-colon",
            rules.confidence["title_colon"],
            role="introduced" if is_bench else "proposed",
        )
    ]


_METHOD_SLOT = frozenset({"for", "via", "with", "using", "by", "through"})
_HOW_WORDS = frozenset({"via", "with", "using", "by", "through"})  # "X by Y": Y is how, a method


def _is_gerund(word: str) -> bool:
    """An -ing verb form ("Testing", "Defending"), not a noun like "Ring", "String" or "Spring"."""
    low = word.lower()
    return len(low) > 4 and low.endswith("ing") and any(v in low[:-3] for v in "aeiouy")
_TITLE_WORD = re.compile(r"[^\s:;,.?!()\[\]]+")


def title_tasks(title: str, rules: Rules, found: Sequence[Candidate]) -> list[Candidate]:
    """Task phrases of a title: the words before a task head noun, back to a break word ("for",
    "in", "against", …), a colon or the title's start, less evaluative words in front ("… for
    Conditional Graph Generation", "Robust Covariance Estimation in …"). Two to five words, none
    name-shaped; a phrase holding a task the other rules found keeps that one (the vocabulary knows
    its name)."""
    if not compile_rules(rules).task_head.search(title):
        return []  # most titles name no task by a head noun: one search instead of the word loop
    words = [(m.start(), m.end(), m.group()) for m in _TITLE_WORD.finditer(title)]
    heads, breaks = rules.title_task_heads, rules.title_task_breaks
    drop = rules.title_task_drop | rules.evaluative_words
    tasks = [(c.start, c.end) for c in found if c.type == "task"]
    lower_modifiers = _hyphen_modifiers(rules.modifier_suffixes)
    out: list[Candidate] = []
    left, after_colon = 0, False
    for i, (_, end, word) in enumerate(words):
        low = word.lower()
        gap = title[words[i - 1][1] : words[i][0]] if i else ""
        if gap.strip():
            left, after_colon = i, ":" in gap  # punctuation between two words (a colon, a comma) starts a phrase
        if low in breaks:
            left, after_colon = i + 1, False
            continue
        # a reinforcement-learning setting is a task too ("… in Adversarial Reinforcement Learning",
        # "Efficient Exploration for Nonepisodic RL")
        is_head = low in heads or low == "rl" or (
            low == "learning" and i > 0 and words[i - 1][2].lower() == "reinforcement")
        if not is_head or (i + 1 < len(words) and not title[end : words[i + 1][0]].strip()
                           and words[i + 1][2].lower() not in breaks):
            continue  # not a head, or a head inside a longer noun phrase ("Detection Transformer")
        first = left
        for j in range(left, i):  # "Temporal Logic-Based Backdoor Attacks": the phrase starts after "-Based"
            if words[j][2].endswith(rules.modifier_suffixes) or words[j][2].lower().endswith(lower_modifiers):
                first = j + 1
        if first < i and _is_gerund(words[first][2]):
            first += 1  # a verb-led phrase: "Defending Backdoor Attacks by …"
        if any(_is_gerund(w) for _, _, w in words[first:i]) or (
                left > 0 and words[left - 1][2].lower() in _HOW_WORDS):
            # a verb inside ("Chain-of-Thought Prompting Elicits Reasoning") leaves no clean phrase, and
            # what follows "by / via / using" is how, not what ("… by Self-supervised Prediction")
            left, after_colon = i + 1, False
            continue
        # evaluative words in front ("Exact Gradient Inversion") are not the task's name, unless only the
        # head would be left ("Efficient Exploration")
        kept = first
        while first < i and words[first][2].lower() in drop:
            first += 1
        if first == i and kept < i:
            first = i - 1  # the last of them stays
        phrase = words[first : i + 1]
        # (a phrase opened by a verb, "Defending Backdoor Attacks by …", names no method)
        opens = (left == 0 or after_colon) and not (left < i and _is_gerund(words[left][2]))
        after = words[i + 1][2].lower() if i + 1 < len(words) and not title[end : words[i + 1][0]].strip() else ""
        # a title (part) that is only this phrase, or opens with it before "for / via / with", names the
        # paper's method ("Chain-of-Thought Predictive Control", "Gradient Matching for Domain Generalization")
        whole_part = opens and (i + 1 == len(words) or title[end : words[i + 1][0]].strip().startswith(":")
                                or after in _METHOD_SLOT)
        left, after_colon = i + 1, False
        if whole_part:
            continue
        if not 2 <= len(phrase) <= 5 or any(is_name_shaped(w, rules) for _, _, w in phrase[:-1]):
            continue
        s, e = phrase[0][0], end
        if any(s == a and b == e for a, b in tasks):
            continue  # the other rules found this very task
        # no rule role: a same-span candidate that wins the overlap would inherit it (merge_candidates), and
        # a task is "addressed" anyway (roles.assign_roles)
        out.append(Candidate("task", title[s:e], s, e, "title-task", rules.confidence["title_colon"]))
    return out


_METHOD_NOUN_COMMA = re.compile(r"\b(?:method|approach|model|framework|algorithm)\s*,\s*$")


def task_by_head(found: list[Candidate], text: str, rules: Rules) -> list[Candidate]:
    """A discovered "method" whose last word is a task's head noun names a task ("Named Entity
    Recognition (NER)", "Conditional Text Generation") — unless the text presents it as the
    paper's method ("Our method, Chain-of-Thought Predictive Control (CoTPC)", "we propose X, a
    framework …"). Vocabulary matches keep their type."""
    heads = rules.title_task_heads
    out = found
    for i, c in enumerate(found):
        if c.type != "method" or c.vocab_id is not None or c.surface.rsplit(None, 1)[-1].lower() not in heads:
            continue
        before = text[max(0, c.start - 120) : c.start]
        close = text.find(")", c.end, c.end + 20) if text.startswith(" (", c.end) else -1
        after = close + 1 if close >= 0 else c.end
        app = _appositive(text, after)
        nxt = _NEXT_WORD.match(text, after)
        nxt_word = nxt.group().strip().lower() if nxt else ""
        if nxt_word in ("baseline", "baselines"):
            continue  # "A Hybrid Model Predictive Control (HMPC) baseline": a method compared against
        # "… tempered selection (DDTS) mechanism" names a method; "a mathematical reasoning model" does not
        acronym_of_method = after != c.end and noun_type(nxt_word, rules) == "method"
        if (compile_rules(rules).our.search(before[-60:]) or in_propose_clause(before)
                or _METHOD_NOUN_COMMA.search(before) or noun_type(app, rules) == "method" or acronym_of_method):
            continue
        if out is found:
            out = list(found)
        out[i] = replace(c, type="task", role=None)
    return out


def _title_for(title: str, abstract: str, rules: Rules, is_known: Callable[[str], bool] | None,
               is_task: Callable[[str], bool] | None = None) -> list[Candidate]:
    m = _TITLE_FOR.match(title)
    if not m:
        return []
    name = m.group("name")
    words = name.split()
    if words[0] in rules.title_prefixes or words[0] in rules.sentence_starters or any(
            w.lower() in rules.generic_words for w in words) or words[0].lower() in rules.evaluative_words:
        return []
    if (words[-1].lower() in rules.title_task_heads or words[-1].lower() in rules.title_result_words
            or _is_gerund(words[0])):
        # "Semi-Supervised Classification with …", "Demonstration Selection for …": a task; "Learning
        # Individually Fair Classifiers for …": a headline
        return []
    if (is_known is not None and is_known(name)) or (
            is_task is not None and any(is_task(" ".join(words[k:])) for k in range(1, len(words) - 1))):
        return []  # a known name, or a known problem with a qualifier: "Private Stochastic Convex Optimization"
    if not (_has_word_ignorecase(abstract, name) or _proposed_in_other_words(name, abstract, rules)):
        return []
    return [Candidate("method", name, m.start("name"), m.end("name"), "title-subject",
                      rules.confidence["title_colon"], role="proposed")]


_NAME_PARTS = re.compile(r"[\s/,()-]+")


def _proposed_in_other_words(name: str, abstract: str, rules: Rules) -> bool:
    """The abstract's ``we propose / develop …`` (or ``this paper presents …``) object shares most of
    the title name's words: "Automated Variational Inference for …" / "we develop an automated
    variational method for approximate inference"."""
    want = {w for w in _NAME_PARTS.split(name.lower()) if w and w not in rules.function_words}
    if len(want) < 2:
        return False
    need = max(2, (len(want) + 1) // 2)
    comp = compile_rules(rules)
    objs = [m.group("obj") for m in comp.propose.finditer(abstract)] if ("we " in abstract or "We " in abstract) else []
    objs += [m.group("obj") for m in _PAPER_PROPOSES.finditer(abstract)]
    return any(len(want & set(_NAME_PARTS.split(" ".join(obj.lower().split()[:12])))) >= need for obj in objs)


def _own(etype: str) -> str:
    return "introduced" if etype == "benchmark" else "proposed"


# "we propose NAME, a …": the object itself is the name
_OBJECT_NAME = re.compile(
    rf"(?P<name>{TOKEN}(?:[ \t]+{TOKEN}){{0,4}}?)(?=\s*(?:,|\(|—|–|--|:|\s+which|\s+that|\s+and\s|\s+to\s|$))")
_AND_TO = re.compile(r"\s+(?:and|to)\s")
# "we propose a Dynamic Hard Negative Optimizer, …": an article, then two or more capitalized words
_OBJECT_TITLED = re.compile(r"(?:a|an|the)\s+(?P<name>[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){1,4})(?=\s*(?:,|\(|\.|$))")
# "we introduce PreBackRazor a novel … scheme": the apposition without its comma (one name-shaped token)
_OBJECT_SHAPED = re.compile(rf"(?P<name>{TOKEN})(?=[ \t]+(?:a|an)[ \t]+(?:novel|new|simple|general|unified)?\b)")
# "we propose a novel <noun phrase>, (called) NAME"
_OBJECT_NOUN_NAME = re.compile(
    r"(?:a|an|the)\s+(?P<np>(?:[\w-]+\s+){0,6}?[\w-]+?)\s*(?:,\s*(?:called|named|dubbed|termed)?|"
    r"\s+(?:called|named|dubbed|termed))\s+(?P<q>[\"“]?)(?P<name>[^,.;:()\"”]{1,60}?)[\"”]?\s*(?=[,.;:(]|$|\s+(?:which|that|to|for|with|as)\b)"
)
_WE_OUR = re.compile(r"(?:[Ww](?<!\w[Ww])e|[Oo](?<!\w[Oo])ur)\b")  # \b(?:[Ww]e|[Oo]ur)\b, see ``propose``


def contribution(text: str, rules: Rules, propose: Sequence[re.Match[str]] | None = None) -> list[Candidate]:
    """``we propose NAME, a …`` and ``we propose a new <noun>(, called) NAME`` (``propose``: the
    ``compile_rules(rules).propose`` matches of ``text`` when the caller has them)."""
    comp = compile_rules(rules)
    out: list[Candidate] = []
    conf = rules.confidence["we_propose"]
    for m in comp.propose.finditer(text) if propose is None else propose:
        obj_start = m.start("obj")
        obj = m.group("obj")
        # (a) the object itself is the name: "we present DrQ-v2, a model-free ... algorithm"
        first = _OBJECT_NAME.match(obj)
        if first and _AND_TO.match(obj, first.end("name")) and not all(
                _is_capitalized(w) or is_name_shaped(w, rules) or w in ("of", "for", "and")
                for w in first.group("name").split()):
            first = None  # "we introduce RealSync a novel dataset designed to …" is no name up to "to"
        if not first:
            shaped = _OBJECT_SHAPED.match(obj)
            if shaped and is_name_shaped(shaped.group("name"), rules):
                first = shaped
        if first is None or first.group("name").split()[0].lower() in ("a", "an", "the"):
            titled = _OBJECT_TITLED.match(obj)
            if titled and titled.group("name").split()[0] not in rules.sentence_starters:
                first = titled
        if first:
            s, e = obj_start + first.start("name"), obj_start + first.end("name")
            e = _cut_at_function_word(text, s, e, rules)
            words = text[s:e].split()
            app = _appositive(text, e)
            # a name ended by "and"/"to" opens with a capital or a name-shaped word ("we propose Max-W
            # regularization to …"; not "we construct sensible baselines involving LSTM and BERT models")
            ended_by_word = bool(_AND_TO.match(text, e))
            opens = bool(words) and (not ended_by_word or _is_capitalized(words[0]) or is_name_shaped(words[0], rules))
            if (opens and _valid_name(words, rules, allow_lower=bool(app))
                    and words[0].lower() not in ("a", "an", "the")):
                etype = noun_type(app, rules) or noun_type(words[-1], rules) or "method"
                s, e = _trim_name(text, s, e)
                out.append(Candidate(etype, text[s:e], s, e, "we-propose", conf, role=_own(etype)))
                continue
        # (b) "we propose a novel prompting strategy, least-to-most prompting"
        np = _OBJECT_NOUN_NAME.match(obj)
        if np:
            etype = noun_type(np.group("np"), rules)
            s, e = obj_start + np.start("name"), obj_start + np.end("name")
            words = text[s:e].split()
            if words and words[0].lower() in rules.function_words:
                continue
            e = _cut_at_function_word(text, s, e, rules)
            words = text[s:e].split()
            if etype and _valid_name(words, rules, allow_lower=True) and len(words) <= 5:
                s, e = _trim_name(text, s, e)
                out.append(Candidate(etype, text[s:e], s, e, "we-propose", conf, role=_own(etype)))
    return out


_DESCRIBED = re.compile(
    r"(?:^|\s)(?:a|an|the|our|two|three|several)\s+"
    r"(?P<np>(?:[\w-]+,?\s+|\([A-Za-z0-9+-]{2,10}\)\s+){0,8}[\w-]+)"
)
_PARTICIPLES = ("introduced", "proposed", "developed", "designed", "presented", "devised")
# "… is (also) proposed": the end of every ``_PASSIVE`` match
_PASSIVE_TAIL = rf"(?:is|are)\s+(?:also\s+|further\s+|then\s+)?(?:{'|'.join(_PARTICIPLES)})\b"
_PASSIVE = re.compile(rf"\b(?:a|an)\s+(?P<np>(?:[\w-]+\s+){{1,6}}?[\w-]+)\s+{_PASSIVE_TAIL}", re.IGNORECASE)
# the tail alone, case-sensitive, for lowercased ASCII text: far cheaper than ``_PASSIVE``, which tries every "a"
_PASSIVE_TAIL_LOWER = re.compile(_PASSIVE_TAIL)
_PASSIVE_WORDS = tuple(" " + w for w in _PARTICIPLES)
_PAPER_WORDS = ("paper", "work", "study", "article")
_PAPER_VERBS = ("introduces", "proposes", "presents", "develops")
_PAPER_PROPOSES = re.compile(
    rf"\b(?:this|the|our)\s+(?:{'|'.join(_PAPER_WORDS)})\s+(?:also\s+)?(?:{'|'.join(_PAPER_VERBS)})"
    r"\s+(?P<obj>[^.;:!?]{1,200})",
    re.IGNORECASE,
)


# a modifier that ends the phrase as an adjective: "uncertainty-aware", "space-agnostic", "theoretically-grounded"
_ADJECTIVE_END = re.compile(r"-(?:aware|agnostic|grounded|based|free|efficient|driven|guided|specific|level|wise)$|"
                            r"(?:ive|ous|able|ible|ful|less|ic|al)$")


def _described_name(np: str, np_start: int, text: str, rules: Rules) -> tuple[int, int] | None:
    """In "a novel activation pruning scheme", the words between the evaluative words and the
    first method head noun: "activation pruning" (start, end in ``text``); None if they do not
    make a name (fewer than two words, or a generic word)."""
    comp = compile_rules(rules)
    words = list(re.finditer(r"\([A-Za-z0-9+-]{2,10}\)|[\w-]+", np))
    # the phrase ends at its first function word; its head is the last method noun before that
    # ("a new policy gradient algorithm that …" → algorithm; "graph neural network model" → model)
    end = next((i for i, w in enumerate(words) if w.group().lower() in rules.function_words), len(words))
    heads = [i for i in range(1, end) if words[i].group().lower() in comp.method_nouns]
    if not heads:
        return None
    head = heads[-1]
    i = 0
    while i < head and (words[i].group().lower() in rules.evaluative_words or words[i].group().startswith("(")):
        i += 1
    mods = [w for w in words[i:head] if not w.group().startswith("(")]
    if len(mods) < 2 and not (mods and is_name_shaped(mods[0].group(), rules)):
        return None
    if any(w.group().lower() in rules.function_words or w.group().lower() in rules.generic_words for w in mods):
        return None
    if any(w.group().lower() in rules.evaluative_words for w in mods) or _ADJECTIVE_END.search(mods[-1].group()):
        return None
    last = words[head] if words[head].group()[:1].isupper() and mods[-1].group()[:1].isupper() else mods[-1]
    return np_start + mods[0].start(), np_start + last.end()  # a capitalized head is part of the name


_APPOSITION_OF_NAME = re.compile(
    r"(?:propose|introduce|present|develop|design|devise|release|construct|create|curate)[ds]?\s+"
    r"(?P<name>[A-Z][\w+-]*|[a-z]+[A-Z][\w+-]*)\)?(?P<comma>,?)\s+(?:a|an|the)\s+$")


def _apposition_of_name(text: str, start: int, rules: Rules) -> bool:
    """The words at ``start`` follow "we propose NAME, a/an/the" (not a sentence opener: "Finally, an …"),
    or "introduces NAME a/an" without the comma for a name-shaped NAME ("introduces Upscale-A-Video a …")."""
    m = _APPOSITION_OF_NAME.search(text, max(0, start - 90), start)
    if m is None or m.group("name") in rules.sentence_starters:
        return False
    name = m.group("name")
    return bool(m.group("comma")) or is_name_shaped(name, rules) or ("-" in name and name[0].isupper())
_NAMED_AFTER = re.compile(r"\s*,?\s*(?:named|called|dubbed|termed|coined)\b")
_NEXT_WORD = re.compile(r"\s+[\w-]+")
_DATA_SPLIT_OF = re.compile(r"(?:validation|test|training|evaluation|dev)\s+(?:set|split)s?\s+of\s+(?:the\s+)?$")


def described_contribution(text: str, rules: Rules, propose: Sequence[re.Match[str]] | None = None) -> list[Candidate]:
    """The paper's own method named only by a description: "we propose a novel activation pruning
    scheme" → activation pruning; "a flow-guided recurrent latent propagation module is introduced"
    → flow-guided recurrent latent propagation. The words before a method head noun
    (``method_nouns``) after leaving out evaluative ones (``evaluative_words``); role proposed.
    ``propose``: the "we propose …" matches when the caller has them (``contribution`` reads them too)."""
    comp = compile_rules(rules)
    conf = rules.confidence["described"]
    out: list[Candidate] = []
    spans = []
    matches = list(comp.propose.finditer(text)) if propose is None else list(propose)
    # the case-insensitive regexes below try every "the"/"a": a lowercased copy of ASCII text tells cheaply
    # when they cannot match (a word they need is absent), which is most of the time. Other text keeps
    # the regexes: with re.IGNORECASE "ſ" matches "s", which str.lower does not find
    low = text.lower() if text.isascii() else None
    if any(w in text for w in _PAPER_WORDS) and (low is None or any(v in low for v in _PAPER_VERBS)):
        matches += _PAPER_PROPOSES.finditer(text)
    for m in matches:
        obj_start = m.start("obj")
        # the first "a/an/the … <head>" of the object, within its first few words
        d = _DESCRIBED.search(" " + m.group("obj")[:160])
        if d and d.start() <= 40:
            spans.append((d.group("np"), obj_start + d.start("np") - 1))
    # the passive regex tries every "a"/"an": only where a participle it needs is in the text
    if any(p in text for p in _PASSIVE_WORDS) and (low is None or _PASSIVE_TAIL_LOWER.search(low)):
        for m in _PASSIVE.finditer(text):
            spans.append((m.group("np"), m.start("np")))
    for np, start in spans:
        if _apposition_of_name(text, start, rules):
            continue  # "we introduce Scylla, a dynamic evaluation framework": the name is Scylla
        got = _described_name(np, start, text, rules)
        if got:
            s, e = got
            # "a novel score-based diffusion framework named Twigs": the paper's own is Twigs, of a
            # kind it uses
            head = _NEXT_WORD.match(text, e)
            named = bool(head and _NAMED_AFTER.match(text, head.end()))
            out.append(Candidate("method", text[s:e], s, e, "described", conf, role=None if named else "proposed"))
    return out


_LOWER_NAME = re.compile(r"([a-z][\w-]*(?: [a-z][\w-]*){0,3})(?=[,.;:)]|\s\()")


def naming(text: str, sent_starts: Sequence[int], rules: Rules) -> list[Candidate]:
    """``an algorithm named Fish`` / ``a benchmark called X``: typed by the noun before."""
    comp = compile_rules(rules)
    out: list[Candidate] = []
    if not any(w in text for w in comp.naming_words):
        return out
    for m in comp.naming.finditer(text):
        verb = text[m.start() : m.start("name")]
        we_coin = text.endswith(("we ", "We "), 0, m.start())  # "(which) we call X": the paper's coinage
        if verb.split()[0] in ("call", "dub") and not we_coin:
            continue  # bare "call": "one tool call per step"
        words = m.group("name").split()
        # keep the capitalized / name-shaped prefix ("Fish that approximates" → "Fish")
        keep: list[str] = []
        for w in words:
            if keep and not (_is_capitalized(w) or is_name_shaped(w, rules)):
                break
            keep.append(w)
        lower_ok = bool(m.group("q"))
        if keep and not (_is_capitalized(keep[0]) or is_name_shaped(keep[0], rules) or lower_ok):
            # a lower-case name set off by punctuation, coined by the paper: "a new strategy, which we call
            # loop guidance, …" (not "a schedule known as cosine annealing")
            phrase = _LOWER_NAME.match(text, m.start("name")) if we_coin else None
            if phrase is None or any(w in rules.function_words for w in phrase.group(1).split()):
                continue
            keep, lower_ok = phrase.group(1).split(), True
            if len(keep) < 2:
                continue  # one lower-case word ("… which we call heteroscedastic") is no name
        if not keep or not _valid_name(keep, rules, allow_lower=lower_ok):
            continue
        s = m.start("name")
        e = s + len(" ".join(keep)) if " ".join(keep) == text[s : s + len(" ".join(keep))] else m.end("name")
        s, e = _trim_name(text, s, e)
        before = text[max(_sentence_start(sent_starts, s), s - 80) : m.start()]
        # the noun is before the verb ("an algorithm named X") or in the naming phrase ("we name our method X")
        etype = noun_type(before, rules) or noun_type(verb, rules)
        if etype is None:
            continue
        sent_before = text[_sentence_start(sent_starts, s) : m.start("name")]  # with "we call", "name our"
        role = _own(etype) if _WE_OUR.search(sent_before) else None
        out.append(Candidate(etype, text[s:e], s, e, "naming", rules.confidence["naming"], role=role))
    return out


def acronym_definitions(
    text: str, pairs: Sequence[Abbreviation], rules: Rules
) -> list[Candidate]:
    """Long forms that are names ("Differentiable Architecture Search (DARTS)") and their acronyms."""
    out: list[Candidate] = []
    conf = rules.confidence["acronym_definition"]
    for p in pairs:
        words = p.long.split()
        long_words = [w for w in words if len(w) > 3]
        titled = sum(_is_capitalized(w) for w in long_words) >= max(1, len(long_words))
        etype = noun_type(words[-1], rules)
        if etype is None:
            # "Generic COG (gCOG), a configurable benchmark": the apposition after the pair types it, or
            # a noun right after it ("Real-World Affective Faces (RAF) Database"), or the words before
            # ("the validation set of Static Facial Expressions in the Wild (SFEW 2.0)")
            close = text.find(")", p.short_end, p.short_end + 3)
            if close >= 0:
                etype = noun_type(_appositive(text, close + 1), rules) or (
                    noun_type(m.group(), rules) if (m := _NEXT_WORD.match(text, close + 1)) else None)
            if etype is None and p.long_start < p.short_start and _DATA_SPLIT_OF.search(
                    text, max(0, p.long_start - 40), p.long_start):
                etype = "benchmark"
        if etype is None and titled:
            etype = "method"
        if etype is None or p.short.lower() in rules.generic_words or words[-1].lower() in rules.not_name_heads:
            continue
        close = text.find(")", p.short_end, p.short_end + 3)
        nxt = _NEXT_WORD.match(text, close + 1) if close >= 0 else None
        if nxt and nxt.group().strip().lower() in rules.title_task_heads:
            compound = _NEXT_WORD.match(text, nxt.end())  # "(RPN) detection head": a module, not a task
            if not (compound and noun_type(compound.group(), rules) == "method"):
                continue  # "Human-Object Interaction (HOI) detection": part of a task's name
        if not titled and etype == "method" and len(words) < 2:
            continue
        out.append(Candidate(etype, p.long, p.long_start, p.long_end, "acronym-definition", conf))
        out.append(Candidate(etype, p.short, p.short_start, p.short_end, "acronym-definition", conf))
    return out


def is_title_case(text: str) -> bool:
    """Most longer words capitalized: capitals carry no evidence of a name here."""
    if len(text) > 400:
        return False  # an abstract, not a title
    words = [w for w in text.split() if len(w) > 3 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _cue_matches(
    text: str, comp: Compiled, noun_spans: Sequence[tuple[int, int]] | None
) -> Iterator[tuple[int, int, int, int]]:
    """(name start, name end, noun start, noun end) of ``Name(s) <cue noun>`` sequences."""
    if noun_spans is None:
        for m in comp.cue.finditer(text):
            yield m.start("name"), m.end("name"), m.start("noun"), m.end("noun")
        return
    for ns, ne in noun_spans:
        # cheap test first: the word before the noun must look like (the end of) a name
        prev_end = ns - 1
        if prev_end <= 0 or text[prev_end] not in " \t":
            continue
        prev_start = text.rfind(" ", 0, prev_end) + 1
        prev = text[prev_start:prev_end]
        if not prev or not (prev[0].isupper() or prev[0].isdigit() or _NAME_SHAPE.search(prev)):
            continue
        # a name is at most 4 words (``cue_before``)
        m = comp.cue_before.search(text, _last_words_start(text, max(0, ns - 100), ns, 4), ns)
        if m:
            yield m.start("name"), m.end("name"), ns, ne


def cue_nouns(
    text: str, sent_starts: Sequence[int], rules: Rules, noun_spans: Sequence[tuple[int, int]] | None = None
) -> list[Candidate]:
    """``the MiniGrid environment`` / ``the DeepMind Control Suite``: the noun types the name.

    ``noun_spans``: character spans of the cue nouns when the caller already
    knows them (the spaCy component finds them with a lexeme flag).
    """
    comp = compile_rules(rules)
    out: list[Candidate] = []
    titled = is_title_case(text)
    bench = comp.all_bench
    for name_start, name_end, noun_start, noun_end in _cue_matches(text, comp, noun_spans):
        noun = text[noun_start:noun_end]
        etype = "benchmark" if noun.lower() in bench else "method"
        words = text[name_start:name_end].split()
        # drop leading sentence starters / generic words ("The", "Our", "Experiments")
        i = 0
        # and a count after a lower-case word ("across 60 RLBench tasks"; not "CoNLL - 2012 Shared Task")
        before = text[max(0, name_start - 20) : name_start].split()
        count_ok = bool(before) and before[-1].isalpha() and before[-1].islower()
        while i < len(words) and (words[i] in rules.sentence_starters or words[i].lower() in rules.generic_words
                                  or (count_ok and i == 0 and words[i].isdigit() and len(words) > 1)):
            i += 1
        words = words[i:]
        if not words:
            continue
        s = text.index(words[0], name_start)
        if s == _sentence_start(sent_starts, s) and not any(is_name_shaped(w, rules) for w in words):
            continue  # a capitalized sentence-initial word is not evidence of a name
        if (etype == "method" or titled) and not any(is_name_shaped(w, rules) for w in words):
            continue  # "Deep model", "A Unified Benchmark": need a name-shaped token
        if not any(is_name_shaped(w, rules) for w in words) and not all(_is_capitalized(w) for w in words):
            continue
        e = noun_end if noun[:1].isupper() and etype == "benchmark" else name_end
        s, e = _trim_name(text, s, e)
        if text[s:e].lower() in rules.generic_words:
            continue
        out.append(Candidate(etype, text[s:e], s, e, "cue-noun", rules.confidence["cue_noun"]))
    return out


def _last_words_start(text: str, lo: int, end: int, n: int) -> int:
    """Start of the ``n``-th last whitespace-separated word of ``text[lo:end]`` (``lo`` if fewer).

    A regex that must end at ``end`` and spans at most ``n`` words cannot match
    before it, so searching from there finds the same match with fewer attempts.
    """
    seg = text[lo:end]
    parts = seg.rsplit(None, n)
    if len(parts) <= n:
        return lo
    i = len(parts[0])
    while seg[i].isspace():
        i += 1
    return lo + i


def _context_type(text: str, start: int, end: int, rules: Rules, comp: Compiled | None = None) -> str | None:
    app = _appositive(text, end)
    if app:
        t = noun_type(app, rules)
        if t:
            return t
    if comp is None:
        comp = compile_rules(rules)
    t = _context_before(text, start, comp)
    if t is None and text.endswith(" ", 0, start):
        # a method phrase before an article: "outperforming the VVC" (not "on the": "ranked 5th on the
        # OD/OC segmentation" names a task)
        m = _ARTICLE_BEFORE.search(text, max(0, start - 6), start)
        if m is not None and _context_before(text, m.start(), comp) == "method":
            t = "method"
    return t


_ARTICLE_BEFORE = re.compile(r"(?<![\w-])(?:the|a|an)[ \t]+$")


def _context_before(text: str, start: int, comp: Compiled) -> str | None:
    """The type a context phrase right before ``start`` gives ("compared to" → method, "results on" →
    benchmark), or None."""
    lo = max(0, start - 40)
    # cheap test first: ``context`` ends with ``phrase\s+$``, so the phrase's last character
    # sits right before the whitespace that ends at ``start``
    p = start
    while p > lo and text[p - 1].isspace():
        p -= 1
    if p in (start, lo) or not comp.context_last.match(text, p - 1):
        return None
    # cheaper than the search: the text before the whitespace must end with a phrase's last
    # word (a lowercase comparison equals the regex's case folding on ASCII text only)
    tail = text[max(lo, p - comp.context_tail_len) : p]
    if tail.isascii() and not tail.lower().endswith(comp.context_tails):
        return None
    m = comp.context.search(text, _last_words_start(text, lo, p, comp.context_words), start)
    if m is None:
        return None
    return "benchmark" if m.group("b") else "method"


def _shape_spans(text: str, comp: Compiled, token_starts: Sequence[int] | None) -> Iterator[tuple[int, int]]:
    if token_starts is None:
        for m in comp.shape.finditer(text):
            yield m.start(), m.end()
        return
    last, last_end = -1, -1
    for o in token_starts:
        if o < last_end:
            continue  # inside the word just yielded (walking back over a long joined chain is quadratic)
        # widen a spaCy token (GPT of GPT-4) to the whole hyphenated word
        chunk = o
        while chunk > 0 and (text[chunk - 1].isalnum() or text[chunk - 1] in "-–./+_"):
            chunk -= 1
        m = _TOKEN_RE.search(text, chunk)
        if m is None or m.start() <= last:
            continue
        last, last_end = m.start(), m.end()
        yield m.start(), m.end()


def name_shapes(
    text: str, rules: Rules, is_blocked: Callable[[str], bool], token_starts: Sequence[int] | None = None
) -> list[Candidate]:
    """CamelCase / alphanumeric tokens typed by context; list members inherit their neighbour's type.

    ``token_starts``: offsets of tokens known to have that shape (from a lexeme
    flag in the spaCy component); without them a regex finds them.
    """
    comp = compile_rules(rules)
    out: list[Candidate] = []
    prev: Candidate | None = None
    conf = rules.confidence["name_shape"]
    for ms, me in _shape_spans(text, comp, token_starts):
        s, e = _trim_name(text, ms, me)
        tok = text[s:e]
        if not is_name_shaped(tok, rules) or is_blocked(tok):
            prev = None
            continue
        etype = _context_type(text, s, e, rules, comp)
        if etype is None and prev is not None and _LIST_GAP.fullmatch(text[prev.end : s]):
            etype = prev.type
        if etype is None:
            prev = None
            continue
        c = Candidate(etype, tok, s, e, "name-shape", conf)
        out.append(c)
        prev = c
    return out


def own_cue(text: str, start: int, rules: Rules) -> bool:
    """``our X`` / ``the proposed X`` right before a mention."""
    return bool(compile_rules(rules).our.search(text[max(0, start - 60) : start]))
