"""One seeded world per test module, inside a transaction rolled back at the end of the module.

Seeding through the services (a PDF is rendered, files stored) takes about a second, so it is done once; each test
still runs in its own savepoint (pytest-django's ``db``), so a POST that changes the world is undone before the next.
"""

import pytest
from django.db import transaction
from django.test.utils import override_settings

from .world import seed_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    private = tmp_path_factory.mktemp("authz-private")
    with override_settings(PRIVATE_STORAGE_ROOT=private), django_db_blocker.unblock(), transaction.atomic():
        yield seed_world()
        transaction.set_rollback(True)
