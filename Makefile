# Samarbeid: `make run` starts a working system, `make test` runs the whole suite.
# Both do all set-up on a fresh machine with Python 3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: run test test-fast static setup db demo lint messages check test-postgres browser-deps clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: uv.lock pyproject.toml | $(if $(findstring .tools,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

setup: .venv/.synced

db: setup
	mkdir -p var
	DEBUG=1 $(UV) run python manage.py migrate --noinput

demo: db
	DEBUG=1 $(UV) run python manage.py load_demo

run: demo
	@echo
	@echo "  Samarbeid is starting at http://$(HOST):$(PORT)/"
	@echo "  Demo sign-in for the secretariat: user 'sekretariat', password 'samarbeid-demo'"
	@echo
	@echo "  Background jobs: an RQ worker and the job scheduler on $${REDIS_URL:-redis://127.0.0.1:6379/0}"
	@echo
	@DEBUG=1 $(UV) run python manage.py rqworker default & worker=$$!; \
	  DEBUG=1 $(UV) run python manage.py rqcron importers.cron --logging-level WARNING & cron=$$!; \
	  trap 'kill $$worker $$cron 2>/dev/null; wait $$worker $$cron 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 $(UV) run python manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it when we may (root with apt-get).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -e /usr/lib/chromium/locales/nb.pak ] || ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n poppler-utils libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: /usr/bin/chromium missing; browser tests will be skipped (apt-get install chromium)"; fi; \
	fi

# The service and selector modules (and governance's permissions and notifications) are
# type-checked; see docs/architecture.md.
TYPED := $(shell find . -path ./.venv -prune -o -path ./.tools -prune -o \( -name services.py \
  -o -name selectors.py -o -path '*/selectors/*.py' -o -path '*/services/*.py' \
  -o -path ./governance/permissions.py -o -path ./governance/notifications.py \
  -o -path ./samarbeid/common/signin.py \) -print | sort)

# Lint, format, import layers, types, Django's checks and migrations: no database, no browser.
static: setup
	mkdir -p var
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run lint-imports
	SAMARBEID_ALLOW_DEV_SECRET=1 $(UV) run mypy $(TYPED)
	SAMARBEID_ALLOW_DEV_SECRET=1 $(UV) run python manage.py check --database default --fail-level WARNING
	SAMARBEID_ALLOW_DEV_SECRET=1 $(UV) run python manage.py makemigrations --check --dry-run

test: static browser-deps
	$(UV) run pytest $(PYTEST_ARGS)

# The same without the browser tests, for a quick round while working.
test-fast: static
	$(UV) run pytest -m "not browser" $(PYTEST_ARGS)

test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(UV) run pytest $(PYTEST_ARGS)

lint: setup
	$(UV) run ruff check . && $(UV) run ruff format --check .

messages: setup
	for app in members projects governance importers hearings networks reports portal samarbeid; do \
	  (cd $$app && ../$(if $(findstring .tools,$(UV)),.tools/bin/uv,uv) run ../manage.py makemessages -l nb --no-obsolete >/dev/null); done
	$(UV) run python manage.py compilemessages >/dev/null

clean:
	rm -rf .venv .tools var artifacts
