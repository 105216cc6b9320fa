"""Train the learned span tagger (``make model``): one linear-chain CRF per mention type.

    python scripts/train_tagger.py ../shared/data                 # train, write the model, score dev
    python scripts/train_tagger.py ../shared/data --eval-only      # score the shipped model on dev
    python scripts/train_tagger.py ../shared/data --eval-only --split test   # rarely: the test splits

Reads the annotated corpora (``scripts/tagger_corpora.py``: TDMSci, CS-NER, SciREX, SciERC; train
splits of ``scripts/splits``), runs paperkg's rule pipeline on every text (its vocabulary matches,
discovered names and acronym definitions are features), and trains with python-crfsuite (L-BFGS,
fixed settings: the same data gives the same model). The weights are written with the feature
templates' names to ``graphbuild/data/model/tagger.npz``, and a model card (data, settings, dev
scores) to ``graphbuild/data/model/tagger.json``.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tagger_corpora import TYPES, Example, corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "graphbuild" / "data" / "model"

#: which data sets teach each type (each annotates that type; see tagger_corpora). Chosen on the dev
#: splits: CS-NER ACL titles and SciREX's broad Method spans taught descriptions ("loss function")
#: as methods and cost CS-NER exact F1 (dev 0.77 vs 0.92 with PwC alone); datasets gain from silver
#: ML Anthology texts (TDMSci dev 0.39 → 0.43, SciREX 0.28 → 0.39, CRF alone).
TRAIN_SETS = {
    "method": ("csner-pwc",),
    "benchmark": ("tdmsci", "silver-benchmark"),
    "task": ("csner-pwc", "tdmsci", "scierc"),
}
SILVER_TEXTS = 2500
EVAL_SETS = ("tdmsci", "csner-pwc", "scirex", "scierc")
SETTINGS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
GAZ_DROPOUT = 0.3  # share of rule/vocabulary spans hidden from a training text (see ``rule_dropout``)


def run_rules(nlp, examples: Sequence[Example]) -> list:
    """Docs of the examples after paperkg's rule components (as ``run_documents`` runs them)."""
    from graphbuild.extract.components import paper_doc

    procs = [proc for name, proc in nlp.pipeline if name != "paperkg_tagger"]
    docs = []
    batch = 256
    for i in range(0, len(examples), batch):
        chunk = [paper_doc(nlp.make_doc, ((e.field, e.text),)) for e in examples[i : i + batch]]
        for proc in procs:
            chunk = [proc(d) for d in chunk]
        docs.extend(chunk)
    return docs


def rule_dropout(doc, rng: random.Random) -> None:
    """Hide a share of the rule findings of a training Doc.

    The vocabulary was partly harvested from the same kind of documents, so on training texts
    the rules are right more often than on new papers; hiding some of them teaches the model
    to use the words too.
    """
    from graphbuild.extract.components import CANDIDATES

    cands = doc.user_data.get(CANDIDATES) or {}
    doc.user_data[CANDIDATES] = {f: [c for c in cs if rng.random() >= GAZ_DROPOUT] for f, cs in cands.items()}


def token_labels(doc, spans: Iterable[tuple[int, int, str]], etype: str) -> list[str]:
    """O/B/I per token for one type; a span covers the tokens its characters touch."""
    from spacy.attrs import IDX

    starts = doc.to_array(IDX).astype(np.int64) if len(doc) else np.zeros(0, np.int64)
    labels = ["O"] * len(doc)
    for s, e, t in sorted(spans):
        if t != etype:
            continue
        a = int(starts.searchsorted(s, "right")) - 1
        b = int(starts.searchsorted(e - 1, "right"))
        if a < 0 or b <= a or any(x != "O" for x in labels[a:b]):
            continue
        labels[a] = "B"
        for k in range(a + 1, b):
            labels[k] = "I"
    return labels


def featurize(nlp, examples: Sequence[Example], dropout: bool) -> list[np.ndarray]:
    from graphbuild.extract.components import tagger_base
    from graphbuild.extract.tagger import features, load_clusters

    clusters = load_clusters()
    docs = run_rules(nlp, examples)
    rng = random.Random(13)
    out = []
    for ex, doc in zip(examples, docs, strict=True):
        if ex.hide_vocabulary:
            hide_vocabulary(doc)
        elif dropout:
            rule_dropout(doc, rng)
        out.append(features(tagger_base(doc, clusters), BITS))
    return docs, out


def hide_vocabulary(doc) -> None:
    """Silver labels are the vocabulary's matches: the model must learn them from the words."""
    from graphbuild.extract.components import CANDIDATES

    cands = doc.user_data.get(CANDIDATES) or {}
    doc.user_data[CANDIDATES] = {f: [c for c in cs if c.rule != "vocabulary"] for f, cs in cands.items()}


BITS = 20


def train(data: Path, out: Path) -> dict:
    import pycrfsuite

    from graphbuild.extract.pipeline import ExtractorConfig, build_nlp
    from graphbuild.extract.tagger import LABELS, save_model

    nlp = build_nlp(ExtractorConfig(extractor="rules"))
    sets = sorted({s for v in TRAIN_SETS.values() for s in v})
    from tagger_corpora import silver

    corpus_file = data.parent / "corpus" / "mlanthology.jsonl.gz"
    examples = {name: list(silver(corpus_file, name.removeprefix("silver-"), SILVER_TEXTS, nlp))
                if name.startswith("silver-") else list(corpus(data, name, "train")) for name in sets}
    feats: dict[str, tuple[list, list[np.ndarray]]] = {}
    for name, exs in examples.items():
        t0 = time.perf_counter()
        feats[name] = featurize(nlp, exs, dropout=True)
        print(f"{name}: {len(exs)} texts featurized in {time.perf_counter() - t0:.1f}s", flush=True)
    state: dict[str, dict[tuple[int, int], float]] = {}
    transitions: dict[str, np.ndarray] = {}
    card: dict = {"settings": SETTINGS, "bits": BITS, "rule_dropout": GAZ_DROPOUT, "silver_texts": SILVER_TEXTS,
                  "train": {}}
    for etype in TYPES:
        trainer = pycrfsuite.Trainer(verbose=False)
        trainer.set_params(SETTINGS)
        n_texts = n_spans = 0
        for name in TRAIN_SETS[etype]:
            docs, fs = feats[name]
            for ex, doc, f in zip(examples[name], docs, fs, strict=True):
                if etype not in ex.types or len(doc) == 0:
                    continue
                labels = token_labels(doc, ex.spans, etype)
                trainer.append([[str(i) for i in row] for row in f.tolist()], labels)
                n_texts += 1
                n_spans += labels.count("B")
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            path = f"{tmp}/{etype}.crfsuite"
            trainer.train(path)
            tagger = pycrfsuite.Tagger()
            tagger.open(path)
            info = tagger.info()
        idx = {lab: i for i, lab in enumerate(LABELS)}
        state[etype] = {(int(a), idx[lab]): w for (a, lab), w in info.state_features.items()}
        trans = np.zeros((3, 3), dtype=np.float32)
        for (a, b), w in info.transitions.items():
            trans[idx[a], idx[b]] = w
        # transitions the data never shows (O → I) get a prohibitive weight, as crfsuite's own
        # decoder effectively does with "possible transitions" it learned to be very negative
        trans[idx["O"], idx["I"]] = min(trans[idx["O"], idx["I"]], -1e4)
        transitions[etype] = trans
        card["train"][etype] = {"sets": list(TRAIN_SETS[etype]), "texts": n_texts, "spans": n_spans,
                                "features": len(state[etype]), "seconds": round(time.perf_counter() - t0, 1)}
        print(f"{etype}: {n_texts} texts, {n_spans} spans, {len(state[etype])} weights", flush=True)
    save_model(out / "tagger.npz", TYPES, BITS, state, transitions, {"card": "tagger.json"})
    return card


def evaluate(data: Path, split: str, model_file: Path | None = None) -> dict:
    """Exact and overlap span P/R/F1 per data set and type (only types the data set annotates)."""
    from graphbuild.extract.components import TAGGED
    from graphbuild.extract.pipeline import ExtractorConfig, build_nlp

    nlp = build_nlp(ExtractorConfig(model_file=str(model_file) if model_file else None))
    tagger = nlp.get_pipe("paperkg_tagger")
    report: dict = {}
    for name in EVAL_SETS:
        exs = list(corpus(data, name, split))
        docs = run_rules(nlp, exs)
        docs = tagger.pipe_batch(docs)
        for etype in TYPES:
            tp = fp = fn = otp = ofn = ofp = 0
            for ex, doc in zip(exs, docs, strict=True):
                if etype not in ex.types:
                    continue
                gold = {(s, e) for s, e, t in ex.spans if t == etype}
                pred = {(s, e) for spans in (doc.user_data.get(TAGGED) or {}).values()
                        for t, s, e, _ in spans if t == etype}
                tp += len(gold & pred)
                fp += len(pred - gold)
                fn += len(gold - pred)
                otp += sum(any(s < pe and ps < e for ps, pe in pred) for s, e in gold)
                ofn += sum(not any(s < pe and ps < e for ps, pe in pred) for s, e in gold)
                ofp += sum(not any(s < ge and gs < e for gs, ge in gold) for s, e in pred)
            if tp + fn == 0:
                continue
            p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
            op, orr = 1 - ofp / max(1, tp + fp), otp / max(1, otp + ofn)
            report[f"{name}/{etype}"] = {
                "exact": {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / max(1e-9, p + r), 3)},
                "overlap": {"p": round(op, 3), "r": round(orr, 3)},
                "gold": tp + fn, "predicted": tp + fp,
            }
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared_data", type=Path)
    ap.add_argument("--eval-only", action="store_true")
    ap.add_argument("--split", default="dev", choices=("dev", "test"))
    a = ap.parse_args()
    card = None
    if not a.eval_only:
        t0 = time.perf_counter()
        card = train(a.shared_data, MODEL)
        card["train_seconds"] = round(time.perf_counter() - t0, 1)
    report = evaluate(a.shared_data, a.split)
    for k, v in report.items():
        print(f"{k:28s} exact P {v['exact']['p']:.3f} R {v['exact']['r']:.3f} F1 {v['exact']['f1']:.3f}   "
              f"overlap P {v['overlap']['p']:.3f} R {v['overlap']['r']:.3f}   gold {v['gold']}")
    if card is not None:
        card["dev"] = report
        card["sources"] = "graphbuild/data/SOURCES.md"
        (MODEL / "tagger.json").write_text(json.dumps(card, indent=1, sort_keys=True) + "\n", "utf-8")


if __name__ == "__main__":
    main()
