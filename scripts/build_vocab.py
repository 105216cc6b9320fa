#!/usr/bin/env python
"""Build the extractor's vocabularies and domain taxonomy from curated lists and reference data.

Inputs: the hand-curated lists in ``scripts/vocab_src/`` and the public reference data in the shared
data folder (SciREX, AxCell, Papers with Code tasks, TDMSci, CSO; see ``graphbuild/data/SOURCES.md``).
Outputs (deterministic for the same inputs):

- ``graphbuild/data/vocab/methods.jsonl``, ``benchmarks.jsonl``, ``metrics.jsonl``, ``stoplist.yaml``
- ``graphbuild/data/taxonomy/domains.yaml`` and ``cso_phrases.jsonl``

Example:
    .venv/bin/python scripts/build_vocab.py --data /work/shared/data

Needs ``wordfreq`` (``pip install wordfreq``) to flag names that are common English words.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_docs import HeldOut, ReferenceDocs  # a sibling module of this script

ROOT = Path(__file__).resolve().parent.parent
SRC = Path(__file__).resolve().parent / "vocab_src"


def load_yaml(path: Path) -> Any:
    """A curated YAML file; a syntax error stops the build with one line naming file and line."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise SystemExit(f"error: {where}: invalid YAML ({getattr(exc, 'problem', exc)})") from None


_FILTERS = load_yaml(SRC / "harvest_filters.yaml")

# Lower number wins when two sources disagree (curated lists are checked by hand).
SOURCE_PRIORITY = {
    "curated": 0,
    "pwc-axcell": 1,
    "scirex": 2,
    "pwc-tasks": 3,
    "tdmsci": 4,
    "scierc": 5,
    "cso": 6,
    "csner": 7,
    "corpora": 8,
}

# Head nouns whose plural is a natural way to write a method family ("GANs", "random forests").
PLURAL_HEADS: set[str] = set(_FILTERS["plural_heads"])

# Name endings that mark a data split or an evaluation setting rather than a new dataset.
SPLIT_SUFFIX = re.compile(
    r"\s+(?:val|valid|validation|test|dev|train|test-dev|test-std|test-challenge|testfinal|test set|val set|"
    r"dev set|test-clean|test-other|eval\d+|full|hard|easy|medium|moderate|all|overall|mini|small|"
    r"large)\b.*$",
    re.IGNORECASE,
)
TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
DASH_DESCRIPTOR = re.compile(r"\s+[-–]\s+.*$")
PERCENT_TAIL = re.compile(r"\s+\d+(?:\.\d+)?\s*%.*$")
DATASET_WORD = re.compile(r"\s+(?:dataset|data set|datasets|benchmark|corpus|database)$", re.IGNORECASE)
JUNK_NAME = re.compile(r"[,;:!?\"$^{}\\]|\s{2,}|^\W|\.\.\.|http|www\.")
BAD_FRAGMENT = re.compile(r"(?i)\bvs\.?\b|\bet al\b|'s\b|’s\b|\s/\s|\(\)|\b\d\s\.\s\d")
# First words that name a split or a part, not a dataset ("Test 1", "Dev set").
SPLIT_HEADS: set[str] = set(_FILTERS["split_heads"])
FUNCTION_WORDS: set[str] = set(_FILTERS["function_words"])
RESOLUTION = re.compile(r"\d+\s*[x×]\s*\d+")
# Lowercase qualifiers that mark a split or setting of a dataset ("CHiME real", "AGQA 2.0 balanced").
SETTING_WORDS: set[str] = set(_FILTERS["setting_words"])
# Dataset names that are also English words, written in capitals ("GAP", "MASSIVE"): kept, flagged ambiguous.
CAPS_WORD_DATASETS: set[str] = set(_FILTERS["caps_word_datasets"])
# Last words that make a name a description of data rather than a dataset's name.
GENERIC_TAILS: set[str] = set(_FILTERS["generic_tails"])


@dataclass
class Entry:
    """One vocabulary entity while it is being assembled."""

    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    source: str = "curated"
    subtype: str | None = None
    domains: list[str] = field(default_factory=list)
    ambiguous: bool = False
    order: int = 0

    @property
    def id(self) -> str:
        return f"{self.kind}:{slug(self.name)}"


# ---------------------------------------------------------------- normalization


def slug(name: str) -> str:
    """Id slug: lowercase, non-alphanumerics → '-'; '+'/'*' spelled out so that PointNet++ ≠ PointNet."""
    s = name.replace("+", "-plus-").replace("*", "-star-").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


def squash(text: str) -> str:
    """Identity key used to merge spellings: case, spaces and hyphens ignored; '+' and '*' kept."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return re.sub(r"[^a-z0-9+*α-ω]+", "", text)


def clean_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def detokenize(text: str) -> str:
    """Undo the PTB-style tokenization of SciREX/TDMSci ("CIFAR - 10" → "CIFAR-10")."""
    text = clean_space(text)
    text = text.replace("-LRB-", "(").replace("-RRB-", ")")
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+\)", ")", text)
    text = re.sub(r"(\d)\s\.\s(\d)", r"\1.\2", text)
    text = re.sub(r"\s+([’'])\s*s\b", r"\1s", text)
    return text


def initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w[0].isalnum())


def is_acronym_of(short: str, long: str) -> bool:
    """True when ``short`` abbreviates ``long`` by word initials (ignoring a plural 's' and hyphens)."""
    s = re.sub(r"[^A-Za-z0-9]", "", short)
    if s.endswith("s") and not s.isupper():
        s = s[:-1]
    if len(s) < 2 or not any(c.isupper() for c in s):
        return False
    words = [w for w in re.split(r"[\s\-]+", long) if w and w.lower() not in FUNCTION_WORDS | {"a", "an"}]
    if len(words) < 2:
        return False
    return initials(words).lower() == s.lower()


def parse_entry(text: str) -> tuple[str, list[str], bool]:
    """'Name | alias | alias !ambiguous' → (name, aliases, ambiguous)."""
    ambiguous = text.rstrip().endswith("!ambiguous")
    if ambiguous:
        text = text.rstrip()[: -len("!ambiguous")]
    parts = [clean_space(p) for p in text.split("|")]
    parts = [p for p in parts if p]
    return parts[0], parts[1:], ambiguous


# ---------------------------------------------------------------- curated inputs


def load_curated(kind: str) -> list[Entry]:
    entries: list[Entry] = []
    prefix = {"method": "methods_", "benchmark": "benchmarks_", "task": "tasks_"}[kind]
    for path in sorted(SRC.glob(f"{prefix}*.yaml")):
        groups = load_yaml(path) or []
        for gi, group in enumerate(groups):
            where = f"{path.name} group {gi + 1}"
            subtype = group.get("subtype")
            domains = list(group.get("domains") or [])
            if "template" in group:
                for value in group["values"]:
                    v = str(value)
                    name = group["template"].replace("{v}", v)
                    aliases = [a.replace("{v}", v) for a in group.get("aliases", [])]
                    entries.append(Entry(kind, name, aliases, "curated", subtype, list(domains), order=len(entries)))
                continue
            for text in group.get("entries") or []:
                if not isinstance(text, str):
                    raise SystemExit(f"{where}: entry {text!r} is not a string")
                name, aliases, ambiguous = parse_entry(text)
                aliases, versions = split_versions(name, aliases) if kind == "method" else (aliases, {})
                # each entry its own list: merging a later entry's domains into one must not change its group
                entries.append(Entry(kind, name, aliases, "curated", subtype, list(domains), ambiguous, len(entries)))
                for spellings in versions.values():
                    entries.append(
                        Entry(
                            kind,
                            spellings[0],
                            spellings[1:],
                            "curated",
                            subtype,
                            list(domains),
                            False,
                            len(entries),
                        )
                    )
    return entries


VERSION_SUFFIX = re.compile(r"^[\s\-]?(?:[vV][\s\-]?)?(\d+(?:\.\d+)?|\+\+?)$")


def split_versions(name: str, aliases: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Pull later versions out of an alias list: "MoCo | MoCo v2" → MoCo and a separate MoCo v2.

    Versions are different models (GPT-3 ≠ GPT-4); version 1 is the original and stays an alias.
    """
    keep: list[str] = []
    versions: dict[str, list[str]] = {}
    for a in aliases:
        m = VERSION_SUFFIX.match(a[len(name) :]) if a.lower().startswith(name.lower()) and len(a) > len(name) else None
        if m is None:
            keep.append(a)
            continue
        version = m.group(1)
        version = version[:-2] if version.endswith(".0") else version
        if version in {"1", "1.0"}:
            keep.append(a)
            continue
        versions.setdefault(version, []).append(a)
    return keep, versions


def load_metric_entries(data: Path) -> list[dict]:
    rows = load_yaml(SRC / "metrics.yaml")
    metrics: dict[str, dict] = {}
    for text in rows:
        name, aliases, _ = parse_entry(text)
        metrics[squash(name)] = {"name": name, "aliases": aliases, "source": "curated"}
    axcell = json.loads((data / "pwc" / "axcell_manual_dicts.json").read_text(encoding="utf-8"))
    for name, aliases in axcell["metrics"].items():
        key = squash(name)
        good = [a for a in aliases if len(a) > 2 and a not in {"error", "acc", "per", "pers"}]
        if key in metrics:
            metrics[key]["aliases"].extend(good)
        else:
            metrics[key] = {"name": name, "aliases": good, "source": "pwc-axcell"}
    # SciREX metric names are leaderboard columns that often name a dataset ("MRPC"): not used.
    out = []
    for m in metrics.values():
        aliases = sorted({a for a in m["aliases"] if a != m["name"]}, key=lambda a: (a.lower(), a))
        out.append(
            {
                "id": f"metric:{slug(m['name'])}",
                "name": m["name"],
                "kind": "metric",
                "aliases": aliases,
                "source": m["source"],
            }
        )
    dedup = {}
    for m in out:
        dedup.setdefault(m["id"], m)
    return sorted(dedup.values(), key=lambda m: m["id"])


# ---------------------------------------------------------------- harvested inputs


class Filters:
    """Shared quality filters for harvested names."""

    def __init__(
        self, stop: set[str], metric_keys: set[str], task_keys: set[str], metric_exact: set[str] | None = None
    ) -> None:
        try:
            from wordfreq import zipf_frequency
        except ImportError:
            raise SystemExit("error: the vocabulary builder needs wordfreq: pip install -e '.[test]'") from None
        self.zipf = lambda w: zipf_frequency(w, "en")
        self.stop = stop
        self.metric_keys = metric_keys
        # Short metric acronyms compare case-sensitively: FID (metric) is not FiD (Fusion-in-Decoder).
        self.metric_exact = metric_exact or set()
        self.task_keys = task_keys

    def is_common_word(self, name: str, threshold: float = 3.5) -> bool:
        return " " not in name and "-" not in name and name.isalpha() and self.zipf(name.lower()) >= threshold

    def good_name(self, name: str, common_ok: bool = False) -> bool:
        """A harvested name that reads as a named entity. ``common_ok``: an all-caps or inner-capital single
        word that is also an English word ("GAP", "MASSIVE", "ReCoRD") passes (the caller flags it ambiguous)."""
        if not (2 <= len(name) <= 60) or not name.isascii() or JUNK_NAME.search(name):
            return False
        words = name.split()
        if len(words) > 6 or not re.match(r"[A-Za-z]", name):
            return False
        # A named entity shows itself by capitals or digits; all-lowercase phrases are generic.
        if not re.search(r"[A-Z0-9]", name):
            return False
        low = name.lower()
        if low in self.stop or squash(name) in self.metric_keys or squash(name) in self.task_keys:
            return False
        if re.match(r"(?i)(a|an|the|our|this|these|new|novel|large|small|real|synthetic|public)\b", name):
            return False
        if re.search(
            r"(?i)\b(ensemble|single|baseline|proposed|ours|w/o|w/|without|with|using|based on|trained)\b",
            name,
        ):
            return False
        if len(words) >= 4 and sum(w[0].islower() for w in words) >= 2:
            return False  # sentence fragment
        if len(re.sub(r"[^A-Za-z0-9]", "", name)) < 3 or name.count("(") != name.count(")") or name.endswith("."):
            return False
        if BAD_FRAGMENT.search(name) or words[0].lower() in SPLIT_HEADS or words[-1].lower() in GENERIC_TAILS:
            return False
        if "_" in name or "(" in name or " + " in name or " data " in f" {name.lower()} ":
            return False  # leaderboard keys ("swb_hub_500"), settings ("ETTh1 (48)"), mixtures
        for left, right in re.findall(r"([A-Za-z]+)-([a-z]+)", name):
            if self.zipf((left + right).lower()) >= 3.0:
                return False  # PDF line-break hyphenation ("Chi-nese", "Cor-pus")
        parts = [w for w in re.split(r"[\s\-]+", name) if w]
        if len(words) > 1 and not re.search(r"\d", name) and all(self.zipf(w.lower()) >= 3.0 for w in parts):
            return False  # only common words: a description ("Twitter Dialogue", "EXTREME CLASSIFICATION")
        cased = name.isalpha() and " " not in name and (name.isupper() or any(c.isupper() for c in name[1:]))
        if common_ok and cased:
            return not (FUNCTION_WORDS & set(words)) and not any(w in SETTING_WORDS for w in words[1:])
        if name.isupper() and name.isalpha() and self.zipf(name.lower()) >= 3.0:
            return False  # "NAN", "DROP": capitalized English words
        if FUNCTION_WORDS & set(words) or RESOLUTION.search(name):
            return False  # "Duke to Market", "Age and Gender", "FFHQ 256 x 256": pairs, descriptions, settings
        if any(w in SETTING_WORDS for w in words[1:]):
            return False
        return not self.is_common_word(name, 2.2)

    def looks_generic(self, name: str) -> bool:
        """Title-cased common words with no digits or inner capitals ("Box Refinement", "Dual Attention")."""
        words = re.split(r"[\s\-]+", name)
        return all(w.isalpha() and w[1:].islower() and self.zipf(w.lower()) >= 2.5 for w in words if w)


def clean_dataset_name(raw: str) -> str:
    name = clean_space(raw.replace("\u00a0", " "))
    for _ in range(2):
        name = PERCENT_TAIL.sub("", name)
        name = DASH_DESCRIPTOR.sub("", name)
        name = TRAILING_PAREN.sub("", name)
        name = SPLIT_SUFFIX.sub("", name) if len(name.split()) > 1 else name
    return clean_space(name)


def harvest_scirex(docs: ReferenceDocs, flt: Filters) -> list[Entry]:
    entries: list[Entry] = []
    for row in docs.scirex_salient():
        typ = row["type"]
        if typ not in {"Method", "Material"}:
            continue
        canon = row["canonical_name"]
        if "___" in canon or canon.startswith("_") or canon.startswith("Atari_2600"):
            continue
        canon = re.sub(r"__([^_]+)_$", r" (\1)", canon.rstrip("_") if not canon.endswith("__") else canon)
        canon = clean_space(canon.replace("_", " "))
        kind = "method" if typ == "Method" else "benchmark"
        if kind == "benchmark":
            canon = clean_dataset_name(canon)
        canon = TRAILING_PAREN.sub("", canon)
        surfaces = [detokenize(s) for s in row["top_surface_forms"].split("|") if s.strip()]
        key = squash(canon)
        # Keep only names the paper actually writes: a surface form must spell the canonical name.
        spelled = [s for s in surfaces if squash(s) == key]
        if not spelled:
            continue
        name = Counter(spelled).most_common(1)[0][0]
        if not flt.good_name(name):
            continue
        if flt.looks_generic(name) and not any(is_acronym_of(s, name) for s in surfaces):
            continue
        aliases = []
        for s in surfaces:
            if s == name or not flt.good_name(s):
                continue
            if squash(s) in {key, key + "s"} or is_acronym_of(name, s) or is_acronym_of(s, name):
                aliases.append(s)
        subtype = "model" if kind == "method" else "dataset"
        entries.append(Entry(kind, name, aliases, "scirex", subtype, [], order=len(entries)))
    return entries


def harvest_axcell(data: Path, flt: Filters) -> list[Entry]:
    axcell = json.loads((data / "pwc" / "axcell_manual_dicts.json").read_text(encoding="utf-8"))
    entries = []
    for raw, aliases in axcell["datasets"].items():
        name = clean_dataset_name(raw)
        if not flt.good_name(name):
            continue
        # AxCell aliases are lowercased match tokens ("test", "clean"): keep only full respellings.
        good = [a for a in aliases if squash(a) == squash(name) and a != name]
        entries.append(Entry("benchmark", name, good, "pwc-axcell", "dataset", [], order=len(entries)))
    return entries


def read_task_names(data: Path) -> set[str]:
    keys = set()
    with (data / "pwc" / "areas" / "all_tasks_detailed.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            keys.add(squash(row["Task Name"]))
    with (data / "pwc" / "sota_extractor_task_synonyms.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, skipinitialspace=True):
            keys.update(squash(c) for c in row)
    keys.discard("")
    return keys


def harvest_pwc_tasks(data: Path, flt: Filters) -> list[Entry]:
    found: dict[str, Entry] = {}
    with (data / "pwc" / "areas" / "all_tasks_detailed.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            # The area column is often wrong for the listed datasets: no domain hints from it.
            domains: list[str] = []
            for col in ("Common Datasets (Top 10)", "Benchmarks"):
                for cell in row[col].split(";"):
                    raw = clean_space(cell)
                    name = clean_dataset_name(raw)
                    name = DATASET_WORD.sub("", name) if len(name.split()) > 1 else name
                    # an all-caps dataset name that is also a word (GAP, MASSIVE) is kept, flagged ambiguous
                    word = not flt.good_name(name)
                    if word and (name not in CAPS_WORD_DATASETS or not flt.good_name(name, common_ok=True)):
                        continue
                    key = squash(name)
                    entry = found.get(key)
                    if entry is None:
                        entry = found[key] = Entry("benchmark", name, [], "pwc-tasks", "dataset", [], word, len(found))
                    if raw != name and squash(raw) == key + squash(" dataset"):
                        entry.aliases.append(raw)
                    for d in domains:
                        if d not in entry.domains:
                            entry.domains.append(d)
    return list(found.values())


def harvest_tdmsci(docs: ReferenceDocs, flt: Filters) -> list[Entry]:
    counts: Counter = Counter()
    spelled: dict[str, str] = {}
    spans = [span for doc in docs.tdmsci() for label, span in doc.spans if label == "DATASET"]
    for span in spans:
        name = clean_dataset_name(detokenize(span))
        name = DATASET_WORD.sub("", name) if len(name.split()) > 1 else name
        if not flt.good_name(name) or flt.looks_generic(name):
            continue
        counts[squash(name)] += 1
        spelled.setdefault(squash(name), name)
    entries = []
    for key, name in spelled.items():
        # TDMSci tags loose descriptions too: a single sighting must at least look like a name.
        named = re.search(r"[A-Z]{2,}|\d|[a-z][A-Z]", name)
        if counts[key] >= 2 or named:
            entries.append(Entry("benchmark", name, [], "tdmsci", "dataset", [], order=len(entries)))
    return entries


def harvest_scierc(docs: ReferenceDocs, flt: Filters) -> list[Entry]:
    """SciERC Method spans that are written as names (acronyms, CamelCase), seen in ≥ 2 abstracts."""
    seen: dict[str, Counter] = defaultdict(Counter)
    found_in: dict[str, set[str]] = defaultdict(set)
    for doc in docs.scierc():
        for label, raw in doc.spans:
            if label != "Method":
                continue
            span = detokenize(raw)
            if not re.fullmatch(r"[A-Z][A-Za-z0-9\-+]*[A-Z0-9][A-Za-z0-9\-+]*", span):
                continue  # only acronym/CamelCase-like single tokens
            seen[squash(span)][span] += 1
            found_in[squash(span)].add(doc.id)
    entries = []
    for key, spellings in seen.items():
        if len(found_in[key]) < 2:
            continue
        name = spellings.most_common(1)[0][0]
        if flt.good_name(name) and len(name) >= 3:
            entries.append(Entry("method", name, [], "scierc", "model", [], order=len(entries)))
    return entries


# ---------------------------------------------------------------- tasks

_TASKS = load_yaml(SRC / "task_filters.yaml")
TASK_PAREN = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<inner>[^()]+)\)$")
INNER_ACRONYM = re.compile(r"\s*\(\s*(?P<short>[A-Z][A-Za-z]{1,7})\s*\)")
EVENT_NAME = re.compile(r"(?i)\b(?:19|20)\d\d\b|\btask\s*\d|\bshared task\b|\bsubtask\b|\btrack\b")
FRAGMENT_START = {
    "a", "an", "the", "our", "this", "these", "that", "new", "novel", "such", "various", "different", "several",
    "many", "other", "existing", "traditional", "standard", "general", "more", "most", "large", "small", "improved",
    "improving", "efficient", "robust", "accurate", "fast", "better", "its", "their", "any", "each", "all", "both",
    "towards", "toward", "using", "via", "with", "for", "on", "of", "in", "to", "and", "from", "by", "as",
}
# Capitalized words that stay capitalized in a task name (languages, proper nouns)
TASK_PROPER = {
    "Chinese", "English", "Arabic", "German", "French", "Japanese", "Korean", "Russian", "Spanish", "Hindi",
    "Vietnamese", "Indonesian", "Bengali", "Urdu", "Persian", "Turkish", "Dutch", "Italian", "Portuguese", "Thai",
    "Czech", "Polish", "Hebrew", "Greek", "Swahili", "Atari", "Go", "Bayesian", "Gaussian", "Markov", "Twitter",
    "Wikipedia", "COVID", "Boolean", "Nash", "Euclidean", "Hamiltonian", "Lagrangian", "Monte", "Carlo",
}


def task_case(text: str) -> str:
    """A task phrase in lower case except acronyms, mixed case and proper nouns ("3D", "SQL", "Chinese")."""
    words = []
    for w in clean_space(text).split(" "):
        parts = []
        for p in w.split("-"):
            titled = p[:1].isupper() and (p[1:].islower() or len(p) == 1)
            parts.append(p.lower() if titled and p not in TASK_PROPER and len(p) > 1 else p)
        words.append("-".join(parts))
    return " ".join(words)


class TaskFilter:
    """What may be a task entity or alias: not generic, not a field, not a method/data name."""

    def __init__(self, flt: Filters, stop: set[str]) -> None:
        self.flt = flt
        self.stop = stop
        self.generic = {squash(w) for w in _TASKS["generic"]}
        self.fields = {squash(w) for w in _TASKS["fields"]}
        self.not_tasks = {squash(w) for w in _TASKS["not_tasks"]}
        self.heads = {w.lower() for w in _TASKS["heads"]}
        self.short_ok = set(_TASKS["short_ok"])
        self.not_ambiguous = {w.lower() for w in _TASKS["not_ambiguous"]}
        self.method_qualifiers = {w.lower() for w in _TASKS["method_qualifiers"]}
        self.dual = {squash(w) for w in _TASKS["dual"]}

    def reason(self, name: str, harvested: bool) -> str | None:
        """Why ``name`` cannot be a task (None: it can). ``harvested``: also require a task head noun."""
        words = name.split()
        key = squash(name)
        if not name.isascii() or not 2 <= len(name) <= 60 or len(words) > 6 or JUNK_NAME.search(name):
            return "shape"
        if key in self.generic:
            return "generic"
        if key in self.fields:
            return "a field"
        if key in self.not_tasks or name.lower() in self.stop or key in self.flt.metric_keys:
            return "not a task"
        if EVENT_NAME.search(name):
            return "an event"
        if words[-1].lower() in FUNCTION_WORDS:
            return "fragment"
        if not harvested:
            return None
        if words[0].lower() in FRAGMENT_START or words[-1].lower() in FRAGMENT_START:
            return "fragment"
        if words[0].lower() in self.method_qualifiers:
            return "an approach to a task"
        last = re.split(r"[\s\-]", name.lower())[-1]
        if len(words) == 1 and (name.isupper() or len(name) < 8):
            return "acronym or short word"
        if last not in self.heads and not last.endswith(("ion", "ing")):
            return "no task head"
        if any(ch.isdigit() for ch in name) and not re.search(r"\b[23]D\b", name):
            return "fragment"
        return None

    def alias_ok(self, alias: str) -> bool:
        letters = re.sub(r"[^A-Za-z0-9]", "", alias)
        if len(letters) <= 2 and alias not in self.short_ok:
            return False
        key = squash(alias)
        return not (key in self.generic or key in self.fields or alias.lower() in self.stop
                    or key in self.flt.metric_keys)

    def ambiguous(self, name: str) -> bool:
        """A one-word task that is a common English word (recommendation) needs context to link."""
        return name.lower() not in self.not_ambiguous and self.flt.is_common_word(name, 3.0)


def harvest_pwc_task_names(data: Path, tf: TaskFilter) -> tuple[list[Entry], list[tuple[str, str]]]:
    """Task names of the Papers with Code task list ("Visual Question Answering (VQA)" → name + alias)
    and the sota-extractor synonym pairs (applied after merging)."""
    entries: list[Entry] = []
    with (data / "pwc" / "areas" / "all_tasks_detailed.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            raw = clean_space(row["Task Name"])
            aliases = []
            m = TASK_PAREN.match(raw)
            if m:
                inner = m.group("inner").strip()
                if " " in inner or not re.search(r"[A-Z]", inner) or len(inner) > 8:
                    continue  # "(GermEval 2023, subtask 1)": a shared-task qualifier, not an acronym
                raw, aliases = m.group("name").strip(), [inner]
            name = task_case(raw)
            if tf.reason(name, harvested=False) is None and tf.reason(raw, harvested=False) is None:
                entries.append(Entry("task", name, aliases, "pwc-tasks", None, [], order=len(entries)))
    pairs: list[tuple[str, str]] = []
    with (data / "pwc" / "sota_extractor_task_synonyms.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, skipinitialspace=True))
    for row in rows[1:]:
        if len(row) == 2:
            pairs.append((task_case(row[0]), task_case(row[1])))
    return entries, pairs


def corpus_task_spans(docs: ReferenceDocs) -> list[tuple[str, str, str]]:
    """(data set, document id, span) of task / research-problem annotations in train documents."""
    out: list[tuple[str, str, str]] = []
    for doc in docs.tdmsci():
        out += [("tdmsci", doc.id, s) for label, s in doc.spans if label == "TASK"]
    for doc in docs.scierc():
        out += [("scierc", doc.id, s) for label, s in doc.spans if label == "Task"]
    csner_files = {
        "pwc": ("train.data", "dev.data", "dev-abs.data"),
        "acl": ("train.data", "dev.data"),
        "ftd": ("train.data", "dev.data", "train-abs.data", "dev-abs.data"),
    }
    for subset, files in csner_files.items():
        for file in files:
            for doc in docs.csner(subset, file):
                out += [("csner", doc.id, s) for label, s in doc.spans if label == "RESEARCH_PROBLEM"]
    for row in docs.scirex_salient():
        if row["type"] == "Task":
            canon = clean_space(row["canonical_name"].replace("_", " "))
            for s in row["top_surface_forms"].split("|"):
                if squash(detokenize(s)) == squash(canon):
                    out.append(("scirex", row["doc_id"], s))
    return out


def harvest_corpus_tasks(docs: ReferenceDocs, tf: TaskFilter) -> tuple[list[Entry], list[tuple[str, str]]]:
    """Task phrases annotated in ≥ ``corpus_min_docs`` train documents of ≥ 2 data sets (or twice as many
    documents of one), and "long form (SF)" pairs written inside annotated spans."""
    min_docs = int(_TASKS["corpus_min_docs"])
    found_in: dict[str, set[tuple[str, str]]] = defaultdict(set)
    spellings: dict[str, Counter] = defaultdict(Counter)
    pairs: list[tuple[str, str]] = []
    for dataset, doc_id, raw in corpus_task_spans(docs):
        span = detokenize(raw).strip(" .,;:")
        m = INNER_ACRONYM.search(span)
        if m:
            # "part-of-speech (POS) tagging", "information extraction (IE)": the phrase, and a pair
            whole = clean_space(span[: m.start()] + span[m.end() :])
            if is_acronym_of(m.group("short"), whole) or is_acronym_of(m.group("short"), span[: m.start()]):
                pairs.append((task_case(whole), m.group("short")))
            span = whole
        name = task_case(span)
        key = squash(name)
        found_in[key].add((dataset, doc_id))
        spellings[key][name] += 1
    entries = []
    for key in sorted(found_in):
        n_docs = len(found_in[key])
        n_sets = len({ds for ds, _ in found_in[key]})
        if n_docs < min_docs or (n_sets < 2 and n_docs < 2 * min_docs):
            continue
        name = max(spellings[key].items(), key=lambda kv: (kv[1], kv[0].islower(), kv[0]))[0]
        if tf.reason(name, harvested=True) is None:
            entries.append(Entry("task", name, [], "corpora", None, [], order=len(entries)))
    return entries, pairs


def task_spelling_variants(name: str) -> list[str]:
    """Hyphen/space/joined spellings of a task phrase the matcher would not equate
    ("part-of-speech tagging" → "part of speech tagging"; "multi-label" → "multilabel")."""
    out = []
    if ("-" in name and " " in name) or name.count("-") > 1:
        out.append(name.replace("-", " "))
    joined = re.sub(r"\b(multi|semi|self|non|co|re|pre|cross|sub|inter|intra)-(?=[a-z])", r"\1", name)
    if joined != name:
        out.append(joined)
    return [v for v in out if v != name]


def build_tasks(
    docs: ReferenceDocs,
    data: Path,
    tf: TaskFilter,
    other_rows: list[dict],
    ref_pairs: Counter,
) -> tuple[list[dict], list[str], dict[str, int]]:
    """The task vocabulary: curated lists, Papers with Code task names and synonyms, and task phrases of the
    annotated corpora's train documents; aliases from acronym definitions. Returns rows, a report, counts."""
    report: list[str] = []
    curated = load_curated("task")
    bad = [f"{e.name!r} is {why}" for e in curated if (why := tf.reason(e.name, harvested=False))]
    if bad:
        raise SystemExit("curated tasks rejected by scripts/vocab_src/task_filters.yaml: " + "; ".join(bad))
    pwc, synonyms = harvest_pwc_task_names(data, tf)
    corpus, span_pairs = harvest_corpus_tasks(docs, tf)
    merged, counts = merge_entries([curated, pwc, corpus])
    # other kinds: a task may share its name with a paradigm method (offline RL, domain adaptation); a harvested
    # phrase that names any other method or a benchmark is that entity, not a task
    other: dict[str, dict] = {}
    for r in other_rows:
        for t in (r["name"], *r["aliases"]):
            other.setdefault(squash(t), r)
    tasks: list[Entry] = []
    also: dict[str, list[str]] = {}  # task name -> ids of the method/benchmark entities it spells
    for e in merged:
        hit = other.get(squash(e.name))
        if hit is not None and e.source != "curated":
            report.append(f"skip task {e.name!r} ({e.source}): it is {hit['id']}")
            continue
        if hit is not None and hit.get("subtype") != "paradigm" and squash(e.name) not in tf.dual:
            raise SystemExit(f"curated task {e.name!r} is also {hit['id']}: list it under dual in task_filters.yaml")
        if hit is not None:
            also[e.name] = [hit["id"]]
        tasks.append(e)
    by_key: dict[str, Entry] = {}
    for e in tasks:
        for t in (e.name, *e.aliases):
            by_key.setdefault(squash(t), e)
    # synonyms and acronym definitions attach to a task known by the other spelling
    attached = 0
    candidates = [*synonyms, *[(b, a) for a, b in synonyms], *span_pairs]
    candidates += [(task_case(long), short) for (short, long), _ in sorted(ref_pairs.items())
                   if is_acronym_of(short, long)]
    for known, alias in candidates:
        target = by_key.get(squash(known))
        if target is None or squash(alias) in by_key or not tf.alias_ok(alias):
            continue
        if tf.reason(alias, harvested=False) is not None and " " in alias:
            continue
        target.aliases.append(alias)
        by_key[squash(alias)] = target
        attached += 1
    rows = []
    owner = {squash(e.name): e for e in tasks}
    for e in tasks:
        keep: list[str] = []
        seen = {squash(e.name)}
        for a in [*e.aliases, *task_spelling_variants(e.name)]:
            k = squash(a)
            if a == e.name or a in keep or (a.lower() == e.name.lower()):
                continue
            if not tf.alias_ok(a):
                report.append(f"drop task alias {a!r} of task:{slug(e.name)}: generic/short/stoplist")
                continue
            if k in owner and owner[k] is not e:
                report.append(f"drop task alias {a!r} of task:{slug(e.name)}: it is task:{slug(owner[k].name)}")
                continue
            keep.append(a)
            seen.add(k)
        row: dict[str, Any] = {"id": f"task:{slug(e.name)}", "name": e.name, "kind": "task", "aliases": keep,
                               "source": e.source}
        if e.subtype:
            row["subtype"] = e.subtype
        if e.domains:
            row["domains"] = e.domains
        if e.ambiguous or tf.ambiguous(e.name):
            row["ambiguous"] = True
        if e.name in also:
            row["also"] = also[e.name]
        rows.append(row)
    # an alias claimed by two tasks stays with the higher-priority source
    alias_owner: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (SOURCE_PRIORITY[r["source"]], r["id"])):
        kept = []
        for a in r["aliases"]:
            k = squash(a)
            if k in alias_owner and alias_owner[k] is not r:
                report.append(f"drop task alias {a!r} of {r['id']}: kept on {alias_owner[k]['id']}")
                continue
            alias_owner[k] = r
            kept.append(a)
        r["aliases"] = kept
    rows.sort(key=lambda r: r["id"])
    stats = {"curated": len(curated), "pwc": len(pwc), "corpora": len(corpus), "merged": sum(counts.values()),
             "aliases attached": attached}
    return rows, report, stats


# ---------------------------------------------------------------- variants and merging


def spelling_variants(name: str) -> list[str]:
    """Hyphen/space/concatenated spellings of a single-hyphen name (CIFAR-10 → CIFAR10, CIFAR 10)."""
    out = []
    if name.count("-") == 1 and " " not in name:
        left, right = name.split("-")
        if left and right and left[-1].isalnum() and right[0].isalnum():
            has_digit = any(c.isdigit() for c in left + right)
            camel = left[0].isupper() and right[0].isupper()
            if has_digit or camel:
                out.append(left + right)
            if len(left) >= 2 and len(right) >= 2 and (has_digit or camel):
                out.append(f"{left} {right}")
    return out


_TECHNIQUE_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*|[A-Za-z][a-z]+|[A-Za-z]")


def compound_variants(spelling: str) -> list[str]:
    """Hyphen/space respellings of a lower-case technique phrase ("message passing" → "message-passing",
    "k-nearest neighbors" → "k nearest neighbors", "k-nearest-neighbors").

    The extractor's phrase matcher compares tokens, and a hyphen is a token of its own: "message-passing" does
    not match the pattern "message passing". Only phrases of 2-4 words written with letters, whose words after
    the first are lower case (technique names, not titles, acronyms or versioned names), get variants: hyphens
    as spaces, and two words (or three with a hyphen already) fully hyphenated.
    """
    words = spelling.split(" ")
    parts = [p for w in words for p in w.split("-")]
    if not 2 <= len(parts) <= 4 or not all(_TECHNIQUE_WORD.fullmatch(w) for w in words):
        return []
    if any(not p.islower() for p in parts[1:]) or not all(p for p in parts):
        return []
    out = []
    if "-" in spelling:
        out.append(spelling.replace("-", " "))
    if len(parts) == 2 or (len(parts) == 3 and "-" in spelling):
        out.append("-".join(parts))  # "message-passing", "k-nearest-neighbors"; not "policy-gradient-methods"
    return [v for v in dict.fromkeys(out) if v != spelling]


def plural_variants(name: str) -> list[str]:
    last = re.split(r"[\s\-]", name)[-1]
    if not last.isalpha() or last.endswith("s") or len(name) < 3:
        return []
    if last.isupper() and 2 <= len(last) <= 6:
        return [name + "s"]
    low = last.lower()
    if low in PLURAL_HEADS or any(low.endswith(h) for h in ("net", "gan", "former", "coder")):
        if low.endswith("y"):
            return []
        return [name + "s"]
    return []


def token_key(text: str) -> str:
    """Order- and plural-insensitive key ("Oxford 102 Flower" = "Oxford Flowers 102")."""
    toks = [t.rstrip("s") if len(t) > 3 else t for t in re.findall(r"[a-z0-9]+", text.lower())]
    return " ".join(sorted(set(toks)))


QUALIFIERS: set[str] = set(_FILTERS["qualifiers"])


def qualified_base(name: str, by_key: dict[str, Entry]) -> Entry | None:
    """The entity a harvested "BASE qualifier" name refers to ("Sintel clean", "PASCAL VOC 2011")."""
    words = name.split()
    for cut in (len(words) - 1, len(words) - 2):
        if cut < 1:
            continue
        base, tail = " ".join(words[:cut]), words[cut:]
        if all(t.islower() or t.isdigit() or t.lower() in QUALIFIERS for t in tail) and squash(base) in by_key:
            return by_key[squash(base)]
    return None


def schwartz_hearst(short: str, words: list[str]) -> str | None:
    """Long form of ``short`` ending the word window (Schwartz & Hearst 2003), or None."""
    text = " ".join(words)
    s_idx, l_idx = len(short) - 1, len(text) - 1
    while s_idx >= 0:
        c = short[s_idx].lower()
        if not c.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (text[l_idx].lower() != c or (s_idx == 0 and l_idx > 0 and text[l_idx - 1].isalnum())):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = text.rfind(" ", 0, l_idx + 1) + 1
    return text[start:]


def reference_token_lists(docs: ReferenceDocs) -> list[list[str]]:
    """Tokenized abstracts of SciREX and SciERC that may feed a vocabulary (never the sample corpus)."""
    out = [list(d.tokens) for d in docs.scirex()]
    for d in docs.scierc():
        out.append(["(" if t == "-LRB-" else ")" if t == "-RRB-" else t for t in d.tokens])
    return out


def acronym_pairs(docs: list[list[str]]) -> Counter:
    """(short, long) pairs defined as "Long Form (SF)" in the reference abstracts."""
    pairs: Counter = Counter()
    for words in docs:
        for i in range(1, len(words) - 2):
            if words[i] != "(" or words[i + 2] != ")":
                continue
            short = words[i + 1]
            if not (2 <= len(short) <= 10) or not short[0].isalnum() or not any(c.isupper() for c in short):
                continue
            window = words[max(0, i - min(len(short) + 5, 2 * len(short))) : i]
            for stop in (".", ";", ":", ",", "(", ")"):
                if stop in window:
                    window = window[len(window) - window[::-1].index(stop) :]
            # Prefer the exact word-initials expansion: plain Schwartz-Hearst can stop too early
            # ("PPO" → "Policy Optimization" inside "Proximal Policy Optimization").
            letters = re.sub(r"[^A-Za-z0-9]", "", short)
            k = len(letters)
            tail = " ".join(window[-k:]) if k <= len(window) else ""
            long = tail if tail and is_acronym_of(short, tail) else schwartz_hearst(short, window)
            if long and len(long.split()) >= 2 and len(long) > len(short):
                pairs[(short, detokenize(long))] += 1
    return pairs


def same_expansion(entity: Entry, long: str) -> bool:
    """A new long form must share a content word with the entity's known long forms, if it has any."""
    known = [t for t in (entity.name, *entity.aliases) if len(re.split(r"[\s\-]+", t)) >= 2]
    if not known:
        return True
    # The first word carries the meaning (Spiking vs shallow neural networks for SNN).
    first = re.findall(r"[a-z0-9]+", long.lower())[:1]
    return any(first == re.findall(r"[a-z0-9]+", k.lower())[:1] for k in known)


def add_acronym_aliases(entries: list[Entry], pairs: Counter, flt: Filters) -> int:
    """Attach long forms to vocabulary acronyms and acronyms to vocabulary long forms."""
    index: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        for text in {e.name, *e.aliases}:
            if e not in index[squash(text)]:
                index[squash(text)].append(e)
    added = 0
    for (short, long), _ in sorted(pairs.items()):
        if long.lower() in flt.stop or short.lower() in flt.stop or not long[0].isalpha():
            continue
        if long.lower().startswith(("the ", "a ", "an ", "our ", "this ")):
            continue
        short_owners, long_owners = index.get(squash(short), []), index.get(squash(long), [])
        if len(short_owners) == 1 and not long_owners and len(long.split()) <= 8:
            target, alias = short_owners[0], long
            if not same_expansion(target, long):
                continue  # the acronym means something else in that paper (PER: phone error rate)
        elif len(long_owners) == 1 and not short_owners and len(short) >= 3:
            target, alias = long_owners[0], short
        else:
            continue
        if alias in flt.metric_exact or squash(alias) in flt.metric_keys:
            continue
        target.aliases.append(alias)
        index[squash(alias)].append(target)
        added += 1
    return added


def merge_entries(groups: list[list[Entry]]) -> tuple[list[Entry], Counter]:
    """Merge entries that spell the same name; earlier/higher-priority sources win the display name."""
    by_key: dict[str, Entry] = {}
    by_tokens: dict[str, Entry] = {}
    alias_owner: dict[str, Entry] = {}
    merged_into: Counter = Counter()
    ordered: list[Entry] = []
    for group in groups:
        for e in group:
            key = squash(e.name)
            target = by_key.get(key) or alias_owner.get(key)
            if target is None and e.source != "curated":
                # A harvested name that is a known alias, a reordering or a qualified form joins that entity.
                for a in e.aliases:
                    if squash(a) in by_key:
                        target = by_key[squash(a)]
                        break
                target = target or by_tokens.get(token_key(e.name)) or qualified_base(e.name, {**alias_owner, **by_key})
            if target is not None and target.kind == e.kind:
                if target is not e:
                    for a in [e.name, *e.aliases]:
                        if a in target.aliases or a == target.name:
                            continue
                        # A harvested acronym may expand differently (LRN: "landmark retracing network").
                        if e.source != "curated" and " " in a and not same_expansion(target, a):
                            continue
                        target.aliases.append(a)
                    for d in e.domains:
                        if d not in target.domains and e.source == "curated":
                            target.domains.append(d)
                    target.ambiguous = target.ambiguous or (e.ambiguous and e.source == "curated")
                    merged_into[e.source] += 1
                    if e.source == "curated":
                        print(f"warning: curated {e.name!r} spells {target.name!r}: merged", file=sys.stderr)
                continue
            if target is not None and e.source != "curated":
                continue  # the name belongs to an entity of the other kind: harvested guess loses
            by_key[key] = e
            ordered.append(e)
            for text in [e.name, *e.aliases]:
                by_tokens.setdefault(token_key(text), e)
            for a in e.aliases:
                alias_owner.setdefault(squash(a), e)
    return ordered, merged_into


def finalize(
    entries: list[Entry], shared: dict, flt: Filters, not_ambiguous: set[str], short_ok: set[str]
) -> tuple[list[dict], list[str]]:
    """Add spelling variants, drop bad aliases, resolve alias collisions; return JSON rows + a report."""
    report: list[str] = []
    shared_keys = {squash(a): set(ids) for a, ids in shared.items()}
    name_owner = {squash(e.name): e.id for e in entries}
    for e in entries:
        extra = spelling_variants(e.name)
        if e.kind == "method":
            extra += plural_variants(e.name)
        for a in list(e.aliases):
            extra += spelling_variants(a)
        # a typographic apostrophe tokenizes differently ("Hub5’00", "IWSLT’14"): its spelling too
        extra += [t.replace("'", "\u2019") for t in (e.name, *e.aliases) if "'" in t]
        if e.kind == "method":
            # hyphen/space respellings of lower-case technique phrases ("message-passing")
            extra += [v for t in (e.name, *e.aliases) for v in compound_variants(t)]
        for a in extra:
            # A generated spelling must not be an English word ("MultiPL-E" → "MultiPLE" → "multiple").
            if flt.is_common_word(a, 2.5) and e.name not in not_ambiguous:
                report.append(f"skip variant {a!r} of {e.id}: common word")
                continue
            if a not in e.aliases and a != e.name:
                e.aliases.append(a)
    # alias → owners (by squash key)
    owners: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        for a in {squash(x) for x in e.aliases}:
            owners[a].append(e)
    rows = []
    for e in entries:
        keep = []
        seen = {squash(e.name)}
        for a in e.aliases:
            k = squash(a)
            if a == e.name or a in keep or (a.islower() and a.lower() == e.name.lower()):
                continue
            short = len(re.sub(r"[^A-Za-z0-9]", "", a)) <= 5
            if a.lower() in flt.stop or (a in flt.metric_exact if short else k in flt.metric_keys):
                report.append(f"drop alias {a!r} of {e.id}: stoplist/metric")
                continue
            if len(re.sub(r"[^A-Za-z0-9]", "", a)) <= 2 and a not in short_ok:
                report.append(f"drop alias {a!r} of {e.id}: two-letter alias")
                continue
            if k in shared_keys:
                if e.id in shared_keys[k]:
                    keep.append(a)
                continue
            if k in name_owner and name_owner[k] != e.id and k not in seen:
                report.append(f"drop alias {a!r} of {e.id}: it is the name of {name_owner[k]}")
                continue
            others = [o for o in owners[k] if o is not e]
            if others:
                best = min([e, *others], key=lambda o: (SOURCE_PRIORITY[o.source], o.kind != "method", o.order))
                if best is not e:
                    report.append(f"drop alias {a!r} of {e.id}: kept on {best.id}")
                    continue
            keep.append(a)
            seen.add(k)
        # Harvested two/three-letter acronyms (DSN, PNN, SDM) mean different things in different papers.
        ambiguous = e.ambiguous or (e.source != "curated" and re.fullmatch(r"[A-Z]{2,3}", e.name) is not None)
        if not ambiguous and e.name not in not_ambiguous:
            word = e.name
            # ALL-CAPS words mislead only when very common (DROP, RACE); Title-case words (Adam, Habitat)
            # already when fairly common;
            # and mixed-case names (ComplEx, ReCoRD, GloVe) are words once case is ignored: they need an
            # exact-case match or context.
            mixed = any(c.isupper() for c in word[1:]) and not word.isupper()
            threshold = 4.0 if word.isupper() else 3.0 if mixed else 2.5
            if flt.is_common_word(word, threshold):
                ambiguous = True
        row = {"id": e.id, "name": e.name, "kind": e.kind, "aliases": keep, "source": e.source}
        if e.subtype:
            row["subtype"] = e.subtype
        if e.domains:
            row["domains"] = e.domains
        if ambiguous:
            row["ambiguous"] = True
        rows.append(row)
    return rows, report


def check_names(entries: list[Entry], shared: dict) -> None:
    """Fail on non-ASCII names, id collisions and same-spelled names of two kinds that are not allowlisted."""
    allowed = {squash(a): set(ids) for a, ids in shared.items()}
    by_name: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        by_name[squash(e.name)].add(e.id)
    for key, ids in by_name.items():
        if len(ids) > 1 and allowed.get(key) != ids:
            raise SystemExit(f"names {sorted(ids)} spell the same: list them in shared_aliases.yaml or rename")
    ids: dict[str, Entry] = {}
    for e in entries:
        if not e.name.isascii():
            raise SystemExit(
                f"canonical name {e.name!r} ({e.source}) must be ASCII: put the Unicode spelling in aliases"
            )
        if e.id in ids and ids[e.id] is not e:
            raise SystemExit(f"id collision {e.id}: {ids[e.id].name!r} vs {e.name!r}")
        ids[e.id] = e


# ---------------------------------------------------------------- taxonomy


def load_cso(path: Path) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    children: dict[str, list[str]] = defaultdict(list)
    equivalents: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8") as fh:
        for a, rel, b in csv.reader(fh, delimiter=";"):
            if rel == "klink:broaderGeneric":
                children[a].append(b)
            elif rel == "klink:relatedEquivalent":
                equivalents[a].add(b)
                equivalents[b].add(a)
    return children, equivalents


def abstracts_for_df(docs: ReferenceDocs) -> list[str]:
    """Reference abstracts (SciERC + SciREX) used to measure how often a phrase fires."""
    return [d.text.lower() for d in docs.scierc()] + [d.text.lower() for d in docs.scirex()]


def phrase_df(phrases: set[str], texts: list[str]) -> dict[str, float]:
    out = {}
    padded = [" " + re.sub(r"[^a-z0-9]+", " ", t) + " " for t in texts]
    for p in phrases:
        needle = " " + re.sub(r"[^a-z0-9]+", " ", p.lower()).strip() + " "
        out[p] = sum(needle in t for t in padded) / max(1, len(padded))
    return out


def build_taxonomy(
    data: Path, docs: ReferenceDocs, flt: Filters, max_df: float, entity_keys: set[str], max_depth: int = 1
) -> tuple[list[dict], list[dict], Counter]:
    domains = load_yaml(SRC / "domains.yaml")
    exclude = {p.lower() for p in load_yaml(SRC / "cso_exclude.yaml")}
    children, equivalents = load_cso(data / "cso" / "cso.csv")
    depth_weight = {0: 1.0, 1: 0.5, 2: 0.25}
    claims: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)  # phrase → domain → (depth, topic)
    for d in domains:
        frontier = [(r, 0) for r in d.get("cso_roots") or []]
        seen: set[str] = set()
        while frontier:
            topic, depth = frontier.pop(0)
            if topic in seen:
                continue
            seen.add(topic)
            for phrase in {topic, *equivalents.get(topic, ())}:
                prev = claims[phrase].get(d["name"])
                if prev is None or depth < prev[0]:
                    claims[phrase][d["name"]] = (depth, topic)
            if depth < max_depth:
                frontier.extend((c, depth + 1) for c in sorted(children.get(topic, [])))
    known = set(children) | {c for cs in children.values() for c in cs} | set(equivalents)
    for d in domains:
        for r in d.get("cso_roots") or []:
            if r not in known:
                raise SystemExit(f"domains.yaml: CSO root {r!r} of {d['name']} is not a CSO topic")
    df = phrase_df(set(claims), abstracts_for_df(docs))
    curated = {p.lower() for d in domains for k in ("strong", "weak") for p in d.get(k) or []}
    rows = []
    dropped: Counter = Counter()
    for phrase in sorted(claims):
        by_domain = claims[phrase]
        reason = None
        if "(" in phrase or len(phrase) < 4 or len(phrase.split()) > 5 or not re.search(r"[a-z]", phrase):
            reason = "shape"
        elif len(by_domain) >= 3:
            reason = "claimed by 3+ domains"
        elif df[phrase] > max_df:
            reason = "too frequent"
        elif " " not in phrase and flt.zipf(phrase) >= 4.0 and min(v[0] for v in by_domain.values()) > 0:
            reason = "common word"
        elif phrase.lower() in curated:
            reason = "already curated"
        elif phrase.lower() in exclude:
            reason = "excluded by hand"
        elif squash(phrase) in entity_keys:
            reason = "an entity name"
        if reason:
            dropped[reason] += 1
            continue
        for dom, (depth, topic) in sorted(by_domain.items()):
            weight = depth_weight[depth] / len(by_domain)
            rows.append(
                {
                    "phrase": phrase,
                    "domain": dom,
                    "weight": round(weight, 2),
                    "cso_topic": topic,
                    "depth": depth,
                    "df": round(df[phrase], 4),
                }
            )
    out_domains = []
    for d in domains:
        item = {"id": f"domain:{slug(d['name'])}", "name": d["name"]}
        if d.get("parent"):
            item["parent"] = d["parent"]
        for k in ("aliases", "strong", "weak", "arxiv", "cso_roots", "pwc"):
            item[k] = d.get(k) or ([] if k != "arxiv" else {})
        if d.get("title"):
            item["title"] = d["title"]
        out_domains.append(item)
    return out_domains, rows, dropped


def task_phrases(tasks: list[dict], tf: TaskFilter, parents: dict[str, str]) -> list[dict]:
    """Task names and aliases as strong key phrases of the tasks' most specific domains ("image deblurring" →
    Computer Vision; "action recognition" → Video Understanding, not also its parent Computer Vision).

    Skipped: ambiguous tasks and two-letter aliases."""
    rows = []
    for t in tasks:
        if t.get("ambiguous") or not t.get("domains"):
            continue
        specific = [d for d in t["domains"] if not any(parents.get(c) == d for c in t["domains"])]
        for phrase in dict.fromkeys((t["name"], *t["aliases"])):
            if len(re.sub(r"[^A-Za-z0-9]", "", phrase)) <= 2 or not tf.alias_ok(phrase):
                continue
            rows += [{"phrase": phrase, "domain": d, "task": t["id"]} for d in specific]
    return sorted(rows, key=lambda r: (r["domain"], r["phrase"].lower(), r["phrase"]))


def apply_entity_domains(rows: list[dict], overrides: dict[str, list[str]]) -> None:
    """Per-entity domains (``entity_domains.yaml``) replace the group's; an empty list removes them."""
    by_name: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_name[r["name"]].append(r)
    unknown = sorted(n for n in overrides if n not in by_name)
    if unknown:
        raise SystemExit(f"entity_domains.yaml names no vocabulary entity: {unknown[:10]}")
    for name, domains in overrides.items():
        for r in by_name[name]:
            if domains:
                r["domains"] = list(domains)
            else:
                r.pop("domains", None)
            # keep the key order of a row (domains before ambiguous)
            if "ambiguous" in r:
                r["ambiguous"] = r.pop("ambiguous")


def check_domains(domains: list[dict], rows: list[dict]) -> None:
    """Parents and the domains of vocabulary entries must be taxonomy names."""
    names = {d["name"] for d in domains}
    bad = [f"{d['name']} → parent {d['parent']!r}" for d in domains if d.get("parent") and d["parent"] not in names]
    bad += [f"{r['id']} → {x!r}" for r in rows for x in r.get("domains", []) if x not in names]
    if bad:
        raise SystemExit("unknown domain names: " + "; ".join(bad[:10]))


# ---------------------------------------------------------------- main


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="reference data folder")
    ap.add_argument("--out", type=Path, default=ROOT / "graphbuild" / "data", help="graphbuild/data folder")
    ap.add_argument(
        "--max-df",
        type=float,
        default=0.05,
        help="drop CSO phrases found in more than this share of reference abstracts",
    )
    ap.add_argument("--report", type=Path, default=None, help="write dropped aliases/collisions here")
    args = ap.parse_args(argv)
    data: Path = args.data
    if not (data / "README.md").exists():
        print(f"error: {data} is not the reference data folder (no README.md)", file=sys.stderr)
        return 2

    stop_doc = load_yaml(SRC / "stoplist.yaml")
    stop = {clean_space(w).lower() for words in stop_doc.values() for w in words}
    shared_doc = load_yaml(SRC / "shared_aliases.yaml")
    metrics = load_metric_entries(data)
    metric_keys = {squash(m["name"]) for m in metrics} | {squash(a) for m in metrics for a in m["aliases"]}
    metric_exact = {m["name"] for m in metrics} | {a for m in metrics for a in m["aliases"]}
    curated_task_keys = {squash(t) for e in load_curated("task") for t in (e.name, *e.aliases)}
    flt = Filters(stop, metric_keys, read_task_names(data) | curated_task_keys, metric_exact)
    # gold papers and held-out splits never feed a vocabulary (scripts/reference_docs.py)
    held = HeldOut.from_repo(ROOT)
    docs = ReferenceDocs(data, held)

    curated_m = load_curated("method")
    curated_b = load_curated("benchmark")
    harvested = {
        "scirex": harvest_scirex(docs, flt),
        "pwc-axcell": harvest_axcell(data, flt),
        "pwc-tasks": harvest_pwc_tasks(data, flt),
        "tdmsci": harvest_tdmsci(docs, flt),
        "scierc": harvest_scierc(docs, flt),
    }
    order = ["pwc-axcell", "scirex", "pwc-tasks", "tdmsci", "scierc"]
    paradigms = set(load_yaml(SRC / "paradigms.yaml"))
    for e in curated_m:
        if e.name in paradigms:
            e.subtype = "paradigm"
            paradigms.discard(e.name)
    if paradigms:
        raise SystemExit(f"paradigms.yaml names no curated method: {sorted(paradigms)}")
    all_entries, merged = merge_entries([curated_m, curated_b, *[harvested[s] for s in order]])
    check_names(all_entries, shared_doc.get("shared", {}))
    ref_pairs = acronym_pairs(reference_token_lists(docs))
    n_acronyms = add_acronym_aliases(all_entries, ref_pairs, flt)
    rows, report = finalize(
        all_entries,
        shared_doc.get("shared", {}),
        flt,
        set(shared_doc.get("not_ambiguous", [])),
        set(shared_doc.get("short_aliases_ok", [])),
    )
    apply_entity_domains(rows, load_yaml(SRC / "entity_domains.yaml") or {})
    methods = sorted((r for r in rows if r["kind"] == "method"), key=lambda r: r["id"])
    benchmarks = sorted((r for r in rows if r["kind"] == "benchmark"), key=lambda r: r["id"])
    tf = TaskFilter(flt, stop)
    tasks, task_report, task_stats = build_tasks(docs, data, tf, rows, ref_pairs)
    report += task_report

    vocab_dir = args.out / "vocab"
    tax_dir = args.out / "taxonomy"
    vocab_dir.mkdir(parents=True, exist_ok=True)
    tax_dir.mkdir(parents=True, exist_ok=True)
    write_jsonl(vocab_dir / "methods.jsonl", methods)
    write_jsonl(vocab_dir / "benchmarks.jsonl", benchmarks)
    write_jsonl(vocab_dir / "tasks.jsonl", tasks)
    write_jsonl(vocab_dir / "metrics.jsonl", metrics)
    header = (
        "# Generated by scripts/build_vocab.py from scripts/vocab_src/stoplist.yaml (and the generic task words of\n"
        "# scripts/vocab_src/task_filters.yaml): edit the sources.\n"
    )
    stop_out = {**stop_doc, "generic_task_words": list(_TASKS["generic"])}
    (vocab_dir / "stoplist.yaml").write_text(
        header + yaml.safe_dump(stop_out, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    # Methods named by CSO topics ("conditional random fields") are entities, not domain cues.
    entity_keys = {squash(t) for r in rows for t in (r["name"], *r["aliases"])}
    domains, cso_rows, cso_dropped = build_taxonomy(data, docs, flt, args.max_df, entity_keys)
    check_domains(domains, [*rows, *tasks])
    header = (
        "# Generated by scripts/build_vocab.py from scripts/vocab_src/domains.yaml: edit the source.\n"
        "# CSO-derived phrases are in cso_phrases.jsonl (CSO, CC BY 4.0).\n"
    )
    (tax_dir / "domains.yaml").write_text(
        header + yaml.safe_dump(domains, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8"
    )
    write_jsonl(tax_dir / "cso_phrases.jsonl", cso_rows)
    parents = {d["name"]: d["parent"] for d in domains if d.get("parent")}
    write_jsonl(tax_dir / "task_phrases.jsonl", task_phrases(tasks, tf, parents))
    header = "# Generated by scripts/build_vocab.py from scripts/vocab_src/domain_scoring.yaml: edit the source.\n"
    scoring = (SRC / "domain_scoring.yaml").read_text(encoding="utf-8")
    (tax_dir / "scoring.yaml").write_text(header + scoring, encoding="utf-8")
    if args.report:
        args.report.write_text("\n".join(report) + "\n", encoding="utf-8")

    def summary(rows: list[dict], label: str) -> None:
        per = Counter(r["source"] for r in rows)
        n_alias = sum(len(r["aliases"]) for r in rows)
        n_amb = sum(1 for r in rows if r.get("ambiguous"))
        n_with = sum(1 for r in rows if r["aliases"])
        subtypes = Counter(r.get("subtype", "-") for r in rows)
        print(
            f"{label}: {len(rows)} entities ({n_with} with aliases), {n_alias} aliases, {n_amb} ambiguous; "
            + "by source: "
            + ", ".join(f"{k}={v}" for k, v in sorted(per.items()))
            + "; by subtype: "
            + ", ".join(f"{k}={v}" for k, v in sorted(subtypes.items()))
        )

    summary(methods, "methods")
    summary(benchmarks, "benchmarks")
    summary(tasks, "tasks")
    print("task candidates: " + ", ".join(f"{k}={v}" for k, v in task_stats.items()))
    print(f"metrics: {len(metrics)}; stoplist phrases: {len(stop)}")
    print(
        "harvested candidates: "
        + ", ".join(f"{k}={len(v)}" for k, v in harvested.items())
        + "; merged into existing: "
        + ", ".join(f"{k}={v}" for k, v in sorted(merged.items()))
    )
    print(
        f"domains: {len(domains)}; CSO phrases: {len(cso_rows)} rows "
        f"({len({r['phrase'] for r in cso_rows})} phrases); CSO dropped: "
        + ", ".join(f"{k}={v}" for k, v in sorted(cso_dropped.items()))
    )
    print(f"acronym/long-form aliases found in reference abstracts: {n_acronyms}")
    print(f"reference documents held out: {held.summary()}")
    print(f"alias decisions logged: {len(report)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
