"""The ``paperkg`` program (``python -m graphbuild`` too).

Kept tiny and import-light so that a Ctrl-C while the command modules are still importing ends with
"Interrupted." and exit 1 rather than a traceback; everything after start-up is handled by
:class:`graphbuild.cli.PaperkgGroup`.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from graphbuild.cli import app

        app()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
