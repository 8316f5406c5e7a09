# The two set-up commands: `make run` (the application with demo data on SQLite)
# and `make test` (the whole test suite). Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MO := locale/vi/LC_MESSAGES/django.mo
PO := locale/vi/LC_MESSAGES/django.po

.PHONY: run test lint i18n-check deploy-check bench messages check-system

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is required (found: $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

check-system:
	@command -v msgfmt >/dev/null || { echo "Missing system package gettext (translations). Install it: sudo apt-get install gettext"; exit 1; }
	@ldconfig -p 2>/dev/null | grep -q libpango-1.0 || { echo "Missing system package Pango (PDF rendering). Install it: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"; exit 1; }

$(MO): $(PO) $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py compilemessages -l vi -v 0

run: check-system $(VENV)/.installed $(MO)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v 0
	DEBUG=1 $(BIN)/python manage.py load_demo
	@# The worker renders batches of documents in the background; it stops with the server.
	DEBUG=1 $(BIN)/python manage.py db_worker & worker=$$!; trap "kill $$worker" EXIT; \
		DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: check-system $(VENV)/.installed $(MO)
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# Every msgid in the code is in the committed catalogue, and every entry is translated.
i18n-check: check-system $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages -l vi --no-location --no-obsolete -v 0
	git diff --ignore-matching-lines='POT-Creation-Date' --exit-code -- locale/ || \
		{ echo "The catalogue is out of date: run 'make messages', translate, commit."; exit 1; }
	@stats=$$(msgfmt --check --statistics -o /dev/null $(PO) 2>&1); echo "$$stats"; \
		if echo "$$stats" | grep -Eq 'untranslated|fuzzy'; then echo "Untranslated or fuzzy entries in $(PO)."; exit 1; fi

messages: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages -l vi --no-location --no-obsolete

# `check --deploy` with the variables a production install sets.
deploy-check: $(VENV)/.installed
	SECRET_KEY='ci-only-$(shell date +%s)-a-long-random-looking-secret-key-value-0123456789' \
		ALLOWED_HOSTS=thidua.example.gov.vn \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

bench: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python bench/generate.py --clusters 40 --units 600 --years 10
	$(BIN)/python bench/run.py
