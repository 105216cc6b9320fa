"""The shipped vocabularies (methods, benchmarks, tasks, metrics, stoplist) as one object.

Reads ``graphbuild/data/vocab/*.jsonl`` (one entity a line: ``id``, ``name``,
``kind``, ``aliases``, optional ``subtype``, ``domains``, ``ambiguous``, and for
tasks ``also``: the method/benchmark ids that spell the same phrase) and
``stoplist.yaml``. Missing files give an empty vocabulary (discovery still
works) and a logged warning, so a fresh checkout can run the extractor.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphbuild.assets import read_yaml
from graphbuild.errors import ConfigError, InputError
from graphbuild.extract.names import match_key

log = logging.getLogger(__name__)

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "vocab"
#: entity kinds a vocabulary may hold, and the file of each
KIND_FILES = {"method": "methods.jsonl", "benchmark": "benchmarks.jsonl", "task": "tasks.jsonl"}
#: the kinds ``load_vocabulary`` loads by default (what the extractor matches)
DEFAULT_KINDS: tuple[str, ...] = ("method", "benchmark", "task")


@dataclass(frozen=True)
class VocabEntry:
    """One canonical entity of a vocabulary."""

    id: str
    name: str
    kind: str  # "method" | "benchmark" | "task"
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    ambiguous: bool = False
    subtype: str | None = None
    #: ids of entities of other kinds spelled the same (a task "collaborative filtering" and the method)
    also: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Vocabulary:
    """Entities by id, an alias index by match key, and words never to link."""

    entries: dict[str, VocabEntry] = field(default_factory=dict)
    #: match_key(spelling) -> entity ids having that spelling (usually one)
    index: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: lowercase strings that must never become an entity (stoplist + metrics)
    blocked: frozenset[str] = frozenset()

    def lookup(self, text: str, kind: str | None = None) -> str | None:
        """The entity id whose name or alias has ``text``'s match key (unique only)."""
        ids = self.index.get(match_key(text), ())
        if kind is not None:
            ids = tuple(i for i in ids if self.entries[i].kind == kind)
        return ids[0] if len(ids) == 1 else None

    def is_blocked(self, text: str) -> bool:
        return text.lower() in self.blocked or match_key(text) in self.blocked


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(str(path), n, f"invalid JSON: {e.msg}") from None
            if not isinstance(row, dict):
                raise InputError(str(path), n, "expected a JSON object")
            rows.append(row)
    return rows


def _stop_words(data: Any) -> set[str]:
    """Flatten the stoplist YAML (a list, or a mapping of lists) to lowercase words."""
    out: set[str] = set()
    if isinstance(data, str):
        out.add(data.lower())
    elif isinstance(data, list):
        for item in data:
            out |= _stop_words(item)
    elif isinstance(data, dict):
        for value in data.values():
            out |= _stop_words(value)
    return out


def build_vocabulary(rows: list[dict[str, Any]], blocked: set[str] | frozenset[str] = frozenset()) -> Vocabulary:
    """A Vocabulary from entity rows (the JSONL objects) and blocked words; rows of unknown kinds are skipped."""
    entries: dict[str, VocabEntry] = {}
    index: dict[str, list[str]] = {}
    for row in rows:
        kind = row.get("kind") or str(row.get("id", "")).split(":", 1)[0]
        if kind not in KIND_FILES or not row.get("name"):
            continue
        entry = VocabEntry(
            id=str(row.get("id") or f"{kind}:{match_key(row['name'])}"),
            name=str(row["name"]),
            kind=kind,
            aliases=tuple(str(a) for a in row.get("aliases") or () if a),
            domains=tuple(row.get("domains") or ()),
            ambiguous=bool(row.get("ambiguous", False)),
            subtype=row.get("subtype"),
            also=tuple(str(a) for a in row.get("also") or ()),
        )
        entries[entry.id] = entry
        for spelling in entry.spellings:
            ids = index.setdefault(match_key(spelling), [])
            if entry.id not in ids:
                ids.append(entry.id)
    return Vocabulary(entries, {k: tuple(v) for k, v in index.items()}, frozenset(blocked))


@lru_cache(maxsize=4)
def load_vocabulary(directory: str | None = None, kinds: tuple[str, ...] = DEFAULT_KINDS) -> Vocabulary:
    """Load (once per process) the vocabulary folder's entities of ``kinds``; ``None`` means the shipped one."""
    folder = Path(directory) if directory else DEFAULT_DIR
    rows: list[dict[str, Any]] = []
    for kind in kinds:
        if kind not in KIND_FILES:
            raise ConfigError(f"unknown vocabulary kind {kind!r} (known: {', '.join(KIND_FILES)})")
        name = KIND_FILES[kind]
        path = folder / name
        if path.exists():
            rows.extend(_read_jsonl(path))
        else:
            log.warning("vocabulary file %s is missing: only discovery rules will find %s", path, name)
    blocked: set[str] = set()
    metrics = folder / "metrics.jsonl"
    if metrics.exists():
        for row in _read_jsonl(metrics):
            for s in [row.get("name"), *(row.get("aliases") or ())]:
                if s:
                    blocked.add(str(s).lower())
    stop = folder / "stoplist.yaml"
    if stop.exists():
        with stop.open(encoding="utf-8") as fh:
            blocked |= _stop_words(read_yaml(fh))
    return build_vocabulary(rows, blocked)
