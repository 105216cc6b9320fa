"""Join the learned tagger's spans with the rule candidates of one field (one algorithm, one file).

The rules are precise where they fire (vocabulary, "we propose NAME", acronym definitions, cue
nouns) and the tagger knows the community's span conventions and types. So, per tagger span:

* it overlaps no rule candidate → a new candidate (``rule="tagger"``) if its margin is high enough
  and it looks like a name (not a generic word, at most ``max_words`` words, has a letter);
* it covers exactly one rule candidate and extends it (a head noun, a version: "Penn Treebank" →
  "Penn Treebank dataset", "CIFAR" → "CIFAR - 10") → the candidate takes the tagger's span, keeping
  its vocabulary id and role; its ``name`` stays what the rule found;
* it types a rule candidate differently (a task found by an acronym rule as a method) → the
  candidate takes the tagger's type unless it is an unambiguous vocabulary match;
* otherwise the rule candidates stand.

Every candidate gets a ``name`` without generic head nouns ("Penn Treebank dataset" → "Penn
Treebank", "BERT model" → "BERT"), which resolution uses; the span itself is the mention's surface.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from graphbuild.assets import read_yaml
from graphbuild.extract.candidates import Candidate
from graphbuild.extract.names import match_key

CONFIG_FILE = Path(__file__).resolve().parent.parent / "data" / "extract" / "tagger.yaml"
Tagged = tuple[str, int, int, float]  # (type, start, end, margin)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_NAME_SHAPE = re.compile(r"[A-Z].*[A-Z]|[A-Za-z]\d|\d[A-Za-z]|[a-z][A-Z]")


@dataclass(frozen=True)
class MergeConfig:
    min_margin_new: dict[str, float]
    min_margin_override: dict[str, float]
    confidence: dict[str, float]
    max_words: int
    heads: dict[str, tuple[str, ...]]  # type → generic head nouns, longest first
    min_margin_lowercase_method: float
    retypable_rules: frozenset[str]
    bare_events: frozenset[str]  # match keys


@lru_cache(maxsize=2)
def load_config(path: str | None = None) -> MergeConfig:
    data = read_yaml(Path(path or CONFIG_FILE).read_text("utf-8"))
    heads = {t: tuple(sorted((str(w).lower() for w in data[f"{t}_heads"]), key=len, reverse=True))
             for t in ("method", "benchmark", "task")}  # fmt: skip
    return MergeConfig(
        {str(k): float(v) for k, v in data["min_margin_new"].items()},
        {str(k): float(v) for k, v in data["min_margin_override"].items()},
        {str(k): float(v) for k, v in data["confidence"].items()},
        int(data["max_words"]),
        heads,
        float(data["min_margin_lowercase_method"]),
        frozenset(str(r) for r in data["retypable_rules"]),
        frozenset(match_key(str(e)) for e in data["bare_event_names"]),
    )


@lru_cache(maxsize=8)
def _tail_regex(heads: tuple[str, ...]) -> re.Pattern[str]:
    alt = "|".join(re.escape(h) for h in heads)  # longest first: "data sets" before "data"
    return re.compile(rf"[ -]+(?:{alt})$", re.IGNORECASE)


def strip_head(surface: str, etype: str, cfg: MergeConfig, is_name: Callable[[str], bool]) -> str:
    """The name without a trailing generic head noun, when what is left is still a name."""
    heads = cfg.heads.get(etype)
    if not heads:
        return surface
    m = _tail_regex(heads).search(surface)
    if m:
        rest = surface[: m.start()]
        if rest and (etype != "method" or is_name(rest)):
            return rest
    return surface


# "Gaussian mixture models (GMMs)": the acronym in parentheses is an alias, not part of the name
_TRAILING_ACRONYM = re.compile(r"\s*\(\s*[A-Za-z0-9+-]{2,12}\s*\)$")
_URL = re.compile(r"://|www\.|\.(?:com|org|io|net)\b")
_FUNCTION_START = re.compile(
    r"^(?:the|a|an|our|their|its|this|these|those|such|some|any|all|each|both|other|among|about|at|in|on|of|"
    r"for|to|by|with|from|into|as|and|or|[a-z]+ing)(?![\w-])", re.IGNORECASE)  # "in-context learning" is a name


def _plausible(surface: str, etype: str, start: int, text: str, margin: float, cfg: MergeConfig) -> bool:
    """A tagger-only span that can be a name: short, has a letter, no URL, no determiner or verb first;
    a method also needs a capitalized or name-shaped word not at a sentence start (descriptive
    lower-case phrases are where the tagger's training data disagree most with the guidelines)."""
    words = surface.split()
    if not words or len(words) > cfg.max_words or not _HAS_LETTER.search(surface) or _URL.search(surface):
        return False
    if _FUNCTION_START.match(surface) or surface[-1] in "-(/" or surface.count("(") != surface.count(")"):
        return False
    if etype == "method":
        sentence_start = start == 0 or text[max(0, start - 2) : start].strip() in (".", "!", "?", "")
        return any(_NAME_SHAPE.search(w) or (w[:1].isupper() and (i or not sentence_start))
                   for i, w in enumerate(words)) or margin >= cfg.min_margin_lowercase_method
    return True


def _looks_like_method_name(text: str) -> bool:
    """A method name by itself: one name-shaped or capitalized word (BERT, ResNet-50, Transformer)."""
    words = text.split()
    return len(words) == 1 and (bool(_NAME_SHAPE.search(words[0])) or words[0][:1].isupper())


def merge_field(
    text: str,
    rule_cands: Sequence[Candidate],
    tagged: Sequence[Tagged],
    is_generic: Callable[[str], bool],
    is_ambiguous_vocab: Callable[[str | None], bool],
    cfg: MergeConfig | None = None,
) -> list[Candidate]:
    """Rule candidates and tagger spans of one field → candidates in text order (see module doc)."""
    cfg = cfg or load_config()
    out = list(rule_cands)
    if tagged:
        conf = cfg.confidence
        for etype, s, e, margin in tagged:
            over = [i for i, c in enumerate(out) if c.start < e and s < c.end]
            if not over:
                surface = text[s:e]
                if (margin >= cfg.min_margin_new.get(etype, 1e9) and _plausible(surface, etype, s, text, margin, cfg)
                        and not is_generic(surface)):  # fmt: skip
                    c = min(conf["max"], conf["base"] + conf["slope"] * margin)
                    out.append(Candidate(etype, surface, s, e, "tagger", round(c, 4)))
                continue
            if margin < cfg.min_margin_override.get(etype, 1e9) or len(over) != 1:
                continue
            if not _plausible(text[s:e], etype, s, text, margin, cfg):
                continue
            i = over[0]
            r = out[i]
            contains = s <= r.start and r.end <= e and (s, e) != (r.start, r.end)
            # a longer span that ends in one of the type's head nouns is that type ("MT evaluation" is a
            # task, "the NIST 2003 MT evaluation set" a benchmark)
            headed = contains and etype in cfg.heads and bool(_tail_regex(cfg.heads[etype]).search(text[s:e]))
            new_type = r.type
            # a contribution the rules saw (title subject, "we propose", a role) keeps its type, as
            # does an unambiguous vocabulary entry; weaker findings take the tagger's type
            if r.type != etype and r.role is None and (headed or (r.rule in cfg.retypable_rules and not (
                    r.vocab_id is not None and not is_ambiguous_vocab(r.vocab_id)))):
                new_type = etype
            # a method name keeps its span without a generic head ("BERT model" is BERT, written "BERT")
            method_head_only = (etype == "method" and s == r.start and _looks_like_method_name(r.surface)
                                and bool(_tail_regex(cfg.heads["method"]).fullmatch(text[r.end : e])))
            if contains and new_type == etype and not method_head_only:
                extra = text[s:r.start] + text[r.end:e]
                # extend only by a head noun, a version or the parenthesised acronym, not by a clause
                if len(extra.split()) <= (4 if headed else 3) and not is_generic(text[s:e]):
                    same = r.type == new_type
                    out[i] = replace(r, type=new_type, surface=text[s:e], start=s, end=e,
                                     role=r.role if same else None, vocab_id=r.vocab_id if same else None)
                    continue
            if new_type != r.type:  # another type: the vocabulary entry (of the old type) no longer applies
                out[i] = replace(r, type=new_type, role=None, vocab_id=None)
    out.sort(key=lambda c: (c.start, -c.end))
    kept: list[Candidate] = []
    last_end = -1
    for c in out:  # an extension may now cover a neighbour: the earlier, longer one wins
        if c.start >= last_end:
            kept.append(c)
            last_end = c.end
    return kept


# a version after a spaced hyphen (pre-tokenized text): "CIFAR - 10", "WikiText - 2", "SemEval - 2010"
_SPACED_VERSION = re.compile(r"(?:\s?-\s(?:v|V)?\d[\w.]*(?:\s\.\s\d+)?|\s?['’]\s?\d{2})(?![\w-])")
# a data set's release written after a space: "SFEW 2.0", "VQA v2.0" (not "MNIST 1.2%", "COCO 2.1 AP")
_DOTTED_VERSION = re.compile(
    r"\s(?:v|V)?\d\.\d{1,2}(?=\s*(?:[,.;:)]|$|\s(?:and|or|dataset|datasets|benchmark|test|validation|set|split)\b))")
# a numbered part of a shared task: "SemEval-2010 Task 8", "WMT 2014 Track 2"
_TASK_NUMBER = re.compile(r"\s(?:Task|Track|Subtask)\s\d+[A-Za-z]?\b")


@lru_cache(maxsize=8)
def _head_regex(heads: tuple[str, ...]) -> re.Pattern[str]:
    alt = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in heads)
    return re.compile(rf"\s+(?:(?:evaluation|test|training|dev|development|validation)\s+)?(?:{alt})\b", re.IGNORECASE)


_LIST_PART = re.compile(r"[^/\s]+")


def split_lists(cands: Sequence[Candidate], is_known: Callable[[str], bool]) -> list[Candidate]:
    """A slash-separated list of names is one candidate per name: "SGD/Adam/LARS/LAMB" → four.

    Not when the whole spelling is a known name ("ViT-B/16", "TCP/IP") or a part is no name by
    itself (a number, one letter).
    """
    out: list[Candidate] = []
    for c in cands:
        if "/" not in c.surface or c.vocab_id is not None or is_known(c.surface):
            out.append(c)
            continue
        parts = list(_LIST_PART.finditer(c.surface))
        if len(parts) < 2 or not all(len(p.group()) > 1 and _HAS_LETTER.search(p.group()) and
                                     not p.group().isdigit() for p in parts):
            out.append(c)
            continue
        for p in parts:
            s, e = c.start + p.start(), c.start + p.end()
            out.append(replace(c, surface=p.group(), start=s, end=e, name=None))
    return out


def extend_spans(text: str, cands: Sequence[Candidate], lookup: Callable[[str, str], str | None],
                 cfg: MergeConfig | None = None) -> list[Candidate]:
    """The community's span conventions, applied to every candidate of a field: a version written
    after a spaced hyphen belongs to the name ("CIFAR - 10"), and a benchmark's span includes its
    generic head noun and shared-task number ("Penn Treebank dataset", "SemEval-2010 Task 8").
    The name (what resolution reads) stays the part before the head noun (``with_names``). A
    vocabulary match that gains a version is another entity ("CIFAR" + " - 10" is CIFAR-10):
    ``lookup(surface, type)`` finds its id, or it becomes a name of its own."""
    cfg = cfg or load_config()
    heads = _head_regex(tuple(cfg.heads["benchmark"]))
    out: list[Candidate] = []
    for i, c in enumerate(cands):
        end = c.end
        limit = cands[i + 1].start if i + 1 < len(cands) else len(text)
        if end < len(text) and text[end - 1].isalnum():
            m = _SPACED_VERSION.match(text, end)
            if m and m.end() <= limit:
                end = m.end()
        if c.type == "benchmark":
            m = _TASK_NUMBER.match(text, end) or (_DOTTED_VERSION.match(text, end) if end == c.end else None)
            if m and m.end() <= limit:
                end = m.end()
        version_end = end
        if c.type == "benchmark":
            m = heads.match(text, end)
            if m and m.end() <= limit:
                end = m.end()
        if end == c.end:
            out.append(c)
            continue
        vocab_id = c.vocab_id
        if version_end != c.end and vocab_id is not None:
            vocab_id = lookup(text[c.start : version_end], c.type)
        out.append(replace(c, surface=text[c.start : end], end=end, vocab_id=vocab_id))
    # an event's bare name is no benchmark ("SemEval" alone; "SemEval-2010 Task 8" is one)
    return [c for c in out if not (c.type == "benchmark" and match_key(c.surface) in cfg.bare_events)]


def with_names(cands: Sequence[Candidate], cfg: MergeConfig | None = None,
               is_name: Callable[[str], bool] = _looks_like_method_name) -> list[Candidate]:
    """Give every candidate its ``name`` (the surface without a generic head noun)."""
    cfg = cfg or load_config()
    out = []
    for c in cands:
        base = c.name or c.surface
        if ")" in base[-2:]:  # the regex ends in ``\)$`` ($: at the end or before a final newline)
            base = _TRAILING_ACRONYM.sub("", base) or c.surface
        name = strip_head(base, c.type, cfg, is_name)
        # unchanged (no name needed, or the one it has: the tagger's merge names candidates again): the
        # candidate itself, not an equal copy (``replace`` costs more than the rest of this loop)
        keep = name == c.name or (c.name is None and name == c.surface)
        out.append(c if keep else replace(c, name=name))
    return out
