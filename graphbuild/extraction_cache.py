"""The extraction cache of a build directory: per-paper extraction results, keyed by content and extractor.

A rebuild re-extracts only papers whose content (what the extractor reads: title and abstract text,
categories) is new, or all of them when the extractor changed. The extractor's version is a hash of its
code and data files (``graphbuild/extract/**``, ``graphbuild/data/**``: vocabularies, taxonomy, patterns,
model artifacts), spaCy's version and any data files the configuration points at, so nobody has to
remember to bump a constant.

Layout: ``<cache>/<extractor version>/<unit>.{papers,mentions,domains}.parquet``. A *unit* is the
result of one extraction task (the papers of one shard that were not cached). Its ``papers`` file is
written last: a unit whose papers file exists is complete, so a killed build leaves only whole units
(and temporary files, which the next build removes), and a resumed build reuses them.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from graphbuild import arrow_records, storage
from graphbuild.model import DomainScore, Paper

log = logging.getLogger(__name__)

PAPERS, MENTIONS, DOMAINS = ".papers.parquet", ".mentions.parquet", ".domains.parquet"
#: bump when the layout of the cache files changes (their columns follow the record types by themselves)
LAYOUT = "1"


def paper_hash(paper: Paper) -> str:
    """Everything the extractor reads of a paper: its two texts and its categories."""
    h = hashlib.blake2b(digest_size=16)
    for part in (paper.text("title"), paper.text("abstract"), *paper.categories):
        b = part.encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def unit_id(hashes: Sequence[str]) -> str:
    h = hashlib.blake2b(digest_size=12)
    for x in hashes:
        h.update(x.encode("ascii"))
    return h.hexdigest()


def extractor_version(config: Any = None) -> str:
    """A hash of the extractor's code and data (and of the data files ``config`` points at)."""
    extra = []
    mode = "learned"
    if config is not None:
        extra = [p for p in (config.vocab_dir, config.patterns_file, config.taxonomy_file,
                             getattr(config, "model_file", None), getattr(config, "clusters_file", None)) if p]
        mode = getattr(config, "extractor", mode)
    return _version(tuple(extra), mode)


@cache
def _version(extra: tuple[str, ...], mode: str = "learned") -> str:
    from importlib.metadata import version

    h = hashlib.blake2b(digest_size=8)
    # spaCy's version from its metadata: importing it here would cost a rebuild seconds it may not need
    h.update(f"layout {LAYOUT} spacy {version('spacy')} extractor {mode}".encode())
    root = Path(str(resources.files("graphbuild")))
    files = sorted(
        p
        for sub in ("extract", "data")
        for p in (root / sub).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".so")
    )
    files.append(root / "model.py")  # the record types (the cache files' own layout is LAYOUT)
    for extra_path in extra:
        p = Path(extra_path)
        files += sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
    for p in files:
        h.update(str(p.relative_to(root) if p.is_relative_to(root) else p).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


# ----------------------------------------------------------------------------- unit files


def encode_unit(hashes: Sequence[str], prepared: Sequence[Any]) -> dict[str, bytes]:
    """One unit's files (``prepared``: :class:`graphbuild.extract.pipeline.PreparedPaper`, one per hash)."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from graphbuild.extract.pipeline import PreparedMention

    mentions = [m for p in prepared for m in p.mentions]
    domains = [d for p in prepared for d in p.domains]
    papers = pa.table({
        "hash": pa.array(list(hashes), pa.string()),
        "mentions": pa.array([len(p.mentions) for p in prepared], pa.int32()),
        "domains": pa.array([len(p.domains) for p in prepared], pa.int32()),
        "pairs": pa.array([[list(x) for x in p.pairs] for p in prepared], pa.list_(pa.list_(pa.string()))),
    })  # fmt: skip
    files = {}
    for suffix, table in (
        (MENTIONS, arrow_records.to_table(mentions, PreparedMention)),
        (DOMAINS, arrow_records.to_table(domains, DomainScore)),
        (PAPERS, papers),
    ):
        buf = io.BytesIO()
        pq.write_table(table, buf, compression="zstd")
        files[suffix] = buf.getvalue()
    return files


def write_unit(directory: str | Path, unit: str, files: dict[str, bytes]) -> None:
    """Write one unit's files; the papers file last: its presence means the unit is complete."""
    for suffix in (MENTIONS, DOMAINS, PAPERS):
        with storage.open_write(storage.join(directory, unit + suffix)) as f:
            f.write(files[suffix])


def read_unit(directory: str | Path, unit: str) -> list[Any]:
    """The prepared papers of one unit, in the order written."""
    import pyarrow.parquet as pq

    from graphbuild.extract.pipeline import PreparedMention, PreparedPaper

    def table(suffix: str) -> Any:
        with storage.open_read(storage.join(directory, unit + suffix)) as f:
            return pq.read_table(f)

    papers = table(PAPERS)
    mentions = arrow_records.from_table(table(MENTIONS), PreparedMention)
    domains = arrow_records.from_table(table(DOMAINS), DomainScore)
    out = []
    mi = di = 0
    for nm, nd, pairs in zip(
        papers.column("mentions").to_pylist(), papers.column("domains").to_pylist(),
        papers.column("pairs").to_pylist(), strict=True,
    ):  # fmt: skip
        out.append(PreparedPaper(tuple(mentions[mi : mi + nm]), tuple((s, lf) for s, lf in pairs),
                                 tuple(domains[di : di + nd])))  # fmt: skip
        mi += nm
        di += nd
    return out


def read_doc_inputs(directory: str | Path, unit: str) -> list[Any]:
    """Only what resolution reads of one unit: each paper's (type, name, vocab id) per mention and its
    acronym pairs, as :class:`graphbuild.resolve.DocInput` (a few columns: much cheaper than :func:`read_unit`)."""
    import pyarrow.parquet as pq

    from graphbuild.resolve import DocInput, MentionRef

    with storage.open_read(storage.join(directory, unit + PAPERS)) as f:
        papers = pq.read_table(f, columns=["mentions", "pairs"])
    with storage.open_read(storage.join(directory, unit + MENTIONS)) as f:
        mentions = pq.read_table(f, columns=["type", "name", "vocab_id"])
    refs = [MentionRef(t, s, v) for t, s, v in zip(*(c.to_pylist() for c in mentions.columns), strict=True)]
    out = []
    i = 0
    for n, pairs in zip(papers.column("mentions").to_pylist(), papers.column("pairs").to_pylist(), strict=True):
        out.append(DocInput(tuple(refs[i : i + n]), tuple((s, lf) for s, lf in pairs)))
        i += n
    return out


def read_hashes(directory: str | Path, unit: str) -> list[str]:
    import pyarrow.parquet as pq

    with storage.open_read(storage.join(directory, unit + PAPERS)) as f:
        return pq.read_table(f, columns=["hash"]).column("hash").to_pylist()


# ----------------------------------------------------------------------------- the cache


@dataclass(frozen=True)
class Location:
    unit: str
    row: int


class ExtractionCache:
    """The units of one extractor version under ``root``; an index hash → (unit, row); an LRU of units."""

    def __init__(self, root: str | Path, version: str, *, keep_decoded: int = 3) -> None:
        self.root = root
        self.version = version
        self.directory = storage.join(root, version)
        self.index: dict[str, Location] = {}
        self.used: set[str] = set()
        self._decoded: OrderedDict[str, list[Any]] = OrderedDict()
        self._inputs: OrderedDict[str, list[Any]] = OrderedDict()
        self._keep = keep_decoded

    def scan(self) -> int:
        """Index every complete unit on disk; returns the number of cached papers."""
        storage.remove_temporaries(self.directory)
        for name in storage.list_names(self.directory, PAPERS):
            self.add_unit(name[: -len(PAPERS)], read_hashes(self.directory, name[: -len(PAPERS)]))
        return len(self.index)

    def add_unit(self, unit: str, hashes: Iterable[str], *, used: bool = False) -> None:
        """Index a complete unit; ``used``: this build uses it even if it never reads it back."""
        if used:
            self.used.add(unit)
        for row, h in enumerate(hashes):
            self.index.setdefault(h, Location(unit, row))

    def __contains__(self, h: str) -> bool:
        return h in self.index

    def get(self, h: str) -> Any:
        """The prepared paper of content hash ``h``."""
        return self._row(h, self._decoded, read_unit)

    def doc_input(self, h: str) -> Any:
        """Only the resolution input of content hash ``h`` (see :func:`read_doc_inputs`)."""
        return self._row(h, self._inputs, read_doc_inputs)

    def _row(self, h: str, lru: OrderedDict[str, list[Any]], read: Any) -> Any:
        loc = self.index[h]
        self.used.add(loc.unit)
        unit = lru.get(loc.unit)
        if unit is None:
            unit = lru[loc.unit] = read(self.directory, loc.unit)
            while len(lru) > self._keep:
                lru.popitem(last=False)
        else:
            lru.move_to_end(loc.unit)
        return unit[loc.row]

    def release(self) -> None:
        """Drop the index and the decoded units (assembly is over); :meth:`collect_garbage` still works."""
        self.index = {}
        self._decoded.clear()
        self._inputs.clear()

    def collect_garbage(self) -> int:
        """Remove units the last build did not use, and other extractor versions; returns units removed."""
        removed = 0
        for name in storage.list_names(self.directory, PAPERS):
            unit = name[: -len(PAPERS)]
            if unit not in self.used:
                for suffix in (PAPERS, MENTIONS, DOMAINS):  # the completeness marker first
                    storage.remove(storage.join(self.directory, unit + suffix))
                removed += 1
        if not storage.is_url(self.root) and Path(self.root).is_dir():
            for other in Path(self.root).iterdir():
                if other.is_dir() and other.name != self.version:
                    storage.remove(other)
        return removed
