# Two commands set up a fresh machine: `make analyse` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= corpus
OUT    ?= outputs
JOBS   ?= 1

.PHONY: install analyse analyze test notebooks bench lab lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[notebooks,test,bench]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

analyse: install
	$(BIN)/mrhistory analyse $(CORPUS) --out $(OUT) --jobs $(JOBS)

analyze: analyse

# The test suite (including the outputs/ regression), then every notebook under nbval.
test: install
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg notebooks

# After an intended change: refresh outputs/, then re-execute every notebook in place.
notebooks: analyse
	$(BIN)/python -m tools.notebooks execute notebooks

bench: install
	$(BIN)/python -m benchmarks

lab: install
	$(BIN)/jupyter lab --notebook-dir=.

# Refresh requirements.lock from a clean environment (maintainers only).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet ".[notebooks,test,bench]"
	.lock-venv/bin/python -m pip freeze --exclude mrhistory > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .cache .pytest_cache
