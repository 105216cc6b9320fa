"""The ``paperkg`` command line: a thin shell over the library API.

Each command lives in ``graphbuild/commands/<name>.py``; this module only
registers them, so ``paperkg --help`` stays fast (heavy imports happen inside
the commands).
"""

from __future__ import annotations

import typer

from graphbuild.commands import build, extract, stats
from graphbuild.commands.common import setup_logging
from graphbuild.commands.cypher import cypher_command
from graphbuild.commands.eval import eval_command
from graphbuild.commands.export import export_command
from graphbuild.commands.load import load_command
from graphbuild.commands.query import query_command
from graphbuild.commands.view import view_command

app = typer.Typer(
    name="paperkg",
    help="Turn research papers (titles + abstracts) into a knowledge graph of papers, methods, "
    "benchmarks and domains; query it with Cypher, view it in a browser, export subgraphs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


@app.callback()
def _main(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log output (-vv for debug)."),
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
