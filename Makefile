# VendorTrack's commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app vendortrack
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format bench bench-load translations messages install test-services clean

# The venv is rebuilt only when the dependencies change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Installing Debian's python3-venv, which python3 -m venv needs"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
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
# PDF, Chromium, for the browser journeys (Playwright cannot download its own here), and
# PostgreSQL, whose throw-away cluster tests/with-postgres starts and stops around the suite
# (Debian's own always-on cluster is not created).
test-services:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "Installing PostgreSQL (Debian's postgresql) for the suite's second run"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    postgresql-common >/dev/null && \
	  mkdir -p /etc/postgresql-common/createcluster.d && \
	  echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/vendortrack.conf && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
	@command -v soffice >/dev/null || { \
	  echo "Installing LibreOffice Writer (Debian's libreoffice-writer-nogui) for the PDF test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libreoffice-writer-nogui >/dev/null; }
	@test -x /usr/bin/chromium || { \
	  echo "Installing Chromium (Debian's chromium) for the browser journeys"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium >/dev/null; }

# The whole suite twice: on SQLite, then on a throw-away PostgreSQL cluster on loopback.
test: install lint test-services
	$(BIN)/pytest
	tests/with-postgres $(BIN)/pytest

bench: install
	$(BIN)/python bench/vendor_list.py
	$(BIN)/python bench/csv_import.py
	$(BIN)/python bench/addenda.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/dashboard.py

# The production server (gunicorn, 4 workers) under 50 simulated people for a minute, on SQLite
# and then on a throw-away PostgreSQL cluster. Prints figures; never fails on them.
bench-load: install test-services
	$(BIN)/python bench/load.py
	tests/with-postgres $(BIN)/python bench/load.py --database postgresql

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
