# The two entry points named in the README: `make build` and `make test`.
# Both create the virtual environment and install what they need first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHELL  := /bin/bash

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

# pip prints a line per package it collects and installs: the install is never silent.
$(STAMP): pyproject.toml
	@echo "make: [1/3] 创建虚拟环境 $(VENV)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { bash scripts/ensure-system-deps.sh venv && $(PYTHON) -m venv $(VENV); }
	@echo "make: [2/3] 更新 pip"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "make: [3/3] 安装 gbstd 及其依赖（首次需要几分钟）"
	@set -o pipefail; $(BIN)/python -m pip install --progress-bar off -e '.[test]' \
	  | awk '/^(Collecting|Installing|Successfully)/ { print "    " $$0; fflush() }'
	@$(BIN)/python -m compileall -q toolchain sphinx_ext >/dev/null   # as pip does for a wheel
	@touch $(STAMP)

clean:
	rm -rf build
