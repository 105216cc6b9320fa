"""Throw a few hundred hostile inputs at every paperkg command and count what gets through.

    python scripts/probe_hostile.py                    # embedded store only
    python scripts/probe_hostile.py --neo4j bolt://127.0.0.1:7687 --password secret   # Neo4j too
    python scripts/probe_hostile.py --list             # every case, with its outcome

Counted (issue 17's "done when"):

* **tracebacks**: an exception that escaped a command, "Traceback" or "internal error" in its output, or an
  exit code other than 0, 1, 2;
* **multi-line errors**: a failing command whose error is not exactly one ``Error:`` line;
* **silent losses**: an input of N records whose report does not account for all N
  (``read = kept + skipped + merged`` and ``read = N``), or kept papers missing from the output;
* **read-only bypasses**: a statement that must need ``--write`` but exits 0, or leaves a file behind.

Most cases run in-process through typer's CliRunner (one spaCy load); start-up and Ctrl-C cases run
the installed ``paperkg`` program. Exit status: 0 when all four counts are 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from graphbuild.cli import app  # noqa: E402

ABS = "We propose FooNet and evaluate it on ImageNet."


@dataclass
class Outcome:
    case: str
    exit_code: int
    problems: list[str] = field(default_factory=list)


@dataclass
class Probe:
    work: Path
    runner: CliRunner = field(default_factory=CliRunner)
    outcomes: list[Outcome] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)  # shown, not counted as failures

    def run(self, case: str, args: list[str], *, expect_refusal: bool = False, records: int | None = None,
            check: Callable[[object], list[str]] | None = None) -> object:  # fmt: skip
        """One command; ``records``: N records in the input (loss check); ``expect_refusal``: read-only case."""
        r = self.runner.invoke(app, args, catch_exceptions=True)
        problems: list[str] = []
        out = (r.stdout or "") + (r.stderr or "")
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            problems.append(f"traceback: {type(r.exception).__name__}: {str(r.exception)[:120]}")
        elif "Traceback" in out or "internal error" in out:
            problems.append("traceback: " + next((ln for ln in out.splitlines() if "internal error" in ln
                                                  or "Traceback" in ln), "")[:160])  # fmt: skip
        elif r.exit_code not in (0, 1, 2):
            problems.append(f"traceback: exit code {r.exit_code}")
        if r.exit_code != 0 and not problems:
            errors = [ln for ln in (r.stderr or "").strip().splitlines() if ln.strip()]
            if len(errors) != 1 or not errors[0].startswith(("Error:", "Interrupted.")):
                problems.append(f"multi-line error: {errors[:3]}")
        if expect_refusal and r.exit_code == 0:
            problems.append("read-only bypass: exit 0 without --write")
        if records is not None and r.exit_code == 0:
            problems += loss_problems(r.stderr or "", records)
        if check is not None and not problems:
            problems += check(r)
        self.record(case, r.exit_code, problems)
        return r

    def record(self, case: str, code: int, problems: list[str]) -> None:
        self.outcomes.append(Outcome(case, code, problems))
        for p in problems:
            self.counts[p.split(":", 1)[0]] += 1


def loss_problems(stderr: str, records: int) -> list[str]:
    m = re.search(r"┃ read ┃.*\n.*\n│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│", stderr)
    if not m:
        return ["silent loss: no ingest report"]
    read, kept, merged, skipped = map(int, m.groups())
    problems = []
    if read != kept + merged + skipped:
        problems.append(f"silent loss: read {read} != kept {kept} + merged {merged} + skipped {skipped}")
    if read != records:
        problems.append(f"silent loss: {records} records written, {read} read")
    return problems


# ----------------------------------------------------------------------------- hostile inputs

HOSTILE_VALUES: dict[str, object] = {
    "latin1-bytes": b"Jo\xe9 Smith", "bad-byte-ff": b"x\xff\xfe y", "surrogate": "A \ud800 B",
    "low-surrogate": "A \udce9 B", "nul": "A\x00B", "ansi": "\x1b[31mred\x1b[0m", "bidi": "abc\u202eevil",
    "line-sep": "a\u2028b", "bom": "\ufeffTitle", "number": 123, "float": 1.5, "nan": float("nan"),
    "inf": float("inf"), "bool": True, "null": None, "dict": {"a": 1}, "list": ["A", "B"],
    "nested-list": [["x"]], "empty": "", "spaces": "   ", "huge-int": 10**40, "negative": -5,
    "long": "x" * 200_000, "newlines": "a\nb\r\nc\rd", "quotes": 'say "hi", \'yo\'', "braces": "{unbalanced",
    "latex": "$\\alpha$ \\emph{x} {B}", "html": "<script>alert(1)</script>", "emoji": "🙂🚀",
    "only-controls": "\x01\x02\x03", "markup": "[bold red]x[/]", "cypher": "'}) MATCH (n) DETACH DELETE n //",
}  # fmt: skip
FIELDS = ["title", "abstract", "authors", "url", "categories", "year", "id", "doi"]


def _json_value(v: object) -> object:
    return v.decode("latin-1") if isinstance(v, bytes) else v


def _jsonl_bytes(records: list[dict[str, object]]) -> bytes:
    lines = []
    for r in records:
        raw = {k: v for k, v in r.items() if not isinstance(v, bytes)}
        line = json.dumps(raw, allow_nan=True).encode()
        for k, v in r.items():  # raw (non-UTF-8) bytes go in as they are
            if isinstance(v, bytes):
                line = line[:-1] + (b", " if raw else b"") + json.dumps(k).encode() + b': "' + v + b'"}'
        lines.append(line)
    return b"\n".join(lines) + b"\n"


def _csv_bytes(records: list[dict[str, object]], columns: list[str]) -> bytes:
    def cell(v: object) -> bytes:
        if v is None:
            return b""
        b = v if isinstance(v, bytes) else str(v).encode("utf-8", "surrogatepass")
        return b'"' + b.replace(b'"', b'""') + b'"'

    rows = [b",".join(c.encode() for c in columns)]
    rows += [b",".join(cell(r.get(c)) for c in columns) for r in records]
    return b"\n".join(rows) + b"\n"


def _bib_bytes(records: list[dict[str, object]]) -> bytes:
    out = []
    for i, r in enumerate(records):
        fields = ", ".join(f"{k} = {{{_json_value(v)}}}" for k, v in r.items() if v is not None)
        out.append(f"@article{{k{i}, {fields}}}".encode("utf-8", "surrogatepass"))
    return b"\n".join(out) + b"\n"


def ingest_cases(probe: Probe) -> None:
    d = probe.work / "in"
    d.mkdir()
    n = 0

    def build(name: str, data: bytes, records: int | None, *, command: str = "extract", extra: tuple = ()) -> None:
        nonlocal n
        n += 1
        path = d / f"{n:03d}-{name}"
        path.write_bytes(data)
        out = probe.work / "o" / f"{n:03d}"
        target = ["--out", str(out / "m.jsonl")] if command == "extract" else ["--out", str(out), "--no-view"]
        probe.run(f"{command} {name}", [command, str(path), *target, "--on-error", "skip", *extra], records=records)
        probe.run(f"{command} {name} (stop)", [command, str(path), *target, *extra])

    good = {"title": "Good paper", "abstract": ABS}
    for vname, value in HOSTILE_VALUES.items():
        for fname in FIELDS:
            rec = {"title": f"T {vname} {fname}", "abstract": ABS, fname: value}
            build(f"{vname}-{fname}.jsonl", _jsonl_bytes([good, rec]), 2)
        rec = {"title": f"T {vname}", "abstract": ABS, "authors": value, "url": value}
        build(f"{vname}.csv", _csv_bytes([good, rec], ["title", "abstract", "authors", "url"]), 2)
        build(f"{vname}.bib", _bib_bytes([good, {"title": value, "abstract": ABS}]), 2)
    # structure
    build("deep.jsonl", b'{"title": "A", "abstract": "x", "e": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", 1)
    build("bigint.jsonl", b'{"title": "A", "abstract": "x", "year": ' + b"9" * 5000 + b"}\n", 1)
    build("not-object.jsonl", b"[1, 2]\n42\n\"s\"\nnull\n", 4)
    build("cr-only.csv", b'title,abstract\r"A","x y"\r"B","z w"\r', 2)
    build("cr-only.jsonl", b'{"title": "A", "abstract": "x y"}\r{"title": "B", "abstract": "z"}\r', 2)
    build("unclosed.csv", b"title,abstract\nA,x\nB,\"never closed\nC,y\nD,z\nE,w\nF,v\n", 6)
    build("junk-after-quote.csv", b'title,abstract\n"A"x,y\n"B","z"\n', 2)
    build("dup-header.csv", b"title,abstract,title\nA,x,B\n", None)
    build("no-header.csv", b"", 0)
    build("short-row.csv", b"title,abstract\nA\nB,x\n", 2)
    build("semicolon.csv", b"title;abstract\nA;x y\n", 1)
    build("bib-paren.bib", b"@article(k1, title = {A}, abstract = {x y})\n", 1)
    build("bib-misc-thing.bib", b"@misc-thing{k1, title = {A}, abstract = {x y}}\n", 1)
    build("bib-two-per-line.bib", b"@article{a, title={A}, abstract={x}} @article{b, title={B}, abstract={y}}\n", 2)
    build("bib-unbalanced.bib", b"@article{a, title={A, abstract={x}\n@article{b, title={B}, abstract={y}}\n", 2)
    build("bib-dup-field.bib", b"@article{a, title={A}, title={B}, abstract={x}}\n", 1)
    build("bib-string-only.bib", b'@string{jan = "January"}\n@comment{x}\n', 0)
    build("utf16.jsonl", '{"title": "A", "abstract": "x"}\n'.encode("utf-16"), 1)
    build("bom.jsonl", b'\xef\xbb\xbf{"title": "A", "abstract": "x y"}\n', 1)
    build("binary.jsonl", bytes(range(256)) * 4, None)
    build("binary.csv", bytes(range(256)) * 4, None)
    build("binary.bib", bytes(range(256)) * 4, None)
    build("binary.txt", bytes(range(256)) * 4, None)
    data = gzip.compress(b"".join(b'{"title": "P%d", "abstract": "x y"}\n' % i for i in range(3000)))
    build("truncated.jsonl.gz", data[: len(data) // 2], None)
    build("empty.jsonl", b"", 0)
    build("blank-lines.jsonl", b"\n\n   \n", 0)
    build("trending-odd.txt", b"Title one\nAbstract one.\nTitle without abstract\n", 2)
    build("long-line.jsonl", b'{"title": "A", "abstract": "' + b"word " * 300_000 + b'"}\n', 1)
    dups = [{"title": "Same", "abstract": "a b", "year": 2019},
            {"title": "same", "abstract": "c", "doi": "10.1145/x"},
            {"title": "Other", "abstract": "d", "id": "x-1"},
            {"title": "Third", "abstract": "e", "id": "x-1"}]  # fmt: skip
    build("dups.jsonl", _jsonl_bytes(dups), 4)
    empties = [{"title": t, "abstract": "x y"} for t in ["???", "!!!", "…", "—"]]
    build("no-letter-titles.jsonl", _jsonl_bytes(empties), 4)
    # file names and paths
    for name in ["new\nline.jsonl", "ansi\x1b[2J.jsonl", "tab\tname.jsonl", "caf\udce9.jsonl", "sp ace.jsonl"]:
        p = d / name
        try:
            p.write_text('{"title": "x", "abstract": \n', "utf-8")
        except (OSError, UnicodeEncodeError):
            continue
        probe.run(f"extract bad file named {name!r}", ["extract", str(p), "--out", str(probe.work / "m.jsonl")])
    probe.run("extract a folder", ["extract", str(d / ".."), "--out", str(probe.work / "all.jsonl"),
                                   "--on-error", "skip"])  # fmt: skip
    empty = probe.work / "emptydir"
    empty.mkdir()
    probe.run("extract an empty folder", ["extract", str(empty), "--out", str(probe.work / "x.jsonl")])
    probe.run("extract a missing file", ["extract", str(probe.work / "nope.jsonl")])
    probe.run("extract /dev/null", ["extract", "/dev/null", "--format", "jsonl", "--out", str(probe.work / "n.jsonl")])
    probe.run("extract unknown format", ["extract", str(d / "001-latin1-bytes-title.jsonl"), "--format", "xml"])
    probe.run("extract unknown extension", ["extract", "/etc/hostname"])
    for out in ["/proc/x.jsonl", str(probe.work), "/dev/full"]:
        probe.run(f"extract --out {out}", ["extract", str(ROOT / "tests/fixtures/ingest/plain.jsonl"), "--out", out])
    for out in ["/proc/paperkg", "/proc/self/status", str(d / "001-latin1-bytes-title.jsonl"), "/dev/full"]:
        probe.run(f"build --out {out}", ["build", str(ROOT / "tests/fixtures/ingest/plain.jsonl"), "--out", out])


# ----------------------------------------------------------------------------- graphs


def graph_cases(probe: Probe, out: Path) -> None:
    good = json.loads((out / "graph.json").read_text("utf-8"))
    paper = next(i for i, n in enumerate(good["nodes"]) if n["label"] == "Paper")
    damages: dict[str, Callable[[dict], None]] = {
        "link-no-target": lambda g: g["links"][0].pop("target"),
        "link-no-source": lambda g: g["links"][0].pop("source"),
        "link-dangling": lambda g: g["links"][0].update(target="method:none"),
        "link-bad-type": lambda g: g["links"][0].update(type="X", key="X"),
        "link-count-str": lambda g: g["links"][0].update(count="3"),
        "node-no-id": lambda g: g["nodes"][paper].pop("id"),
        "node-bad-label": lambda g: g["nodes"][paper].update(label="Person"),
        "node-year-str": lambda g: g["nodes"][paper].update(year="2020"),
        "node-year-huge": lambda g: g["nodes"][paper].update(year=10**30),
        "node-authors-str": lambda g: g["nodes"][paper].update(authors="A"),
        "node-surrogate": lambda g: g["nodes"][paper].update(title="x\ud800"),
        "node-extra": lambda g: g["nodes"][paper].update(extra=[{"a": 1}]),
        "nodes-dict": lambda g: g.update(nodes={}),
        "links-missing": lambda g: g.pop("links"),
        "undirected": lambda g: g.update(directed=False),
        "dup-node": lambda g: g["nodes"].append(dict(g["nodes"][paper])),
        "dup-link": lambda g: g["links"].append(dict(g["links"][0])),
        "version-3": lambda g: g.update(schema_version=3),
        "version-str": lambda g: g.update(schema_version="2"),
    }
    raw: dict[str, str] = {
        "empty-file": "", "not-json": "{oops", "list": "[1]", "deep": "[" * 100_000 + "]" * 100_000,
        "bigint": '{"schema_version": ' + "9" * 5000 + "}", "nul": '{"schema_version": 2\x00}',
    }  # fmt: skip
    for name, damage in damages.items():
        g = json.loads(json.dumps(good))
        damage(g)
        raw[name] = json.dumps(g)
    for name, text in raw.items():
        d = probe.work / "graphs" / name
        d.mkdir(parents=True)
        (d / "graph.json").write_text(text, "utf-8")
        probe.run(f"stats damaged {name}", ["stats", str(d)])
        probe.run(f"export damaged {name}", ["export", str(d), "--format", "graphml", "--out", str(d / "g.graphml")])
        probe.run(f"view damaged {name}", ["view", str(d), "--out", str(d / "v.html")])
        probe.run(f"query damaged {name}", ["query", "top-methods", "--store", f"embedded:{d}"])
        probe.run(f"load damaged {name}", ["load", str(d), "--uri", "bolt://127.0.0.1:9", "--password", "x"])
    bad_db = probe.work / "graphs" / "bad-db"
    shutil.copytree(out, bad_db)
    (bad_db / "graph.lbug").write_bytes(b"garbage" * 1000)
    os.utime(bad_db / "graph.lbug", (time.time() + 60, time.time() + 60))  # newer than graph.json: not rebuilt
    probe.run("query a damaged database", ["query", "top-methods", "--store", f"embedded:{bad_db}"])
    probe.run("stats a file that is not json", ["stats", "/etc/hostname"])
    probe.run("stats a folder with nothing", ["stats", str(probe.work / "emptydir")])


# ----------------------------------------------------------------------------- commands, options, Cypher

REFUSE = [
    "EXPORT DATABASE '{w}/exp'", "IMPORT DATABASE '{w}/exp'", "COPY (MATCH (n) RETURN n.key) TO '{w}/x.csv'",
    "INSTALL json", "UNINSTALL json", "LOAD EXTENSION json", "LOAD json", "LOAD FROM '/etc/passwd' RETURN *",
    "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", "ATTACH '{w}/o.lbug' AS o (dbtype lbug)", "DETACH o",
    "USE o", "CHECKPOINT", "BEGIN TRANSACTION", "COMMIT", "ROLLBACK", "CALL threads=1",
    "CALL checkpoint_threshold=1", "CREATE (:Paper {{key: 'paper:x'}})", "MATCH (n) DETACH DELETE n",
    "MATCH (n) SET n.name = 'x'", "MERGE (n:Method {{key: 'm'}})", "DROP TABLE Paper", "ALTER TABLE Paper ADD x INT64",
    "CREATE MACRO m(x) AS x", "MATCH (n) RETURN n; CREATE (:Paper {{key: 'p'}})",
    "MATCH (n) RETURN count(n); EXPORT DATABASE '{w}/exp2'", "EXPLAIN EXPORT DATABASE '{w}/exp3'",
    "PROFILE MATCH (n) DELETE n", "CYPHER 5 MATCH (n) DELETE n", "match (n) detach delete n",
    "MATCH (n) REMOVE n.name", "MATCH (n) FOREACH (x IN [1] | SET n.a = x)", "SHOW TRANSACTIONS",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "SHOW SETTINGS", "CALL dbms.listConfig()",
    "CALL dbms.components()", "CALL db.clearQueryCaches()", "CALL tx.setMetaData({{a: 1}})",
    "CALL db.createLabel('X')", "GRANT ROLE admin TO neo4j", "START DATABASE neo4j", "STOP DATABASE neo4j",
    "CREATE DATABASE foo", "USE system SHOW USERS", "CALL apoc.export.json.all('{w}/a.json', {{}})",
    "CALL show_tables() RETURN name; DROP TABLE Paper", "/* */ CREATE (:Paper {{key: 'c'}})",
    "MATCH (n) CALL {{ WITH n DETACH DELETE n }} RETURN 1", "UNWIND [1] AS x CREATE (:Paper {{key: toString(x)}})",
]  # fmt: skip
READS = [
    "MATCH (n) RETURN count(n) AS n", "CALL show_tables() RETURN name", "MATCH (p:Paper) RETURN p.title LIMIT 2",
    "MATCH (p:Paper) WHERE p.title CONTAINS 'CREATE' RETURN count(p)", "RETURN 'EXPORT DATABASE x' AS s",
]  # fmt: skip
PARAMS = [
    "k=" + "[" * 50_000 + "]" * 50_000, "k=" + "[" * 40 + "1" + "]" * 40, 'k=[1,"a"]', "k=[]", "k=[null]",
    "k=99999999999999999999", "k=" + "9" * 5000, "k=-99999999999999999999", 'k="\\ud800"', "k=NaN", "k=Infinity",
    'k={"a": {"b": [1, 2]}}', "k=1e999", "k=\x00", "k=\x1b[31m", "k", "=v", "k==", "k=" + "x" * 100_000,
    '{"a":1}', "k=true", "k=null",
]  # fmt: skip


def command_cases(probe: Probe, out: Path, neo4j: list[str]) -> None:
    store = ["--store", f"embedded:{out}"]
    w = probe.work / "ro"
    w.mkdir()
    for s in REFUSE:
        text = s.format(w=w)
        probe.run(f"cypher refuse {text[:60]!r}", ["cypher", text, *store], expect_refusal=True)
        if neo4j:
            probe.run(f"neo4j cypher refuse {text[:60]!r}", ["cypher", text, *neo4j], expect_refusal=True)
    left = sorted(p.name for p in w.iterdir())
    if left:
        probe.record("read-only side effects", 0, [f"read-only bypass: files left behind: {left}"])
    for s in READS:
        probe.run(f"cypher read {s[:60]!r}", ["cypher", s, *store],
                  check=lambda r: [] if r.exit_code == 0 else [f"refused read: exit {r.exit_code}"])  # fmt: skip
    for p in PARAMS:
        probe.run(f"cypher --param {p[:40]!r}", ["cypher", "RETURN $k AS k", "--param", p, *store])
        probe.run(f"query --param {p[:40]!r}", ["query", "top-methods", "--param", p.replace("k", "limit", 1), *store])
        if neo4j:
            probe.run(f"neo4j cypher --param {p[:40]!r}", ["cypher", "RETURN $k AS k", "--param", p, *neo4j])
    for s in ["MATCH (n RETURN n", "MATCH (n) RETRUN n", "RETURN type(r)", "", " ", "\x00", "MATCH (n)\nRETRUN\n n",
              "RETURN '" + "x" * 100_000 + "'", "MATCH (n:`\x1b[31m`) RETURN n", "RETURN $missing", "RETURN 1/0",
              "UNWIND range(1, 3) AS x RETURN x"]:
        probe.run(f"cypher odd {s[:40]!r}", ["cypher", s, *store])
        if neo4j:
            probe.run(f"neo4j cypher odd {s[:40]!r}", ["cypher", s, *neo4j])
    hostile_names = ["", "\x1b[31m", "../../etc/passwd", "a" * 10_000, "top-methods\n", "[bold]x", "\ud800"]
    for name in hostile_names:
        probe.run(f"query name {name[:20]!r}", ["query", name, *store])
    for fmt in ["graphml", "gexf", "json", "csv", "cypher", "neo4j-admin", "vosviewer", "bibtex", "mermaid", "xml", ""]:
        probe.run(f"export {fmt}", ["export", str(out), "--format", fmt, "--out", str(probe.work / "exp" / f"x.{fmt}")])
    for focus in ["\x1b[31m", "[/bad]", "\ud800", "", "a" * 5000, "method:", "PPO", "'; DROP"]:
        probe.run(f"export --focus {focus[:20]!r}", ["export", str(out), "--focus", focus, "--format", "json",
                                                      "--out", str(probe.work / "f.json")])  # fmt: skip
        view = ["view", str(out), "--focus", focus, "--out", str(probe.work / "v.html")]
        probe.run(f"view --focus {focus[:20]!r}", view)
    for opt in [["--top", "-1"], ["--top", "99999999999999999999"], ["--json", "--top", "0"], ["--bogus"]]:
        probe.run(f"stats {opt}", ["stats", str(out), *opt])
    for args in [["export", str(out), "--year-from", "99999999999999999999", "--format", "json", "--out", "-"],
                 ["export", str(out), "--min-papers", "-5", "--format", "json", "--out", str(probe.work / "m.json")],
                 ["export", str(out), "--format", "json", "--out", "/proc/x.json"],
                 ["export", str(out), "--format", "json", "--out", "/dev/full"],
                 ["view", str(out), "--out", "/proc/v.html"], ["view", str(out), "--out", str(probe.work)],
                 ["load", str(out), "--uri", "http://x", "--password", "x"],
                 ["load", str(out), "--uri", "bolt://127.0.0.1:9", "--password", "x"],
                 ["load", str(out), "--batch-size", "0"], ["query", "--list", "--format", "xml"],
                 ["eval", "--gold", "/etc/hostname", "/etc/hostname"], ["cypher"], ["query"], ["build"],
                 ["--verbose", "--verbose", "stats", str(out)], ["nonsense-command"]]:  # fmt: skip
        probe.run(" ".join(a[:20] for a in args[:4]), args)


# ----------------------------------------------------------------------------- the real program


#: statements that crashed the embedded engine's parser (stack overflow): run in a process of their own
CRASHERS = ["RETURN " + "(" * 5000 + "1" + ")" * 5000, "RETURN " + "[" * 1000 + "1" + "]" * 1000,
            "RETURN 1" + " + 1" * 10_000, "RETURN 1" + " * 2" * 10_000]  # fmt: skip


def crash_cases(probe: Probe, out: Path) -> None:
    exe = Path(sys.executable).with_name("paperkg")
    for s in CRASHERS:
        p = subprocess.run([str(exe), "cypher", s, "--store", f"embedded:{out}"], capture_output=True, text=True,
                           timeout=300, cwd=ROOT)  # fmt: skip
        problems = []
        if p.returncode not in (0, 1, 2) or "Traceback" in p.stderr:
            problems.append(f"traceback: exit code {p.returncode} (a crash)")
        elif p.returncode and len(p.stderr.strip().splitlines()) != 1:
            problems.append("multi-line error")
        probe.record(f"cypher engine-crasher {s[:30]!r}", p.returncode, problems)


def process_cases(probe: Probe) -> None:
    exe = Path(sys.executable).with_name("paperkg")
    src = ROOT / "data" / "hf_trending_papers.txt"
    for delay in (0.1, 0.2, 0.3, 0.45, 0.6, 0.9, 1.3, 2.0, 3.0, 4.5):
        for workers in ("1", "2"):
            cmd = [str(exe), "build", str(src), "--out", str(probe.work / "sig"), "-j", workers]
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
            time.sleep(delay)
            os.killpg(p.pid, signal.SIGINT)
            try:
                _, err = p.communicate(timeout=180)
            except subprocess.TimeoutExpired:
                p.kill()
                _, err = p.communicate()
                probe.record(f"Ctrl-C after {delay}s (-j {workers})", -1, ["traceback: hung after Ctrl-C"])
                continue
            problems = []
            frames = re.findall(r'File "([^"]+)"', err)
            early = ("/bin/paperkg", "graphbuild/__init__.py", "graphbuild/__main__.py")
            if err.startswith("Fatal Python error: init_import_site") or (
                frames and all(f.endswith(early) or f.startswith("<frozen") for f in frames)
            ):
                probe.notes["Ctrl-C before paperkg's first statement (Python reports it)"] += 1
            elif "Traceback" in err or "internal error" in err:
                problems.append("traceback: " + err.strip().splitlines()[-1][:120])
            elif p.returncode not in (0, 1, -signal.SIGINT):
                problems.append(f"traceback: exit code {p.returncode}")
            probe.record(f"Ctrl-C after {delay}s (-j {workers})", p.returncode, problems)
    for args in (["--help"], ["build", "--bogus"], ["stats", "/nonexistent"], ["cypher", "EXPORT DATABASE '/tmp/x'"]):
        p = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)
        problems = []
        if "Traceback" in p.stderr or p.returncode not in (0, 1, 2):
            problems.append(f"traceback: exit {p.returncode}: {p.stderr[-200:]}")
        probe.record(f"program {' '.join(args)}", p.returncode, problems)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--neo4j", help="a Neo4j URI to probe too (its data is not changed: every statement is refused)")
    ap.add_argument("--user", default="neo4j")
    ap.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD"))
    ap.add_argument("--list", action="store_true", help="print every case and its outcome")
    ap.add_argument("--no-signals", action="store_true", help="skip the Ctrl-C runs of the real program")
    args = ap.parse_args()
    neo4j = ["--store", args.neo4j, "--user", args.user, "--password", args.password or ""] if args.neo4j else []
    with tempfile.TemporaryDirectory(prefix="paperkg-probe-") as tmp:
        probe = Probe(Path(tmp))
        t0 = time.perf_counter()
        sample = probe.work / "sample.txt"
        lines = (ROOT / "data" / "hf_trending_papers.txt").read_text("utf-8").splitlines()
        sample.write_text("\n".join(lines[:80]) + "\n", "utf-8")
        out = probe.work / "out"
        r = probe.runner.invoke(app, ["build", str(sample), "--out", str(out)])
        assert r.exit_code == 0, r.output
        ingest_cases(probe)
        graph_cases(probe, out)
        command_cases(probe, out, neo4j)
        crash_cases(probe, out)
        if not args.no_signals:
            process_cases(probe)
        seconds = time.perf_counter() - t0
    for o in probe.outcomes:
        if args.list or o.problems:
            print(f"[{o.exit_code:>3}] {o.case!r}" + "".join(f"\n      {p}" for p in o.problems))
    codes = Counter(o.exit_code for o in probe.outcomes)
    print(f"\n{len(probe.outcomes)} cases in {seconds:.0f}s; exit codes {dict(sorted(codes.items()))}")
    for kind, label in (("traceback", "tracebacks"), ("multi-line error", "multi-line errors"),
                        ("silent loss", "silent losses"), ("read-only bypass", "read-only bypasses"),
                        ("refused read", "refused reads")):  # fmt: skip
        print(f"  {label:20s} {probe.counts.get(kind, 0)}")
    for note, n in probe.notes.items():
        print(f"  (not counted: {n} × {note})")
    return 1 if sum(probe.counts.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
