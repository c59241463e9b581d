# The one way to run regionews. Everything installs from uv.lock into .venv.
PYTHON ?= python3.11
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

PREFECT_PORT ?= 4200
PREFECT_API := http://127.0.0.1:$(PREFECT_PORT)/api

.PHONY: demo test lint sync clean bench prefect-server serve

# uv lives in its own small venv so `uv sync` never removes it from the project's.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --locked --python $(PYTHON) --quiet
	@touch $@

sync: $(VENV)/.synced

demo: sync
	$(VENV)/bin/regionews demo

# A local Prefect server keeps the schedules `serve` registers (state in ~/.prefect, SQLite).
# In another terminal: export PREFECT_API_URL=$(PREFECT_API), then `make serve`.
prefect-server: sync
	$(VENV)/bin/prefect server start --host 127.0.0.1 --port $(PREFECT_PORT)

serve: sync
	PREFECT_API_URL=$${PREFECT_API_URL:-$(PREFECT_API)} $(VENV)/bin/regionews serve

test: sync lint
	$(VENV)/bin/pytest

lint: sync
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Benchmarks against trafilatura and gne: not part of `make test`; installs the bench group on top.
bench: $(UV)
	$(UV) sync --locked --group bench --python $(PYTHON) --quiet
	$(VENV)/bin/python -m bench.run --out bench/RESULTS.md

clean:
	rm -rf $(VENV) $(TOOLS) data
