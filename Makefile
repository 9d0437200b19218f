# gongfu — two commands matter: `make demo` and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
REGIONS := src/gongfu/regions/data/regions.csv.gz
VENDOR  := src/gongfu/web/static/vendor/redoc.standalone.js

.PHONY: setup system-deps demo test bench lint clean

setup: $(STAMP) $(REGIONS) $(VENDOR) system-deps

system-deps:
	@bash scripts/system-deps.sh

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(REGIONS): node_modules/.package-lock.json src/gongfu/regions/build.py
	$(BIN)/python -m gongfu.regions.build --node-modules node_modules

$(VENDOR): node_modules/.package-lock.json src/gongfu/web/vendor.py
	$(BIN)/python -m gongfu.web.vendor --node-modules node_modules

demo: setup
	$(BIN)/python scripts/demo.py

# Test files run on every core (pytest-xdist), a file's tests in one process so its module fixtures are set up once.
TEST_WORKERS ?= auto
test: setup
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --durations=25

bench: setup
	$(BIN)/python benchmarks/run_all.py

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy  # the pure packages listed in pyproject.toml [tool.mypy]

clean:
	rm -rf $(VENV) node_modules build dist demo-output gongfu.db
