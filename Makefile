# Two commands set up a fresh machine: `make analyse` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= corpus
OUT    ?= outputs
JOBS   ?=

.PHONY: install analyse analyze test notebooks bench lab lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[notebooks,test,bench]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

analyse: install
	$(BIN)/mrhistory analyse $(CORPUS) --out $(OUT) $(if $(JOBS),--jobs $(JOBS))

analyze: analyse

# Two parts, both always run and reported; `make test` fails if either failed:
#  1. the toolkit's own tests (fixtures under tests/) and the outputs regression (outputs/ against a
#     fresh analysis of corpus/);
#  2. the reproducibility of the notebooks: every notebook re-run under nbval against its stored outputs.
STALE := if you changed corpus/ or the code on purpose, run: make notebooks  (then look at git diff and commit outputs/ and notebooks/)
test: install
	@status=0; \
	$(BIN)/python -m pytest tests || { status=1; echo 'make test: part 1 (tests/) FAILED; $(STALE)'; }; \
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg notebooks \
	  || { status=1; echo 'make test: part 2 (notebooks under nbval) FAILED: their stored outputs differ from what they give now; $(STALE)'; }; \
	if [ $$status -eq 0 ]; then echo 'make test: both parts passed'; fi; \
	exit $$status

# After an intended change (new columns in corpus/, a new version of the code): refresh outputs/,
# then re-execute every notebook in place (and mark it trusted), so that `make test` is green again.
notebooks: analyse
	$(BIN)/python -m tools.notebooks execute notebooks

# Speed and memory of `mrhistory analyse` against a bare spaCy pass, measured in the same run (~15 min).
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
