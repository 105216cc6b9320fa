"""What every command shares: error → one line + exit code, consoles, progress."""

from __future__ import annotations

import functools
import logging
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


def setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
