"""One role per (paper, entity): proposed/introduced when the paper presents it.

Cues, strongest first: the rule that found the mention says so (title subject,
``we propose NAME``, ``… named NAME`` after "we"), ``our NAME`` / ``the
proposed NAME``, the name is the title's subject, or the name appears in the
object of a ``we propose / introduce`` clause. Otherwise the paper uses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graphbuild.extract.names import match_key

_OWN = {"method": "proposed", "benchmark": "introduced", "task": "addressed"}
# "[Ww](?<!\w[Ww])e" is "\b[Ww]e" with a character class first, which the regex engine scans
# for quickly (a leading \b makes it try every position)
# "we propose", and "this paper introduces" (a paper speaking of itself, not "the paper [of X] proposed")
_PROPOSE_CLAUSE = re.compile(
    r"(?:[Ww](?<!\w[Ww])e\s+(?:\w+\s+)?|[Tt](?<!\w[Tt])his\s+(?:paper|work|study|article)\s+)"
    r"(?:propose|introduce|present|develop|design|devise|release|construct|create|curate)s?"
    r"(?:\s+and\s+(?:pretrain|train|evaluate|release|open-source|analy[sz]e)s?)?\b"  # "we introduce and pretrain X"
    r"(?P<obj>[^.;]{0,80})$"
)
_THIS_PAPER = re.compile(r"[Tt]his\s+(?:paper|work|study|article)\s")
_NAMED = re.compile(  # \b(?:called|named|…) written character class first, as above
    r"(?:c(?<!\wc)alled|n(?<!\wn)amed|d(?<!\wd)ubbed|t(?<!\wt)ermed|c(?<!\wc)oined|r(?<!\wr)efer\s+to\s+\w+\s+as)"
    r"\s+[\"“'‘]?$"
)
_PROPOSE_ANY = re.compile(
    r"[Ww](?<!\w[Ww])e\s+(?:\w+\s+)?(?:propose|introduce|present|develop|design|call|name|dub)s?\b"
)
# words after which the object clause talks about something else ("using X", "on X")
# ("we propose S-CLIP, a method for training CLIP": CLIP is used), or an apposition describes what
# was proposed ("we introduce Point Set Transformer (PST), a transformer architecture", also without its
# comma: "we introduce PreBackRazor a novel activation pruning scheme")
_OTHER = re.compile(r"\b(?:using|with|on|by|based|over|than|from|upon|via|through|like|to|into|and|of|for|within"
                    r"|inside|across|among|between|in|as)(?![\w-])|\w\)?,\s+an?\s|[a-z][A-Z]\w*\s+an?\s")


def own_role(etype: str) -> str:
    return _OWN[etype]


def in_propose_clause(sentence_before: str) -> bool:
    """True when the text before a mention (same sentence) ends inside ``we propose …``,
    or names it after such a clause ("we introduce a class of CNNs called X")."""
    if "we " not in sentence_before and "We " not in sentence_before and not (
            "his " in sentence_before and _THIS_PAPER.search(sentence_before)):
        return False  # cheap test first: most sentences have no "we" clause
    if _NAMED.search(sentence_before) and _PROPOSE_ANY.search(sentence_before):
        return True
    m = _PROPOSE_CLAUSE.search(sentence_before)
    return bool(m) and not _OTHER.search(m.group("obj"))


def assign_roles(mentions: Iterable[tuple[str, str, str | None, bool]]) -> dict[tuple[str, str], str]:
    """Role per (type, entity key) from mention facts.

    ``mentions``: (type, entity key, rule role or None, has own-cue). Any mention
    with a rule role or an own-cue makes the entity the paper's own.
    """
    roles: dict[tuple[str, str], str] = {}
    for etype, key, rule_role, own in mentions:
        k = (etype, key)
        if etype == "task":  # a paper addresses the tasks it names; there is no other role
            roles[k] = "addressed"
        elif rule_role or own:
            roles[k] = _OWN[etype]
        else:
            roles.setdefault(k, "used")
    return roles


_SUBJECT_AFTER = re.compile(r"\s*(?::|$|\s+(?:for|via|with|in|on|is|are|as)\b)")


def title_subject_at(title: str, start: int, end: int) -> bool:
    """A name that opens the title (or its part after a colon) and is followed by
    ``:``, the end, or ``for/via/with/…``: "Batch Normalization: …", "Graph
    Metanetworks for …", "Learning to Compare: Relation Network for …", "A Decomposable Attention
    Model for …"."""
    before = title[:start].rstrip()
    head, _, last = before.rpartition(" ")
    if last in ("A", "An", "The") and (not head or head.endswith(":")):  # "A Decomposable Attention Model for …"
        before = head
    if before and not before.endswith(":"):
        return False
    return bool(_SUBJECT_AFTER.match(title, end))


def title_subject_keys(title_candidates: Iterable[tuple[str, int]]) -> set[str]:
    """Match keys of names that open the title (``NAME: …`` or ``NAME for …``)."""
    return {match_key(surface) for surface, start in title_candidates if start == 0}


_FIRST_APPOSITIVE = re.compile(r"\s*(?:\([^()]{1,20}\))?\s*,\s+(?:the|a|an)\s+first\b")


def first_of_its_kind(text: str, end: int) -> bool:
    """``NAME (ACR), the first reward model benchmark …``: a paper calls only its own contribution the first."""
    return bool(_FIRST_APPOSITIVE.match(text, end))
