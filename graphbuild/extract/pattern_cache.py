"""The matcher's tokenized patterns, cached on disk by content.

Building the extractor's PhraseMatcher tokenizes ~30k vocabulary spellings and taxonomy phrases: about a
second of every process's start-up, most of it spent making a lexeme for each new pattern word. What the
matcher keeps of a pattern is the ``LOWER`` hash of each of its tokens, and ``PhraseMatcher.add`` takes
those sequences as well as Docs (that is how spaCy rebuilds a pickled matcher). So the sequences are kept
in the user's cache folder (``$PAPERKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/paperkg``, else
``~/.cache/paperkg``; ``PAPERKG_CACHE_DIR=`` with an empty value turns the cache off), in a file named by
a hash of everything that decides them: the spellings themselves (so the data files), spaCy's version,
the language, the tokenizer's special cases and affix patterns, and this package's tokenizer code.

Safe to share: a file is written under a temporary name and renamed into place, so concurrent processes
see a whole file or none. A missing, read-only or unusable folder, or a damaged file, only costs the
tokenization.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

log = logging.getLogger(__name__)

CACHE_ENV = "PAPERKG_CACHE_DIR"
#: bump when the file's layout or what it holds changes
FORMAT = "1"
#: pattern files kept per folder (one per set of data files; older ones are removed on write)
KEEP = 8
_PREFIX = "patterns-"


def cache_dir() -> Path | None:
    """The folder of paperkg's per-user caches; None when turned off (``PAPERKG_CACHE_DIR=``)."""
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return Path(env) if env.strip() else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        base = Path(xdg) if xdg else Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found
        return None
    return base / "paperkg"


def pattern_keywords(nlp: Language, spellings: Sequence[str]) -> list[tuple[int, ...]]:
    """Per spelling: the ``LOWER`` hashes of its tokens under ``nlp``'s tokenizer (what a ``LOWER``
    PhraseMatcher matches), read from the cache when the same inputs were tokenized before."""
    folder = cache_dir()
    path = folder / f"{_PREFIX}{cache_key(nlp, spellings)}.npz" if folder is not None else None
    if path is not None:
        cached = _read(path, len(spellings))
        if cached is not None:
            return cached
    keywords = tokenize_patterns(nlp, spellings)
    if path is not None:
        _write(path, keywords)
    return keywords


def tokenize_patterns(nlp: Language, spellings: Sequence[str]) -> list[tuple[int, ...]]:
    """The ``LOWER`` hashes of each spelling's tokens, tokenized now."""
    from spacy.attrs import LOWER

    return [tuple(doc.to_array(LOWER).tolist()) if len(doc) else ()
            for doc in pattern_tokenizer(nlp).pipe(spellings)]  # fmt: skip


def pattern_tokenizer(nlp: Language) -> Tokenizer:
    """A fresh tokenizer with ``nlp``'s rules and vocab, for tokenizing patterns.

    Tokenizing tens of thousands of pattern strings with ``nlp.tokenizer`` fills
    its cache and makes it several times slower on the corpus afterwards.
    """
    from spacy.tokenizer import Tokenizer

    t = nlp.tokenizer
    return Tokenizer(nlp.vocab, rules=t.rules, prefix_search=t.prefix_search, suffix_search=t.suffix_search,
                     infix_finditer=t.infix_finditer, token_match=t.token_match, url_match=t.url_match)


def cache_key(nlp: Language, spellings: Sequence[str]) -> str:
    """A hash of the spellings and of everything in ``nlp``'s tokenizer that decides their tokens."""
    import spacy

    from graphbuild.extract import affixes

    t = nlp.tokenizer
    h = hashlib.blake2b(digest_size=16)
    h.update(f"paperkg patterns {FORMAT} spacy {spacy.__version__} {nlp.lang}\n".encode())
    for search in (t.prefix_search, t.suffix_search, t.infix_finditer, t.token_match, t.url_match):
        # the compiled pattern behind spaCy's regex method or behind paperkg's shortcut object
        h.update(repr(getattr(getattr(search, "__self__", None), "pattern", search)).encode("utf-8", "replace"))
        h.update(b"\n")
    h.update(repr(sorted(t.rules.items(), key=lambda kv: kv[0])).encode("utf-8", "replace"))
    h.update(Path(affixes.__file__).read_bytes())  # the shortcuts' code (they promise the same tokens)
    h.update(len(spellings).to_bytes(8, "little"))
    h.update("\0".join(spellings).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _read(path: Path, n: int) -> list[tuple[int, ...]] | None:
    """The cached sequences, or None (no file, a damaged one, or one of another length)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            flat, lengths = z["flat"], z["lengths"]
    except FileNotFoundError:
        return None
    except Exception as e:  # a damaged or foreign file (zip, numpy or key errors): tokenize instead
        log.debug("ignoring pattern cache %s: %s", path, e)
        return None
    if len(lengths) != n or int(lengths.sum()) != len(flat) or (len(lengths) and int(lengths.min()) < 0):
        return None
    values = flat.tolist()
    out: list[tuple[int, ...]] = []
    i = 0
    for k in lengths.tolist():
        out.append(tuple(values[i : i + k]))
        i += k
    return out


def _write(path: Path, keywords: Sequence[tuple[int, ...]]) -> None:
    """Write the file atomically (temporary name, then rename); any failure is only logged."""
    flat = np.fromiter((x for kw in keywords for x in kw), dtype=np.uint64)
    lengths = np.fromiter((len(kw) for kw in keywords), dtype=np.int64, count=len(keywords))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as f:
            np.savez(f, flat=flat, lengths=lengths)
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError as e:
        log.debug("pattern cache not written to %s: %s", path, e)
        with contextlib.suppress(OSError):  # e.g. the folder itself is what failed
            tmp.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Keep the ``KEEP`` newest pattern files (older data files' patterns are not read again)."""
    files = []
    for p in folder.glob(f"{_PREFIX}*.npz"):
        try:
            files.append((p.stat().st_mtime, p))
        except OSError:  # removed by another process meanwhile
            continue
    for _, p in sorted(files, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            p.unlink(missing_ok=True)
