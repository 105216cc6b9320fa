"""What every command shares: error → one line + exit code, consoles, progress."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graphbuild.cli_errors import CLI_SIGNALS, print_error

F = TypeVar("F", bound=Callable[..., Any])

#: results go to stdout, messages/progress/errors to stderr (so pipes stay clean)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def cli_command(fn: F) -> F:
    """Any exception → ``Error: <one line>`` on stderr and exit 1 or 2 (:mod:`graphbuild.cli_errors`)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CLI_SIGNALS:
            raise  # typer.Exit / BadParameter raised on purpose: the command group reports them
        except BaseException as e:
            if isinstance(e, SystemExit | GeneratorExit):
                raise
            raise typer.Exit(print_error(e)) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr; yields ``advance(n)``. Hidden when not a TTY."""
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n=1: progress.advance(task, n)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is now (a handler bound to the stream of the first run would write
    to a closed stream when the CLI runs again in one process), each message on one escaped line."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(_OneLineFormatter("%(levelname)s %(name)s: %(message)s"))

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


class _OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        from graphbuild.errors import one_line

        text = super().format(record)
        head, _, rest = text.partition("\n")  # a traceback (-vv) keeps its lines; the message itself is one line
        return one_line(head) + ("\n" + rest if rest and record.exc_info else "")


def setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    root = logging.getLogger()
    for h in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(h)
    if not root.handlers or all(isinstance(h, logging.NullHandler) for h in root.handlers):
        root.addHandler(_StderrHandler())
    root.setLevel(level)
