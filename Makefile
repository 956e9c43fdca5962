# The two commands a new user needs: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WEB_PORT ?= 8000
# The embedded default runs with DEBUG on; production sets DEBUG=0 and a SECRET_KEY.
export DEBUG ?= 1

.PHONY: install run test lint format migrate translations messages demo clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Compiled catalogues (.mo) are build products: made here from locale/**/django.po, with Babel.
translations: install
	$(BIN)/python manage.py compiletranslations

# For developers after changing user-facing text: refresh the catalogue (needs GNU gettext),
# then translate what is new; tests/web/test_translations.py checks it is complete and current.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --add-location file --no-obsolete \
		--ignore=.venv --ignore=var --ignore=tests --ignore=staticfiles --ignore=.git --ignore=node_modules --ignore=__pycache__

migrate: translations
	$(BIN)/python manage.py migrate --noinput

# The demo, then one pass of each periodic job so that breaches, risks, trust scores and
# supervision reports show from the start, produced by the jobs themselves.
demo: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py recompute_accountability
	$(BIN)/python manage.py detect_risks
	$(BIN)/python manage.py recompute_trust_scores
	$(BIN)/python manage.py build_supervision_reports --period weekly
	$(BIN)/python manage.py build_supervision_reports --period monthly
	$(BIN)/python manage.py send_reminders

# The web server, a Celery worker and Celery beat, together; Ctrl-C stops all three.
run: demo
	@echo
	@cat var/demo-logins.txt
	@echo
	@echo "Mail the platform sends (supervision reports, password resets) is written to files in var/mail/."
	@echo "The platform is starting at http://127.0.0.1:$(WEB_PORT)/ (admin: http://127.0.0.1:$(WEB_PORT)/admin/)"
	WEB_PORT=$(WEB_PORT) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

# Tests keep their broker folders and SQLite file apart from those of `make run`.
# PYTEST_ARGS narrows the run, e.g. PYTEST_ARGS='-m "not browser and not slow"' (CI's SQLite pass).
PYTEST_ARGS ?=
test: export VAR_DIR = $(CURDIR)/var/test
test: translations
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# The code's shape: ruff (lint and format), mypy (strict on every app's services and selectors)
# and import-linter (the layers contract in pyproject.toml). CI runs it before the tests.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Applies ruff's formatting and safe fixes.
format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles

# The district-scale benchmark (README, "Benchmark"). It EMPTIES the PostgreSQL database at
# DATABASE_URL, builds SCALE (full: 100 communities, the committed bench/RESULTS.md; tiny: CI's)
# and measures the jobs, the API under load and the dashboard.
SCALE ?= full
.PHONY: bench
bench:
	@case "$(DATABASE_URL)" in postgres://*|postgresql://*|pgsql://*) ;; \
	  *) echo "make bench needs DATABASE_URL=postgres://user:password@host/dbname: a PostgreSQL database it may empty." >&2; \
	     exit 2 ;; \
	esac
	$(MAKE) translations
	DATABASE_URL="$(DATABASE_URL)" $(BIN)/python -m bench --scale $(SCALE)

# The API fuzzing (SECURITY.md, "Bad input is refused at the edge") with FUZZ_EXAMPLES generated
# cases per operation and role, against PostgreSQL (its test database), where a value beyond a
# column is an error and not, as on SQLite, a quiet miss. A long run, by hand: CI runs fewer.
FUZZ_EXAMPLES ?= 100
.PHONY: fuzz
fuzz: export VAR_DIR = $(CURDIR)/var/fuzz
fuzz:
	@case "$(DATABASE_URL)" in postgres://*|postgresql://*|pgsql://*) ;; \
	  *) echo "make fuzz needs DATABASE_URL=postgres://user:password@host/dbname: the fuzzing probes PostgreSQL." >&2; \
	     exit 2 ;; \
	esac
	DATABASE_URL="$(DATABASE_URL)" FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  $(BIN)/pytest tests/api/test_schemathesis.py -x $(PYTEST_ARGS)
