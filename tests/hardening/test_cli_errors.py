"""Issue 17 items 3, 5, 6, 13 and issue 16 item 5: every error is one line, exit 0/1/2 only, no traceback.

1 = runtime failure (server down, disk full, interrupted, a bug), 2 = usage error or bad input.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.cli_errors import error_report
from graphbuild.errors import InputError, StoreUnavailableError, WriteFailedError, one_line
from tests.hardening.report_table import ingest_counts

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
GOOD = json.dumps({"title": "A paper", "abstract": "We propose X."}) + "\n"


def _error_line(result, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


# ----------------------------------------------------------------------------- exit codes


def test_exit_codes_by_kind() -> None:
    assert error_report(InputError("a.jsonl", 3, "bad"))[1] == 2
    assert error_report(StoreUnavailableError("server down"))[1] == 1
    assert error_report(WriteFailedError("disk full"))[1] == 1
    assert error_report(KeyboardInterrupt())[1] == 1
    assert error_report(OSError(errno.ENOSPC, "No space left on device", "out/graph.json")) == (
        "out/graph.json: No space left on device", 1)  # fmt: skip
    assert error_report(OSError(errno.EACCES, "Permission denied", "/x"))[1] == 2
    message, code = error_report(KeyError("target"))
    assert code == 1 and message.startswith("internal error (KeyError: 'target')")


def test_usage_errors_are_one_line_exit_2() -> None:
    line = _error_line(runner.invoke(app, ["build", "--bogus"]), 2)
    assert "No such option: --bogus" in line and "paperkg build --help" in line
    line = _error_line(runner.invoke(app, ["build", "x.jsonl", "--workers", "many"]), 2)
    assert "--workers" in line


def test_an_unexpected_exception_is_one_line_exit_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import graphbuild.stats

    def broken(*a: object, **k: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(graphbuild.stats, "graph_stats", broken)
    (tmp_path / "g.json").write_text("{}", "utf-8")
    from graphbuild.graph import save_graph
    from tests.queries.tiny_graph import tiny_graph

    save_graph(tiny_graph(), tmp_path)
    line = _error_line(runner.invoke(app, ["stats", str(tmp_path)]), 1)
    assert "internal error (KeyError: 'boom')" in line and "-vv" in line


def test_disk_full_is_exit_1_and_names_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import graphbuild.pipeline

    def full(*a: object, **k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out" / "graph.json"))

    monkeypatch.setattr(graphbuild.pipeline, "build", full)
    src = tmp_path / "a.jsonl"
    src.write_text(GOOD, "utf-8")
    line = _error_line(runner.invoke(app, ["build", str(src), "--out", str(tmp_path / "out")]), 1)
    assert line == f"Error: {tmp_path}/out/graph.json: No space left on device"


# ----------------------------------------------------------------------------- item 5: --out


@pytest.mark.parametrize("target", ["/proc/paperkg-x.jsonl", "DIR"], ids=["proc", "folder"])
def test_extract_out_that_cannot_be_written(tmp_path: Path, target: str) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(GOOD, "utf-8")
    out = str(tmp_path) if target == "DIR" else target
    line = _error_line(runner.invoke(app, ["extract", str(src), "--out", out]), 2)
    assert out in line


@pytest.mark.parametrize("target", ["/proc/paperkg-out", "/proc/self/status", "FILE"], ids=["proc", "proc-f", "file"])
def test_build_out_that_cannot_be_used(tmp_path: Path, target: str) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(GOOD, "utf-8")
    if target == "FILE":
        target = str(tmp_path / "notes.txt")
        Path(target).write_text("my notes", "utf-8")
    line = _error_line(runner.invoke(app, ["build", str(src), "--out", target]), 2)
    assert target in line


# ----------------------------------------------------------------------------- item 13: one line, escaped


def test_one_line_escapes_controls() -> None:
    assert one_line("a\nb\rc\td\x1b[2J\x00\u202e\u2028") == "a\\nb\\rc\\td\\x1b[2J\\x00\\u202e\\u2028"
    assert one_line("caf\udce9") == "caf\\xe9"  # an undecodable byte of a file name, shown as the byte
    assert one_line("plain: ok [x]") == "plain: ok [x]"


@pytest.mark.parametrize("name", ["new\nline.jsonl", "ansi\x1b[31mred\x1b[0m.jsonl", "tab\there.jsonl"])
def test_file_names_with_control_characters_are_escaped(tmp_path: Path, name: str) -> None:
    bad = tmp_path / name
    bad.write_text('{"title": "x", "abstract": \n', "utf-8")
    line = _error_line(runner.invoke(app, ["build", str(bad), "--out", str(tmp_path / "out")]), 2)
    assert "\x1b" not in line and "\t" not in line
    assert one_line(str(bad)) + ":1: invalid JSON" in line


def test_a_folder_as_input_is_read_not_no_such_file(tmp_path: Path) -> None:
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "a.jsonl").write_text('{"title": "x", "abstract": \n', "utf-8")
    line = _error_line(runner.invoke(app, ["extract", str(d), "--out", str(tmp_path / "m.jsonl")]), 2)
    assert f"{d}/a.jsonl:1: invalid JSON" in line
    (d / "a.jsonl").write_text(GOOD, "utf-8")
    (d / "sub").mkdir()
    (d / "sub" / "b.csv").write_text('title,abstract\n"B","We use Y."\n', "utf-8")
    r = runner.invoke(app, ["extract", str(d), "--out", str(tmp_path / "m.jsonl")])
    assert r.exit_code == 0, r.output
    assert "2 files read" in r.stderr
    assert len((tmp_path / "m.jsonl").read_text("utf-8").splitlines()) == 2


def test_skip_mode_report_columns(tmp_path: Path) -> None:
    """The table's numbers sit under their own headings: read 6 = kept 3 + merged 2 + skipped 1."""
    f = tmp_path / "r.jsonl"
    recs = [{"title": f"P{i}", "abstract": "We use X."} for i in range(3)] + [{"title": "P0", "abstract": "Dup."}] * 2
    f.write_text("".join(json.dumps(r) + "\n" for r in recs) + "{broken\n", "utf-8")
    r = runner.invoke(app, ["extract", str(f), "--on-error", "skip", "--out", str(tmp_path / "m.jsonl")])
    assert r.exit_code == 0, r.output
    assert ingest_counts(r.stderr) == {"read": 6, "kept": 3, "duplicates merged": 2, "skipped": 1}
    assert "skipped 1 × invalid JSON" in r.stderr


# ----------------------------------------------------------------------------- item 3: --param values


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from graphbuild.graph import save_graph
    from tests.queries.tiny_graph import tiny_graph

    out = tmp_path_factory.mktemp("out")
    save_graph(tiny_graph(), out)
    return out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cypher", "RETURN $k AS k", "--param", "k=" + "[" * 50_000 + "]" * 50_000], "nested too deeply"),
        (["cypher", "RETURN $k AS k", "--param", "k=" + "[" * 40 + "1" + "]" * 40], "nested more than 32"),
        (["cypher", "RETURN $k AS k", "--param", 'k=[1,"a"]'], "list items of one type"),
        (["cypher", "RETURN $k AS k", "--param", "k=[]"], "empty list"),
        (["cypher", "RETURN $k AS k", "--param", "k=" + "9" * 30], "64-bit range"),
        (["cypher", "RETURN $k AS k", "--param", "k=" + "9" * 5000], None),  # over 4,300 digits: text, fine
        (["query", "top-methods", "--param", "limit=99999999999999999999"], "64-bit range"),
        (["query", "top-methods", "--param", "limit=" + "9" * 5000], "must be int"),
        (["cypher", "RETURN $k AS k", "--param", 'k="\\ud800"'], "lone surrogate"),
    ],
    ids=["deep-50000", "deep-40", "mixed-list", "empty-list", "int64", "int-5000-digits", "query-int64",
         "query-5000-digits", "surrogate"],
)
def test_hostile_param_values(build_dir: Path, args: list[str], message: str | None) -> None:
    r = runner.invoke(app, [*args, "--store", f"embedded:{build_dir}"])
    if message is None:
        assert r.exit_code == 0, r.output
        return
    assert message in _error_line(r, 2)


# ----------------------------------------------------------------------------- item 6: SIGINT


def test_interrupt_while_importing_is_one_line_exit_1() -> None:
    code = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def imp(name, *a, **k):\n"
        "    if name == 'graphbuild.cli':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = imp\n"
        "sys.argv = ['paperkg', '--help']\n"
        "from graphbuild.__main__ import main\n"
        "main()\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 1 and p.stderr == "Interrupted.\n", p.stderr


def before_paperkg_ran(stderr: str) -> bool:
    """A Ctrl-C that beat paperkg's first statement: Python reports it itself, either while starting
    (site.py) or in the console-script stub's import of graphbuild/__main__.py, before its SIGINT handler."""
    if stderr.startswith("Fatal Python error: init_import_site"):
        return True
    frames = re.findall(r'File "([^"]+)"', stderr)
    early = ("/bin/paperkg", "graphbuild/__init__.py", "graphbuild/__main__.py")
    return "KeyboardInterrupt" in stderr and bool(frames) and all(f.endswith(early) or f.startswith("<frozen")
                                                                  for f in frames)  # fmt: skip


@pytest.mark.slow
def test_ctrl_c_at_any_moment_of_a_build_gives_no_traceback(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("paperkg")
    assert exe.exists()
    for delay in (0.1, 0.2, 0.35, 0.6, 1.2, 2.5):
        p = subprocess.Popen([str(exe), "build", str(ROOT / "data" / "hf_trending_papers.txt"), "--out",
                              str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)  # fmt: skip
        time.sleep(delay)
        os.killpg(p.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
        _, stderr = p.communicate(timeout=120)
        if before_paperkg_ran(stderr):
            continue
        assert "Traceback" not in stderr, (delay, stderr)
        # -SIGINT only if the signal beat the interpreter's own start (before any Python code runs)
        assert p.returncode in (0, 1, -signal.SIGINT), (delay, p.returncode, stderr)
        if p.returncode == 1:
            assert stderr.strip().splitlines()[-1] == "Interrupted.", stderr
