# The two entry points named in the README: `make build` and `make test`.
# Both create the virtual environment and install what they need first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test system-deps clean

build: $(STAMP) system-deps
	$(BIN)/gbstd build

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

system-deps:
	@bash scripts/ensure-system-deps.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { bash scripts/ensure-system-deps.sh venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf build
