"""How much memory a Celery worker holds after rendering many complaint PDFs, with and without recycling.

Not part of the test suite. Queues N complaint renders (``documents.filings.document_request``, languages in turn)
for one case, starts a real worker with a concurrency of 1 on its own filesystem broker, samples the resident memory
of the worker's processes with ``ps`` every half second until every document is rendered, then stops the worker:

    DATABASE_URL=postgres://... .venv/bin/python bench/worker_memory.py --renders 1000 --recycle
    DATABASE_URL=postgres://... .venv/bin/python bench/worker_memory.py --renders 1000 --no-recycle

``--recycle`` runs the worker with the settings' limits (CELERY_MAX_TASKS_PER_CHILD and CELERY_MAX_MEMORY_PER_CHILD
from the environment, or their defaults); ``--no-recycle`` sets both to 0 (off). The broker
folders and the PDFs go to a temporary REDRESS_VAR_DIR, removed afterwards; the documents stay in the database.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sample(worker_pid: int) -> dict[int, int]:
    """Resident memory (KiB) of the worker's main process and its pool children, by pid."""
    output = subprocess.run(
        ["/bin/ps", "-o", "pid=,ppid=,rss=", "-e"], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    rows = [line.split() for line in output if line.strip()]
    return {int(pid): int(rss) for pid, ppid, rss in rows if int(pid) == worker_pid or int(ppid) == worker_pid}


def _queue(renders: int) -> list[int]:
    """Give a case a calculation (once) and ask for ``renders`` complaints; returns the documents' ids."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from cases.models import CalculationSnapshot, Case
    from documents import filings
    from documents.models import LANGUAGE_CHOICES, DocumentKind
    from tests.documents.filings_support import calculate

    actor = get_user_model().objects.filter(role="coordinator", office__isnull=True, is_active=True).first()
    if actor is None:
        actor = get_user_model().objects.filter(is_superuser=True).first()
    done = CalculationSnapshot.objects.order_by("-pk").values_list("case_id", flat=True).first()
    case = Case.objects.filter(pk=done).first() if done else None
    if case is None:
        case = Case.objects.visible_to(actor).filter(stage="evidence", anonymised_at=None).order_by("pk").first()
        calculate(case, actor, periods=12)
    languages = [code for code, _name in LANGUAGE_CHOICES]
    ids = []
    for number in range(renders):
        with transaction.atomic():
            document = filings.document_request(
                actor=actor, case_id=case.pk, kind=DocumentKind.COMPLAINT, language=languages[number % len(languages)]
            )
        ids.append(document.pk)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=1000)
    parser.add_argument("--recycle", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--timeout", type=int, default=3600)
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="redress-worker-memory-"))
    os.environ["REDRESS_VAR_DIR"] = str(var_dir)
    os.environ.pop("REDIS_URL", None)  # the filesystem broker in var_dir: this run's queue only
    if not args.recycle:
        os.environ["CELERY_MAX_TASKS_PER_CHILD"] = "0"
        os.environ["CELERY_MAX_MEMORY_PER_CHILD"] = "0"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from config.celery import app
    from documents.models import Document, DocumentStatus

    limits = (app.conf.worker_max_tasks_per_child, app.conf.worker_max_memory_per_child)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "--quiet", "worker", "--concurrency=1", "--loglevel=WARNING"],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        started = time.monotonic()
        ids = _queue(args.renders)
        peak_child, peak_main, children, last = 0, 0, set(), {}
        while time.monotonic() - started < args.timeout:
            last = _sample(worker.pid)
            for pid, rss in last.items():
                if pid == worker.pid:
                    peak_main = max(peak_main, rss)
                else:
                    peak_child = max(peak_child, rss)
                    children.add(pid)
            pending = Document.objects.filter(pk__in=ids, status=DocumentStatus.PENDING).count()
            if not pending:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        ready = Document.objects.filter(pk__in=ids, status=DocumentStatus.READY).count()
        end_child = max((rss for pid, rss in last.items() if pid != worker.pid), default=0)
        at_end = f"{end_child / 1024:.0f} MiB" if end_child else "none (being replaced)"
        print(
            f"renders {args.renders} (ready {ready}, pending {pending}) in {elapsed:.0f} s; "
            f"max_tasks_per_child={limits[0]}, max_memory_per_child={limits[1]} KiB\n"
            f"pool process: max RSS {peak_child / 1024:.0f} MiB, at the last sample {at_end}, "
            f"{len(children)} processes in turn; main process: max RSS {peak_main / 1024:.0f} MiB"
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
