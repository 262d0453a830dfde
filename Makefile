# InstDesk developer commands. `make run` and `make test` work from a clean clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QM := resources/i18n/instdesk_en.qm

.PHONY: run test test-slow lint typecheck contracts bench build smoke-frozen clean setup translations

# Offscreen Qt for the targets that run headless (tests, benchmarks, the frozen smoke test); never for
# `run`, which opens a real window on the desktop (and says so in one line when there is no display).
test test-slow bench smoke-frozen: export QT_QPA_PLATFORM ?= offscreen

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# The English catalogue, compiled from the committed .ts (the .qm is not committed).
$(QM): resources/i18n/instdesk_en.ts $(STAMP)
	$(BIN)/python scripts/build_translations.py
	@touch $@

translations: $(QM)

setup: $(STAMP) $(QM)

run: $(STAMP) $(QM)
	$(BIN)/python -m instdesk gui --demo

build: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean build.spec

smoke-frozen: build
	INSTDESK_FROZEN_APP=dist/instdesk-$$($(BIN)/python -c "from importlib.metadata import version; print(version('instdesk'))")/instdesk \
		$(BIN)/python -m pytest -m slow -q tests/ui/test_frozen.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy instdesk app localdb sync ui platform_server bench tests

contracts: $(STAMP)
	$(BIN)/lint-imports

test: $(STAMP) $(QM) lint typecheck contracts
	$(BIN)/python -m pytest -m "not slow" -q

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow -q

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
