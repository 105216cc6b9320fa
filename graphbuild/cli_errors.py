"""What the command line prints for an exception, and its exit code: one line, never a traceback.

* :class:`~graphbuild.errors.PaperkgError`: its message and ``exit_code`` (2 bad input or usage,
  1 runtime failure);
* ``OSError``: the file as given and the reason; 1 when the machine failed (disk full, I/O error),
  2 when the path given cannot be used (a folder where a file is needed, no permission, ...);
* ``KeyboardInterrupt``: "Interrupted." (1);
* anything else is a bug in paperkg: one line naming the exception (1); ``-vv`` logs the traceback.

Every message goes through :func:`graphbuild.errors.one_line`, so control characters and ANSI
escapes from file names, input text or engine messages are shown escaped, never interpreted.
"""

from __future__ import annotations

import errno
import logging
import sys

import typer

from graphbuild.errors import PaperkgError, one_line

log = logging.getLogger("graphbuild")

# typer >= 0.25 vendors click as typer._click, older versions use click itself: take the classes typer raises
ClickException: type[Exception] = sys.modules[typer.BadParameter.__module__].ClickException
#: exceptions a command raises on purpose for the command group to report (usage errors, typer.Exit)
CLI_SIGNALS: tuple[type[BaseException], ...] = (ClickException, typer.Exit, typer.Abort)

#: errno values that mean the machine failed, not the path given (exit 1)
_RUNTIME_ERRNOS = frozenset(
    getattr(errno, name)
    for name in ("ENOSPC", "EDQUOT", "EIO", "ENOMEM", "EFBIG", "EAGAIN", "ETIMEDOUT", "ECONNRESET", "ENOBUFS")
    if hasattr(errno, name)
)
#: longest message printed: an exception can carry a whole input line
MAX_CHARS = 2000


def describe_os_error(e: OSError) -> str:
    """``PATH: reason`` (``A -> B: reason`` for a rename), the path exactly as the program was given it."""
    reason = e.strerror or str(e) or type(e).__name__
    if e.filename is not None and e.filename2 is not None:
        return f"{_name(e.filename)} -> {_name(e.filename2)}: {reason}"
    if e.filename is not None:
        return f"{_name(e.filename)}: {reason}"
    return reason


def _name(filename: object) -> str:
    if isinstance(filename, bytes):
        return filename.decode("utf-8", errors="surrogateescape")
    return str(filename)


def error_report(exc: BaseException) -> tuple[str, int]:
    """``(one-line message, exit code)`` for any exception that reached the command line."""
    if isinstance(exc, PaperkgError):
        message, code = str(exc), exc.exit_code
    elif isinstance(exc, KeyboardInterrupt):
        message, code = "Interrupted.", 1
    elif isinstance(exc, OSError):
        message = describe_os_error(exc)
        code = 1 if exc.errno in _RUNTIME_ERRNOS else 2
    elif isinstance(exc, MemoryError):
        message, code = "out of memory", 1
    else:
        log.debug("internal error", exc_info=exc)
        message = (
            f"internal error ({type(exc).__name__}: {exc}); this is a bug in paperkg: "
            "please report it with the output of the same command run with -vv"
        )
        code = 1
    message = one_line(message)
    if len(message) > MAX_CHARS:
        message = message[:MAX_CHARS] + "…"
    return message, code


def print_error(exc: BaseException) -> int:
    """Print ``Error: <one line>`` on stderr; returns the exit code."""
    message, code = error_report(exc)
    prefix = "\x1b[1;31mError:\x1b[0m" if _is_tty(sys.stderr) else "Error:"
    if isinstance(exc, KeyboardInterrupt):
        prefix = ""
    try:
        sys.stderr.write(f"{prefix} {message}".lstrip() + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed: the exit code still tells
        pass
    return code


def _is_tty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False
