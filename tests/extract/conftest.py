from __future__ import annotations

from pathlib import Path

import pytest

from graphbuild.extract.pipeline import ExtractorConfig, build_nlp
from graphbuild.extract.rules import load_rules
from graphbuild.extract.vocabulary import load_vocabulary
from graphbuild.model import Paper

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def config() -> ExtractorConfig:
    return ExtractorConfig(vocab_dir=str(FIXTURES / "vocab"), taxonomy_file=str(FIXTURES / "domains.yaml"))


@pytest.fixture(scope="session")
def nlp(config: ExtractorConfig):
    return build_nlp(config)


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture(scope="session")
def vocab(config: ExtractorConfig):
    return load_vocabulary(config.vocab_dir)


@pytest.fixture(scope="session")
def make_paper():
    return _make_paper


def _make_paper(title: str, abstract: str, pid: str = "p1", categories: tuple[str, ...] = ()) -> Paper:
    return Paper(
        id=pid,
        title=title,
        abstract=abstract,
        title_norm=" ".join(title.split()),
        abstract_norm=" ".join(abstract.split()),
        categories=categories,
        source=f"test:{pid}",
    )
