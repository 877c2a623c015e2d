"""`manage.py migrate` alone makes a working site: the database cache's table comes from a migration.

SLOW (~20 s): runs migrate, seed_demo and the main pages in subprocesses against a fresh SQLite file
database (not the test database), the way an operator following Django's usual steps would.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/cases/", "/my-work/", "/calendar/", "/inbox/", "/statistics/"]

# Signed in as the demo's global coordinator (password, then the code of the demo's app key), each page answers;
# prints "path status" per page.
GET_PAGES = f"""
from django.test import Client
from django_otp.oath import TOTP
from cases.management.commands.seed_demo import DEMO_PASSWORD
from paralegals.models import User
client = Client(HTTP_HOST="localhost")
client.post("/accounts/login/", {{"username": "coordinator", "password": DEMO_PASSWORD}})
device = User.objects.get(username="coordinator").totpdevice_set.get()
client.post("/accounts/two-factor/verify/", {{"code": f"{{TOTP(device.bin_key).token():06d}}"}})
for path in {PAGES!r}:
    print(path, client.get(path).status_code)
"""


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_fresh_database_after_migrate_alone_serves_every_page_and_takes_the_demo(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDRESS_VAR_DIR": str(tmp_path),
        "REDIS_URL": "",
        "DEBUG": "true",
    }

    migrate = _manage("migrate", "--no-input", "--verbosity=0", env=env)
    assert migrate.returncode == 0, migrate.stderr
    with sqlite3.connect(database) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "redress_cache" in tables

    seed = _manage("seed_demo", env=env)
    assert seed.returncode == 0, seed.stderr

    pages = _manage("shell", "-c", GET_PAGES, env=env)
    assert pages.returncode == 0, pages.stderr
    answers = [line.split() for line in pages.stdout.splitlines() if line.startswith("/")]
    assert answers == [[path, "200"] for path in PAGES], pages.stdout
