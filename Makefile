# Two commands matter: `make site` and `make test`. Both set up .venv first: the site
# needs only the runtime lock (requirements.lock), the tests add the development one
# (requirements-dev.lock: the same runtime pins plus the test, lint and type tools).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
PIP := pip==26.3
LOCK_TOOLS := $(PIP) pip-tools==7.6.2
LOCK_ARGS ?=
NODE_STAMP := node_modules/.installed
AS_OF ?=

.PHONY: setup setup-dev site test lint typecheck serve validate schema bench bench-site bench-scale lock clean

setup: $(RUNTIME)

setup-dev: $(DEV)

$(RUNTIME): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(PIP)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(DEV): $(RUNTIME) requirements-dev.lock
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

validate: $(RUNTIME)
	$(BIN)/portfolio validate $(if $(AS_OF),--as-of $(AS_OF))

site: $(RUNTIME)
	$(BIN)/portfolio build $(if $(AS_OF),--as-of $(AS_OF))

serve: $(RUNTIME)
	$(BIN)/portfolio serve

schema: $(RUNTIME)
	$(BIN)/portfolio schema

# axe-core for tests/test_accessibility.py, pinned in package-lock.json. Only `make test`
# needs npm; without it the axe tests are skipped (and fail under CI, where CI is set).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund && touch $(NODE_STAMP); \
	else echo "npm not found: the axe-core tests will be skipped (they fail when CI is set)"; fi

lint: $(DEV)
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/ruff check generator tests benchmarks

typecheck: $(DEV)
	$(BIN)/mypy

test: $(DEV) $(NODE_STAMP) lint typecheck
	$(BIN)/pytest -q

# The benchmarks import only the standard library and generator/.
bench: $(RUNTIME)
	$(BIN)/python benchmarks/validate_bench.py

bench-site: $(RUNTIME)
	$(BIN)/python benchmarks/portfolio_bench.py

# Every figure of the scale targets: 1,000 records in full (cold, warm, serve, plain),
# growth per 1,000 and peak memory at 3,000 and 10,000, and validate of 10,000 records.
bench-scale: $(RUNTIME)
	$(BIN)/python benchmarks/portfolio_bench.py --repeat 3 1000
	$(BIN)/python benchmarks/portfolio_bench.py --repeat 1 --skip-serve --skip-plain 1000 3000 10000
	$(BIN)/python benchmarks/validate_bench.py

# Keeps every pin that still fits pyproject.toml; `make lock LOCK_ARGS=--upgrade` moves
# everything to the newest versions, `LOCK_ARGS="-P mkdocs"` one package. The dev lock is
# constrained by the runtime lock, so a package in both has the same version in both.
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/python -m pip install --quiet $(LOCK_TOOLS)
	CUSTOM_COMPILE_COMMAND="make lock" .lockvenv/bin/pip-compile --quiet --strip-extras \
	  --no-emit-options $(LOCK_ARGS) -o requirements.lock pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" .lockvenv/bin/pip-compile --quiet --strip-extras \
	  --no-emit-options $(LOCK_ARGS) --extra dev -c requirements.lock \
	  -o requirements-dev.lock pyproject.toml
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) site .portfolio-build node_modules .pytest_cache .mypy_cache .ruff_cache
