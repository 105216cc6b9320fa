"""The ``paperkg`` command line: a thin shell over the library API.

Each command lives in ``graphbuild/commands/<name>.py``; this module only
registers them, so ``paperkg --help`` stays fast (heavy imports happen inside
the commands).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from graphbuild.cli_errors import ClickException
from graphbuild.commands import build, extract, stats
from graphbuild.commands.common import setup_logging
from graphbuild.commands.cypher import cypher_command
from graphbuild.commands.eval import eval_command
from graphbuild.commands.export import export_command
from graphbuild.commands.load import load_command
from graphbuild.commands.query import query_command
from graphbuild.commands.view import view_command


class PaperkgGroup(TyperGroup):
    """The command group: every error, usage errors included, is one ``Error:`` line; exit codes are 0, 1, 2.

    Typer would draw usage errors as a multi-line box and exit 130 on Ctrl-C; here a usage error is
    ``Error: <message>; see `paperkg CMD --help``` (exit 2) and an interrupt exit 1.
    """

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        from graphbuild.cli_errors import print_error
        from graphbuild.errors import PaperkgError

        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as e:  # usage errors: bad option, missing argument, bad value
            if type(e).__name__ == "NoArgsIsHelpError":  # `paperkg` alone: the help, as click shows it
                e.show()  # type: ignore[attr-defined]
                sys.exit(2)
            hint = f"; see `{e.ctx.command_path} --help`" if getattr(e, "ctx", None) is not None else ""
            usage = PaperkgError(f"{e.format_message()}{hint}")  # type: ignore[attr-defined]
            sys.exit(print_error(usage))
        except typer.Abort:  # Ctrl-C or end of input at a prompt
            sys.exit(print_error(KeyboardInterrupt()))
        except BaseException as e:  # anything that escaped a command's own handling
            if isinstance(e, SystemExit):
                raise
            sys.exit(print_error(e))
        code = rv if isinstance(rv, int) else 0
        if code == 130:  # typer's code for Ctrl-C while parsing
            code = print_error(KeyboardInterrupt())
        sys.exit(code if code in (0, 1, 2) else 1)


app = typer.Typer(
    cls=PaperkgGroup,
    name="paperkg",
    help="Turn research papers (titles + abstracts) into a knowledge graph of papers, methods, tasks, "
    "benchmarks and domains; query it with Cypher, view it in a browser, export subgraphs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"paperkg {version('paperkg')}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log output (-vv for debug)."),
    _show_version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    setup_logging(verbose)


app.command("build")(build.build_command)
app.command("extract")(extract.extract_command)
app.command("stats")(stats.stats_command)
app.command("eval")(eval_command)
app.command("export")(export_command)
app.command("load")(load_command)
app.command("query")(query_command)
app.command("cypher")(cypher_command)
app.command("view")(view_command)
# More commands register here, one line each (load, query, cypher, view, export, eval).
