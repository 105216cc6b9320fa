"""The validation boundary for one field value: decoded, type-checked, normalized, problems counted.

Readers hand over whatever the file held (JSON gives numbers, booleans, objects, lists, NaN; CSV and
BibTeX give text). Every value a :class:`~graphbuild.model.Paper` keeps passes through here:

* the title and abstract must be text: another type, bytes that are not UTF-8 or a lone surrogate
  make the record bad (:class:`FieldError`, reported with the file and line);
* any other field of the wrong type is ignored, and invalid UTF-8 or lone surrogates in it are
  replaced by U+FFFD — each such repair is counted by :class:`Repairs`, never silent;
* control characters (NUL, ESC, ...) become spaces everywhere, counted as well.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

#: control characters other than tab/newline/carriage return, DEL and the C1 range
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BAD_BYTE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)
_SURROGATE = re.compile("[\ud800-\udfff]")  # any lone surrogate (JSON "\ud800" escapes too)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
MIN_YEAR, MAX_YEAR = 1800, 2099


class FieldError(ValueError):
    """A field the record cannot do without is unusable; ``str()`` is the reason."""


class Repairs:
    """What was repaired or ignored in one record, as report lines (``"url: expected text, got a number"``)."""

    def __init__(self) -> None:
        self.items: Counter[str] = Counter()

    def add(self, name: str, what: str) -> None:
        self.items[f"{name}: {what}"] += 1


def kind(value: Any) -> str:
    """A JSON-ish name for a value's type: "a number", "an object", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def preview(value: Any, width: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _clean(name: str, text: str, repairs: Repairs, *, strict: bool) -> str:
    """Reject (strict) or replace (else) bad code points; control characters always become spaces."""
    # ASCII text has no surrogates (and ``isascii`` is a flag test, not a scan)
    if not text.isascii() and _SURROGATE.search(text):
        m = _BAD_BYTE.search(text)
        if strict:
            if m:
                byte = ord(m.group(0)) - 0xDC00
                raise FieldError(
                    f"{name}: invalid UTF-8 (byte 0x{byte:02x} at character {m.start()}); re-save the file as UTF-8"
                )
            s = _SURROGATE.search(text)
            assert s is not None
            raise FieldError(
                f"{name}: lone surrogate (U+{ord(s.group(0)):04X} at character {s.start()} is not text; "
                "a broken \\ud800-style escape?)"
            )
        repairs.add(name, "invalid UTF-8 or lone surrogate replaced by U+FFFD")
        text = _SURROGATE.sub("\ufffd", text)
    if _CONTROL.search(text):
        repairs.add(name, "control characters replaced by spaces")
        text = _CONTROL.sub(" ", text)
    return text


def essential_text(name: str, value: Any, repairs: Repairs) -> str:
    """The title or abstract: text or missing (""), anything else is a :class:`FieldError`."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(f"{name} must be text, got {kind(value)} ({preview(value)})")
    return _clean(name, value, repairs, strict=True)


def optional_text(name: str, value: Any, repairs: Repairs, *, numbers: bool = False) -> str | None:
    """Text, stripped; None when missing, empty or of another type (counted). ``numbers``: an integer
    is accepted as its digits (ids such as ``"id": 1234``)."""
    if value is None:
        return None
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        repairs.add(name, f"expected text, got {kind(value)}; ignored")
        return None
    return _clean(name, value, repairs, strict=False).strip() or None


def text_list(name: str, value: Any, repairs: Repairs, sep: str) -> tuple[str, ...]:
    """A list of texts (from a JSON list, or one text split at ``sep``); items of other types are ignored."""
    if value is None:
        return ()
    if isinstance(value, str):
        text = _clean(name, value, repairs, strict=False)
        return tuple(p.strip() for p in re.split(sep, text) if p.strip())
    if not isinstance(value, list | tuple):
        repairs.add(name, f"expected text or a list of texts, got {kind(value)}; ignored")
        return ()
    items = []
    for v in value:
        if not isinstance(v, str):
            repairs.add(name, f"list item is {kind(v)}, not text; item ignored")
            continue
        v = " ".join(_clean(name, v, repairs, strict=False).split())
        if v:
            items.append(v)
    return tuple(items)


def year(name: str, value: Any, repairs: Repairs) -> int | None:
    """A year 1800–2099 from an integer or from text holding one ("2021", "2021-05-03"); else None (counted)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        repairs.add(name, f"expected a year, got {kind(value)}; ignored")
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            repairs.add(name, f"expected a year, got {preview(value)}; ignored")
            return None
        value = int(value)
    if isinstance(value, int):
        if MIN_YEAR <= value <= MAX_YEAR:
            return value
        repairs.add(name, f"year out of range {MIN_YEAR}-{MAX_YEAR}; ignored")
        return None
    m = _YEAR.search(value)
    if m is None:
        repairs.add(name, "no year 1800-2099 in the text; ignored")
        return None
    return int(m.group(1))


def authors_parsed(value: Any, repairs: Repairs) -> tuple[str, ...] | None:
    """arXiv's ``[["Last", "First", "Suffix"], ...]`` as "First Last" names; None if absent or malformed
    (counted; the caller falls back to ``authors``)."""
    if value is None or value == []:
        return None
    ok = isinstance(value, list) and all(
        isinstance(a, list) and a and all(isinstance(p, str) or p is None for p in a) for a in value
    )
    if not ok:
        repairs.add("authors_parsed", "not a list of [last, first, suffix] name lists; used 'authors' instead")
        return None
    names = []
    for a in value:
        parts = [_clean("authors_parsed", p, repairs, strict=False) for p in a[:2] if p]
        name = " ".join(" ".join(reversed(parts)).split())
        if name:
            names.append(name)
    return tuple(names)
