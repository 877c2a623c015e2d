"""A production configuration passes ``check --deploy`` cleanly; a missing encryption key stops the start."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_deploy_check(tmp_path, **overrides) -> subprocess.CompletedProcess:
    # Start from a clean slate: the developer's DATABASE_URL, REDIS_URL, DEBUG etc. must not leak in.
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*") for _ in range(60)),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        BLIND_INDEX_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="redress.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        REDRESS_VAR_DIR=str(tmp_path / "var"),
    )
    env.update(overrides)
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_production_configuration_passes_the_deploy_check_without_warnings(tmp_path):
    result = run_deploy_check(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_production_without_field_encryption_keys_fails_with_e002(tmp_path):
    result = run_deploy_check(tmp_path, FIELD_ENCRYPTION_KEYS=None)

    assert result.returncode != 0
    assert "redress.E002" in result.stderr
    assert "redress.E001" not in result.stderr


def test_production_with_the_demo_secret_key_fails_with_e001(tmp_path):
    result = run_deploy_check(tmp_path, SECRET_KEY=None)

    assert result.returncode != 0
    assert "redress.E001" in result.stderr
