"""Domains of a paper from the shipped taxonomy: scores and the evidence behind them.

Evidence: taxonomy key phrases found in the title/abstract (strong and weak,
title counts more), arXiv categories when the input has them, and the
``domains`` of vocabulary entities the paper mentions (Meta-World → Robotics,
Reinforcement Learning).

A paper gets no domain rather than a wrong one: a domain is assigned only on
*strong* evidence of its own (a strong key phrase, a mentioned entity of the
domain, or an arXiv category) with enough total weight; weak phrases and CSO
phrases only add weight — except for the few broad domains with a *quorum*:
there enough distinct cues of the domain ground it together (an abstract that
speaks of images, pixels, the camera and the scene is about vision even when
it names no vision task). The numbers are data (``taxonomy/scoring.yaml``,
tuned on the dev golds) and take precedence over the ``weights`` a caller
passes (the extractor's ``patterns.yaml`` section ``domains``).
"""

from __future__ import annotations

import json
import logging
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphbuild.assets import read_yaml
from graphbuild.errors import ConfigError
from graphbuild.extract.names import slugify

log = logging.getLogger(__name__)

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "taxonomy" / "domains.yaml"
#: scoring numbers used when neither the taxonomy's scoring.yaml nor the caller gives them
DEFAULT_SCORING: dict[str, float] = {
    "max_domains": 4,
    "min_score": 1.0,  # total weight a 2nd-4th domain needs
    "min_top": 1.0,  # total weight the best domain needs (below it: no domain)
    "relative_cutoff": 0.25,  # a 2nd-4th domain scores at least this share of the best one
    "title_weight": 2.0,  # a phrase in the title counts this many times
    "strong_weight": 1.0,
    "weak_weight": 0.35,
    "cso_weight": 0.5,  # times the phrase's CSO weight
    "category_weight": 1.5,
    "entity_weight": 0.5,
    "parent_lift": 0.0,  # share of a child's score added to its parent (ranking only)
    "parent_keep": 0.0,  # a parent assigned with its child needs this share of the child's score
    "shared_parent": 1.0,  # share of the parent's evidence shared with its child that counts for keeping it
}


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
    #: phrases that ground the domain in the title only ("A Benchmark for …", "Video …"); elsewhere weak or nothing
    title: tuple[str, ...] = ()
    #: this many distinct cues (phrases of any strength, entities) ground the domain; 0: only strong evidence does
    quorum: int = 0
    #: the kind of contribution (a benchmark), not an area: ``min_score`` but no share of the best area's score
    facet: bool = False
    #: share of this domain's score a grounded child gets: its words are the child's generic layer ("image",
    #: "segmentation" under Medical Imaging), so they count for the specific domain when the paper has one
    lend: float = 0.0


@dataclass(frozen=True)
class Taxonomy:
    domains: dict[str, Domain] = field(default_factory=dict)
    #: scoring numbers shipped with the taxonomy (scoring.yaml); they override a caller's weights
    scoring: dict[str, float] = field(default_factory=dict)

    def weights(self, given: dict[str, float] | None = None) -> dict[str, float]:
        """The scoring numbers in force: defaults, then the caller's, then the taxonomy's own."""
        return {**DEFAULT_SCORING, **(given or {}), **self.scoring}

    def parent_key(self, name: str) -> str | None:
        """Key of the domain's parent (``DomainScore.parent``), None for a top-level domain."""
        d = self.domains.get(name)
        parent = self.domains.get(d.parent) if d is not None and d.parent else None
        return parent.key if parent is not None else None

    def phrases(self, weights: dict[str, float]) -> Iterable[tuple[str, str, float]]:
        """(domain name, phrase, weight) for every key phrase (strong, weak, CSO)."""
        weights = self.weights(weights)
        for d in self.domains.values():
            for p in d.strong:
                yield d.name, p, weights["strong_weight"]
            for p in d.weak:
                yield d.name, p, weights["weak_weight"]
            for p, w in d.cso:
                yield d.name, p, w * weights["cso_weight"]
            for p in d.title:
                if p not in d.weak and p not in d.strong:
                    yield d.name, p, 0.0  # matched for the title; weightless in the abstract


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
    data: Any,
    source: str = "taxonomy",
    cso: Iterable[dict[str, Any]] = (),
    scoring: dict[str, Any] | None = None,
    tasks: Iterable[dict[str, Any]] = (),
) -> Taxonomy:
    """Taxonomy from the YAML structure (a list of domains or ``{domains: [...]}``).

    A domain has ``name`` and optional ``id``, ``aliases``, ``strong``/``weak``
    phrases (or ``phrases: {strong, weak}``), ``arxiv`` categories (a list, or
    a mapping to weights) and ``parent``. ``cso`` rows (``phrase``, ``domain``,
    ``weight``) add weighted CSO-derived phrases; ``title`` phrases ground the domain when the title has them
    (weak or weightless elsewhere); ``tasks`` rows (``phrase``, ``domain``) add strong
    phrases: the names of a domain's tasks ("image deblurring" → Computer Vision). A domain's ``quorum``
    (or ``scoring["quorum"]``, a mapping of domain name → count, which wins) is the number of distinct
    cues that ground it without a strong one. ``facet: true`` (or ``scoring["facets"]``, a list of names)
    marks a domain exempt from ``relative_cutoff``. ``lend`` (or ``scoring["lend"]``, name → share) is the
    share of a parent's score its grounded children get.
    """
    task_by_domain: dict[str, list[str]] = defaultdict(list)
    for row in tasks:
        task_by_domain[str(row["domain"])].append(str(row["phrase"]))
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
        weak += list(_strings(item.get("weak")))
        # the name and aliases are strong cues unless listed as weak ("Reasoning", "Agents" are common words)
        demoted = {p.lower() for p in weak}
        strong += list(_strings(item.get("strong")))
        strong += [p for p in task_by_domain.get(name, ()) if p.lower() not in demoted]
        strong += [p for p in (name, *_strings(item.get("aliases"))) if p.lower() not in demoted]
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
            title=tuple(p for p in dict.fromkeys(_strings(item.get("title"))) if p not in strong),
            quorum=_quorum(item.get("quorum", 0), f"{source}: {name}"),
            facet=item.get("facet") is True,
            lend=_share(item.get("lend", 0.0), f"{source}: {name}: lend"),
        )
    for name, d in out.items():
        if d.parent is not None and d.parent not in out:
            raise ConfigError(f"{source}: parent {d.parent!r} of {name!r} is not a domain")
    numbers: dict[str, float] = {}
    scoring = dict(scoring or {})
    # per-domain scoring settings: scoring.yaml names the domains (it wins over a setting in domains.yaml)
    where = f"{source}: scoring"
    for name, q in _per_domain(scoring.pop("quorum", None), "quorum", where, out).items():
        out[name] = replace(out[name], quorum=_quorum(q, f"{where}: quorum of {name}"))
    for name in _per_domain(scoring.pop("facets", None), "facets", where, out, listed=True):
        out[name] = replace(out[name], facet=True)
    for name, v in _per_domain(scoring.pop("lend", None), "lend", where, out).items():
        out[name] = replace(out[name], lend=_share(v, f"{where}: lend of {name}"))
    for k, v in scoring.items():
        if k not in DEFAULT_SCORING or not isinstance(v, int | float) or isinstance(v, bool):
            raise ConfigError(f"{source}: scoring: unknown key or non-number {k}={v!r}")
        numbers[str(k)] = float(v)
    return Taxonomy(out, numbers)


def _per_domain(value: Any, key: str, where: str, domains: dict[str, Domain], listed: bool = False) -> dict[str, Any]:
    """``{domain name: setting}`` from a scoring.yaml mapping (or list, ``listed``) whose keys must be domains."""
    if value is None:
        return {}
    if not isinstance(value, list if listed else dict):
        raise ConfigError(f"{where}: {key} must be a {'list' if listed else 'mapping'} of domain names")
    items = dict.fromkeys(value, True) if listed else value
    for name in items:
        if name not in domains:
            raise ConfigError(f"{where}: {key} names {name!r}, which is not a domain")
    return items


def _quorum(value: Any, where: str) -> int:
    # one cue is what "strong" means; a quorum below 2 would let any weak word assign its domain
    if isinstance(value, bool) or not isinstance(value, int) or (value and value < 2):
        raise ConfigError(f"{where}: quorum must be 0 (none) or a count of at least 2, got {value!r}")
    return value


def _share(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ConfigError(f"{where}: must be a share in [0, 1], got {value!r}")
    return float(value)


@lru_cache(maxsize=2)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    file = Path(path) if path else DEFAULT_TAXONOMY
    if not file.exists():
        log.warning("taxonomy %s is missing: papers get no domains", file)
        return Taxonomy()
    with file.open(encoding="utf-8") as fh:
        data = read_yaml(fh)
    cso_file = file.with_name("cso_phrases.jsonl")
    rows: list[dict[str, Any]] = []
    if cso_file.exists():
        with cso_file.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
    task_file = file.with_name("task_phrases.jsonl")
    task_rows: list[dict[str, Any]] = []
    if task_file.exists():
        with task_file.open(encoding="utf-8") as fh:
            task_rows = [json.loads(line) for line in fh if line.strip()]
    scoring_file = file.with_name("scoring.yaml")
    scoring = None
    if scoring_file.exists():
        with scoring_file.open(encoding="utf-8") as fh:
            scoring = read_yaml(fh) or {}
    return parse_taxonomy(data, str(file), rows, scoring, task_rows)


_ROWS: dict[int, tuple[Taxonomy, tuple[tuple[str, str, float], ...], tuple[tuple[str, str], ...],
                       frozenset[tuple[str, str]], frozenset[tuple[str, str]], tuple[tuple[str, int], ...],
                       tuple[tuple[str, str, float], ...]]] = {}


def _taxonomy_rows(
    taxonomy: Taxonomy,
) -> tuple[tuple[tuple[str, str, float], ...], tuple[tuple[str, str], ...], frozenset[tuple[str, str]],
           frozenset[tuple[str, str]], tuple[tuple[str, int], ...], tuple[tuple[str, str, float], ...]]:
    """(domain, category, weight) and (child, parent) rows in taxonomy order, the (domain, lowercase
    strong phrase) and (domain, lowercase title phrase) pairs, the (domain, quorum) and (child, parent,
    share lent) rows, once per taxonomy: scoring a paper then touches only what it found."""
    cached = _ROWS.get(id(taxonomy))
    if cached is None or cached[0] is not taxonomy:
        doms = taxonomy.domains
        cats = tuple((d.name, c, cw) for d in doms.values() for c, cw in d.categories)
        children = tuple((n, d.parent) for n, d in doms.items() if d.parent and d.parent in doms)
        strong = frozenset((d.name, p.lower()) for d in doms.values() for p in d.strong)
        title = frozenset((d.name, p.lower()) for d in doms.values() for p in d.title)
        quorum = tuple((d.name, d.quorum) for d in doms.values() if d.quorum)
        lent = tuple((c, p, doms[p].lend) for c, p in children if doms[p].lend)
        # the entry keeps the taxonomy alive, so its id is not reused while cached
        cached = _ROWS[id(taxonomy)] = (taxonomy, cats, children, strong, title, quorum, lent)
    return cached[1], cached[2], cached[3], cached[4], cached[5], cached[6]


def score_domains(
    taxonomy: Taxonomy,
    hits: Iterable[DomainHit],
    categories: Iterable[str],
    entity_domains: Iterable[tuple[str, str]],
    weights: dict[str, float] | None = None,
) -> list[tuple[str, float, tuple[str, ...]]]:
    """(domain name, score in 0..1, evidence) for the 0–4 best-supported domains, best first.

    ``entity_domains``: (entity name, domain name) pairs of mentioned entities. A domain is a
    candidate only with strong evidence of its own (a strong phrase, an entity, a category) or its
    ``quorum`` of distinct cues; the
    best candidate needs ``min_top`` total weight, the others ``min_score`` and ``relative_cutoff``
    of the best. A parent assigned together with its child needs ``parent_keep`` of the child's score
    (the child's score with what the parent lends it).
    """
    w = taxonomy.weights(weights)
    raw: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    seen: set[tuple[str, str, str]] = set()
    shown: set[tuple[str, str]] = set()
    grounded: set[str] = set()  # domains with strong evidence of their own
    phrased: set[str] = set()  # domains with a strong key phrase of their own
    # per domain: cue (lower-case phrase or entity) → weight, to tell a parent's own evidence from its child's
    cues: dict[str, dict[str, float]] = defaultdict(dict)
    strong_cues: dict[str, set[str]] = defaultdict(set)
    category_rows, child_rows, strong, title_only, quorum_rows, lent_rows = _taxonomy_rows(taxonomy)
    title_weight = w["title_weight"]
    for h in hits:
        domain, field = h.domain, h.field
        phrase = h.phrase.lower()
        k = (domain, phrase, field)
        if k in seen:
            continue
        seen.add(k)
        titled = field == "title" and (domain, phrase) in title_only
        weight = w["strong_weight"] if titled else h.weight
        if not weight:
            continue
        add = weight * (title_weight if field == "title" else 1.0)
        raw[domain] = raw.get(domain, 0.0) + add
        c = cues[domain]
        c[phrase] = c.get(phrase, 0.0) + add
        if titled or (domain, phrase) in strong:
            grounded.add(domain)
            phrased.add(domain)
            strong_cues[domain].add(phrase)
        if (domain, phrase) not in shown:
            shown.add((domain, phrase))
            if domain in evidence:
                evidence[domain].append(h.phrase)
            else:
                evidence[domain] = [h.phrase]
    if categories:
        cats = set(categories)
        for name, c, cw in category_rows:
            if c in cats:
                raw[name] = raw.get(name, 0.0) + w["category_weight"] * cw
                evidence.setdefault(name, []).append(f"arXiv:{c}")
                grounded.add(name)
    if entity_domains:
        domains = taxonomy.domains
        ew = w["entity_weight"]
        for ent, dom in dict.fromkeys(entity_domains):
            if dom in domains:
                key = ent.lower()
                raw[dom] = raw.get(dom, 0.0) + ew
                evidence.setdefault(dom, []).append(f"entity:{ent}")
                grounded.add(dom)
                cues[dom][key] = cues[dom].get(key, 0.0) + ew
    # a broad domain is grounded by enough distinct cues of its own, none of which need be strong
    for name, q in quorum_rows:
        if name not in grounded and len(cues.get(name, ())) >= q:
            grounded.add(name)
    own = dict(raw)
    lift = w["parent_lift"]
    if lift:
        for name, parent in child_rows:
            if own.get(name):
                raw[parent] = raw.get(parent, 0.0) + lift * own[name]
    # a parent's generic words back its grounded child ("MRI" and a page of image words make a Medical Imaging
    # paper); what the child gets is also what the parent must beat to stay beside it
    for name, parent, share in lent_rows:
        if name in grounded and own.get(parent):
            raw[name] = raw.get(name, 0.0) + share * own[parent]
            own[name] = raw[name]
    ranked = sorted(((s, n) for n, s in raw.items() if s > 0 and n in grounded), key=lambda x: (-x[0], x[1]))
    if not ranked or ranked[0][0] < w["min_top"]:
        return []
    best = ranked[0][0]
    chosen: list[tuple[float, str]] = []
    domains = taxonomy.domains
    for s, n in ranked:
        if len(chosen) >= int(w["max_domains"]):
            break
        if chosen and s < w["min_score"]:
            break
        # an area's evidence piling up (an LLM paper names LLMs ten times) does not hide that the paper
        # also introduces a benchmark: a facet needs min_score only
        if chosen and s < w["relative_cutoff"] * best and not ((d := domains.get(n)) is not None and d.facet):
            continue
        chosen.append((s, n))
    # a specific domain is preferred over its parent: the parent stays only when the paper is also
    # about it broadly (a strong phrase of its own and a fair share of the child's score). Cues the
    # two share ("video" is a cue of Computer Vision and of Video Understanding; a video task is an
    # entity of both) are evidence for the child, and count only ``shared_parent`` for the parent.
    names = {n for _, n in chosen}
    keep, shared = w["parent_keep"], w["shared_parent"]

    def parent_own(parent: str, child: str) -> tuple[float, bool]:
        mine, theirs = cues.get(parent, {}), cues.get(child, {})
        score = sum(v * (shared if k in theirs else 1.0) for k, v in mine.items())
        if categories:  # arXiv categories are the parent's own
            score += own.get(parent, 0.0) - sum(mine.values())
        return score, bool(strong_cues.get(parent, set()) - theirs.keys()) or (shared >= 1.0 and parent in phrased)

    drop = set()
    for child, parent in child_rows:
        if child in names and parent in names:
            score, has_strong = parent_own(parent, child)
            if not has_strong or score < keep * own.get(child, 0.0):
                drop.add(parent)
    chosen = [(s, n) for s, n in chosen if n not in drop]
    return [(n, round(1 - math.exp(-s / 2), 4), tuple(evidence.get(n, ())[:8])) for s, n in chosen]
