# paperkg: two commands on a fresh machine — `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: demo test install install-test lint neo4j-jars bench clean model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# setuptools prints a ten-line notice on every editable install of a flat layout; it is about editable
# installs in general, not this project, so only that message is silenced
PIP := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip

$(VENV)/.installed: $(BIN)/python pyproject.toml setup.py
	$(PIP) install -q -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## demo: build the graph from the sample corpus, write the viewer, run two named queries
demo: install
	$(BIN)/paperkg build data/hf_trending_papers.txt --out $(OUT)
	$(BIN)/paperkg query top-methods --param limit=10 --store embedded:$(OUT)
	$(BIN)/paperkg query methods-on-benchmark --param "benchmark=DeepMind Control Suite" --param limit=8 --store embedded:$(OUT)
	@echo "Open $(OUT)/view.html in a browser; more queries: $(BIN)/paperkg query --list"

## test: lint + the whole suite (Neo4j and browser tests skip unless their servers exist;
## REQUIRE_NEO4J=1 / REQUIRE_BROWSER=1 turn those skips into failures, as in CI)
test: install-test neo4j-jars
	$(BIN)/ruff check graphbuild tests bench scripts
	$(BIN)/python -m pytest

neo4j-jars:
	@if command -v mvn >/dev/null 2>&1 && [ -f tests/neo4j/install.sh ]; then bash tests/neo4j/install.sh; \
	else echo "Maven not found: Neo4j tests will be skipped"; fi

## model: retrain the shipped extractor model from ../shared (word clusters, then the span tagger);
## deterministic (the same inputs give the same bytes), ~10 min on 2 cores
SHARED ?= ../shared
model: install
	$(BIN)/pip install -q -e '.[model]'
	$(BIN)/python scripts/word_clusters.py $(SHARED)/corpus/mlanthology.jsonl.gz
	$(BIN)/python scripts/train_tagger.py $(SHARED)/data

lint: install-test
	$(BIN)/ruff check graphbuild tests bench scripts

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
