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
# bandit (security lint) reads the application code: not tests, not migrations, not .venv. A `# nosec Bxxx` goes
# only at the end of a line that says why (usually in its `# noqa: Sxxx (...)`).
BANDIT_PATHS := config cases claimants paralegals documents
# How long apt waits for another apt (e.g. unattended-upgrades at boot) to release the package lock, in seconds.
APT_LOCK_TIMEOUT ?= 120

.PHONY: run test setup venv system-packages messages migrate lint clean backup bench

# seed_demo writes the logins and PINs to var/demo-logins.txt; the devserver prints them last, once the server is up.
run: setup migrate
	@echo "Loading the demo data (once; the first time takes a minute)..."
	$(BIN)/python manage.py seed_demo --verbosity 0
	$(BIN)/python -m config.devserver

test: setup
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(TEST_SYSTEM_PACKAGES)"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
	$(BIN)/lint-imports
	$(BIN)/bandit --quiet --recursive --severity-level medium --confidence-level medium --exclude '*/migrations/*' $(BANDIT_PATHS)
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
# Installed when we may (root or passwordless sudo); otherwise we say what to run. apt waits up to
# APT_LOCK_TIMEOUT seconds for another apt (unattended-upgrades at boot) to let go of the package lock; if apt still
# fails (lock held, no network), we say what to run and go on: the packages are optional for make run.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	note() { echo "NOTE: missing Debian packages:$$missing"; \
	  echo "      Install them with: sudo apt-get install -y$$missing"; \
	  echo "      (PDFs will use fallback fonts and be slower until then.)"; }; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else note; exit 0; fi; \
	apt="$$sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=$(APT_LOCK_TIMEOUT)"; \
	apt_install() { $$apt install -y $$missing >/dev/null; }; \
	apt_update() { deadline=$$(( $$(date +%s) + $(APT_LOCK_TIMEOUT) )); \
	  while ! errors=$$($$apt update 2>&1 >/dev/null); do \
	    case "$$errors" in *"Could not get lock"*) [ "$$(date +%s)" -lt "$$deadline" ] && sleep 2 && continue;; esac; \
	    echo "$$errors" >&2; return 1; done; }; \
	echo "Installing Debian packages:$$missing (waiting up to $(APT_LOCK_TIMEOUT) s if another apt holds the lock)"; \
	apt_install || { apt_update && apt_install; } || note

migrate: venv
	$(BIN)/python manage.py migrate --no-input

# The database and PRIVATE_STORAGE_ROOT into a new directory under BACKUP_ROOT, or OUTPUT=dir (docs/operations.md).
backup: venv
	$(BIN)/python manage.py backup $(if $(OUTPUT),--output $(OUTPUT))

# Every staff page, the API, intake, the status check, statistics, the admin, a PDF and the reminder sweep timed on
# PostgreSQL at 10k, 100k and 1M cases against floors (docs/performance.md); BENCH_SIZES / BENCH_REPEAT /
# BENCH_DATABASE_PREFIX change what it does. Seeds the databases it needs (1M cases: about 2 minutes, 2.5 GB).
bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
