# Two commands matter: `make site` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
AS_OF ?=

.PHONY: setup site test lint typecheck serve validate schema bench bench-site lock clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/portfolio validate $(if $(AS_OF),--as-of $(AS_OF))

site: $(STAMP)
	$(BIN)/portfolio build $(if $(AS_OF),--as-of $(AS_OF))

serve: $(STAMP)
	$(BIN)/portfolio serve

schema: $(STAMP)
	$(BIN)/portfolio schema

# axe-core for tests/test_accessibility.py, pinned in package-lock.json. Only `make test`
# needs npm; without it the axe tests are skipped (and fail under CI, where CI is set).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund && touch $(NODE_STAMP); \
	else echo "npm not found: the axe-core tests will be skipped (they fail when CI is set)"; fi

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/validate_bench.py

bench-site: $(STAMP)
	$(BIN)/python benchmarks/portfolio_bench.py

lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -e '.[dev]'
	{ echo "# Pinned versions for the venv that 'make' builds (CI and newcomers get the same)."; \
	  echo "# Regenerate: make lock"; .lockvenv/bin/pip freeze --exclude-editable; } > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) site node_modules .pytest_cache .mypy_cache .ruff_cache
