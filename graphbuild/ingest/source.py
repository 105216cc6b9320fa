"""Opening input files (plain or gzip) as numbered text lines, and the raw record types.

Bytes are decoded with ``surrogateescape`` so one bad line never stops the
stream: a record whose text still holds escaped bytes is reported as
"invalid UTF-8" with its own line number, and ``--on-error skip`` can go on.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphbuild.errors import InputError

_SURROGATE = re.compile("[\udc80-\udcff]")


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


def numbered_lines(path: Path) -> Iterator[tuple[int, str] | BadRecord]:
    """``(line_number, text)`` for every line (newline stripped); a truncated gzip ends with a fatal BadRecord."""
    opener = gzip.open if is_gzip(path) else open
    n = 0
    try:
        with opener(path, "rb") as f:  # type: ignore[operator]
            for n, raw in enumerate(f, start=1):
                if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                yield n, raw.decode("utf-8", errors="surrogateescape").rstrip("\r\n")
    except EOFError:
        yield BadRecord(
            str(path), n + 1,
            "truncated gzip file (compressed data ends before the end-of-stream marker); "
            "records from here on are lost: re-download or re-compress the file",
            fatal=True,
        )  # fmt: skip
    except (OSError, zlib.error) as e:
        yield BadRecord(str(path), n + 1, f"cannot read file ({e})", fatal=True)


def bad_utf8(value: str) -> str | None:
    """A reason string if ``value`` holds bytes that were not valid UTF-8."""
    m = _SURROGATE.search(value)
    if m is None:
        return None
    byte = ord(m.group(0)) - 0xDC00
    return f"invalid UTF-8 (byte 0x{byte:02x} at character {m.start()}); re-save the file as UTF-8"
