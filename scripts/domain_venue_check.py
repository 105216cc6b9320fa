"""Venue check of domain assignment on ML Anthology papers (issue 13): a rough generalization check.

The venue in an ML Anthology id (``mla:<author><year><venue>-<slug>``) tells a domain family for some venues
(CVPR/ICCV/ECCV/WACV → vision, COLT/ALT → learning theory, MIDL → medical imaging, ...). Per venue group this
prints the share of sampled papers given a domain of the family, an off-area domain, and no domain at all.
Every gold id (tests/gold/excluded_ids.txt) is left out; ``--skip`` leaves out an earlier sample's ids so a
change chosen on one sample can be confirmed on a disjoint one.

    .venv/bin/python scripts/domain_venue_check.py --repo . --seed 7
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
import sys
import tempfile
from pathlib import Path

VISION = {"Computer Vision", "3D Vision", "Video Understanding", "Medical Imaging", "Autonomous Driving",
          "Multimodal Learning"}
THEORY = {"Learning Theory", "Bandits and Online Learning", "Generalization Theory"}
#: group → (venues, domain family, off-area domains)
GROUPS = {
    "vision": ({"cvpr", "iccv", "eccv", "wacv"}, VISION,
               {"Learning Theory", "Bandits and Online Learning", "Natural Language Processing",
                "Large Language Models", "Kernel Methods"}),
    "theory": ({"colt", "alt"}, THEORY,
               VISION | {"Natural Language Processing", "Large Language Models", "Speech and Audio", "Robotics"}),
    "robotics": ({"corl"}, {"Robotics", "Autonomous Driving"}, set()),
    "medical": ({"midl"}, {"Medical Imaging"}, set()),
    "health": ({"mlhc", "chil"}, {"Neuroscience and Biomedical", "Medical Imaging"}, set()),
    "causal": ({"clear"}, {"Causal Inference"}, set()),
    "graph": ({"log"}, {"Graph Learning"}, set()),
    "continual": ({"collas"}, {"Continual Learning"}, set()),
    "automl": ({"automl"}, {"Neural Architecture Search", "Meta-Learning"}, set()),
    "control": ({"l4dc"}, {"Reinforcement Learning", "Robotics", "Optimization", "Learning Theory"}, set()),
    "probabilistic": ({"pgm", "isipta"}, {"Probabilistic Methods and Bayesian Inference"}, set()),
    "general": ({"neurips", "icml", "iclr"}, set(), set()),
}
VENUE = re.compile(r"mla:[a-z]+\d{4}([a-z0-9]+)-")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", type=Path, required=True, help="the checkout whose extractor is measured")
    ap.add_argument("--corpus", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared" / "corpus" / "mlanthology.jsonl.gz")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--per-group", type=int, default=300, help="papers per venue group (fewer if the venue has fewer)")
    ap.add_argument("--skip", type=Path, action="append", default=[], help="JSONL of ids to leave out (a sample)")
    ap.add_argument("--save", type=Path, help="write the sample (JSONL) here")
    args = ap.parse_args()
    sys.path.insert(0, str(args.repo))
    excluded = {line.strip() for line in (args.repo / "tests/gold/excluded_ids.txt").open() if line.startswith("mla:")}
    for f in args.skip:
        excluded |= {json.loads(line)["id"] for line in f.open()}
    by_group: dict[str, list[dict]] = collections.defaultdict(list)
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            m = VENUE.match(r["id"])
            if not m or r["id"] in excluded or len(r.get("abstract") or "") < 200:
                continue
            for g, (venues, _, _) in GROUPS.items():
                if m.group(1) in venues:
                    by_group[g].append(r)
    rng = random.Random(args.seed)
    sample = [(g, r) for g in GROUPS for r in rng.sample(by_group[g], min(args.per_group, len(by_group[g])))]
    if args.save:
        args.save.write_text("".join(json.dumps({"id": r["id"], "group": g}) + "\n" for g, r in sample))

    from graphbuild.extract import to_record
    from graphbuild.extract.pipeline import ExtractorConfig, extract
    from graphbuild.ingest import read_papers

    with tempfile.TemporaryDirectory() as tmp:
        papers_file = Path(tmp) / "papers.jsonl"
        papers_file.write_text("".join(json.dumps({k: r[k] for k in ("id", "title", "abstract")}) + "\n"
                                       for _, r in sample))
        records = [to_record(x) for x in extract(list(read_papers([papers_file])), config=ExtractorConfig())]
    stats: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for (g, _), rec in zip(sample, records, strict=True):
        got = {d["name"] for d in rec.get("domains", [])}
        _, family, off = GROUPS[g]
        s = stats[g]
        s["n"] += 1
        s["family"] += bool(got & family)
        s["off"] += bool(got & off)
        s["none"] += not got
        s["k"] += len(got)
    print("| group | papers | with a family domain | off-area | no domain | domains per paper |")
    print("|---|---:|---:|---:|---:|---:|")
    for g, s in stats.items():
        n = s["n"]
        fam = f"{s['family'] / n:.1%}" if GROUPS[g][1] else ""
        off = f"{s['off'] / n:.1%}" if GROUPS[g][2] else ""
        print(f"| {g} | {n} | {fam} | {off} | {s['none'] / n:.1%} | {s['k'] / n:.2f} |")


if __name__ == "__main__":
    main()
