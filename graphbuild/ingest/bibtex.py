"""BibTeX with ``abstract`` fields (Zotero / Google Scholar exports), read entry by entry.

A small streaming scanner (bibtexparser loads whole files): outside entries, ``@type{`` or
``@type(`` starts an entry anywhere on a line (so two entries may share a line; any other text
is a comment, as in BibTeX). A ``{``-entry ends when its braces balance, a ``(``-entry at the
``)`` outside braces and quotes. Entry types are any BibTeX identifier (``@misc-thing`` too).
An entry still open when a line starts with the next ``@type{`` or the file ends is reported at
its first line, and reading resumes at that next entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graphbuild.ingest.source import MAX_LINE_BYTES, BadRecord, RawRecord, numbered_lines

_TYPE = r"([A-Za-z][\w\-:.+]*)"
_START = re.compile(r"@\s*" + _TYPE + r"\s*([{(])")
_LINE_START = re.compile(r"^\s*@\s*" + _TYPE + r"\s*[{(]")
_FIELD = re.compile(r"\s*([A-Za-z][\w\-:.+]*)\s*=\s*")
_WORD = re.compile(r"[\w\-.:+/]+")
_SKIP_TYPES = {"comment", "string", "preamble"}
_CLOSE = {"{": "}", "(": ")"}


def parse_entry(text: str) -> tuple[str, str, dict[str, str]]:
    """``(type, citekey, fields)`` of one complete entry; raises ValueError when malformed."""
    m = _START.match(text.lstrip())
    if not m:
        raise ValueError("expected an entry starting with @type{ or @type(")
    etype, opener = m.group(1).lower(), m.group(2)
    body = text.lstrip()[m.end() :].rstrip()
    if body.endswith(_CLOSE[opener]):
        body = body[:-1]
    if etype in _SKIP_TYPES:
        return etype, "", {}
    key, _, rest = body.partition(",")
    if "=" in key:  # no citekey: "@article{title = {...}, ...}"
        key, rest = "", body
    fields: dict[str, str] = {}
    i = 0
    while i < len(rest):
        fm = _FIELD.match(rest, i)
        if not fm:
            if rest[i:].strip(" \t\r\n,"):
                raise ValueError(f"cannot parse field near {rest[i:i + 30]!r}")
            break
        name = fm.group(1).lower()
        i = fm.end()
        value, i = _value(rest, i)
        if name in fields:
            raise ValueError(f"field {name!r} appears twice")
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
            m = _WORD.match(s, i)
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


@dataclass
class _Open:
    """The entry being read: where it starts, its text so far, and the scanner's state."""

    line: int
    opener: str
    parts: list[str] = field(default_factory=list)
    size: int = 0
    depth: int = 0  # braces
    quoted: bool = False  # inside "..." at the top level of a (-entry

    def key(self) -> str:
        m = _START.match("".join(self.parts[:2]).lstrip())
        head = "".join(self.parts[:2])[m.end() :] if m else ""
        return head.split(",")[0].strip()[:60]

    def scan(self, text: str, i: int) -> int | None:
        """Consume ``text`` from ``i``; the index just past the entry's end, or None if it goes on."""
        j = i
        n = len(text)
        while j < n:
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "{":
                self.depth += 1
            elif ch == "}":
                self.depth -= 1
                if self.opener == "{" and self.depth == 0:
                    return j + 1
            elif self.opener == "(" and self.depth == 0:
                if ch == '"':
                    self.quoted = not self.quoted
                elif ch == ")" and not self.quoted:
                    return j + 1
            j += 1
        return None


def read_bibtex(path: Path, name: str | None = None) -> Iterator[RawRecord | BadRecord]:
    where = name if name is not None else str(path)
    entry: _Open | None = None

    def finish(e: _Open) -> Iterator[RawRecord | BadRecord]:
        try:
            etype, key, fields = parse_entry("".join(e.parts))
        except ValueError as err:
            yield BadRecord(where, e.line, f"malformed BibTeX entry {e.key()!r}: {err}")
            return
        if etype not in _SKIP_TYPES:
            yield RawRecord(where, e.line, {**fields, "citekey": key, "entrytype": etype})

    def unclosed(e: _Open, why: str) -> BadRecord:
        what = f"{e.depth} '{{' not closed" if e.opener == "{" else "'(' not closed"
        return BadRecord(where, e.line, f"unbalanced braces in entry {e.key()!r}: {what} {why}")

    for item in numbered_lines(path, where):
        if isinstance(item, BadRecord):
            yield item  # a fatal problem (truncated gzip) also ends the open entry: the message says so
            if item.fatal:
                return
            continue
        n, text = item
        if entry is not None and _LINE_START.match(text):
            yield unclosed(entry, f"before the next entry at line {n}")
            entry = None
        i = 0
        while True:
            if entry is None:
                m = _START.search(text, i)
                if m is None:
                    break  # text between entries is a comment in BibTeX
                entry = _Open(n, m.group(2))
                i = m.start()
                end = entry.scan(text, m.end() - 1)
            else:
                end = entry.scan(text, i)
            piece = text[i:] if end is None else text[i:end]
            entry.parts.append(piece)
            entry.size += len(piece)
            if end is None:
                entry.parts.append("\n")
                if entry.size > MAX_LINE_BYTES:
                    yield unclosed(entry, f"within {MAX_LINE_BYTES // 2**20} MiB")
                    entry = None
                break
            yield from finish(entry)
            entry = None
            i = end
    if entry is not None:
        yield unclosed(entry, "when the file ends")
