"""Score extraction records against an annotated gold file (``paperkg eval``).

The unit of scoring is the *paper→entity link*: a paper either links to an
entity (method, benchmark, domain) or it does not, however many times the
entity is mentioned. Gold papers and predicted papers are paired by paper id,
falling back to the normalized title (ids are derived, so a gold file written
before the ingest computed them can still be scored). Within a paper, a
predicted entity matches a gold entity when its canonical name or any of its
surfaces equals the gold name or any gold alias after :func:`normalize_name`;
the pairing is a maximum one-to-one matching, so a gold entity split into two
predicted entities scores one true positive and one false positive (the graph
would hold a duplicate node).

Borderline gold entities (and the gold file's ``generic_terms``: paradigm words
such as "deep learning") are neither rewarded nor penalized: predicting them is
ignored, missing them is not a miss. Counts are micro-averaged over papers.

The gold format and annotation rules are documented in ``tests/gold/README.md``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from graphbuild.assets import read_yaml
from graphbuild.errors import InputError

log = logging.getLogger(__name__)

ENTITY_TYPES: tuple[str, ...] = ("method", "benchmark", "task")
#: roles a gold entity of each type may have (the extraction record's roles)
ROLES: dict[str, tuple[str, ...]] = {
    "method": ("proposed", "used"),
    "benchmark": ("introduced", "used"),
    "task": ("addressed",),
}
_GOLD_KEYS = {"method": "methods", "benchmark": "benchmarks", "task": "tasks"}
#: row order of the report ("entity" = method + benchmark, comparable across gold versions)
SCORE_TYPES: tuple[str, ...] = ("method", "benchmark", "task", "entity", "domain")

def normalize_name(text: str) -> str:
    """The matching key of an entity name: resolution's own key (``extract.names.match_key``).

    "Transformers" → "transformer", "CIFAR10" = "CIFAR-10", "LLMs" = "LLM",
    "Deep TAMER's" = "Deep TAMER", "the DeepMind Control Suite" = "DeepMind
    Control Suite"; digits, letters and "+" are kept, so "GPT-3" ≠ "GPT-4" and
    "ImageNet" ≠ "ImageNet-C".
    """
    from graphbuild.extract.names import match_key

    return match_key(text)


def normalize_title(text: str) -> str:
    """The key that pairs a gold paper with a predicted paper when ids differ (the ingest's duplicate key)."""
    from graphbuild.ingest.normalize import title_fingerprint

    return title_fingerprint(text)


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GoldEntity:
    """One annotated paper→entity link."""

    type: str
    name: str
    role: str
    aliases: tuple[str, ...] = ()
    borderline: bool = False

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(k for k in (normalize_name(n) for n in (self.name, *self.aliases)) if k)


@dataclass(frozen=True)
class GoldPaper:
    """One annotated paper."""

    id: str | None
    title: str
    abstract: str
    methods: tuple[GoldEntity, ...] = ()
    benchmarks: tuple[GoldEntity, ...] = ()
    domains: tuple[str, ...] = ()
    source: str = ""
    tasks: tuple[GoldEntity, ...] = ()
    #: False when the paper has no "tasks" list: its tasks are not annotated, so not scored
    has_tasks: bool = False
    #: mention spans (type, field, start, end) when the gold has offsets; None: links only
    spans: tuple[tuple[str, str, int, int], ...] | None = None
    #: the mention types whose spans are annotated (the others are not scored at mention level)
    span_types: tuple[str, ...] = ()

    def entities(self, type_: str) -> tuple[GoldEntity, ...]:
        return {"method": self.methods, "benchmark": self.benchmarks, "task": self.tasks}[type_]


@dataclass(frozen=True)
class Gold:
    """A gold file: annotated papers plus the terms that are never scored."""

    papers: tuple[GoldPaper, ...]
    generic_terms: tuple[str, ...] = ()
    path: str = ""
    #: the domain names the annotators chose from (None: the whole taxonomy); see ``domain_names``
    domain_names: tuple[str, ...] | None = None

    @property
    def generic_keys(self) -> frozenset[str]:
        return frozenset(k for k in map(normalize_name, self.generic_terms) if k)


@dataclass(frozen=True)
class PredEntity:
    """A predicted paper→entity link: all mentions of one canonical entity in one paper."""

    type: str
    name: str
    role: str
    surfaces: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(k for k in (normalize_name(n) for n in (self.name, *self.surfaces)) if k)


@dataclass(frozen=True)
class PredPaper:
    """One extraction record, reduced to what is scored."""

    id: str | None
    title: str
    entities: tuple[PredEntity, ...] = ()
    domains: tuple[str, ...] = ()
    line: int = 0
    spans: tuple[tuple[str, str, int, int], ...] = ()  # every mention: (type, field, start, end)


@dataclass(frozen=True)
class Counts:
    """True/false positives, misses and ignored (borderline) predictions of one type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    ignored: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.ignored + other.ignored
        )

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class SpanCounts:
    """Mention-level counts of one type.

    exact: a predicted span equals a gold span (type, field, start, end). overlap: recall counts
    gold spans some predicted span of their type overlaps; precision counts predicted spans that
    overlap some gold span (each side on its own, as in TDMSci/CS-NER partial-match scoring).
    """

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    gold_overlapped: int = 0
    predicted_overlapping: int = 0

    def __add__(self, o: SpanCounts) -> SpanCounts:
        return SpanCounts(self.gold + o.gold, self.predicted + o.predicted, self.exact + o.exact,
                          self.gold_overlapped + o.gold_overlapped,
                          self.predicted_overlapping + o.predicted_overlapping)

    @property
    def exact_counts(self) -> Counts:
        return Counts(tp=self.exact, fp=self.predicted - self.exact, fn=self.gold - self.exact)

    @property
    def overlap_precision(self) -> float:
        return self.predicted_overlapping / self.predicted if self.predicted else 0.0

    @property
    def overlap_recall(self) -> float:
        return self.gold_overlapped / self.gold if self.gold else 0.0


@dataclass(frozen=True)
class Link:
    """A link in a per-paper diff."""

    type: str
    name: str
    role: str | None = None
    note: str = ""


@dataclass(frozen=True)
class RoleError:
    type: str
    gold_name: str
    pred_name: str
    gold_role: str
    pred_role: str


@dataclass(frozen=True)
class PaperResult:
    """Scores and diff of one gold paper."""

    title: str
    id: str | None
    matched_by: str | None  # "id" | "title" | None (no prediction for this paper)
    counts: dict[str, Counts]
    roles: dict[str, tuple[int, int]]  # type → (correct, matched)
    missed: tuple[Link, ...] = ()
    extra: tuple[Link, ...] = ()
    role_errors: tuple[RoleError, ...] = ()

    @property
    def clean(self) -> bool:
        return not (self.missed or self.extra or self.role_errors)


@dataclass(frozen=True)
class EvalReport:
    """Everything ``paperkg eval`` prints."""

    counts: dict[str, Counts]
    roles: dict[str, tuple[int, int]]
    papers: tuple[PaperResult, ...]
    unmatched_predictions: int = 0
    gold_path: str = ""
    pred_path: str = ""
    #: mention level, per type, when the gold has offsets
    spans: dict[str, SpanCounts] = field(default_factory=dict)

    @property
    def papers_missing(self) -> tuple[str, ...]:
        return tuple(p.title for p in self.papers if p.matched_by is None)

    def role_accuracy(self, type_: str) -> float | None:
        correct, total = self.roles.get(type_, (0, 0))
        return correct / total if total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold_path,
            "predictions": self.pred_path,
            "papers": {
                "gold": len(self.papers),
                "matched_by_id": sum(p.matched_by == "id" for p in self.papers),
                "matched_by_title": sum(p.matched_by == "title" for p in self.papers),
                "missing": list(self.papers_missing),
                "predictions_not_in_gold": self.unmatched_predictions,
            },
            "scores": {
                t: {
                    "tp": c.tp,
                    "fp": c.fp,
                    "fn": c.fn,
                    "ignored": c.ignored,
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                    "role_accuracy": _round(self.role_accuracy(t)),
                    "role_matched": self.roles.get(t, (0, 0))[1],
                }
                for t, c in self.counts.items()
            },
            "mentions": {
                t: {
                    "gold": c.gold, "predicted": c.predicted,
                    "exact": {"tp": c.exact, "precision": round(c.exact_counts.precision, 4),
                              "recall": round(c.exact_counts.recall, 4), "f1": round(c.exact_counts.f1, 4)},
                    "overlap": {"precision": round(c.overlap_precision, 4), "recall": round(c.overlap_recall, 4)},
                }
                for t, c in self.spans.items()
            },
            "diff": [
                {
                    "title": p.title,
                    "id": p.id,
                    "matched_by": p.matched_by,
                    "missed": [_link_dict(x) for x in p.missed],
                    "extra": [_link_dict(x) for x in p.extra],
                    "role_errors": [vars(x) for x in p.role_errors],
                }
                for p in self.papers
                if not p.clean
            ],
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _link_dict(link: Link) -> dict[str, Any]:
    d: dict[str, Any] = {"type": link.type, "name": link.name}
    if link.role:
        d["role"] = link.role
    if link.note:
        d["note"] = link.note
    return d


# ----------------------------------------------------------------------------- loading


def load_gold(path: str | Path) -> Gold:
    """Read and validate a gold file (format: ``tests/gold/README.md``).

    Raises :class:`InputError` naming the file (and line, for JSON syntax
    errors) and the offending paper/entity.
    """
    p = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(p, None, "gold file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(p, None, f"cannot read gold file: {e}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(p, e.lineno, f"invalid JSON: {e.msg}") from None
    return parse_gold(data, p)


def parse_gold(data: Any, path: str = "<gold>") -> Gold:
    """Validate an already-parsed gold document (a dict with ``papers``, or a bare list)."""
    if isinstance(data, list):
        data = {"papers": data}
    if not isinstance(data, dict) or not isinstance(data.get("papers"), list):
        raise InputError(path, None, 'expected a JSON object with a "papers" list')
    generic = data.get("generic_terms", [])
    if not isinstance(generic, list) or not all(isinstance(t, str) for t in generic):
        raise InputError(path, None, '"generic_terms" must be a list of strings')
    papers: list[GoldPaper] = []
    seen_titles: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for i, raw in enumerate(data["papers"]):
        paper = _parse_gold_paper(raw, i, path)
        key = normalize_title(paper.title)
        if key in seen_titles:
            raise InputError(path, None, f"papers[{i}]: duplicate title (same as papers[{seen_titles[key]}])")
        seen_titles[key] = i
        if paper.id is not None:
            if paper.id in seen_ids:
                raise InputError(
                    path,
                    None,
                    f"papers[{i}]: duplicate id {paper.id!r} (same as papers[{seen_ids[paper.id]}])",
                )
            seen_ids[paper.id] = i
        papers.append(paper)
    if not papers:
        raise InputError(path, None, "the gold file has no papers")
    names = data.get("domain_names")
    if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)):
        raise InputError(path, None, '"domain_names" must be a list of domain names')
    return Gold(papers=tuple(papers), generic_terms=tuple(generic), path=path,
                domain_names=tuple(names) if names is not None else None)


def _parse_gold_paper(raw: Any, i: int, path: str) -> GoldPaper:
    where = f"papers[{i}]"
    if not isinstance(raw, dict):
        raise InputError(path, None, f"{where}: expected an object")
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise InputError(path, None, f'{where}: missing or empty "title"')
    pid = raw.get("id")
    if pid is not None and not isinstance(pid, str):
        raise InputError(path, None, f'{where}: "id" must be a string or null')
    abstract = raw.get("abstract", "")
    if not isinstance(abstract, str):
        raise InputError(path, None, f'{where}: "abstract" must be a string')
    ents: dict[str, tuple[GoldEntity, ...]] = {}
    for type_, key in _GOLD_KEYS.items():
        items = raw.get(key, [])
        if not isinstance(items, list):
            raise InputError(path, None, f'{where}: "{key}" must be a list')
        ents[type_] = tuple(
            _parse_gold_entity(e, type_, f"{where}.{key}[{j}]", path) for j, e in enumerate(items)
        )
    domains = raw.get("domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) and d.strip() for d in domains):
        raise InputError(path, None, f'{where}: "domains" must be a list of names')
    return GoldPaper(
        id=pid or None,
        title=title,
        abstract=abstract,
        methods=ents["method"],
        benchmarks=ents["benchmark"],
        domains=tuple(domains),
        source=str(raw.get("source", "")),
        tasks=ents["task"],
        has_tasks="tasks" in raw,
        spans=_parse_spans(raw, where, path),
        span_types=tuple(raw.get("span_types") or ENTITY_TYPES),
    )


def _parse_spans(raw: dict[str, Any], where: str, path: str) -> tuple[tuple[str, str, int, int], ...] | None:
    """A paper's ``mentions`` (character offsets into the field's text), when the gold has them."""
    items = raw.get("mentions")
    if items is None:
        return None
    if not isinstance(items, list):
        raise InputError(path, None, f'{where}: "mentions" must be a list')
    out = []
    for j, m in enumerate(items):
        ok = (isinstance(m, dict) and m.get("type") in ENTITY_TYPES
              and m.get("field", "abstract") in ("title", "abstract")
              and isinstance(m.get("start"), int) and isinstance(m.get("end"), int) and 0 <= m["start"] < m["end"])
        if not ok:
            raise InputError(path, None, f"{where}.mentions[{j}]: needs type, field, start < end")
        out.append((m["type"], m.get("field", "abstract"), m["start"], m["end"]))
    return tuple(out)


def _parse_gold_entity(raw: Any, type_: str, where: str, path: str) -> GoldEntity:
    if not isinstance(raw, dict):
        raise InputError(path, None, f"{where}: expected an object")
    name = raw.get("name")
    if not isinstance(name, str) or not normalize_name(name):
        raise InputError(path, None, f'{where}: missing or empty "name"')
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise InputError(path, None, f'{where} ({name}): "aliases" must be a list of strings')
    role = raw.get("role", ROLES[type_][-1])
    if role not in ROLES[type_]:
        allowed = " or ".join(ROLES[type_])
        raise InputError(path, None, f"{where} ({name}): role must be {allowed}, got {role!r}")
    borderline = raw.get("borderline", False)
    if not isinstance(borderline, bool):
        raise InputError(path, None, f'{where} ({name}): "borderline" must be true or false')
    return GoldEntity(type=type_, name=name, role=role, aliases=tuple(aliases), borderline=borderline)


def load_predictions(path: str | Path) -> list[PredPaper]:
    """Read extraction records (``paperkg extract`` output, one JSON object per line)."""
    p = str(path)
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below; streamed line by line
    except FileNotFoundError:
        raise InputError(p, None, "predictions file not found") from None
    except OSError as e:
        raise InputError(p, None, f"cannot read predictions file: {e}") from None
    papers: list[PredPaper] = []
    with fh:
        lineno = 0
        try:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(p, lineno, f"invalid JSON: {e.msg}") from None
                papers.append(parse_prediction(rec, p, lineno))
        except UnicodeDecodeError:
            raise InputError(p, lineno + 1, "invalid UTF-8") from None
    return papers


def parse_prediction(rec: Any, path: str = "<predictions>", line: int = 0) -> PredPaper:
    """Reduce one extraction record to its scored links (mentions grouped by canonical entity)."""

    def bad(reason: str) -> InputError:
        return InputError(path, line or None, reason)

    if not isinstance(rec, dict) or not isinstance(rec.get("paper"), dict):
        raise bad('expected an extraction record with a "paper" object')
    paper = rec["paper"]
    pid = paper.get("id")
    title = paper.get("title") or ""
    if not isinstance(title, str) or (not pid and not title):
        raise bad('"paper" needs an "id" or a "title"')
    mentions = rec.get("mentions", [])
    if not isinstance(mentions, list):
        raise bad('"mentions" must be a list')
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    spans: list[tuple[str, str, int, int]] = []
    for j, m in enumerate(mentions):
        if not isinstance(m, dict):
            raise bad(f"mentions[{j}]: expected an object")
        type_, name = m.get("type"), m.get("name")
        if not isinstance(name, str) or not name.strip():
            raise bad(f'mentions[{j}]: missing "name"')
        if type_ not in ENTITY_TYPES:
            log.debug("%s:%s: mention type %r is not scored", path, line, type_)
            continue
        role = m.get("role", ROLES[type_][-1])
        if role not in ROLES[type_]:
            raise bad(f"mentions[{j}] ({name}): role {role!r} is not valid for a {type_}")
        if isinstance(m.get("start"), int) and isinstance(m.get("end"), int):
            spans.append((type_, str(m.get("field", "abstract")), m["start"], m["end"]))
        g = grouped.setdefault(
            (type_, normalize_name(name) or name), {"name": name, "roles": [], "surfaces": []}
        )
        g["roles"].append(role)
        surface = m.get("surface")
        if isinstance(surface, str) and surface and surface not in g["surfaces"]:
            g["surfaces"].append(surface)
    entities = tuple(
        PredEntity(type=t, name=g["name"], role=_strongest_role(g["roles"]), surfaces=tuple(g["surfaces"]))
        for (t, _), g in grouped.items()
    )
    domains_raw = rec.get("domains", [])
    if not isinstance(domains_raw, list):
        raise bad('"domains" must be a list')
    domains: list[str] = []
    for d in domains_raw:
        dname = d.get("name") if isinstance(d, dict) else d
        if not isinstance(dname, str) or not dname.strip():
            raise bad('each domain needs a "name"')
        domains.append(dname)
    return PredPaper(
        id=str(pid) if pid else None, title=title, entities=entities, domains=tuple(domains), line=line,
        spans=tuple(spans),
    )


def _strongest_role(roles: Sequence[str]) -> str:
    # one paper→entity link: a paper that proposes X anywhere proposes X
    for r in ("proposed", "introduced"):
        if r in roles:
            return r
    return roles[0] if roles else "used"


# ----------------------------------------------------------------------------- scoring


def _max_matching(
    pred: Sequence[frozenset[str]],
    gold: Sequence[frozenset[str]],
    preference: Callable[[int, int], int] | None = None,
) -> dict[int, int]:
    """Maximum one-to-one matching of predictions to gold entities sharing a key (pred index → gold index).

    Kuhn's augmenting paths; ``preference(pi, gi)`` orders the candidates so that, among maximum
    matchings, a prediction whose canonical name and role agree with the gold is the one counted
    (a matched prediction is never unmatched later, only re-routed).
    """

    def pref(pi: int, gi: int) -> int:
        return preference(pi, gi) if preference else 0

    adj = [
        sorted((g for g, gk in enumerate(gold) if pk & gk), key=lambda g, pi=pi: -pref(pi, g))
        for pi, pk in enumerate(pred)
    ]
    owner: dict[int, int] = {}  # gold index → pred index

    def augment(pi: int, seen: set[int]) -> bool:
        for gi in adj[pi]:
            if gi in seen:
                continue
            seen.add(gi)
            if gi not in owner or augment(owner[gi], seen):
                owner[gi] = pi
                return True
        return False

    order = sorted(range(len(pred)), key=lambda pi: -max((pref(pi, gi) for gi in adj[pi]), default=0))
    for pi in order:
        augment(pi, set())
    return {pi: gi for gi, pi in owner.items()}


@dataclass(frozen=True)
class TypeResult:
    """One paper's score for one entity type."""

    counts: Counts
    role: tuple[int, int]  # (correct, matched)
    missed: tuple[Link, ...] = ()
    extra: tuple[Link, ...] = ()
    role_errors: tuple[RoleError, ...] = ()


def score_entities(
    gold: Sequence[GoldEntity],
    pred: Sequence[PredEntity],
    generic_keys: frozenset[str] = frozenset(),
    other_type_gold: Sequence[GoldEntity] = (),
) -> TypeResult:
    """Score one paper's predicted links of one type against its gold links of that type."""
    scored = [g for g in gold if not g.borderline]
    optional_keys = generic_keys.union(*(g.keys for g in gold if g.borderline))

    def preference(pi: int, gi: int) -> int:
        p, g = pred[pi], scored[gi]
        return 2 * (normalize_name(p.name) in g.keys) + (p.role == g.role)

    matching = _max_matching([p.keys for p in pred], [g.keys for g in scored], preference)
    missed: list[Link] = []
    extra: list[Link] = []
    role_errors: list[RoleError] = []
    tp = fp = ignored = correct = 0
    for pi, p in enumerate(pred):
        if pi in matching:
            g = scored[matching[pi]]
            tp += 1
            if p.role == g.role:
                correct += 1
            else:
                role_errors.append(RoleError(p.type, g.name, p.name, g.role, p.role))
        elif p.keys & optional_keys:
            ignored += 1
        else:
            fp += 1
            extra.append(Link(p.type, p.name, p.role, _extra_note(p, scored, other_type_gold)))
    matched_gold = set(matching.values())
    for gi, g in enumerate(scored):
        if gi not in matched_gold:
            missed.append(Link(g.type, g.name, g.role))
    return TypeResult(
        counts=Counts(tp=tp, fp=fp, fn=len(scored) - len(matched_gold), ignored=ignored),
        role=(correct, tp),
        missed=tuple(missed),
        extra=tuple(extra),
        role_errors=tuple(role_errors),
    )


def _extra_note(p: PredEntity, same_type: Sequence[GoldEntity], other_type: Sequence[GoldEntity]) -> str:
    for g in same_type:
        if p.keys & g.keys:
            return f"duplicate of {g.name}"
    for g in other_type:
        if p.keys & g.keys:
            return f"gold has it as a {g.type}"
    return ""


def score_paper(
    gold: GoldPaper,
    pred: PredPaper | None,
    generic_keys: frozenset[str] = frozenset(),
    matched_by: str | None = None,
    domain_map: Callable[[str], str | None] | None = None,
) -> PaperResult:
    """Score one gold paper against its prediction (``None``: the paper was not predicted)."""
    counts: dict[str, Counts] = {}
    roles: dict[str, tuple[int, int]] = {}
    missed: list[Link] = []
    extra: list[Link] = []
    role_errors: list[RoleError] = []
    pred_entities = pred.entities if pred else ()
    for type_ in ENTITY_TYPES:
        if (type_ == "task" and not gold.has_tasks) or type_ not in gold.span_types:
            counts[type_], roles[type_] = Counts(), (0, 0)
            continue
        others = [g for t in ENTITY_TYPES if t != type_ for g in gold.entities(t)]
        r = score_entities(
            gold.entities(type_),
            [e for e in pred_entities if e.type == type_],
            generic_keys,
            others,
        )
        counts[type_] = r.counts
        roles[type_] = r.role
        missed += r.missed
        extra += r.extra
        role_errors += r.role_errors
    gold_domains = {normalize_name(d): d for d in gold.domains}
    predicted = pred.domains if pred else ()
    if domain_map is not None:  # a gold of fewer domain names: score predictions as their nearest one
        predicted = tuple(dict.fromkeys(m for d in predicted if (m := domain_map(d))))
    pred_domains = {normalize_name(d): d for d in predicted}
    hit = gold_domains.keys() & pred_domains.keys()
    counts["domain"] = Counts(tp=len(hit), fp=len(pred_domains) - len(hit), fn=len(gold_domains) - len(hit))
    missed += [Link("domain", d) for k, d in gold_domains.items() if k not in hit]
    extra += [Link("domain", d) for k, d in pred_domains.items() if k not in hit]
    counts["entity"] = counts["method"] + counts["benchmark"]
    roles["entity"] = (roles["method"][0] + roles["benchmark"][0], roles["method"][1] + roles["benchmark"][1])
    return PaperResult(
        title=gold.title,
        id=gold.id or (pred.id if pred else None),
        matched_by=matched_by,
        counts=counts,
        roles=roles,
        missed=tuple(missed),
        extra=tuple(extra),
        role_errors=tuple(role_errors),
    )


def pair_papers(
    gold: Iterable[GoldPaper], preds: Iterable[PredPaper]
) -> tuple[list[tuple[GoldPaper, PredPaper | None, str | None]], int]:
    """Pair each gold paper with its prediction: by id, else by normalized title.

    Returns the pairs and the number of predicted papers no gold paper claimed.
    """
    by_id: dict[str, PredPaper] = {}
    by_title: dict[str, PredPaper] = {}
    all_preds = list(preds)
    for p in all_preds:
        if p.id and p.id not in by_id:
            by_id[p.id] = p
        key = normalize_title(p.title)
        if key and key not in by_title:
            by_title[key] = p
    pairs: list[tuple[GoldPaper, PredPaper | None, str | None]] = []
    used: set[int] = set()
    for g in gold:
        match: PredPaper | None = None
        how: str | None = None
        if g.id and g.id in by_id:
            match, how = by_id[g.id], "id"
        elif normalize_title(g.title) in by_title:
            match, how = by_title[normalize_title(g.title)], "title"
        if match is not None:
            used.add(id(match))
        pairs.append((g, match, how))
    return pairs, sum(id(p) not in used for p in all_preds)


def domain_names(gold: Gold) -> tuple[str, ...] | None:
    """The domain names a gold's annotators chose from.

    A gold file may list them (``"domain_names"``); a gold without any task annotation was made
    with the first taxonomy (its 28 domains, ``graphbuild/data/eval/taxonomy_v1.yaml``). None:
    the whole current taxonomy.
    """
    if gold.domain_names is not None:
        return gold.domain_names
    if any(p.has_tasks for p in gold.papers):
        return None
    return taxonomy_v1_names()


def taxonomy_v1_names() -> tuple[str, ...]:

    path = Path(__file__).resolve().parent / "data" / "eval" / "taxonomy_v1.yaml"
    return tuple(read_yaml(path.read_text("utf-8"))["domains"])


def nearest_domain(names: Sequence[str], parents: dict[str, str | None]) -> Callable[[str], str | None]:
    """Map a predicted domain to itself or its nearest ancestor among ``names`` (None: no such one)."""
    allowed = {normalize_name(n): n for n in names}

    def f(name: str) -> str | None:
        seen: set[str] = set()
        cur: str | None = name
        while cur is not None and cur not in seen:
            if normalize_name(cur) in allowed:
                return allowed[normalize_name(cur)]
            seen.add(cur)
            cur = parents.get(cur)
        return None

    return f


def evaluate(gold: Gold, preds: Iterable[PredPaper]) -> EvalReport:
    """Score predictions against a gold set; counts are micro-averaged over papers.

    Tasks are scored on the papers that annotate them. When the gold was annotated with fewer
    domains than the taxonomy has (``domain_names``), a predicted domain counts as its nearest
    ancestor among those names, or not at all.
    """
    pairs, unmatched = pair_papers(gold.papers, preds)
    generic = gold.generic_keys
    names = domain_names(gold)
    domain_map = None
    if names is not None:
        from graphbuild.extract.domains import load_taxonomy

        taxonomy = load_taxonomy()
        parents = {d.name: d.parent for d in taxonomy.domains.values()}
        domain_map = nearest_domain(names, parents)
    results = [score_paper(g, p, generic, how, domain_map) for g, p, how in pairs]
    counts = {t: sum((r.counts[t] for r in results), Counts()) for t in SCORE_TYPES}
    roles = {
        t: (sum(r.roles[t][0] for r in results), sum(r.roles[t][1] for r in results))
        for t in ("method", "benchmark", "task", "entity")
    }
    spans = score_spans(pairs)
    missing = sum(r.matched_by is None for r in results)
    if missing:
        log.warning("%d gold paper(s) have no prediction; their links count as misses", missing)
    return EvalReport(
        counts=counts,
        roles=roles,
        papers=tuple(results),
        unmatched_predictions=unmatched,
        gold_path=gold.path,
        spans=spans,
    )


def score_spans(pairs: Sequence[tuple[GoldPaper, PredPaper | None, str | None]]) -> dict[str, SpanCounts]:
    """Mention-level counts per type for the gold papers with offsets (see :class:`SpanCounts`)."""
    out: dict[str, SpanCounts] = {}
    for g, p, _ in pairs:
        if g.spans is None:
            continue
        for t in g.span_types:
            gold = {s for s in g.spans if s[0] == t}
            pred = {s for s in (p.spans if p else ()) if s[0] == t}
            c = SpanCounts(
                gold=len(gold),
                predicted=len(pred),
                exact=len(gold & pred),
                gold_overlapped=sum(_overlaps(s, pred) for s in gold),
                predicted_overlapping=sum(_overlaps(s, gold) for s in pred),
            )
            out[t] = out[t] + c if t in out else c
    return out


def _overlaps(a: tuple[str, str, int, int], others: set[tuple[str, str, int, int]]) -> bool:
    return any(a[1] == b[1] and a[2] < b[3] and b[2] < a[3] for b in others)


def evaluate_files(gold_path: str | Path, pred_path: str | Path) -> EvalReport:
    """:func:`evaluate` on files: the library form of ``paperkg eval``."""
    gold = load_gold(gold_path)
    preds = load_predictions(pred_path)
    return replace(evaluate(gold, preds), gold_path=str(gold_path), pred_path=str(pred_path))
