"""The ``paperkg`` program (``python -m graphbuild`` too).

Kept tiny and import-light: its first statement makes a Ctrl-C during start-up (while typer, rich and
the command modules import) end with "Interrupted." and exit 1 rather than a traceback; once the
command line is ready, Ctrl-C is Python's KeyboardInterrupt again and :class:`graphbuild.cli.PaperkgGroup`
reports it.
"""

import signal as _signal


def _interrupted_at_start(signum: int, frame: object) -> None:
    import os

    os.write(2, b"Interrupted.\n")
    os._exit(1)


# only where Ctrl-C would raise KeyboardInterrupt (a shell's background job ignores SIGINT: leave it so)
_QUIET_START = _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler
if _QUIET_START:
    _signal.signal(_signal.SIGINT, _interrupted_at_start)

import sys  # noqa: E402


def main() -> None:
    try:
        from graphbuild.cli import app

        if _QUIET_START:
            _signal.signal(_signal.SIGINT, _signal.default_int_handler)  # from here on: KeyboardInterrupt
        app()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
