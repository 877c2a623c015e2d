"""``make run``: the web server, a Celery worker and Celery beat, stopped together by Ctrl-C.

Run as ``python -m config.devserver``. Without REDIS_URL the worker and beat use the
filesystem broker in var/celery, so the demo needs no servers. If any of the three
exits, the others are stopped too, so a broken worker is never silently missing.

A quiet start: the worker and beat log warnings only and print no banner (celery ``-q``), demo emails go to
var/outbox/email/ (like SMS and WhatsApp to var/outbox/) instead of the terminal, and once the web port
answers, one short block comes last: the address, the demo logins and a status-check reference + PIN per office
(written by ``manage.py seed_demo`` to var/demo-logins.txt). Celery's warning about running the worker as root is
silenced here only, for the demo (a fresh cloud machine's user is often root); a production worker still warns.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")
# How long the web server may take to answer before the block is printed anyway.
READY_SECONDS = 60
ROOT_WARNING = "ignore:You're running the worker with superuser privileges"


def final_block(url: str, var_dir: Path) -> str:
    """What ``make run`` shows last: where Redress runs and how to try it."""
    lines = [f"Redress is running on {url}  (Ctrl-C stops the web server, worker and beat)"]
    summary = Path(var_dir) / "demo-logins.txt"
    if summary.exists():
        lines.append(summary.read_text(encoding="utf-8").rstrip("\n"))
    else:
        lines.append("No demo logins yet: load the demo with .venv/bin/python manage.py seed_demo")
    rule = "-" * max(len(line) for block in lines for line in block.splitlines())
    return "\n".join(["", rule, *lines, rule, ""])


def demo_environment(environ, var_dir: Path) -> dict[str, str]:
    """The three processes' environment: unbuffered, so each line comes out when written and the block really is
    last; and, unless EMAIL_URL says otherwise, emails written to var/outbox/email/ rather than printed by the worker
    (the demo's first sweep sends hundreds of reminders, which would bury the block)."""
    env = {**environ, "PYTHONUNBUFFERED": "1"}
    if not env.get("EMAIL_URL"):
        env["EMAIL_URL"] = f"filemail:///{Path(var_dir).resolve() / 'outbox' / 'email'}"
    return env


def _var_dir() -> Path:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    return Path(settings.VAR_DIR)


def _wait_for_web(processes: dict[str, subprocess.Popen]) -> None:
    """Until the web port accepts a connection (runserver has printed its own lines by then), or a process exits."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline and all(process.poll() is None for process in processes.values()):
        try:
            with socket.create_connection((HOST, int(PORT)), timeout=1):
                return
        except OSError:
            time.sleep(0.3)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "config", "--quiet"]
    commands = {
        "web": [python, "manage.py", "runserver", f"{HOST}:{PORT}"],
        "worker": [*celery, "worker", "--loglevel=WARNING", "--concurrency=2"],
        "beat": [*celery, "beat", "--loglevel=WARNING"],
    }
    env = demo_environment(os.environ, _var_dir())
    worker_env = {**env, "PYTHONWARNINGS": ",".join(filter(None, [env.get("PYTHONWARNINGS"), ROOT_WARNING]))}
    processes = {
        name: subprocess.Popen(command, env=worker_env if name == "worker" else env)  # noqa: S603
        for name, command in commands.items()
    }
    _wait_for_web(processes)
    if all(process.poll() is None for process in processes.values()):
        print(final_block(f"http://{HOST}:{PORT}/", _var_dir()), flush=True)
    exit_code = 0
    try:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} exited with code {process.returncode}; stopping the others.", file=sys.stderr)
                    exit_code = process.returncode
                    raise KeyboardInterrupt
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
