# Redress: two commands for a newcomer.
#   make run   set everything up and serve the demo on http://127.0.0.1:8000 (web + Celery worker + beat)
#   make test  set everything up and run every check and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SYSTEM_PACKAGES := fonts-noto-core libharfbuzz-subset0 gettext
# Browser tests drive Debian's Chromium (Playwright cannot download one here); PDF tests use poppler.
TEST_SYSTEM_PACKAGES := chromium poppler-utils
PYTEST_ARGS ?=

.PHONY: run test setup venv system-packages messages migrate lint clean

run: setup migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python -m config.devserver

test: setup
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(TEST_SYSTEM_PACKAGES)"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

setup: venv system-packages messages

# Translation catalogs (.po, in git) compiled to .mo (build output, ignored by git): staff UI, PDFs, status check.
messages: venv
	@command -v msgfmt >/dev/null 2>&1 || { echo "ERROR: msgfmt not found: sudo apt-get install -y gettext"; exit 1; }
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity=0

venv: $(VENV)/.installed

# Reinstalls only when requirements.txt changes, so the second run is fast.
$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Fonts for every claimant script in PDFs and HarfBuzz subsetting (3x faster PDFs).
# Installed when we may (root or passwordless sudo); otherwise we say what to run.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else \
	  echo "NOTE: missing Debian packages:$$missing"; \
	  echo "      Install them with: sudo apt-get install -y$$missing"; \
	  echo "      (PDFs will use fallback fonts and be slower until then.)"; exit 0; fi; \
	echo "Installing Debian packages:$$missing"; \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing >/dev/null || \
	  { $$sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing >/dev/null; }

migrate: venv
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable

clean:
	rm -rf $(VENV) var
