"""Opening input files (plain or gzip) as numbered text lines, and the raw record types.

Bytes are decoded with ``surrogateescape`` so one bad line never stops the
stream: a record whose text still holds escaped bytes is reported as
"invalid UTF-8" with its own line number, and ``--on-error skip`` can go on.

Lines end at ``\\n`` (``\\r\\n`` too); a file whose first 64 KiB hold ``\\r`` but no
``\\n`` uses classic-Mac ``\\r`` endings and is split at ``\\r``. A line longer than
:data:`MAX_LINE_BYTES` is reported (not held in memory) and reading goes on.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from graphbuild.errors import InputError

_SURROGATE = re.compile("[\udc80-\udcff]")
#: a line (or a record spanning lines) longer than this is skipped with a reason, never held whole
MAX_LINE_BYTES = 64 * 1024 * 1024
_HEAD = 64 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class RawRecord:
    """A record as a reader found it: plain field values, not yet validated."""

    path: str
    line: int
    fields: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class BadRecord:
    """A record the reader could not use; ``fatal`` means the rest of the file is unreadable."""

    path: str
    line: int
    reason: str
    fatal: bool = False

    def error(self) -> InputError:
        return InputError(self.path, self.line, self.reason)


def is_gzip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(2) == b"\x1f\x8b"


def _split(f: BinaryIO, sep: bytes) -> Iterator[bytes | None]:
    """Lines of ``f`` split at ``sep`` (separator removed); ``None`` for a line over MAX_LINE_BYTES."""
    parts: list[bytes] = []
    size = 0
    dropping = False
    while chunk := f.read(_CHUNK):
        start = 0
        while True:
            i = chunk.find(sep, start)
            piece = chunk[start:] if i < 0 else chunk[start:i]
            if not dropping:
                parts.append(piece)
                size += len(piece)
                if size > MAX_LINE_BYTES:
                    dropping, parts, size = True, [], 0
            if i < 0:
                break
            yield None if dropping else b"".join(parts)
            parts, size, dropping = [], 0, False
            start = i + len(sep)
    if dropping:
        yield None
    elif size:
        yield b"".join(parts)


def _readlines(f: BinaryIO) -> Iterator[bytes | None]:
    """``\\n``-terminated lines at C speed (``readline`` with a limit); ``None`` for an overlong line."""
    while raw := f.readline(MAX_LINE_BYTES + 1):
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := f.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield raw


def _head(f: BinaryIO) -> bytes:
    """Up to the first 64 KiB (less if a truncated gzip ends sooner: that is reported where it happens)."""
    head = b""
    try:
        while len(head) < _HEAD and (chunk := f.read1(_HEAD - len(head))):  # type: ignore[attr-defined]
            head += chunk
    except EOFError:
        pass
    return head


def numbered_lines(path: Path, name: str | None = None) -> Iterator[tuple[int, str] | BadRecord]:
    """``(line_number, text)`` for every line (line ending stripped).

    Problems come as :class:`BadRecord` named ``name`` (the path as the user gave it): an overlong
    line (reading goes on), a UTF-16 file, a truncated gzip or an unreadable file (``fatal``: the end).
    """
    where = name if name is not None else str(path)
    n = 0
    try:
        opener: Any = gzip.open if is_gzip(path) else open
        with opener(path, "rb") as f:
            head = _head(f)
            f.seek(0)
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                yield BadRecord(where, 1, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
                                "re-save it as UTF-8", fatal=True)  # fmt: skip
                return
            cr_only = b"\r" in head and b"\n" not in head
            lines = _split(f, b"\r") if cr_only else _readlines(f)
            for n, raw in enumerate(lines, start=1):
                if raw is None:
                    yield BadRecord(where, n, f"line longer than {MAX_LINE_BYTES // 2**20} MiB; skipped")
                    continue
                if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                text = raw.decode("utf-8", errors="surrogateescape")
                yield n, text.rstrip("\r\n")
    except EOFError:
        yield BadRecord(
            where, n + 1,
            "truncated gzip file (compressed data ends before the end-of-stream marker); "
            "records from here on are lost: re-download or re-compress the file",
            fatal=True,
        )  # fmt: skip
    except (OSError, zlib.error) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        yield BadRecord(where, n + 1, f"cannot read file ({reason})", fatal=True)


def bad_utf8(value: str) -> str | None:
    """A reason string if ``value`` holds bytes that were not valid UTF-8."""
    m = _SURROGATE.search(value)
    if m is None:
        return None
    byte = ord(m.group(0)) - 0xDC00
    return f"invalid UTF-8 (byte 0x{byte:02x} at character {m.start()}); re-save the file as UTF-8"
