# PermitHub — two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint migration clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/permithub init
	$(BIN)/permithub demo
	$(BIN)/permithub serve --host 127.0.0.1 --port 8000

# Two worker processes (pytest-xdist): CI has two cores; each worker has databases of its own.
TEST_WORKERS ?= 2

test: install
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(BIN)/python -m pytest -q -p no:cacheprovider \
	  -n $(TEST_WORKERS) --dist worksteal

# ruff, then the import contracts of pyproject.toml ([tool.importlinter]): layers and boundaries.
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# New migration on a domain's branch: make migration DOMAIN=quiz MSG="question bank"
migration: install
	$(BIN)/python -m migrations.new_revision $(DOMAIN) "$(MSG)"

clean:
	rm -rf $(VENV) var
