"""All-or-nothing build directories: a lock, a temporary sibling, one swap at the end.

A build writes everything into ``.<name>.building-<pid>-<random>`` beside ``--out`` and, once every file
is complete, exchanges it with ``--out`` in one ``renameat2(RENAME_EXCHANGE)`` (Linux; elsewhere two
renames), then deletes the old build. An interrupted or failed build (SIGINT, disk full, an error) removes
its temporary directory and leaves the previous build as it was. A lock file beside ``--out``
(``.<name>.lock``, held with ``flock``) makes a second concurrent build of the same directory fail at once
with a clear message. The extraction cache (``OUT/cache``) is the one thing written in place: a killed
build's finished units stay there for the next build to reuse, and the cache moves into the new build just
before the swap.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import shutil
import uuid
from pathlib import Path
from types import TracebackType

from graphbuild.errors import BuildLockedError, OutputError, PaperkgError, WriteFailedError

log = logging.getLogger(__name__)

CACHE_DIR = "cache"
_BUILDING = ".building-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # the filesystem cannot exchange: fall back to two renames
    raise OSError(err, os.strerror(err), str(b))


class BuildDir:
    """``with BuildDir(out) as b:`` write into ``b.path``; ``b.commit()`` swaps it in; leaving the block
    without a commit (or with an exception) removes it and leaves ``out`` as it was."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"--out {self.out}: is a file; --out must be a directory (it holds graph.json, "
                              "graph.lbug, view.html, ...)")  # fmt: skip
        self.parent = self.out.absolute().parent
        self.lock_path = self.parent / f".{self.out.name}.lock"
        self.path = self.parent / f".{self.out.name}{_BUILDING}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.cache = self.out / CACHE_DIR
        self._lock_fd: int | None = None
        self._committed = False

    # ------------------------------------------------------------------ lock

    def _lock(self) -> None:
        while True:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                raise BuildLockedError(
                    f"{self.out}: another paperkg build (pid {holder}) is writing this directory; wait for it "
                    f"to finish or build into another --out (lock file {self.lock_path})"
                ) from None
            except BaseException:
                os.close(fd)
                raise
            # the previous holder may have removed the file between our open and our lock: lock the current one
            try:
                same = os.fstat(fd).st_ino == os.stat(self.lock_path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.pwrite(fd, str(os.getpid()).encode(), 0)
                self._lock_fd = fd
                return
            os.close(fd)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.lock_path)
            os.close(self._lock_fd)
            self._lock_fd = None

    # ------------------------------------------------------------------ life cycle

    def __enter__(self) -> BuildDir:
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
        except PaperkgError:
            raise
        except OSError as e:
            raise OutputError(f"--out {self.out}: cannot write there ({e.strerror or e})") from None
        try:
            self._remove_leftovers()
            self.path.mkdir()
            self.cache.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            self._cleanup()
            raise OutputError(f"--out {self.out}: cannot write there ({e.strerror or e})") from None
        return self

    def _remove_leftovers(self) -> None:
        """Temporary siblings of builds that were killed (we hold the lock, so none is running). A build
        killed during its swap may have left the cache inside one: it goes back first."""
        for p in self.parent.glob(f".{self.out.name}{_BUILDING}*"):
            stray = p / CACHE_DIR
            if stray.is_dir() and not any(self.cache.iterdir() if self.cache.is_dir() else ()):
                shutil.rmtree(self.cache, ignore_errors=True)
                self.out.mkdir(exist_ok=True)
                os.replace(stray, self.cache)
            log.info("removing the leftover of an interrupted build: %s", p)
            shutil.rmtree(p, ignore_errors=True)

    def commit(self) -> None:
        """Make the new build the one at ``out``: the cache moves in, the directories swap, the old one goes."""
        cache_inside = self.path / CACHE_DIR
        if self.cache.is_dir():
            os.replace(self.cache, cache_inside)
        try:
            if self.out.exists():
                if not _exchange(self.path, self.out):
                    old = self.parent / f".{self.out.name}{_BUILDING}old-{uuid.uuid4().hex[:8]}"
                    os.replace(self.out, old)
                    os.replace(self.path, self.out)
                    self.path = old
            else:
                os.replace(self.path, self.out)
        except BaseException:
            if cache_inside.is_dir() and not self.cache.exists():
                os.replace(cache_inside, self.cache)
            raise
        self._committed = True
        shutil.rmtree(self.path, ignore_errors=True)  # now the old build

    def _cleanup(self) -> None:
        if not self._committed:
            moved = self.path / CACHE_DIR
            if moved.is_dir() and not self.cache.exists():
                os.replace(moved, self.cache)
            shutil.rmtree(self.path, ignore_errors=True)
        from graphbuild.storage import remove_temporaries

        if self.cache.is_dir():
            for d in [self.cache, *(p for p in self.cache.iterdir() if p.is_dir())]:
                remove_temporaries(d)
        with contextlib.suppress(OSError):
            # a first build that failed before extracting anything: no empty folders left behind
            if self.cache.is_dir() and not any(p.is_file() for p in self.cache.rglob("*")):
                shutil.rmtree(self.cache)
            if self.out.is_dir() and not any(self.out.iterdir()):
                self.out.rmdir()
        self._unlock()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._cleanup()
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS):
            what = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
                    errno.EIO: "an I/O error", errno.EROFS: "the file system is read-only"}[exc.errno]  # fmt: skip
            raise WriteFailedError(
                f"{self.out}: the build could not be written ({what}: {exc.filename or exc.strerror}); "
                "the previous build is unchanged and no temporary files are left"
            ) from None
