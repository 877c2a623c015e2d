"""The Makefile's package step waits for another apt's lock, then says what to run and goes on (exit 0).

apt is pointed at a private copy of its state (APT_CONFIG: dpkg's admin dir, the package lists, the cache) whose lock
files this test holds, so the real machine's dpkg is never locked nor touched. The package asked for does not exist,
so even an apt that got past the lock could install nothing.
"""

import fcntl
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MISSING_PACKAGE = "redress-no-such-package"

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="apt runs only as root (or sudo)"),
    pytest.mark.skipif(shutil.which("apt-get") is None or shutil.which("dpkg") is None, reason="not Debian"),
    pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed"),
]


@pytest.fixture
def private_apt(tmp_path):
    """An APT_CONFIG whose state lives in tmp_path, with every apt lock held by this process (as another apt would)."""
    admin, lists, cache = tmp_path / "dpkg", tmp_path / "lists", tmp_path / "cache"
    for folder in (admin, lists / "partial", cache / "archives" / "partial"):
        folder.mkdir(parents=True)
    (admin / "status").touch()
    config = tmp_path / "apt.conf"
    config.write_text(
        f'Dir::State::status "{admin / "status"}";\nDir::State::Lists "{lists}/";\nDir::Cache "{cache}/";\n'
    )
    held = []
    for lock in (admin / "lock-frontend", admin / "lock", lists / "lock", cache / "archives" / "lock"):
        handle = lock.open("w")
        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # apt's locks are fcntl locks too
        held.append(handle)
    yield config
    for handle in held:
        handle.close()


def test_system_packages_waits_for_a_held_lock_then_prints_the_note_and_goes_on(private_apt):
    env = {**os.environ, "APT_CONFIG": str(private_apt)}
    started = time.monotonic()
    result = subprocess.run(
        ["make", "--no-print-directory", "system-packages", f"SYSTEM_PACKAGES={MISSING_PACKAGE}", "APT_LOCK_TIMEOUT=2"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    # It waited for the lock (install, then update) instead of failing at once, and no longer than the bound allows.
    assert 2 <= elapsed < 15
    assert "waiting up to 2 s" in result.stdout
    assert "lock" in result.stderr
    assert f"NOTE: missing Debian packages: {MISSING_PACKAGE}" in result.stdout
    assert f"Install them with: sudo apt-get install -y {MISSING_PACKAGE}" in result.stdout
