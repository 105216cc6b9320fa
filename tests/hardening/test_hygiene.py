"""Issue 17 item 12: tests cannot hide defects behind skips of our own code or of installed dependencies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_SKIP = re.compile(r"importorskip\(\s*['\"]([\w.]+)['\"]")


def _installed_by_make_test() -> set[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    reqs = [*meta["dependencies"], *meta["optional-dependencies"]["test"]]
    return {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower().replace("-", "_") for r in reqs}


def test_no_importorskip_of_our_modules_or_dependencies() -> None:
    deps = _installed_by_make_test()
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for m in _SKIP.finditer(path.read_text("utf-8")):
            top = m.group(1).split(".")[0].lower()
            if top == "graphbuild" or top in deps:
                offenders.append(f"{path.relative_to(ROOT)}: importorskip({m.group(1)!r})")
    assert offenders == [], "an import error must fail, not skip: " + "; ".join(offenders)


def test_the_check_sees_dependencies() -> None:
    deps = _installed_by_make_test()
    assert {"ladybug", "neo4j", "spacy", "wordfreq", "hypothesis"} <= deps
