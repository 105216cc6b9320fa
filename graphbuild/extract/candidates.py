"""The per-document record every rule produces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    """A method/benchmark mention found in one field, before resolution.

    ``start``/``end`` are character offsets into the field text; ``role`` is the
    role the rule itself implies ("proposed"/"introduced") or None;
    ``vocab_id`` is set when a vocabulary entry matched. ``surface`` is the span as written
    (head noun and version included: "Penn Treebank dataset"); ``name``, when set, is what
    resolution knows it by (generic head nouns dropped: "Penn Treebank").
    """

    type: str  # "method" | "benchmark" | "task"
    surface: str
    start: int
    end: int
    rule: str
    confidence: float
    vocab_id: str | None = None
    role: str | None = None
    name: str | None = None

    @property
    def key_text(self) -> str:
        """The text resolution reads: the name, else the surface."""
        return self.name or self.surface


def select_non_overlapping(cands: list[Candidate]) -> list[Candidate]:
    """Keep the longest candidate of each overlapping group (ties: higher confidence, vocab first).

    ImageNet-C wins over ImageNet inside it; results come back in text order.
    """
    if len(cands) < 2:
        return list(cands)
    ranked = sorted(
        cands, key=lambda c: (-(c.end - c.start), -c.confidence, c.vocab_id is None, c.start)
    )
    taken: list[Candidate] = []
    used = bytearray(max(c.end for c in cands) + 1)
    for c in ranked:
        if any(used[c.start : c.end]):
            continue
        taken.append(c)
        used[c.start : c.end] = b"\x01" * (c.end - c.start)
    return sorted(taken, key=lambda c: c.start)
