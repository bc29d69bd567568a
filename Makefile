# casetracker — `make run` starts the site with the demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install chromium migrate demo lint format check deploy-check bench loadtest clean

run: install .env migrate demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install .env chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium (never a downloaded one). Installed here when this
# machine can (root, or password-less sudo, with apt-get); otherwise this stops and says what to run.
CHROMIUM := /usr/bin/chromium
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo=none; fi; \
	  if [ "$$sudo" != none ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests (apt-get install chromium)..."; \
	    $$sudo apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium >/dev/null || exit 1; \
	  else \
	    echo "The browser tests need Debian's Chromium at $(CHROMIUM), and this machine has none."; \
	    echo "Install it, then run make test again:"; \
	    echo "    sudo apt-get install chromium"; \
	    echo "(Or run the other tests only: make test PYTEST_ARGS='-m \"not browser\"')"; \
	    exit 1; \
	  fi; \
	fi

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# A local settings file with a generated secret key and demo sign-in; never committed.
.env:
	@$(PYTHON) -c 'import secrets; print("DJANGO_SECRET_KEY=" + secrets.token_urlsafe(50)); print("DJANGO_DEBUG=true"); print("DEMO_ADMIN_PASSWORD=" + secrets.token_urlsafe(12))' > $@
	@echo "Wrote .env with a new secret key (local development only)."

migrate: install .env
	$(BIN)/python manage.py migrate --noinput

demo: install .env
	$(BIN)/python manage.py loaddata demo
	$(BIN)/python manage.py write_published_copy
	$(BIN)/python manage.py demo_admin --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install .env
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

# The settings a production deployment uses (see .env.example), checked by Django's own
# deployment checklist.
deploy-check: install
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=cases.example.org DJANGO_SECURE_SSL_REDIRECT=true DJANGO_SECURE_HSTS_PRELOAD=true \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# The benchmark (bench/): each hot path through the request stack next to its hand-written SQL
# floor, on the PostgreSQL database in DATABASE_URL once it holds synthetic data
# (`python manage.py generate_synthetic --cases 100000`). E.g. BENCH_ARGS="--repetitions 10".
# The figures go to bench/results/latest.json; docs/performance.md keeps the record.
bench: install .env
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python -m bench $(BENCH_ARGS)

# The load test (bench/loadtest/): locust's clients on 127.0.0.1 against gunicorn (DJANGO_DEBUG off)
# on a PostgreSQL database of its own, which it creates and fills with 10,000 synthetic cases the
# first time; two scenarios of 60 s (normal traffic, then the same with slow clients). Figures in
# bench/results/; docs/performance.md keeps the record. E.g. LOADTEST_ARGS="--users 20 --duration 30".
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casetracker_loadtest
loadtest: install .env
	$(BIN)/python -m bench.loadtest --database-url $(LOADTEST_DATABASE_URL) $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles cache .pytest_cache .ruff_cache *.egg-info
