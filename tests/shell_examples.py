"""Command examples as a user would type them: found in the README and in ``--help``, parsed by bash.

A documented command line is parsed by a real ``bash`` (quotes, ``$VAR`` expansion inside double quotes,
``&&`` chains, ``VAR=value cmd`` prefixes, ``export``), with every command replaced by a recorder: the
line runs nothing, and :func:`parse_script` returns what bash would have executed — each ``paperkg``
call with its argv and the ``NEO4J_*`` environment it would see, and the names of the other commands
(``make``, ``docker``, ``cp`` …). So an example that only works in the author's head (a Cypher ``$b``
inside double quotes, which bash expands to nothing) fails the docs test just as it fails the user.

README blocks are the fenced ```` ```bash ````, ```` ```sh ````, ```` ```shell ```` and ```` ```console ````
blocks (in console blocks only the ``$ `` lines are commands; the rest is output). An HTML comment
``<!-- docs-test: skip REASON -->`` on the line(s) before a fence leaves that block out.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = {"bash", "sh", "shell", "console"}
ENV_NAMES = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")
_SKIP = re.compile(r"<!--\s*docs-test:\s*skip\b(?P<reason>.*?)-->")


@dataclass(frozen=True)
class Call:
    """One command bash would run: ``argv[0]`` is the program."""

    argv: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)

    @property
    def program(self) -> str:
        return self.argv[0]

    @property
    def line(self) -> str:
        import shlex

        return shlex.join(self.argv)


@dataclass(frozen=True)
class Block:
    """A fenced code block of the README: where it is and its script."""

    path: str
    line: int
    script: str
    skip: str | None = None

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"


def readme_blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = re.match(r"^\s*```\s*(\w+)?\s*$", lines[i])
        if not m:
            i += 1
            continue
        lang, start = (m.group(1) or "").lower(), i
        j = i + 1
        while j < len(lines) and not re.match(r"^\s*```\s*$", lines[j]):
            j += 1
        body = lines[start + 1 : j]
        i = j + 1
        if lang not in LANGUAGES:
            continue
        if lang == "console":
            body = [ln[2:] for ln in (x.lstrip() for x in body) if ln.startswith("$ ")]
        skip = None
        k = start - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        if k >= 0 and (s := _SKIP.search(lines[k])):
            skip = s.group("reason").strip() or "marked skip"
        blocks.append(Block(path.name, start + 1, "\n".join(body), skip))
    return blocks


_RECORDER = r"""
__rec() {
  printf '%s\0' "@@CALL" "$@" "@@ENV"
  for __v in __ENV_NAMES__; do printf '%s\0' "$__v=${!__v-}"; done
  printf '%s\0' "@@END"
  return 0
}
paperkg() { __rec paperkg "$@"; }
command_not_found_handle() { __rec "$@"; return 0; }
PATH=/nonexistent-docs-test-path
"""


def parse_script(script: str, env: dict[str, str] | None = None) -> list[Call]:
    """What bash would run for ``script``: every command recorded, none executed.

    External programs are never found (``PATH`` points nowhere), so each lands in bash's
    ``command_not_found_handle``; ``paperkg`` is a function. Builtins (``export``, ``cd``, ``echo``) run
    inside this throw-away bash only."""
    prelude = _RECORDER.replace("__ENV_NAMES__", " ".join(ENV_NAMES))
    proc = subprocess.run(
        ["/bin/bash", "--noprofile", "--norc", "-c", prelude + "\n" + script],
        capture_output=True,
        env={"HOME": "/nonexistent", **(env or {})},
        timeout=30,
        check=False,
    )
    if proc.returncode != 0:
        raise ValueError(f"bash cannot parse the example: {proc.stderr.decode(errors='replace').strip()}")
    parts = proc.stdout.decode("utf-8").split("\0")
    calls: list[Call] = []
    i = 0
    while i < len(parts):
        if parts[i] != "@@CALL":
            i += 1
            continue
        j = parts.index("@@ENV", i)
        k = parts.index("@@END", j)
        env_seen = dict(p.split("=", 1) for p in parts[j + 1 : k])
        calls.append(Call(tuple(parts[i + 1 : j]), {n: v for n, v in env_seen.items() if v}))
        i = k + 1
    return calls


def help_examples(text: str) -> list[str]:
    """The ``Example: ...`` paragraphs of a command's help text: the command line after the colon (a long
    one continues on the next lines, which the help's markdown joins with spaces)."""
    paragraphs = re.split(r"\n\s*\n", text)
    return [
        " ".join(line.strip() for line in p.strip().splitlines()).removeprefix("Example:").strip()
        for p in paragraphs
        if p.strip().startswith("Example:")
    ]
