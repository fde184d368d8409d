# VendorTrack's commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app vendortrack
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format bench translations messages install test-services clean

# The venv is rebuilt only when the dependencies change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

# Compiled catalogues are generated, not committed.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d vendortrack/translations

# Extract the interface's strings and merge them into the French catalogue (for translators).
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 -o vendortrack/translations/messages.pot .
	$(BIN)/pybabel update -N --ignore-obsolete -i vendortrack/translations/messages.pot -d vendortrack/translations

# The web app and, beside it in the same process, the one scheduler that sends reminders.
run: install
	$(FLASK) db upgrade
	$(FLASK) serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# What the tests need beyond Python: LibreOffice, to check that generated addenda convert to
# PDF, and Chromium, for the browser journeys (Playwright cannot download its own here).
test-services:
	@command -v soffice >/dev/null || { \
	  echo "Installing LibreOffice Writer (Debian's libreoffice-writer-nogui) for the PDF test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libreoffice-writer-nogui >/dev/null; }
	@test -x /usr/bin/chromium || { \
	  echo "Installing Chromium (Debian's chromium) for the browser journeys"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium >/dev/null; }

test: install lint test-services
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/vendor_list.py
	$(BIN)/python bench/csv_import.py
	$(BIN)/python bench/addenda.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/dashboard.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
