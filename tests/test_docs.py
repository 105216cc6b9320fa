"""Every documented command runs and gives a non-empty result (sqlite-utils style), so examples cannot rot.

Examples come from three places: the README's shell blocks, the ``Example:`` lines of every command's
``--help``, and every named query's ``// example:`` line (``paperkg query NAME --example``). Each README
block or help example is parsed by bash (``tests/shell_examples.py``: quoting and ``$`` expansion as a
user's shell does them) and run, in order, through the CLI in a fresh copy of a sandbox holding the
demo graph (``paperkg build data/hf_trending_papers.txt --out out``, as ``make demo``), ``data/`` and
``tests/``, and the input files the README names (``papers.jsonl``, ``more.csv``, ``refs.bib.gz``,
``arxiv-metadata-oai-snapshot.jsonl``, made from the sample corpus and the ingest fixtures). Examples
that talk to Neo4j (``bolt://``, ``load``, ``NEO4J_*``) run against the test server, with the demo graph
loaded first; ``/tmp/`` paths point into the sandbox.

"Non-empty" means: exit code 0, no ``Warning:``, no "0 rows", an ``--out`` file or folder that exists and
holds something, and for exports nodes and links written (BibTeX: papers). Commands other than
``paperkg`` must be in :data:`OTHER_COMMANDS` with the reason they are not run here.

A named query whose example needs what the demo graph lacks — papers with years (``emerging``,
``domain-trend``: the trending-papers sample has none; the README runs them on the ML Anthology sample)
or Task nodes (before the extractor emits tasks) — runs on a 400-paper synthetic graph
(``bench/synthetic.py``) that has both, its most-used task named as the examples name it.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from graphbuild.cli import app
from tests.shell_examples import Block, Call, help_examples, parse_script, readme_blocks

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: programs a documented block may use besides paperkg, and why the docs test does not run them
OTHER_COMMANDS = {
    "make": "the two set-up commands; CI runs `make test` itself and the demo build is this test's sandbox",
    "docker": "no Docker engine here; tests/docker/test_compose.py runs the compose file's paperkg command line",
    "cp": "copies docker/.env.example for the compose file",
}
#: named queries that need papers with years
YEAR_QUERIES = {"emerging", "domain-trend"}
#: the task the query examples name (the synthetic fallback graph gets it)
EXAMPLE_TASK = ("task:image-classification", "Image Classification")
TEST_URI = "bolt://localhost:7687"  # what examples call the server; the test server replaces it
runner = CliRunner()


# --------------------------------------------------------------------------- the examples


def _is_neo4j(calls: list[Call]) -> bool:
    server = re.compile(r"(bolt|neo4j)(\+s|\+ssc)?://")
    return any(
        c.env.get("NEO4J_URI") or c.argv[1:2] == ("load",) or any(server.match(a) for a in c.argv) for c in calls
    )


def _command_helps() -> dict[str, str]:
    group = typer.main.get_command(app)
    return {name: cmd.help or "" for name, cmd in group.commands.items()}  # type: ignore[attr-defined]


def _examples() -> list[Any]:
    items = []
    for block in readme_blocks(README):
        if block.skip:
            continue
        calls = parse_script(block.script)
        marks = [pytest.mark.neo4j] if _is_neo4j(calls) else []
        items.append(pytest.param(block.id, calls, frozenset(), id=block.id, marks=marks))
    for command, text in _command_helps().items():
        for i, line in enumerate(help_examples(text), start=1):
            # help text escapes "$" for the shell only where it must; markdown shows "\$" as "$"
            calls = parse_script(line.replace("\\$", "$"))
            marks = [pytest.mark.neo4j] if _is_neo4j(calls) else []
            items.append(pytest.param(f"help:{command}:{i}", calls, frozenset(), id=f"help-{command}-{i}", marks=marks))
    from graphbuild.queries import list_queries

    for q in list_queries():
        calls = [Call(("paperkg", "query", q.name, "--example"))]
        needs = {"years"} if q.name in YEAR_QUERIES else set()
        needs |= {"tasks"} if any(p.kind == "task" for p in q.params) else set()
        items.append(pytest.param(f"query:{q.name}", calls, frozenset(needs), id=f"query-{q.name}"))
    return items


EXAMPLES = _examples()


# --------------------------------------------------------------------------- the sandbox


def _cli(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Any:
    import os

    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, args, env={"BROWSER": "true", "COLUMNS": "120", **(env or {})})
    finally:
        os.chdir(old)


def _placeholders(d: Path) -> None:
    """The input files the README's examples name, made from the sample corpus and the ingest fixtures."""
    graph = json.loads((d / "out" / "graph.json").read_text("utf-8"))
    papers = [n for n in graph["nodes"] if n.get("label") == "Paper"][:80]
    with (d / "papers.jsonl").open("w", encoding="utf-8") as f:
        for p in papers:
            f.write(json.dumps({"title": p["title"], "abstract": p["abstract"], "year": 2023}) + "\n")
    fixtures = ROOT / "tests" / "fixtures" / "ingest"
    shutil.copy(fixtures / "papers.csv", d / "more.csv")
    (d / "refs.bib.gz").write_bytes(gzip.compress((fixtures / "refs.bib").read_bytes()))
    shutil.copy(fixtures / "arxiv.jsonl", d / "arxiv-metadata-oai-snapshot.jsonl")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("docs-demo")
    for name in ("data", "tests", "docker", "queries"):
        (d / name).symlink_to(ROOT / name)
    r = _cli(["build", "data/hf_trending_papers.txt", "--out", "out"], d)
    assert r.exit_code == 0, r.output
    _placeholders(d)
    return d


def _has(out: Path) -> set[str]:
    """What a build directory offers the examples: ``years`` (papers with a year), ``tasks`` (Task nodes)."""
    nodes = json.loads((out / "graph.json").read_text("utf-8"))["nodes"]
    found = set()
    if any(n.get("label") == "Paper" and isinstance(n.get("year"), int) for n in nodes):
        found.add("years")
    if any(n.get("label") == "Task" for n in nodes):
        found.add("tasks")
    return found


@pytest.fixture(scope="session")
def fallback(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build directory with years and tasks (see the module docstring)."""
    import networkx as nx

    d = tmp_path_factory.mktemp("docs-fallback")
    from bench.synthetic import make_graph
    from graphbuild.graph import save_graph
    from graphbuild.store import write_embedded

    g = make_graph(400, seed=16)
    top = max((n for n, a in g.nodes(data=True) if a["label"] == "Task"), key=lambda n: g.in_degree(n))
    g = nx.relabel_nodes(g, {top: EXAMPLE_TASK[0]})
    g.nodes[EXAMPLE_TASK[0]].update(name=EXAMPLE_TASK[1], aliases=[])
    save_graph(g, d / "out")
    write_embedded(g, d / "out")
    return d


@pytest.fixture
def sandbox(demo: Path, tmp_path: Path) -> Iterator[Path]:
    box = tmp_path / "box"
    shutil.copytree(demo, box, symlinks=True)
    (box / "tmp").mkdir()
    yield box


# --------------------------------------------------------------------------- running and checking


def _argv(call: Call, box: Path, uri: str | None) -> list[str]:
    args = []
    for a in call.argv[1:]:
        if a.startswith("/tmp/"):
            a = str(box / "tmp" / a.removeprefix("/tmp/"))
        if uri is not None:
            a = a.replace(TEST_URI, uri)
        args.append(a)
    return args


def _out_target(args: list[str]) -> Path | None:
    for flag in ("--out", "-o"):
        if flag in args and args.index(flag) + 1 < len(args):
            return Path(args[args.index(flag) + 1])
    return None


def check_nonempty(args: list[str], r: Any, box: Path) -> None:
    where = "paperkg " + " ".join(args)
    assert r.exit_code == 0, f"{where}\n{r.output}"
    assert "Warning" not in r.stderr, f"{where}\n{r.stderr}"
    assert not re.search(r"^0 rows$", r.stdout, re.M) and r.stdout.strip() != "[]", f"{where}: no rows\n{r.stdout}"
    target = _out_target(args)
    if target is not None and str(target) != "-":
        path = target if target.is_absolute() else box / target
        assert path.exists(), f"{where}: {path} not written"
        if path.is_dir():
            assert any(p.stat().st_size > 0 for p in path.rglob("*") if p.is_file()), f"{where}: empty folder"
        else:
            assert path.stat().st_size > 0, f"{where}: empty file"
    elif not r.stdout.strip():
        assert args[:1] in (["load"],), f"{where}: printed nothing"
    if args[:1] == ["export"]:
        m = re.search(r"^([\w-]+): (\d[\d,]*) nodes.*?, (\d[\d,]*) edges", r.stdout + r.stderr, re.M)
        assert m, f"{where}: no summary line\n{r.output}"
        nodes, edges = int(m.group(2).replace(",", "")), int(m.group(3).replace(",", ""))
        assert nodes > 0, f"{where}: no nodes"
        assert edges > 0 or m.group(1) == "bibtex", f"{where}: no links\n{r.stdout}"


def run_calls(calls: list[Call], box: Path, server: Any = None) -> list[str]:
    """Run the paperkg calls in order in ``box``; returns the other programs named."""
    others = []
    for call in calls:
        if call.program != "paperkg":
            assert call.program in OTHER_COMMANDS, f"{call.line}: a documented command this test does not know"
            others.append(call.program)
            continue
        env = {}
        if server is not None:
            # a user of these examples has their server in the environment (README: Load into your own Neo4j)
            env = {"NEO4J_URI": server.uri, "NEO4J_USERNAME": server.user, "NEO4J_PASSWORD": server.password}
        args = _argv(call, box, server.uri if server is not None else None)
        r = _cli(args, box, env)
        check_nonempty(args, r, box)
    return others


@pytest.mark.slow
@pytest.mark.parametrize(("where", "calls", "needs"), EXAMPLES)
def test_example_runs_and_finds_something(
    request: pytest.FixtureRequest, where: str, calls: list[Call], needs: frozenset[str], sandbox: Path
) -> None:
    assert calls, f"{where}: no command found"
    server = None
    if request.node.get_closest_marker("neo4j") is not None:
        server = request.getfixturevalue("neo4j_server")
        _load_demo(sandbox, server)
    if needs - _has(sandbox / "out"):
        other = request.getfixturevalue("fallback")
        shutil.rmtree(sandbox / "out")
        shutil.copytree(other / "out", sandbox / "out")
    run_calls(calls, sandbox, server)


def _load_demo(box: Path, server: Any) -> None:
    from graphbuild.graph import load_graph
    from graphbuild.store.neo4j import Neo4jStore

    with Neo4jStore(server.uri, server.user, server.password) as store:
        store.wipe()
        store.write_graph(load_graph(box / "out"))


def test_every_block_and_command_has_examples() -> None:
    ids = [p.values[0] for p in EXAMPLES]
    assert sum(i.startswith("README") for i in ids) >= 5
    helps = _command_helps()
    assert {c for c, text in helps.items() if not help_examples(text)} == set()
    for block in readme_blocks(README):
        if block.skip:  # a skipped block says why
            assert len(block.skip) > 10, block.id


def test_bash_parsing_catches_shell_mistakes() -> None:
    """The reason examples go through bash: "$b" inside double quotes is the shell's, not Cypher's."""
    (call,) = parse_script('paperkg cypher "MATCH (b {name: $b}) RETURN b" --param b=x')
    assert call.argv[2] == "MATCH (b {name: }) RETURN b"
    (call,) = parse_script("NEO4J_PASSWORD=secret paperkg load out --uri 'bolt://h:1' # comment")
    assert call.argv == ("paperkg", "load", "out", "--uri", "bolt://h:1") and call.env["NEO4J_PASSWORD"] == "secret"
    a, b = parse_script("paperkg extract x --out /tmp/p.jsonl && make demo")
    assert a.program == "paperkg" and b.argv == ("make", "demo")


def test_readme_block_with_skip_marker(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "```bash\npaperkg stats out\n```\n\n<!-- docs-test: skip needs the 157k-paper corpus -->\n"
        "```bash\npaperkg build big.jsonl\n```\n\n```console\n$ paperkg query --list\nname ...\n```\n",
        encoding="utf-8",
    )
    blocks: list[Block] = readme_blocks(readme)
    assert [(b.line, b.skip, b.script) for b in blocks] == [
        (1, None, "paperkg stats out"),
        (6, "needs the 157k-paper corpus", "paperkg build big.jsonl"),
        (10, None, "paperkg query --list"),
    ]


def test_readme_command_table_matches_help() -> None:
    """Every command is in the README's table, with options it has and GRAPH shown optional iff it is."""
    group = typer.main.get_command(app)
    commands = dict(group.commands)  # type: ignore[attr-defined]
    rows = [line for line in README.read_text("utf-8").splitlines() if line.startswith("| `paperkg ")]
    seen = set()
    for row in rows:
        for usage in re.findall(r"`(paperkg [^`]+)`", row.split(" | ")[0]):
            name = usage.split()[1]
            if name.startswith("-"):
                continue
            assert name in commands, usage
            seen.add(name)
            cmd = commands[name]
            opts = {o for p in cmd.params for o in (*p.opts, *getattr(p, "secondary_opts", ()))}
            for opt in re.findall(r"(?<![\w-])--[a-z][a-z-]*", usage):
                assert opt in opts, f"README says `{usage}`, but {name} has no {opt}"
            graph = next((p for p in cmd.params if p.name == "graph"), None)
            if graph is not None:
                shown = "[GRAPH]" if not graph.required else "GRAPH"
                assert re.search(rf"(?<!\[){re.escape(shown)}", usage), f"README: `{usage}`; --help: {shown}"
    assert seen == set(commands), set(commands) - seen


def test_pip_builds_the_wheel_without_warnings(tmp_path: Path) -> None:
    """A clean install: building paperkg's wheel (isolated, as `pip install .` does) prints no warning from
    our metadata (setuptools deprecated `project.license` as a table), and the wheel ships queries/ and viz/."""
    import subprocess
    import sys
    import zipfile

    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    noise = [line for line in proc.stderr.splitlines() if re.search(r"(?i)warning|deprecat", line)]
    assert noise == [], "\n".join(noise)
    (wheel,) = tmp_path.glob("paperkg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "graphbuild/queries/top-methods.cypher" in names and "graphbuild/data/cypher/dialect_hints.yaml" in names
    assert any(n.startswith("graphbuild/viz/") for n in names)
