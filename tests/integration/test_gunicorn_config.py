"""deploy/gunicorn.conf.py: workers from the environment or the CPUs, timeouts, and access and error logs without
query strings, references or the calendar key — read from a real gunicorn serving the project."""

import logging
import multiprocessing
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cases.core.references import new_reference

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"


def settings_from(env: dict) -> dict:
    """The config file's settings as gunicorn would read them with ``env`` set (``--print-config``); a value of None
    unsets the variable."""
    environment = {name: value for name, value in {**os.environ, **env}.items() if value is not None}
    run = subprocess.run(
        [str(GUNICORN), "--print-config", "-c", str(CONFIG)],
        env=environment,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    pairs = (line.split("=", 1) for line in run.stdout.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_workers_come_from_web_concurrency_or_the_cpus_and_the_timeouts_are_set():
    assert settings_from({"WEB_CONCURRENCY": "3"})["workers"] == "3"
    default = settings_from({"WEB_CONCURRENCY": None})
    assert default["workers"] == str(2 * multiprocessing.cpu_count() + 1)
    assert (default["timeout"], default["graceful_timeout"], default["keepalive"]) == ("30", "30", "5")
    assert settings_from({"GUNICORN_TIMEOUT": "45"})["timeout"] == "45"
    assert default["wsgi_app"] == "config.wsgi:application"
    assert default["logger_class"] == "<RedactingLogger()>"


def test_the_access_log_format_names_the_path_only():
    fmt = settings_from({})["access_log_format"]

    assert "%(U)s" in fmt
    for atom in ("%(r)s", "%(q)s", "%(f)s", "}e", "{cookie}i", "{authorization}i"):
        assert atom not in fmt


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """A real gunicorn (one worker) serving the project with the repository's config, logs in files."""
    port = _free_port()
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    env = {
        **os.environ,
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(access),
        "GUNICORN_ERROR_LOG": str(errors),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    process = subprocess.Popen([str(GUNICORN), "-c", str(CONFIG), "--no-control-socket"], env=env, cwd="/")
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, errors.read_text() if errors.exists() else "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not start in 30 s"
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}", port, access, errors
    process.terminate()
    process.wait(timeout=30)


def _get(url: str, **headers) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:  # noqa: S310 # nosec B310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_real_gunicorn_logs_no_query_string_reference_or_calendar_key(served):
    base, port, access, errors = served
    reference, pin, key = new_reference(), "20481024", "k3y-0f-the-private-feed"
    referer = f"{base}/status/?reference={reference}&pin={pin}"

    assert _get(f"{base}/favicon.ico?reference={reference}&pin={pin}", Referer=referer) in (200, 301, 302, 304)
    assert _get(f"{base}/no-such-page/{reference}/?pin={pin}") == 404
    assert _get(f"{base}/calendar/feed/{key}.ics?pin={pin}") in (302, 403, 404)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:  # a request line gunicorn refuses
        raw.sendall(f"GET /status/?reference={reference}&pin={pin}\x7f HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        raw.recv(1024)

    deadline = time.monotonic() + 10
    while access.read_text().count("\n") < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    text = access.read_text() + errors.read_text()
    assert '"GET /favicon.ico HTTP/1.1"' in text
    assert '"GET /no-such-page/[reference]/ HTTP/1.1" 404' in text
    assert '"GET /calendar/feed/[key].ics HTTP/1.1"' in text
    assert "Invalid request from ip=127.0.0.1" in text and "GET /status/?[query]" in text  # logged, redacted
    for secret in (reference, reference.replace("-", ""), pin, key):
        assert secret not in text


def test_the_error_log_filter_redacts_what_gunicorn_writes_itself(tmp_path):
    namespace: dict = {"__file__": str(CONFIG)}
    exec(compile(CONFIG.read_text(), str(CONFIG), "exec"), namespace)  # noqa: S102 # nosec B102
    reference = new_reference()
    record = logging.LogRecord(
        "gunicorn.error",
        logging.ERROR,
        __file__,
        1,
        "Error handling request %s %s",
        ("GET", f"/x/?pin=1&r={reference}"),
        None,
    )

    namespace["_Redact"]().filter(record)

    assert record.getMessage() == "Error handling request GET /x/?[query]"
