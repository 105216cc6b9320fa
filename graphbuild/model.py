"""Records that flow through paperkg: papers in, mentions and domains out.

Every record is a frozen dataclass so that stages cannot mutate each other's
output; the graph (``graphbuild.graph``) is built from these records only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["method", "benchmark", "task", "domain"]
MentionType = Literal["method", "benchmark", "task"]
Role = Literal["proposed", "used", "introduced", "addressed"]
Field = Literal["title", "abstract"]

#: graph label of each entity type
LABELS: dict[str, str] = {
    "paper": "Paper",
    "method": "Method",
    "benchmark": "Benchmark",
    "task": "Task",
    "domain": "Domain",
}

#: relationship type for each (entity type, role)
REL_TYPES: dict[tuple[str, str], str] = {
    ("method", "proposed"): "PROPOSES",
    ("method", "used"): "USES",
    ("benchmark", "introduced"): "INTRODUCES",
    ("benchmark", "used"): "EVALUATES_ON",
    ("task", "addressed"): "ADDRESSES",
}
DOMAIN_REL = "IN_DOMAIN"


@dataclass(frozen=True)
class Paper:
    """One paper as read from an input file.

    ``title``/``abstract`` keep the original text (used as evidence);
    ``title_norm``/``abstract_norm`` are the whitespace- and LaTeX-normalized
    forms the extractor reads. ``source`` is ``file:line`` of the record.
    """

    id: str
    title: str
    abstract: str
    title_norm: str = ""
    abstract_norm: str = ""
    year: int | None = None
    url: str | None = None
    doi: str | None = None
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    source: str = ""

    @property
    def key(self) -> str:
        return f"paper:{self.id}"

    def text(self, field_name: Field) -> str:
        """The normalized text of a field (what offsets refer to)."""
        if field_name == "title":
            return self.title_norm or self.title
        return self.abstract_norm or self.abstract


@dataclass(frozen=True)
class Entity:
    """A resolved method, benchmark, task or domain (one graph node)."""

    key: str  # "method:transformer", "benchmark:imagenet", "domain:robotics"
    type: EntityType
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """One paper→entity link with its provenance.

    ``start``/``end`` are character offsets into ``Paper.text(field)``.
    ``name``/``key`` are the canonical entity after corpus-level resolution;
    ``surface`` is the text as written.
    """

    type: MentionType
    name: str
    key: str
    surface: str
    role: Role
    field: Field
    start: int
    end: int
    sentence: str
    rule: str
    confidence: float
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DomainScore:
    """A domain assigned to a paper, with the phrases that support it."""

    name: str
    key: str
    score: float
    evidence: tuple[str, ...] = ()
    parent: str | None = None  # key of the broader domain in the taxonomy (None: a top-level area)


@dataclass(frozen=True)
class PaperExtraction:
    """Everything the extractor says about one paper (after resolution)."""

    paper: Paper
    mentions: tuple[Mention, ...] = ()
    domains: tuple[DomainScore, ...] = field(default=())
