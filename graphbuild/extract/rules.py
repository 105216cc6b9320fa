"""The extractor's cue words and thresholds, read from ``patterns.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphbuild.assets import read_yaml
from graphbuild.errors import ConfigError

# under graphbuild/data/ so that it ships in the wheel (setup.py package_data)
PATTERNS_FILE = Path(__file__).resolve().parent.parent / "data" / "extract" / "patterns.yaml"


# eq=False: hashed by identity, so compiled regexes can be cached per Rules object
@dataclass(frozen=True, eq=False)
class Rules:
    """Word lists (lowercase unless noted) and numbers that steer the rules."""

    benchmark_nouns: tuple[str, ...]
    benchmark_weak_nouns: tuple[str, ...]
    method_nouns: tuple[str, ...]
    evaluative_words: frozenset[str]
    introduced_benchmark_domain: str
    title_benchmark_words: tuple[str, ...]
    propose_verbs: tuple[str, ...]
    naming_verbs: tuple[str, ...]
    benchmark_context_before: tuple[str, ...]
    method_context_before: tuple[str, ...]
    generic_words: frozenset[str]
    function_words: frozenset[str]
    title_prefixes: frozenset[str]  # case-sensitive
    abbreviations: frozenset[str]
    sentence_starters: frozenset[str]  # case-sensitive
    hyphen_suffix_ok: frozenset[str]
    modifier_suffixes: tuple[str, ...]  # case-sensitive, with their leading "-" or space
    title_task_heads: frozenset[str]
    title_task_breaks: frozenset[str]
    title_task_drop: frozenset[str]
    title_result_words: frozenset[str]
    not_name_heads: frozenset[str]
    confidence: dict[str, float]
    min_confidence: float
    domains: dict[str, float]


def _words(data: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _strings(data, key))


def _strings(data: dict[str, Any], key: str, required: bool = True) -> tuple[str, ...]:
    """A list of non-empty strings (an empty entry would match everywhere: every name a modifier)."""
    value = data.get(key, None if required else [])
    # (YAML reads some bare words as numbers or booleans: they count as their text, as before)
    if not isinstance(value, list) or not all(
            v is not None and not isinstance(v, (list, dict)) and str(v).strip() for v in value):
        raise ConfigError(f"{PATTERNS_FILE}: '{key}' must be a list of non-empty words")
    return tuple(str(v) for v in value)


@lru_cache(maxsize=2)
def load_rules(path: str | None = None) -> Rules:
    """Parse the patterns file once per process."""
    file = Path(path) if path else PATTERNS_FILE
    if not file.is_file():
        raise ConfigError(f"{file}: extractor patterns file not found")
    with file.open(encoding="utf-8") as fh:
        data = read_yaml(fh)
    return Rules(
        benchmark_nouns=_words(data, "benchmark_nouns"),
        benchmark_weak_nouns=_words(data, "benchmark_weak_nouns"),
        method_nouns=_words(data, "method_nouns"),
        evaluative_words=frozenset(_words(data, "evaluative_words")),
        introduced_benchmark_domain=str(data.get("introduced_benchmark_domain", "")),
        title_benchmark_words=_words(data, "title_benchmark_words"),
        propose_verbs=_words(data, "propose_verbs"),
        naming_verbs=_words(data, "naming_verbs"),
        benchmark_context_before=_words(data, "benchmark_context_before"),
        method_context_before=_words(data, "method_context_before"),
        generic_words=frozenset(_words(data, "generic_words")),
        function_words=frozenset(_words(data, "function_words")),
        title_prefixes=frozenset(_strings(data, "title_prefixes", required=False)),
        abbreviations=frozenset(_words(data, "abbreviations")),
        sentence_starters=frozenset(_strings(data, "sentence_starters", required=False)),
        hyphen_suffix_ok=frozenset(_words(data, "hyphen_suffix_ok")),
        modifier_suffixes=_strings(data, "modifier_suffixes", required=False),
        title_task_heads=frozenset(_words(data, "title_task_heads")),
        title_task_breaks=frozenset(_words(data, "title_task_breaks")),
        title_task_drop=frozenset(_words(data, "title_task_drop")),
        title_result_words=frozenset(_words(data, "title_result_words")),
        not_name_heads=frozenset(_words(data, "not_name_heads")),
        confidence={str(k): float(v) for k, v in data["confidence"].items()},
        min_confidence=float(data["min_confidence"]),
        domains={str(k): float(v) for k, v in data["domains"].items()},
    )
