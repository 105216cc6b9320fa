"""The learned span tagger: one linear-chain CRF per entity type over hashed token features.

Each token gets a fixed set of feature ids (``TEMPLATES``): its lowercase form, shape and suffix and
those of its neighbours, its word cluster (``clusters.npz``: lowercase word → cluster, learned from
the ML Anthology corpus), and what the rule components found around it (vocabulary matches by type,
discovered names, acronym definitions). Each id is a 64-bit hash of (template, values) folded into
``2**bits`` buckets, so features need no dictionary at run time. A model holds, per entity type,
a weight per (bucket, label) for the labels O/B/I and a 3×3 transition matrix; decoding is Viterbi,
run over a whole batch of documents at once (one numpy step per token position), which keeps the
tagger's cost per paper in the tens of microseconds.

The same ``features`` function makes the training items (``scripts/train_tagger.py``, with
python-crfsuite) and the run-time ids, so the two cannot drift apart. The model file
(``graphbuild/data/model/tagger.npz``) stores only non-zero weights.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "model"
LABELS = ("O", "B", "I")
OUT, BEGIN, INSIDE = 0, 1, 2  # label indices

# per-token base columns the featurizer reads (see ``base_columns``)
_COLS = ("lower", "shape", "suffix", "cfine", "ccoarse", "gaz", "rule", "abbr", "pos", "flags")
_C = {name: i for i, name in enumerate(_COLS)}

#: (name, ((column, offset), ...)): a feature is the hash of the template and its values. 25
#: templates: each costs ~0.02 ms per paper in hashing and weight lookups (scripts/train_tagger.py
#: compared larger sets on the dev splits: the dropped ones — farther words, suffixes of neighbours,
#: more cluster pairs — moved dev F1 by less than 0.01)
TEMPLATES: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("bias", ()),
    ("w0", (("lower", 0),)),
    ("w-1", (("lower", -1),)),
    ("w+1", (("lower", 1),)),
    ("w-1w0", (("lower", -1), ("lower", 0))),
    ("w0w+1", (("lower", 0), ("lower", 1))),
    ("s0", (("shape", 0),)),
    ("s-1", (("shape", -1),)),
    ("s+1", (("shape", 1),)),
    ("s0s+1", (("shape", 0), ("shape", 1))),
    ("x0", (("suffix", 0),)),
    ("c0", (("cfine", 0),)),
    ("c-1", (("cfine", -1),)),
    ("c+1", (("cfine", 1),)),
    ("c-2", (("cfine", -2),)),
    ("c+2", (("cfine", 2),)),
    ("k0", (("ccoarse", 0),)),
    ("g0", (("gaz", 0),)),
    ("g-1", (("gaz", -1),)),
    ("g+1", (("gaz", 1),)),
    ("r0", (("rule", 0),)),
    ("a0", (("abbr", 0),)),
    ("p0", (("pos", 0),)),
    ("f0", (("flags", 0),)),
    ("f-1f0f+1", (("flags", -1), ("flags", 0), ("flags", 1))),
)

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)
_PAD = np.uint64(0x5EED5EED5EED5EED)  # the value of a column beyond either end of a document
_S29, _S32, _S31 = np.uint64(29), np.uint64(32), np.uint64(31)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: every input bit moves every output bit (uint64 arithmetic wraps)."""
    h = (h ^ (h >> _S29)) * _M2
    h = (h ^ (h >> _S32)) * _M3
    return h ^ (h >> _S31)


def _shift(col: np.ndarray, k: int, pad: np.uint64 | int) -> np.ndarray:
    """``col[i + k]`` at position i (``pad`` beyond the ends: a hash, or the padding row of word codes)."""
    if k == 0:
        return col
    out = np.full_like(col, pad)
    if k > 0:
        out[:-k] = col[k:]
    else:
        out[-k:] = col[:k]
    return out


def features(base: np.ndarray, bits: int) -> np.ndarray:
    """Feature ids, shape (tokens, templates), from ``base`` (tokens × ``_COLS``, uint64).

    Each column is mixed once (splitmix64); a template combines its parts' mixed values
    (multiply-add with odd constants, so order matters) and takes the top ``bits`` bits of one more
    multiplication (multiply-shift hashing) — a third of the work of mixing every part anew.
    """
    n = base.shape[0]
    out = np.empty((n, len(TEMPLATES)), dtype=np.int64)
    top = np.uint64(64 - bits)
    with np.errstate(over="ignore"):
        mixed = {c: _mix(base[:, i] ^ (np.uint64(i + 1) * _M3)) for c, i in _C.items()}
        pad = _mix(_PAD)
        shifted: dict[tuple[str, int], np.ndarray] = {}
        for t, (_, parts) in enumerate(TEMPLATES):
            h = np.full(n, np.uint64(t + 1) * _M1, dtype=np.uint64)
            for column, offset in parts:
                col = shifted.get((column, offset))
                if col is None:
                    col = shifted[(column, offset)] = _shift(mixed[column], offset, pad)
                h = h * _M2 + col
            out[:, t] = ((h * _M3) >> top).astype(np.int64)
    return out


# ----------------------------------------------------------------------------- base columns

#: small integer codes of the rule-derived columns (hashed together with the template)
GAZ_CODES = {("B", "method"): 1, ("I", "method"): 2, ("B", "benchmark"): 3, ("I", "benchmark"): 4,
             ("B", "task"): 5, ("I", "task"): 6}  # fmt: skip
ABBR_SHORT, ABBR_LONG_B, ABBR_LONG_I = 1, 2, 3
POS_TITLE, POS_SENT_START, POS_OTHER = 1, 2, 3
F_TITLE, F_UPPER, F_NUM, F_PUNCT, F_SPACE, F_ALPHA = 1, 2, 4, 8, 16, 32


@dataclass(frozen=True)
class Spans:
    """Token-level annotations a document brings to the featurizer (all token index ranges)."""

    gazetteer: Sequence[tuple[int, int, str]] = ()  # vocabulary matches: (start, end, type)
    rules: Sequence[tuple[int, int, str, str]] = ()  # discovered names: (start, end, type, rule)
    abbr_short: Sequence[tuple[int, int]] = ()
    abbr_long: Sequence[tuple[int, int]] = ()
    title_end: int = 0  # tokens before this index are the title
    sentence_starts: Sequence[int] = ()


@dataclass(frozen=True)
class Clusters:
    """Word clusters by the 64-bit spaCy hash of the lowercase word (sorted keys, two granularities)."""

    keys: np.ndarray  # uint64, sorted
    fine: np.ndarray  # uint64 (cluster id + 1; 0 = unknown word)
    coarse: np.ndarray

    def lookup(self, lower: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if len(self.keys) == 0:
            z = np.zeros(len(lower), dtype=np.uint64)
            return z, z
        i = np.minimum(self.keys.searchsorted(lower), len(self.keys) - 1)
        hit = self.keys[i] == lower
        return np.where(hit, self.fine[i], 0), np.where(hit, self.coarse[i], 0)


EMPTY_CLUSTERS = Clusters(np.zeros(0, np.uint64), np.zeros(0, np.uint64), np.zeros(0, np.uint64))


@lru_cache(maxsize=4)
def load_clusters(path: str | None = None) -> Clusters:
    """The shipped word clusters (``scripts/word_clusters.py``); none when the file is missing."""
    p = Path(path) if path else MODEL_DIR / "clusters.npz"
    if not p.exists():
        return EMPTY_CLUSTERS
    with np.load(p) as z:
        return Clusters(z["keys"].astype(np.uint64), z["fine"].astype(np.uint64), z["coarse"].astype(np.uint64))


def _rule_code(etype: str, rule: str, begin: bool) -> int:
    # any stable small integer will do: the template hash spreads it
    return (hash_text(f"{rule}\t{etype}") << 1) | int(begin)


@lru_cache(maxsize=256)
def hash_text(s: str) -> int:
    """A stable 62-bit hash of a short string (Python's ``hash`` changes between processes)."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little") >> 2


def base_columns(attrs: np.ndarray, spans: Spans, clusters: Clusters) -> np.ndarray:
    """The featurizer's input for one document (see :func:`base_columns_batch`)."""
    return base_columns_batch([attrs], [spans], clusters)


def base_columns_batch(attrs: Sequence[np.ndarray], spans: Sequence[Spans], clusters: Clusters) -> np.ndarray:
    """The featurizer's input for documents, concatenated (rows of document i follow those of i-1).

    ``attrs``: per document ``doc.to_array([LOWER, SHAPE, SUFFIX, IS_TITLE, IS_UPPER, LIKE_NUM,
    IS_PUNCT, IS_SPACE, IS_ALPHA])`` (``TAGGER_ATTRS`` in ``graphbuild.extract.components``). The
    token-level columns are computed for the whole batch at once; the rule spans are written per
    document (a few per document).
    """
    a = np.concatenate(attrs) if attrs else np.zeros((0, 9), np.uint64)
    base = np.zeros((a.shape[0], len(_COLS)), dtype=np.uint64)
    for column, values in lexeme_columns(a, clusters).items():
        base[:, _C[column]] = values
    for column, values in rule_columns([len(x) for x in attrs], spans).items():
        base[:, _C[column]] = values
    return base


#: the base columns that depend only on the word (one value per lexeme), and those the rules set
LEXEME_COLUMNS = ("lower", "shape", "suffix", "cfine", "ccoarse", "flags")
RULE_COLUMNS = ("gaz", "rule", "abbr", "pos")


def lexeme_columns(a: np.ndarray, clusters: Clusters) -> dict[str, np.ndarray]:
    """The word-level base columns of rows of ``TAGGER_ATTRS`` values (tokens, or distinct words)."""
    a = a.astype(np.uint64, copy=False)
    fine, coarse = clusters.lookup(a[:, 0])
    flags = (a[:, 3] * F_TITLE + a[:, 4] * F_UPPER + a[:, 5] * F_NUM + a[:, 6] * F_PUNCT
             + a[:, 7] * F_SPACE + a[:, 8] * F_ALPHA)  # fmt: skip
    return {"lower": a[:, 0], "shape": a[:, 1], "suffix": a[:, 2], "cfine": fine, "ccoarse": coarse,
            "flags": flags}  # fmt: skip


def rule_columns(sizes: Sequence[int], spans: Sequence[Spans]) -> dict[str, np.ndarray]:
    """The rule-derived base columns of documents of ``sizes`` tokens, concatenated."""
    n = int(sum(sizes))
    gaz, rule, abbr = (np.zeros(n, dtype=np.uint64) for _ in range(3))
    pos = np.full(n, POS_OTHER, dtype=np.uint64)
    offset = 0
    for size, sp in zip(sizes, spans, strict=True):
        o = offset
        offset += size
        for s, e, etype in sp.gazetteer:
            if e > s:
                gaz[o + s] = GAZ_CODES[("B", etype)]
                gaz[o + s + 1 : o + e] = GAZ_CODES[("I", etype)]
        for s, e, etype, name in sp.rules:
            if e > s:
                rule[o + s] = _rule_code(etype, name, True)
                rule[o + s + 1 : o + e] = _rule_code(etype, name, False)
        for s, e in sp.abbr_long:
            if e > s:
                abbr[o + s] = ABBR_LONG_B
                abbr[o + s + 1 : o + e] = ABBR_LONG_I
        for s, e in sp.abbr_short:
            abbr[o + s : o + e] = ABBR_SHORT
        pos[o : o + sp.title_end] = POS_TITLE
        for s in sp.sentence_starts:
            if sp.title_end <= s < size:
                pos[o + s] = POS_SENT_START
    return {"gaz": gaz, "rule": rule, "abbr": abbr, "pos": pos}


# ----------------------------------------------------------------------------- fast scoring


@dataclass(frozen=True)
class Coded:
    """A base column as codes into a table of its distinct values, mixed (``features``' first step).

    The table's last row is the padding beyond either end of the batch, so a shifted column is a
    shifted code array: per-template work runs once per distinct value instead of once per token.
    """

    codes: np.ndarray  # intp, one per token
    mixed: np.ndarray  # uint64, one per code, then the padding


def coded_column(column: str, values: np.ndarray, codes: np.ndarray | None = None) -> Coded:
    """``values``: per token (``codes`` None), or per code (``codes`` maps tokens to them)."""
    if codes is None:
        values, codes = _small_codes(values)
    i = _C[column]
    values = values.astype(np.uint64, copy=False)
    with np.errstate(over="ignore"):
        mixed = np.append(_mix(values ^ (np.uint64(i + 1) * _M3)), _mix(_PAD))
    return Coded(codes, mixed)


def _small_codes(col: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, code per token) of a column with few distinct values, most of them small."""
    if not len(col):
        return np.zeros(1, np.uint64), np.zeros(0, np.intp)
    top = int(col.max())
    if top < 64:  # gazetteer, acronym and position codes: the value is its own code
        return np.arange(top + 1, dtype=np.uint64), col.astype(np.intp)
    nz = np.flatnonzero(col)  # rule codes are hashes, and most tokens have none: sort only the others
    values, inverse = np.unique(col[nz], return_inverse=True)
    codes = np.zeros(len(col), np.intp)
    codes[nz] = inverse + 1
    return np.concatenate((np.zeros(1, np.uint64), values)), codes


# ----------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class TaggerModel:
    """Per entity type: weights (buckets × 3 labels) and transitions (3 × 3, from → to).

    The weights are stored compactly: few of the ``2**bits`` buckets hold a non-zero weight (~4% in
    the shipped model), so ``rows`` maps a bucket to its row of ``table`` (row 0: all zeros). Dense,
    they would be a 37 MB table whose first touch alone costs start-up time, and whose gathers miss
    the CPU caches; the values read are the same.
    """

    types: tuple[str, ...]
    bits: int
    rows: np.ndarray  # int32, (buckets,): the row of ``table`` of each bucket
    table: np.ndarray  # float32, (1 + non-zero buckets, len(types) * 3): type t's labels are columns 3t..3t+2
    transitions: np.ndarray  # float32, (len(types), 3, 3)
    meta: dict

    @classmethod
    def from_sparse(cls, types: tuple[str, ...], bits: int, buckets: np.ndarray, cols: np.ndarray,
                    vals: np.ndarray, transitions: np.ndarray, meta: dict) -> TaggerModel:
        """A model from its non-zero weights: ``vals[i]`` at (``buckets[i]``, ``cols[i]``)."""
        used, row_of = np.unique(buckets.astype(np.int64), return_inverse=True)
        table = np.zeros((len(used) + 1, 3 * len(types)), dtype=np.float32)
        table[row_of.reshape(-1) + 1, cols.astype(np.int64)] = vals
        rows = np.zeros(1 << bits, dtype=np.int32)
        rows[used] = np.arange(1, len(used) + 1, dtype=np.int32)
        return cls(types, bits, rows, table, transitions.astype(np.float32), meta)

    @property
    def weights(self) -> np.ndarray:
        """The dense (buckets, types × 3) weights (for inspection; scoring reads the compact table)."""
        return self.table[self.rows]

    def lookup(self, ids: np.ndarray) -> np.ndarray:
        """The weight rows of feature ids, shape (ids, types × 3) (``take``: several times faster than
        fancy indexing)."""
        return np.take(self.table, np.take(self.rows, ids), axis=0)

    def scores(self, feats: np.ndarray) -> np.ndarray:
        """Per token and column: the sum of the token's feature weights, shape (tokens, types × 3)."""
        out = np.zeros((feats.shape[0], self.table.shape[1]), dtype=np.float32)
        # one template at a time: a (tokens, columns) gather each, no (tokens, templates, columns) temporary
        for t in range(feats.shape[1]):
            out += self.lookup(feats[:, t])
        return out

    def coded_scores(self, columns: dict[str, Coded]) -> np.ndarray:
        """``scores(features(base))`` from the base columns as :class:`Coded` (the same sums, bit for bit).

        A one-column template's feature ids and weight rows are computed once per distinct value (a
        batch of ~10^5 tokens has ~10^4 distinct words), so the per-token work is a gather from a small
        table that stays in the CPU cache instead of one from the whole weight table. The weights are
        added in template order, as ``scores`` does: float sums depend on their order.
        """
        n = len(next(iter(columns.values())).codes)
        out = np.zeros((n, self.table.shape[1]), dtype=np.float32)
        top = np.uint64(64 - self.bits)
        with np.errstate(over="ignore"):
            for t, (_, parts) in enumerate(TEMPLATES):
                h0 = np.uint64(t + 1) * _M1
                if not parts:  # the bias: one row for every token
                    out += self.table[self.rows[int((h0 * _M3) >> top)]]
                    continue
                if len(parts) == 1:
                    (column, offset), = parts
                    col = columns[column]
                    ids = ((h0 * _M2 + col.mixed) * _M3) >> top
                    table = self.lookup(ids.astype(np.intp))
                    out += np.take(table, _shift(col.codes, offset, len(col.mixed) - 1), axis=0)
                    continue
                h = np.full(n, h0, dtype=np.uint64)
                for column, offset in parts:
                    col = columns[column]
                    h = h * _M2 + np.take(col.mixed, _shift(col.codes, offset, len(col.mixed) - 1))
                out += self.lookup(((h * _M3) >> top).astype(np.intp))
        return out


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """``numpy.savez_compressed`` with fixed zip timestamps: the same arrays give the same bytes
    (``make model`` twice writes the same artifact)."""
    import io
    import zipfile

    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, buf.getvalue())
    tmp.replace(path)


def save_model(path: Path, types: Sequence[str], bits: int, state: dict[str, dict[tuple[int, int], float]],
               transitions: dict[str, np.ndarray], meta: dict) -> None:
    """Write the non-zero weights: ``state[type][(bucket, label)] = weight``."""
    rows, cols, vals = [], [], []
    for t, etype in enumerate(types):
        for (bucket, label), w in state[etype].items():
            if w:
                rows.append(bucket)
                cols.append(3 * t + label)
                vals.append(w)
    order = np.lexsort((np.array(cols), np.array(rows)))
    write_npz(path, {
        "rows": np.array(rows, dtype=np.uint32)[order],
        "cols": np.array(cols, dtype=np.uint8)[order],
        "vals": np.array(vals, dtype=np.float32)[order],
        "transitions": np.stack([transitions[t] for t in types]).astype(np.float32),
        "meta": np.frombuffer(json.dumps({**meta, "types": list(types), "bits": bits,
                                          "templates": [n for n, _ in TEMPLATES]}, sort_keys=True).encode(), np.uint8),
    })  # fmt: skip


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> TaggerModel | None:
    """The shipped model (None: ``tagger.npz`` is missing — rules only), loaded once per process."""
    p = Path(path) if path else MODEL_DIR / "tagger.npz"
    if not p.exists():
        return None
    with np.load(p) as z:
        meta = json.loads(bytes(z["meta"]).decode())
        types = tuple(meta["types"])
        if meta["templates"] != [n for n, _ in TEMPLATES]:
            from graphbuild.errors import ConfigError

            raise ConfigError(f"{p}: made with other feature templates; rebuild it with `make model`")
        return TaggerModel.from_sparse(types, int(meta["bits"]), z["rows"], z["cols"], z["vals"], z["transitions"],
                                       meta)  # fmt: skip


_DECODE_CHUNK = 192


def decode(scores: Sequence[np.ndarray], transitions: np.ndarray) -> list[tuple[int, int, int, int, float]]:
    """Best label paths of every (document, type) at once, as spans.

    ``scores``: per document a (tokens, types × 3) array; ``transitions``: (types, 3, 3).
    Returns ``(doc, type index, start token, end token, margin)``, where the margin is the mean,
    over the span's tokens, of the best entity label's score minus O's (not a probability: how
    clearly the model prefers an entity there). Documents are padded to one length and every step
    over token positions is one numpy operation over all documents and types; a document's best
    last label is taken at its own last token, so padding cannot change its path.
    """
    n_docs = len(scores)
    if n_docs > _DECODE_CHUNK:
        # documents of similar length together: less padding to step through (~25% less time)
        order = sorted(range(n_docs), key=lambda i: len(scores[i]))
        out = []
        for j in range(0, n_docs, _DECODE_CHUNK):
            idx = order[j : j + _DECODE_CHUNK]
            out += [(idx[d], k, a, b, m) for d, k, a, b, m in decode([scores[i] for i in idx], transitions)]
        return sorted(out)
    if n_docs == 0:
        return []
    n_types = transitions.shape[0]
    lens = np.array([len(x) for x in scores])
    length = int(lens.max())
    if length == 0:
        return []
    # one column per (document, type), m = d * types + k, last and contiguous: every step below is a
    # handful of elementwise operations over rows of n_docs × types numbers (3 labels lead)
    m_cols = n_docs * n_types
    em = np.zeros((length, 3, m_cols), dtype=np.float32)
    for d, x in enumerate(scores):
        em[: len(x), :, d * n_types : (d + 1) * n_types] = x.reshape(len(x), n_types, 3).transpose(0, 2, 1)
    # (from, to, m): the transition of m's type
    trans = np.tile(transitions.transpose(1, 2, 0), (1, 1, n_docs))
    # I can only follow B or I: an "I" first label is as good as impossible
    delta = em[0] + np.array([0.0, 0.0, -1e4], dtype=np.float32)[:, None]
    hist = np.empty((length, 3, m_cols), dtype=np.float32)  # delta at every position
    hist[0] = delta
    back = np.zeros((length, 3, m_cols), dtype=np.int8)
    cand = np.empty((3, 3, m_cols), dtype=np.float32)
    c0, c1, c2 = cand  # the scores coming from O, B, I (views)
    for t in range(1, length):
        np.add(delta[:, None, :], trans, out=cand)
        # argmax and max over the three "from" labels, spelled out: the first of equal maxima wins, as
        # in argmax (and the maximum is the value at the argmax)
        best = back[t]
        np.greater(c1, c0, out=best, casting="unsafe")
        top = np.maximum(c0, c1)
        best[c2 > top] = 2
        delta = hist[t] = np.maximum(top, c2, out=top) + em[t]
    cols = np.arange(m_cols)
    last = np.repeat(lens - 1, n_types)  # per column: its document's last token
    label = hist[last, :, cols].argmax(axis=1)  # each column's best last label
    paths = np.zeros((length, m_cols), dtype=np.int8)
    back_flat = back.reshape(length, -1)  # row t: back[t, label, m] at label * m_cols + m
    for t in range(length - 1, -1, -1):
        # padding (t beyond a document's last token) keeps the document's best last label waiting
        inside = last >= t
        paths[t] = np.where(inside, label, OUT)
        if t:
            label = np.where(inside, back_flat[t][label * m_cols + cols], label)
    # spans of all documents and types together (padding is O, so no span crosses a document)
    margin_tok = np.maximum(em[:, 1], em[:, 2]) - em[:, 0]  # (length, columns)
    out: list[tuple[int, int, int, int, float]] = []
    for k in range(n_types):
        p = paths[:, k::n_types].T.ravel()  # document by document
        ent = p != OUT
        prev = np.concatenate(([OUT], p[:-1]))
        nxt = np.concatenate((p[1:], [OUT]))
        starts = np.flatnonzero((p == BEGIN) | ((p == INSIDE) & (prev == OUT)))
        ends = np.flatnonzero(ent & (nxt != INSIDE)) + 1
        if not len(starts):
            continue
        cs = np.concatenate(([0.0], np.cumsum(margin_tok[:, k::n_types].T.ravel(), dtype=np.float64)))
        margins = (cs[ends] - cs[starts]) / (ends - starts)
        d = starts // length
        for di, a, b, m in zip(d.tolist(), (starts % length).tolist(), (ends - d * length).tolist(),
                               margins.tolist(), strict=True):
            out.append((di, k, a, b, m))
    return out
