"""Domains of a paper from the shipped taxonomy: scores and the evidence behind them.

Evidence: taxonomy key phrases found in the title/abstract (strong and weak,
title counts more), arXiv categories when the input has them, and the
``domains`` of vocabulary entities the paper mentions (Meta-World → Robotics,
Reinforcement Learning). A parent domain gets a share of its children's score.
"""

from __future__ import annotations

import json
import logging
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from graphbuild.errors import ConfigError
from graphbuild.extract.names import slugify

log = logging.getLogger(__name__)

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "taxonomy" / "domains.yaml"


@dataclass(frozen=True)
class Domain:
    """One taxonomy node. ``cso``: (phrase, weight) pairs derived from CSO topics."""

    name: str
    key: str
    strong: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    categories: tuple[tuple[str, float], ...] = ()
    parent: str | None = None
    cso: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    domains: dict[str, Domain] = field(default_factory=dict)

    def phrases(self, weights: dict[str, float]) -> Iterable[tuple[str, str, float]]:
        """(domain name, phrase, weight) for every key phrase (strong, weak, CSO)."""
        for d in self.domains.values():
            for p in d.strong:
                yield d.name, p, weights["strong_weight"]
            for p in d.weak:
                yield d.name, p, weights["weak_weight"]
            for p, w in d.cso:
                yield d.name, p, w * weights["cso_weight"]


@dataclass(frozen=True, slots=True)
class DomainHit:
    """A key phrase of a domain found in a field, with its weight."""

    domain: str
    phrase: str
    weight: float
    field: str


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, dict):
        return tuple(s for v in value.values() for s in _strings(v))
    return tuple(str(v) for v in value if v)


def _categories(value: Any) -> tuple[tuple[str, float], ...]:
    if isinstance(value, dict):
        return tuple((str(k), float(v)) for k, v in value.items())
    return tuple((c, 1.0) for c in _strings(value))


def parse_taxonomy(
    data: Any, source: str = "taxonomy", cso: Iterable[dict[str, Any]] = ()
) -> Taxonomy:
    """Taxonomy from the YAML structure (a list of domains or ``{domains: [...]}``).

    A domain has ``name`` and optional ``id``, ``aliases``, ``strong``/``weak``
    phrases (or ``phrases: {strong, weak}``), ``arxiv`` categories (a list, or
    a mapping to weights) and ``parent``. ``cso`` rows (``phrase``, ``domain``,
    ``weight``) add weighted CSO-derived phrases.
    """
    cso_by_domain: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for row in cso:
        cso_by_domain[str(row["domain"])].append((str(row["phrase"]), float(row.get("weight", 0.3))))
    items = data.get("domains", data) if isinstance(data, dict) else data
    if isinstance(items, dict):
        items = [{"name": k, **(v or {})} for k, v in items.items()]
    if not isinstance(items, list):
        raise ConfigError(f"{source}: expected a list of domains")
    out: dict[str, Domain] = {}
    for item in items:
        if not isinstance(item, dict) or "name" not in item:
            raise ConfigError(f"{source}: every domain needs a 'name'")
        name = str(item["name"])
        phrases = item.get("phrases") or {}
        strong = list(_strings(phrases.get("strong") if isinstance(phrases, dict) else phrases))
        weak = list(_strings(phrases.get("weak") if isinstance(phrases, dict) else ()))
        strong += [*_strings(item.get("strong")), name, *_strings(item.get("aliases"))]
        weak += list(_strings(item.get("weak")))
        key = str(item.get("id") or f"domain:{slugify(name)}")
        if not key.startswith("domain:"):
            key = f"domain:{key}"
        out[name] = Domain(
            name=name,
            key=key,
            strong=tuple(dict.fromkeys(strong)),
            weak=tuple(p for p in dict.fromkeys(weak) if p not in strong),
            categories=_categories(item.get("arxiv") or item.get("arxiv_categories") or item.get("categories")),
            parent=item.get("parent"),
            cso=tuple((p, w) for p, w in cso_by_domain.get(name, ()) if p not in strong and p not in weak),
        )
    return Taxonomy(out)


@lru_cache(maxsize=2)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    file = Path(path) if path else DEFAULT_TAXONOMY
    if not file.exists():
        log.warning("taxonomy %s is missing: papers get no domains", file)
        return Taxonomy()
    with file.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    cso_file = file.with_name("cso_phrases.jsonl")
    rows: list[dict[str, Any]] = []
    if cso_file.exists():
        with cso_file.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
    return parse_taxonomy(data, str(file), rows)


_ROWS: dict[int, tuple[Taxonomy, tuple[tuple[str, str, float], ...], tuple[tuple[str, str], ...]]] = {}


def _taxonomy_rows(
    taxonomy: Taxonomy,
) -> tuple[tuple[tuple[str, str, float], ...], tuple[tuple[str, str], ...]]:
    """(domain, category, weight) and (child, parent) rows in taxonomy order, once per taxonomy:
    scoring a paper then touches the few domains that have categories or parents."""
    cached = _ROWS.get(id(taxonomy))
    if cached is None or cached[0] is not taxonomy:
        doms = taxonomy.domains
        cats = tuple((d.name, c, cw) for d in doms.values() for c, cw in d.categories)
        children = tuple((n, d.parent) for n, d in doms.items() if d.parent and d.parent in doms)
        # the entry keeps the taxonomy alive, so its id is not reused while cached
        cached = _ROWS[id(taxonomy)] = (taxonomy, cats, children)
    return cached[1], cached[2]


def score_domains(
    taxonomy: Taxonomy,
    hits: Iterable[DomainHit],
    categories: Iterable[str],
    entity_domains: Iterable[tuple[str, str]],
    weights: dict[str, float],
) -> list[tuple[str, float, tuple[str, ...]]]:
    """(domain name, score in 0..1, evidence) for the 1–4 best-supported domains.

    ``entity_domains``: (entity name, domain name) pairs of mentioned entities.
    """
    raw: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    seen: set[tuple[str, str, str]] = set()
    shown: set[tuple[str, str]] = set()
    title_weight = weights["title_weight"]
    for h in hits:
        domain, field = h.domain, h.field
        phrase = h.phrase.lower()
        k = (domain, phrase, field)
        if k in seen:
            continue
        seen.add(k)
        raw[domain] = raw.get(domain, 0.0) + h.weight * (title_weight if field == "title" else 1.0)
        if (domain, phrase) not in shown:
            shown.add((domain, phrase))
            if domain in evidence:
                evidence[domain].append(h.phrase)
            else:
                evidence[domain] = [h.phrase]
    category_rows, child_rows = _taxonomy_rows(taxonomy)
    if categories:
        cats = set(categories)
        for name, c, cw in category_rows:
            if c in cats:
                raw[name] = raw.get(name, 0.0) + weights["category_weight"] * cw
                evidence.setdefault(name, []).append(f"arXiv:{c}")
    if entity_domains:
        domains = taxonomy.domains
        for ent, dom in dict.fromkeys(entity_domains):
            if dom in domains:
                raw[dom] = raw.get(dom, 0.0) + weights["entity_weight"]
                evidence.setdefault(dom, []).append(f"entity:{ent}")
    for name, parent in child_rows:
        if raw.get(name):
            raw[parent] = raw.get(parent, 0.0) + 0.5 * raw[name]
    ranked = sorted(((s, n) for n, s in raw.items() if s > 0), key=lambda x: (-x[0], x[1]))
    if not ranked:
        return []
    best = ranked[0][0]
    out = []
    for s, n in ranked[: int(weights["max_domains"])]:
        if out and (s < weights["min_score"] or s < weights["relative_cutoff"] * best):
            break
        out.append((n, round(1 - math.exp(-s / 2), 4), tuple(evidence.get(n, ())[:8])))
    return out
