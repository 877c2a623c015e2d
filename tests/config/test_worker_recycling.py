"""Celery workers recycle their pool processes: after CELERY_MAX_TASKS_PER_CHILD tasks, or after the task during
which a process passed CELERY_MAX_MEMORY_PER_CHILD KiB, so a worker that rendered thousands of PDFs stays under
250 MB (docs/operations.md, "Worker memory"). Read through the real app and the worker it builds."""

import json
import os
import subprocess
import sys
from pathlib import Path

from celery.worker import WorkController

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_worker_the_app_builds_recycles_by_task_count_and_by_memory():
    worker = WorkController(app=app, concurrency=1)

    assert worker.max_tasks_per_child == 100
    assert worker.max_memory_per_child == 200_000  # KiB
    assert worker.max_memory_per_child * 1024 < 250 * 1000 * 1000  # a limit below 250 MB, with room for one more task


def _limits_with(env: dict) -> list:
    code = (
        "import django, json; django.setup(); from config.celery import app; "
        "print(json.dumps([app.conf.worker_max_tasks_per_child, app.conf.worker_max_memory_per_child]))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_the_limits_come_from_the_environment_and_zero_turns_one_off():
    assert _limits_with({"CELERY_MAX_TASKS_PER_CHILD": "20", "CELERY_MAX_MEMORY_PER_CHILD": "0"}) == [20, None]
    assert _limits_with({"CELERY_MAX_TASKS_PER_CHILD": "0", "CELERY_MAX_MEMORY_PER_CHILD": "150000"}) == [None, 150000]
