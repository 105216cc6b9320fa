"""Escaping for the XML formats (GraphML, GEXF), written by hand because networkx's writers build
an ElementTree of the whole file first and are ~10x slower on a 10k-link subgraph.

XML 1.0 cannot hold most C0 control characters at all (not even as ``&#1;``); they are replaced with
U+FFFD and a warning is logged. ``\\r``, ``\\n`` and ``\\t`` are kept exactly: as character references
where a parser would otherwise normalize them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_TEXT_RE = re.compile("[&<>\r]")
_ATTR = {**_TEXT, '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
_ATTR_RE = re.compile('[&<>\r"\n\t]')


_TEXT_ANY = re.compile(f"[&<>\r{_INVALID.pattern[1:-1]}]")
_ATTR_ANY = re.compile(f'[&<>\r"\n\t{_INVALID.pattern[1:-1]}]')


def _valid(s: str) -> str:
    if _INVALID.search(s):
        log.warning("replacing characters XML cannot hold with U+FFFD in %r", s[:60])
        return _INVALID.sub("\ufffd", s)
    return s


def text(s: str) -> str:
    """Element content."""
    if not _TEXT_ANY.search(s):  # the common case: one C-level scan, no copy
        return s
    return _TEXT_RE.sub(lambda m: _TEXT[m.group(0)], _valid(s))


def attr(s: str) -> str:
    """An attribute value, without the surrounding quotes."""
    if not _ATTR_ANY.search(s):
        return s
    return _ATTR_RE.sub(lambda m: _ATTR[m.group(0)], _valid(s))


def value_type(values: Iterable[Any], *, integer: str, real: str) -> str:
    """The narrowest XML attribute type holding every value (``string`` for lists and text)."""
    kinds = {("bool" if isinstance(v, bool) else type(v).__name__) for v in values}
    if kinds == {"bool"}:
        return "boolean"
    if kinds == {"int"}:
        return integer
    if kinds <= {"int", "float"}:
        return real
    return "string"


def scalar(v: Any) -> str:
    """A value's text form (lists are JSON-encoded by the caller)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v) if not isinstance(v, float) else repr(v)


def edge_id(source: object, rel_type: object, target: object) -> str:
    """A link's id in GraphML and GEXF: ``source|TYPE|target``.

    Unique within a graph (a pair of nodes has at most one link per type) and the same in every export,
    so Gephi, which keeps the first edge of each id and drops the rest, imports every link, and appending
    two exports into one Gephi workspace merges the links they share instead of colliding on counters.
    """
    return f"{source}|{rel_type}|{target}"
