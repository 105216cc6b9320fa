"""Word clusters for the tagger's features, learned from the ML Anthology corpus (deterministic).

    python scripts/word_clusters.py ../shared/corpus/mlanthology.jsonl.gz

Tokenizes titles + abstracts with paperkg's tokenizer (gold papers excluded, see
``tests/gold/excluded_ids.txt``), counts lowercase co-occurrences within ±2 tokens between the
``--words`` most frequent words and the ``--contexts`` most frequent contexts, weighs them by
positive PMI, reduces each word to ``--dims`` dimensions (randomized SVD, fixed seed) and clusters
the unit vectors with k-means twice: ``--fine`` clusters, then ``--coarse`` clusters of the fine
centroids. Writes ``graphbuild/data/model/clusters.npz`` (spaCy's 64-bit hash of each word → fine
and coarse cluster ids, sorted by hash) and ``clusters.json`` (sizes and example words per cluster,
for reading). Single-threaded BLAS keeps the output byte-identical across runs.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "graphbuild" / "data" / "model"


def excluded_ids() -> set[str]:
    lines = (ROOT / "tests" / "gold" / "excluded_ids.txt").read_text("utf-8").splitlines()
    return {x for x in lines if x and not x.startswith("#")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--papers", type=int, default=80_000, help="papers read (a fixed every-k-th sample)")
    ap.add_argument("--words", type=int, default=30_000)
    ap.add_argument("--contexts", type=int, default=4_000)
    ap.add_argument("--dims", type=int, default=96)
    ap.add_argument("--fine", type=int, default=400)
    ap.add_argument("--coarse", type=int, default=40)
    a = ap.parse_args()

    import scipy.sparse as sp
    from sklearn.cluster import KMeans
    from sklearn.utils.extmath import randomized_svd

    from graphbuild.extract.pipeline import ExtractorConfig, build_nlp
    from graphbuild.extract.tagger import write_npz

    nlp = build_nlp(ExtractorConfig(extractor="rules"))  # the tokenizer: the tagger needs the clusters
    skip = excluded_ids()
    with gzip.open(a.corpus, "rt", encoding="utf-8") as f:
        rows = [json.loads(x) for x in f]
    step = max(1, len(rows) // a.papers)
    texts = [f"{r['title']}\n\n{r['abstract']}" for r in rows[::step] if r["id"] not in skip][: a.papers]
    del rows
    docs: list[list[str]] = []
    counts: Counter[str] = Counter()
    for doc in nlp.tokenizer.pipe(texts, batch_size=256):
        words = [t.lower_ for t in doc if not t.is_space]
        counts.update(words)
        docs.append(words)
    vocab = [w for w, c in counts.most_common() if c >= 5][: a.words]
    contexts = vocab[: a.contexts]
    wid = {w: i for i, w in enumerate(vocab)}
    cid = {w: i for i, w in enumerate(contexts)}
    # all papers in one array, two padding tokens between papers so no window crosses them
    w_all, c_all = [], []
    for words in docs:
        w_all += [wid.get(w, -1) for w in words] + [-1, -1]
        c_all += [cid.get(w, -1) for w in words] + [-1, -1]
    w_arr, c_arr = np.array(w_all, dtype=np.int64), np.array(c_all, dtype=np.int64)
    keys_list = []
    for off in (-2, -1, 1, 2):
        w = w_arr[max(0, -off) : len(w_arr) - max(0, off)]
        c = c_arr[max(0, off) : len(c_arr) - max(0, -off)]
        ok = (w >= 0) & (c >= 0)
        keys_list.append(w[ok] * len(contexts) + c[ok])
    uniq, cnt = np.unique(np.concatenate(keys_list), return_counts=True)
    keys = np.stack([uniq // len(contexts), uniq % len(contexts)], axis=1)
    vals = cnt.astype(np.float64)
    m = sp.csr_matrix((vals, (keys[:, 0], keys[:, 1])), shape=(len(vocab), len(contexts)))
    total = m.sum()
    row = np.asarray(m.sum(axis=1)).ravel()
    col = np.asarray(m.sum(axis=0)).ravel() ** 0.75  # context smoothing (Levy & Goldberg)
    col = col / col.sum() * total
    coo = m.tocoo()
    pmi = np.log(coo.data * total / (row[coo.row] * col[coo.col]))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=m.shape)
    u, s, _ = randomized_svd(ppmi, a.dims, random_state=0)
    vec = u * np.sqrt(s)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    fine = KMeans(a.fine, n_init=1, random_state=0).fit(vec)
    coarse = KMeans(a.coarse, n_init=1, random_state=0).fit(fine.cluster_centers_)
    fine_ids = fine.labels_.astype(np.uint64) + 1
    coarse_ids = coarse.labels_[fine.labels_].astype(np.uint64) + 1
    hashes = np.array([nlp.vocab.strings.add(w) for w in vocab], dtype=np.uint64)
    order = np.argsort(hashes)
    OUT.mkdir(parents=True, exist_ok=True)
    write_npz(OUT / "clusters.npz", {"keys": hashes[order], "fine": fine_ids[order], "coarse": coarse_ids[order]})
    by_cluster: dict[int, list[str]] = {}
    for w, c in zip(vocab, fine.labels_.tolist(), strict=True):
        by_cluster.setdefault(c, []).append(w)
    summary = {
        "source": "ML Anthology corpus (rbnyng/mlanthology @ a9a5c3f0): titles + abstracts, gold papers excluded",
        "papers": len(texts), "words": len(vocab), "contexts": len(contexts), "dims": a.dims,
        "fine": a.fine, "coarse": a.coarse,
        "examples": {str(c): ws[:12] for c, ws in sorted(by_cluster.items())},
    }  # fmt: skip
    (OUT / "clusters.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(vocab)} words from {len(texts)} papers → {a.fine} clusters ({a.coarse} coarse): {OUT}")


if __name__ == "__main__":
    main()
