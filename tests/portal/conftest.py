"""Status-check fixtures: a case with a known PIN, a hearing, an office with contacts; a browser for the e2e test."""

import os
import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.core.pins import hash_pin
from cases.models import Case, Deadline, DeadlineKind
from cases.portal import limiter

PIN = "20481024"
# Playwright's sync API runs an event loop in the test thread (see tests/e2e/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    """Counters live in Redis when REDIS_URL is set: start every test from none (the database store rolls back)."""
    if isinstance(limiter.store(), limiter.CacheStore):
        from django.core.cache import caches

        caches["default"].clear()
    yield


@pytest.fixture
def office_with_contacts(office_a):
    office_a.phone = "+60 3 1234 5678"
    office_a.whatsapp = "+60 12-345 6789"
    office_a.email = "help@redress.example.org"
    office_a.save()
    return office_a


@pytest.fixture
def worker_case(make_case, office_with_contacts):
    """A case in redress, worker speaking Kyrgyz, PIN known to the test."""
    from cases.core.stages import Stage

    case = make_case(Stage.REDRESS, office=office_with_contacts)
    Case.objects.filter(pk=case.pk).update(pin_hash=hash_pin(PIN))
    return Case.objects.select_related("claimant", "office").get(pk=case.pk)


@pytest.fixture
def hearing(worker_case, paralegal_a):
    return Deadline.objects.create(
        case=worker_case,
        kind=DeadlineKind.HEARING,
        due_at=timezone.now() + timedelta(days=9),
        timezone="Asia/Kuala_Lumpur",
        entered_by=paralegal_a,
    )


def look_up(client, reference, pin=PIN, lang=None):
    url = f"/status/{lang}/" if lang else "/status/"
    return client.post(url, {"reference": reference, "pin": pin})


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    }


def pytest_collection_modifyitems(config, items):
    if not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
        for item in items:
            if "test_portal_browser" in str(item.fspath):
                item.add_marker(skip)
