"""One module per CLI command; each is a thin shell over a library function.

Command functions are plain typer-annotated functions wrapped in
:func:`graphbuild.commands.common.cli_command`, registered in ``graphbuild.cli``.
"""
