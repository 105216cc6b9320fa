"""Handing freed memory back to the operating system between a build's stages.

After assembly a large build has freed most of what resolution held (the name table, the cache's index),
but CPython and glibc keep freed blocks for reuse, so the process still *resides* in them while the
embedded database's engine — which allocates outside Python's heap — needs its own ~2 GB at 1M papers.
"""

from __future__ import annotations

import gc
import logging
import sys
from functools import lru_cache

log = logging.getLogger(__name__)


def release_memory() -> None:
    """Collect cyclic garbage and return free heap pages to the OS (glibc's ``malloc_trim``; elsewhere
    only the collection). Changes no process-wide setting."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl and other C libraries have no malloc_trim
        log.debug("malloc_trim unavailable: freed memory stays with the process")
        return None
