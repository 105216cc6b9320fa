"""Files of a build: local paths, or fsspec URLs (``s3://``, ``gs://``, ``file://`` ...) for shared storage.

Local writes go to a temporary name beside the target and are renamed into place, so a reader never sees a
half-written file; object stores make a file visible only once it is complete. fsspec is imported only
when a URL is used (it comes with the ``dask`` extra).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
TMP_MARK = ".paperkg-tmp-"


def is_url(path: str | Path) -> bool:
    return isinstance(path, str) and bool(_URL.match(path))


def join(base: str | Path, *parts: str) -> str | Path:
    if is_url(base):
        return "/".join([str(base).rstrip("/"), *parts])
    return Path(base).joinpath(*parts)


def _fs(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError:  # pragma: no cover - fsspec comes with the dask extra
        from graphbuild.errors import ConfigError

        raise ConfigError(f"{url}: URLs need fsspec; install paperkg[dask]") from None
    fs, path = fsspec.core.url_to_fs(url)
    return fs, path


@contextmanager
def open_write(target: str | Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at ``target`` only once written completely."""
    if is_url(target):
        fs, path = _fs(str(target))
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)  # object stores: nothing to do; file://: the folder
        with fs.open(path, "wb") as f:
            yield f
        return
    p = Path(target)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f"{p.name}{TMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        with tmp.open("wb") as f:
            yield f
        os.replace(tmp, p)
    finally:
        tmp.unlink(missing_ok=True)


def open_read(target: str | Path) -> IO[bytes]:
    if is_url(target):
        fs, path = _fs(str(target))
        return fs.open(path, "rb")
    return Path(target).open("rb")


def list_names(directory: str | Path, suffix: str) -> list[str]:
    """Names (not paths) of the files in ``directory`` ending with ``suffix``, sorted; [] if it is missing."""
    if is_url(directory):
        fs, path = _fs(str(directory))
        if not fs.exists(path):
            return []
        return sorted(p.rsplit("/", 1)[-1] for p in fs.ls(path, detail=False) if p.endswith(suffix))
    d = Path(directory)
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir() if p.name.endswith(suffix) and TMP_MARK not in p.name)


def remove(target: str | Path) -> None:
    if is_url(target):
        fs, path = _fs(str(target))
        if fs.exists(path):
            fs.rm(path, recursive=True)
        return
    p = Path(target)
    if p.is_dir():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)


def remove_temporaries(directory: str | Path, pid: int | None = None) -> int:
    """Delete half-written files left in a local ``directory`` (by process ``pid``, or by anyone)."""
    if is_url(directory) or not Path(directory).is_dir():
        return 0
    mark = f"{TMP_MARK}{pid}-" if pid is not None else TMP_MARK
    n = 0
    for p in Path(directory).iterdir():
        if mark in p.name:
            p.unlink(missing_ok=True)
            n += 1
    return n


def fetch_local(url: str, directory: Path) -> Path:
    """Copy an input URL into ``directory`` (same file name) and return the local path."""
    fs, path = _fs(url)
    target = directory / path.rsplit("/", 1)[-1]
    target.parent.mkdir(parents=True, exist_ok=True)
    fs.get(path, str(target))
    return target
