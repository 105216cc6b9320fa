"""The conventions every command follows (COORDINATION.md, issue 16), checked on the command objects
themselves and through typer's CliRunner: one ``--format`` (``-f``), consistent short flags, GRAPH
defaulting to ``out``, ``-`` for stdout, tables that read well, help that reads as sentences."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.commands.result_output import result_table
from graphbuild.graph import save_graph
from graphbuild.store.base import QueryResult
from tests.queries.tiny_graph import tiny_graph

runner = CliRunner()
# commands whose GRAPH default / --format are applied by the stream that owns them (COORDINATION.md);
# each is checked here once it has landed
PENDING_ELSEWHERE: set[str] = set()


def _commands() -> dict[str, Any]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def _options(command: Any) -> list[Any]:
    return [p for p in command.params if getattr(p, "param_type_name", "") == "option"]


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    save_graph(tiny_graph(), out)
    return out


def run(*args: Any) -> Any:
    return runner.invoke(app, [str(a) for a in args])


# --------------------------------------------------------------------------- flags


def test_version() -> None:
    from importlib.metadata import version

    r = run("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"paperkg {version('paperkg')}"


def test_format_is_f_everywhere_and_short_flags_mean_one_thing() -> None:
    meaning: dict[str, set[str]] = {}
    for name, command in _commands().items():
        for opt in _options(command):
            longs = [o for o in opt.opts if o.startswith("--")]
            for short in (o for o in [*opt.opts, *opt.secondary_opts] if re.fullmatch(r"-\w", o)):
                meaning.setdefault(short, set()).update(longs)
            if "--format" in opt.opts:
                assert "-f" in opt.opts, f"{name}: --format has no -f"
    clashes = {short: longs for short, longs in meaning.items() if len(longs) > 1}
    assert clashes == {}, clashes
    assert meaning["-f"] == {"--format"} and meaning["-o"] == {"--out"} and meaning["-p"] == {"--param"}


@pytest.mark.parametrize(
    ("command", "values"),
    [("query", {"table", "json", "jsonl", "csv", "chart"}), ("cypher", {"table", "json", "jsonl", "csv", "chart"}),
     ("stats", {"table", "json"}), ("eval", {"table", "json"})],
)  # fmt: skip
def test_one_format_option(command: str, values: set[str]) -> None:
    (fmt,) = [o for o in _options(_commands()[command]) if "--format" in o.opts]
    assert set(fmt.type.choices) == values
    # the old --json flag still works where it existed, but is not shown
    hidden = [o for o in _options(_commands()[command]) if "--json" in o.opts]
    assert all(o.hidden for o in hidden)


def test_graph_defaults_to_out() -> None:
    for name, command in _commands().items():
        if name in PENDING_ELSEWHERE:
            continue
        for arg in (p for p in command.params if getattr(p, "param_type_name", "") == "argument"):
            if arg.name == "graph":
                assert not arg.required and str(arg.default) == "out", name


# --------------------------------------------------------------------------- help


def test_top_level_help_lists_whole_sentences() -> None:
    r = runner.invoke(app, ["--help"], env={"COLUMNS": "250"})
    assert r.exit_code == 0
    rows = [line.strip("│ ").rstrip() for line in r.stdout.splitlines() if re.match(r"│ [a-z]+ ", line)]
    assert len(rows) == len(_commands())
    for row in rows:
        # one line per command, a full sentence: nothing cut mid-sentence or continued on the next line
        assert row.endswith("."), row


@pytest.mark.parametrize("command", [None, *sorted(_commands())])
def test_help_has_no_placeholders_and_examples(command: str | None) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    r = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert r.exit_code == 0
    assert not re.search(r"<(bool|int|str|path|float|list\[\w+\])>", r.stdout), r.stdout
    assert not re.search(r"\{[a-z_]+\}", r.stdout), r.stdout
    if command is not None:
        assert re.search(rf"Example: .*paperkg {command}\b", r.stdout), r.stdout


# --------------------------------------------------------------------------- outputs


def test_export_to_stdout(build_dir: Path) -> None:
    r = run("export", build_dir, "--focus", "ImageNet", "--format", "gexf", "--out", "-")
    assert r.exit_code == 0, r.output
    root = ET.fromstring(r.stdout.encode("utf-8"))  # stdout is exactly the file
    assert len(root.findall(".//{http://www.gexf.net/1.2draft}node")) == 4
    assert r.stderr.startswith("gexf: 4 nodes") and "→ -" in r.stderr
    assert not Path("-").exists()


@pytest.mark.parametrize("command", ["extract", "view", "export"])
def test_dash_is_stdout_for_every_single_file_output(
    command: str, build_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out -` writes the output to stdout and nothing named "-" (messages go to stderr)."""
    monkeypatch.chdir(tmp_path)
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
    args = {
        "extract": ["extract", fixtures / "plain.jsonl"],
        "view": ["view", build_dir],
        "export": ["export", build_dir, "--format", "json"],
    }[command]
    r = run(*args, "--out", "-")
    assert r.exit_code == 0, r.output
    assert not (tmp_path / "-").exists() and not list(tmp_path.glob(".*work*"))
    if command == "extract":
        records = [json.loads(line) for line in r.stdout.splitlines()]
        assert len(records) == 3 and all("paper" in rec and "mentions" in rec for rec in records)
    elif command == "view":
        assert r.stdout.lstrip().lower().startswith("<!doctype html") and r.stdout.rstrip().endswith("</html>")
    else:
        assert json.loads(r.stdout)["schema_version"] == 2
    assert r.stderr.strip(), "the summary goes to stderr"


def test_export_stdout_needs_a_single_file_format(build_dir: Path) -> None:
    r = run("export", build_dir, "--format", "csv", "--out", "-")
    assert r.exit_code == 2 and "writes several files" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run("export", build_dir, "--out", "-")
    assert r.exit_code == 2 and "pass --format" in r.stderr


def test_export_graph_argument_defaults_to_out(build_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(build_dir.parent)
    build_dir.rename(build_dir.parent / "out")
    try:
        r = run("export", "--format", "json", "--out", "-")
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["schema_version"] == 2
        r = run("stats", "--format", "json")
        assert r.exit_code == 0 and json.loads(r.stdout)["nodes"]["Paper"] == 9
    finally:
        (build_dir.parent / "out").rename(build_dir)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_query_formats(build_dir: Path, fmt: str) -> None:
    r = run("query", "top-methods", "-p", "limit=2", "--store", build_dir, "-f", fmt)
    assert r.exit_code == 0, r.output
    if fmt == "json":
        assert [row["method"] for row in json.loads(r.stdout)] == ["method:transformer", "method:ppo"]
    elif fmt == "jsonl":
        lines = r.stdout.splitlines()
        assert [json.loads(line)["name"] for line in lines] == ["Transformer", "PPO"]
    elif fmt == "csv":
        assert next(csv.reader(io.StringIO(r.stdout))) == ["method", "name", "papers", "proposed_in"]
    else:
        assert "Transformer" in r.stdout and "2 rows" in r.stdout and "method:" not in r.stdout


def test_stats_and_cypher_formats(build_dir: Path) -> None:
    r = run("stats", build_dir, "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["nodes"]["Method"] == 5
    legacy = run("stats", build_dir, "--json")
    assert legacy.exit_code == 0 and json.loads(legacy.stdout) == json.loads(r.stdout)
    c = run("cypher", "MATCH (m:Method) RETURN m.key AS key ORDER BY key LIMIT 2", "--store", build_dir, "-f", "jsonl")
    assert c.exit_code == 0 and [json.loads(x)["key"] for x in c.stdout.splitlines()] == ["method:bert", "method:dqn"]
    one = run("cypher", "MATCH (m:Method {key: 'method:ppo'}) RETURN m.key AS key", "--store", build_dir)
    # cypher shows what was RETURNed, keys included; "1 row", not "1 rows"
    assert one.exit_code == 0 and "method:ppo" in one.stdout and "1 row\n" in one.stdout


def test_eval_format_json(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    pred = tmp_path / "pred.jsonl"
    first = json.loads((root / "tests/gold/dev_papers.jsonl").read_text("utf-8").splitlines()[0])
    pred.write_text(json.dumps({"paper": {"id": first.get("id"), "title": first["title"]}, "mentions": []}) + "\n")
    r = run("eval", "--gold", root / "tests/gold/dev.json", pred, "-f", "json")
    assert r.exit_code == 0, r.output
    assert isinstance(json.loads(r.stdout), dict)


def _rendered(result: QueryResult, width: int, keys: bool) -> str:
    console = Console(width=width, record=True, force_terminal=True, color_system=None)
    console.print(result_table(result, "t", keys=keys))
    return console.export_text()


def test_tables_never_cut_identifiers_mid_word() -> None:
    rows = [
        ("method:large-language-model", "Large Language Model", 39),
        ("method:convolutional-neural-network", "Convolutional Neural Network", 16),
        ("paper:arxiv:2106.01345", "Decision Transformer: Reinforcement Learning via Sequence Modeling", 1),
    ]
    result = QueryResult(("method", "name", "papers"), tuple(rows))
    with_keys = _rendered(result, 80, keys=True)
    for key, name, _ in rows:
        assert key in with_keys  # whole, on one line
        for word in name.split():
            assert re.search(rf"(^|[\s│]){re.escape(word)}($|[\s│])", with_keys, re.M), word
    without = _rendered(result, 80, keys=False)
    assert "method:" not in without and "paper:" not in without and "3 rows" in without


def test_pipes_get_unwrapped_tables(build_dir: Path) -> None:
    r = run("query", "neighbours", "-p", "entity=ImageNet", "--store", build_dir, "--keys")
    assert r.exit_code == 0
    # not a terminal: every row on one line, the longest evidence sentence whole
    assert "On ImageNet again." in r.stdout and "paper:p9" in r.stdout
    assert len([line for line in r.stdout.splitlines() if "paper:p" in line]) == 3
