"""BibTeX for the papers in the subgraph (Zotero, JabRef, BibDesk, biber).

One ``@misc`` entry per paper (the venue is unknown, and ``@article`` would demand a journal) with
``title``, ``author`` (joined with `` and ``), ``year``, ``doi``, ``url``, ``abstract``,
``eprint``/``archiveprefix`` (arXiv ids), ``keywords`` (the methods, benchmarks and domains the paper
links to in the subgraph) and ``note`` (its paperkg key). Citation keys are the paper ids made
BibTeX-safe and unique.

Values are brace-delimited and LaTeX-escaped so that braces always balance and TeX prints the text
as it was (``url`` and ``doi`` are verbatim fields: only ``\\ { }`` are percent-encoded there):
``\\ { } $ % & # _ ~ ^`` become ``\\textbackslash{} \\textbraceleft{} \\textbraceright{} \\$ \\% \\& \\#
\\_ \\textasciitilde{} \\textasciicircum{}`` (not ``\\{``: BibTeX counts escaped braces when it looks for
the end of a value, so a lone ``\\{`` would break the entry). Non-ASCII text stays UTF-8 (use biber or a UTF-8 aware
BibTeX); line breaks stay line breaks (TeX reads them as spaces).

Inline maths is the exception: arXiv titles and abstracts write it in LaTeX (``$O(n \\log n)$``,
``$\\beta$-VAE``), and escaping it would print the dollars and backslashes instead of the formula.
A ``$…$`` or ``$$…$$`` span is kept verbatim when it looks like maths by pandoc's rule — the opening
``$`` is not preceded by a backslash and is followed by a non-space, the closing ``$`` follows a
non-space and is not followed by a digit (so "$5 and $10" stays text) — and its braces balance.
:func:`latex_unescape` inverts the escaping exactly, maths spans included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from graphbuild.export.dispatch import Written

_LATEX = {
    "\\": r"\textbackslash{}",
    # not \{ and \}: BibTeX counts escaped braces too, so a lone one would end the value early
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = r"[\\{}$%&#_~^]"
# inline maths (see the module docstring); content is escape pairs or anything but "$" and "\"
_MATH = r"(?<!\\)\$\$(?:[^$\\]|\\.)+?\$\$|(?<!\\)\$(?![\s$])(?:[^$\\]|\\.)*?(?<![\s\\])\$(?!\d)"
_SPECIAL_RE = re.compile(_SPECIAL)
_LATEX_RE = re.compile(f"(?P<math>{_MATH})|{_SPECIAL}", re.DOTALL)
_UNLATEX = {v: k for k, v in _LATEX.items()}
_UNLATEX_RE = re.compile(
    f"(?P<math>{_MATH})|" + "|".join(re.escape(k) for k in sorted(_UNLATEX, key=len, reverse=True)), re.DOTALL
)
_ARXIV = re.compile(r"^(\d{4}\.\d{4,5}(v\d+)?|[a-z-]+(\.[A-Z]{2})?/\d{7})$")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9:._-]+")


def _balanced(math: str) -> bool:
    # BibTeX counts every brace, escaped or not ("\{" too), to find the end of a value
    depth = 0
    for c in math:
        depth += 1 if c == "{" else -1 if c == "}" else 0
        if depth < 0:
            return False
    return depth == 0


def _escape_match(m: re.Match[str]) -> str:
    text = m.group(0)
    if m.group("math") is None:
        return _LATEX[text]
    # unbalanced braces inside "maths" would break the BibTeX value: escape it as text instead
    return text if _balanced(text) else _SPECIAL_RE.sub(lambda c: _LATEX[c.group(0)], text)


def latex_escape(s: str) -> str:
    return _LATEX_RE.sub(_escape_match, s)


def latex_unescape(s: str) -> str:
    """Exact inverse of :func:`latex_escape`."""
    return _UNLATEX_RE.sub(lambda m: m.group(0) if m.group("math") is not None else _UNLATEX[m.group(0)], s)


def _citation_key(paper_key: str, taken: set[str]) -> str:
    base = _KEY_UNSAFE.sub("_", paper_key.split(":", 1)[-1]).strip("_") or "paper"
    if not base[0].isalpha():
        base = "p" + base
    key, i = base, 2
    while key in taken:
        key, i = f"{base}_{i}", i + 1
    taken.add(key)
    return key


def _field(name: str, value: str) -> str:
    return f"  {name} = {{{latex_escape(value)}}}"


def _verbatim_field(name: str, value: str) -> str:
    # url/doi are read verbatim by biblatex and hyperref, so LaTeX escapes would end up in the link;
    # percent-encoding the three characters that could unbalance the value keeps it a valid URL
    safe = value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    return f"  {name} = {{{safe}}}"


def _keywords(graph: nx.MultiDiGraph, paper: str) -> list[str]:
    names = [str(graph.nodes[v].get("name", v)) for _, v in graph.out_edges(paper)]
    return list(dict.fromkeys(names))


def entries(graph: nx.MultiDiGraph) -> Iterable[str]:
    taken: set[str] = set()
    for n, d in graph.nodes(data=True):
        if d.get("label") != "Paper":
            continue
        yield _entry(graph, n, d, _citation_key(str(n), taken))


def _entry(graph: nx.MultiDiGraph, n: str, d: dict[str, Any], cite: str) -> str:
    pid = str(n).split(":", 1)[-1]
    fields = [_field("title", str(d.get("title", d.get("name", ""))))]
    if d.get("authors"):
        fields.append(_field("author", " and ".join(map(str, d["authors"]))))
    if d.get("year") is not None:
        fields.append(_field("year", str(d["year"])))
    if d.get("doi"):
        fields.append(_verbatim_field("doi", str(d["doi"])))
    if d.get("url"):
        fields.append(_verbatim_field("url", str(d["url"])))
    if _ARXIV.match(pid):
        fields.append(_field("eprint", pid))
        fields.append(_field("archiveprefix", "arXiv"))
    if d.get("abstract"):
        fields.append(_field("abstract", str(d["abstract"])))
    keywords = _keywords(graph, n)
    if keywords:
        # "; " because entity names may contain commas
        fields.append(_field("keywords", "; ".join(keywords)))
    fields.append(_field("note", f"paperkg {n}"))
    return f"@misc{{{cite},\n" + ",\n".join(fields) + "\n}\n"


def write(graph: nx.MultiDiGraph, out: Path) -> Written:
    n = 0
    with out.open("w", encoding="utf-8", newline="\n") as f:
        for entry in entries(graph):
            f.write(entry)
            f.write("\n")
            n += 1
    return Written((out,), nodes={"Paper": n}, edges={})
