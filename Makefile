# VendorTrack's commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app vendortrack
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-fast test-latest lock lint format bench bench-load translations \
  messages install test-services clean

# The venv holds exactly the lock's versions, and is made anew when the lock changes, so that
# nothing left from an earlier install can hide a broken one. pip checks every file against the
# lock's hashes; the project itself then installs from the locked build backend, without build
# isolation, so nothing unpinned is fetched.
$(VENV)/.installed: requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "VendorTrack needs Python 3.11 or newer; '$(PYTHON)' is not. Run make PYTHON=python3.11 ..."; \
	  exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Installing Debian's python3-venv, which python3 -m venv needs"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

# uv alone, at the lock's version and hashes, in a venv of its own: the locks can then be made
# again when pyproject.toml has moved past what the project's venv holds.
TOOLS := .venv-tools
$(TOOLS)/.installed: requirements-dev.lock
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	awk '/^uv==/ { on = 1 } on && /^ *#/ { exit } on' requirements-dev.lock >$(TOOLS)/uv.txt
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes --no-deps -r $(TOOLS)/uv.txt
	touch $@

# The locks, from pyproject.toml's ranges, for every platform and Python from 3.11 on: the
# production one (requirements.lock) takes the versions of the tests' one. A package already
# locked keeps its version while its range allows it; `make lock LOCK_FLAGS=--upgrade` moves
# every package to its newest allowed release. The build backend is locked with them (quoted:
# the shell would read >= as a redirection).
BUILD_REQUIREMENTS := 'hatchling>=1.24' 'editables>=0.5'
LOCK_OPTIONS := --generate-hashes --universal --python-version 3.11 --quiet \
  --custom-compile-command "make lock" $(LOCK_FLAGS)
lock: $(TOOLS)/.installed
	printf '%s\n' $(BUILD_REQUIREMENTS) | $(TOOLS)/bin/uv pip compile pyproject.toml - \
	  --extra test --extra dev $(LOCK_OPTIONS) -o requirements-dev.lock
	printf '%s\n' $(BUILD_REQUIREMENTS) | $(TOOLS)/bin/uv pip compile pyproject.toml - \
	  -c requirements-dev.lock $(LOCK_OPTIONS) -o requirements.lock

# The suite on the newest releases pyproject.toml's ranges allow, in a throw-away venv beside
# the project's, on both databases: a release that breaks VendorTrack shows here before the
# lock moves to it. Not part of make test (it depends on what was released today). A release
# beyond an upper bound is tried by raising the bound, then running this.
LATEST := .venv-latest
test-latest: $(TOOLS)/.installed translations test-services
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(TOOLS)/bin/uv pip install --quiet --python $(LATEST)/bin/python --upgrade --refresh \
	  -e '.[test]'
	$(TOOLS)/bin/uv pip list --python $(LATEST)/bin/python
	VENDORTRACK_TEST_UNLOCKED=1 $(LATEST)/bin/pytest
	VENDORTRACK_TEST_UNLOCKED=1 tests/with-postgres $(LATEST)/bin/pytest
	rm -rf $(LATEST)

install: $(VENV)/.installed translations

# Compiled catalogues are generated, not committed.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d vendortrack/translations

# Extract the interface's strings and merge them into the French catalogue (for translators).
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 -o vendortrack/translations/messages.pot .
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

# What the tests need beyond Python (PostgreSQL, LibreOffice, Chromium): found, or installed
# with apt-get where that can run; the script says what and why, and what to set elsewhere.
test-services:
	@tests/install-programs

# The tests run on one worker per core (pytest-xdist), their temporary files in RAM where there
# is some (/dev/shm): every test copies a database into a new file, whose fsyncs on a disk cost
# more than most tests. Only the files of failed tests are kept. Python keeps its compiled
# modules (in __pycache__/, ignored by git) even where the shell says not to: each worker would
# otherwise rewrite every test module's asserts again, half of its 7 s start.
TEST_TMPDIR := $(firstword $(wildcard /dev/shm) $(TMPDIR) /tmp)
IN_TEST_TMPDIR := env TMPDIR=$(TEST_TMPDIR) PYTHONDONTWRITEBYTECODE=
ON_SQLITE := env -u VENDORTRACK_TEST_DATABASE_URL $(IN_TEST_TMPDIR)
PYTEST_OPTIONS := -n auto -o tmp_path_retention_policy=failed

# The whole suite twice: on SQLite, measured by coverage (the workers and the commands tests start
# included), then on a throw-away PostgreSQL cluster on loopback; ends with the coverage report.
# Measuring makes the SQLite run about twice as long (2 min 24 s here, about half that without); the
# PostgreSQL run (3 min 7 s), which covers the same code, is not measured.
test: install lint test-services
	$(BIN)/coverage erase
	$(ON_SQLITE) $(BIN)/coverage run -m pytest $(PYTEST_OPTIONS)
	$(IN_TEST_TMPDIR) tests/with-postgres $(BIN)/pytest $(PYTEST_OPTIONS)
	$(BIN)/coverage combine --quiet
	$(BIN)/coverage report

# The quick loop while working; make test remains the gate. SQLite only, without the tests
# marked slow (pyproject.toml says which), and 5 random submissions per form instead of 30.
test-fast: install
	$(ON_SQLITE) $(BIN)/pytest $(PYTEST_OPTIONS) -m "not slow" --fuzz-examples=5

bench: install
	$(BIN)/python bench/vendor_list.py
	$(BIN)/python bench/csv_import.py
	$(BIN)/python bench/addenda.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/contract_check.py
	$(BIN)/python bench/questionnaire.py

# The production server (gunicorn, 4 workers) under 50 simulated people for a minute, on SQLite
# and then on a throw-away PostgreSQL cluster. Prints figures; never fails on them.
bench-load: install test-services
	$(BIN)/python bench/load.py
	tests/with-postgres $(BIN)/python bench/load.py --database postgresql

clean:
	rm -rf $(VENV) $(LATEST) $(TOOLS) .pytest_cache .ruff_cache test-artifacts .coverage .coverage.* \
	  htmlcov
