"""BibTeX with ``abstract`` fields (Zotero / Google Scholar exports), read entry by entry.

A small streaming parser (bibtexparser loads whole files): an entry starts at
a line beginning with ``@type{`` and ends when its braces balance. An entry
whose braces never balance before the next entry or the end of the file is
reported at its first line, and reading resumes at the next entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from graphbuild.ingest.source import BadRecord, RawRecord, numbered_lines

_START = re.compile(r"^\s*@\s*([A-Za-z]+)\s*\{")
_SKIP_TYPES = {"comment", "string", "preamble"}


def _depth(text: str) -> int:
    """Net ``{`` minus ``}`` on a line, ignoring ``\\{`` and ``\\}``."""
    stripped = text.replace("\\{", "").replace("\\}", "")
    return stripped.count("{") - stripped.count("}")


def parse_entry(text: str) -> tuple[str, str, dict[str, str]]:
    """``(type, citekey, fields)`` of one balanced entry; raises ValueError when malformed."""
    m = _START.match(text)
    if not m:
        raise ValueError("expected an entry starting with @type{")
    etype = m.group(1).lower()
    body = text[m.end() :].rstrip()
    if body.endswith("}"):
        body = body[:-1]
    key, _, rest = body.partition(",")
    fields: dict[str, str] = {}
    i = 0
    while i < len(rest):
        fm = re.compile(r"\s*([A-Za-z][\w\-:.]*)\s*=\s*").match(rest, i)
        if not fm:
            if rest[i:].strip(" \t\r\n,"):
                raise ValueError(f"cannot parse field near {rest[i:i + 30]!r}")
            break
        name = fm.group(1).lower()
        i = fm.end()
        value, i = _value(rest, i)
        fields[name] = value
        while i < len(rest) and rest[i] in " \t\r\n":
            i += 1
        if i < len(rest) and rest[i] == ",":
            i += 1
    return etype, key.strip(), fields


def _value(s: str, i: int) -> tuple[str, int]:
    parts: list[str] = []
    while True:
        if i >= len(s):
            raise ValueError("field value missing")
        ch = s[i]
        if ch == "{":
            depth, j = 0, i
            while j < len(s):
                if s[j] == "\\":
                    j += 2
                    continue
                if s[j] == "{":
                    depth += 1
                elif s[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            else:
                raise ValueError("unbalanced braces in a field value")
            parts.append(s[i + 1 : j])
            i = j + 1
        elif ch == '"':
            j = i + 1
            depth = 0
            while j < len(s) and not (s[j] == '"' and depth == 0 and s[j - 1] != "\\"):
                depth += {"{": 1, "}": -1}.get(s[j], 0)
                j += 1
            if j >= len(s):
                raise ValueError("unterminated quoted value")
            parts.append(s[i + 1 : j])
            i = j + 1
        else:
            m = re.compile(r"[\w\-.:]+").match(s, i)
            if not m:
                raise ValueError(f"unexpected {ch!r} in a field value")
            parts.append(m.group(0))
            i = m.end()
        while i < len(s) and s[i] in " \t\r\n":
            i += 1
        if i < len(s) and s[i] == "#":  # BibTeX string concatenation
            i += 1
            while i < len(s) and s[i] in " \t\r\n":
                i += 1
            continue
        return "".join(parts), i


def read_bibtex(path: Path) -> Iterator[RawRecord | BadRecord]:
    buf: list[str] = []
    start = 0
    depth = 0

    def finish() -> Iterator[RawRecord | BadRecord]:
        text = "\n".join(buf)
        try:
            etype, key, fields = parse_entry(text)
        except ValueError as e:
            yield BadRecord(str(path), start, f"malformed BibTeX entry: {e}")
            return
        if etype not in _SKIP_TYPES:
            yield RawRecord(str(path), start, {**fields, "citekey": key, "entrytype": etype})

    for item in numbered_lines(path):
        if isinstance(item, BadRecord):
            yield item
            return
        n, text = item
        if _START.match(text):
            if buf:  # a new entry begins while the previous one is still open
                key = _START.sub("", buf[0]).split(",")[0].strip()
                yield BadRecord(
                    str(path), start,
                    f"unbalanced braces in entry {key!r}: {depth} '{{' not closed before the next "
                    f"entry at line {n}",
                )  # fmt: skip
            buf, start, depth = [text], n, _depth(text)
        elif buf:
            buf.append(text)
            depth += _depth(text)
        else:
            continue  # text between entries is a comment in BibTeX
        if buf and depth <= 0:
            yield from finish()
            buf = []
    if buf:
        key = _START.sub("", buf[0]).split(",")[0].strip()
        yield BadRecord(str(path), start, f"unbalanced braces in entry {key!r}: the file ends inside it")
