# CASM Portal: `make demo` serves the portal with demo data, `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: demo test install lint check messages worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed

# SQLite, Celery tasks in-process, mail printed to the console: no other service needed.
demo: export DJANGO_SETTINGS_MODULE = casm.settings.local
demo: export SITE_URL = http://$(HOST):$(PORT)
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --site-domain $(HOST):$(PORT)
	@echo "Serving CASM Portal on http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# SQLite unless DATABASE_URL is set; in-process tasks unless REDIS_URL is set.
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_SETTINGS_MODULE=casm.settings.production \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

messages: install
	$(BIN)/python manage.py makemessages -l fr -l es -l pt --ignore ".venv/*" --ignore "bench/*" --ignore "tests/*"
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"

worker: install
	$(BIN)/celery -A casm worker --loglevel INFO

beat: install
	$(BIN)/celery -A casm beat --loglevel INFO

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache
