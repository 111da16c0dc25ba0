# The two entry points named in the README: `make build` and `make test`.
# Both create the virtual environment and install what they need first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test system-deps clean

build: $(STAMP) system-deps
	$(BIN)/gbstd build

test: $(STAMP) system-deps node_modules/.installed
	$(BIN)/python -m pytest

# axe-core (accessibility rules the browser tests inject into the built pages), pinned in package.json
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

system-deps:
	@bash scripts/ensure-system-deps.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { bash scripts/ensure-system-deps.sh venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf build
