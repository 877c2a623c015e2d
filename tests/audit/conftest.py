"""Read-audit fixtures: an API client per user (a token and nothing else) and the one row a read wrote."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from cases.models import AccessRecord
from paralegals.models import ApiToken

# The address every request of these tests comes from (TEST-NET-2), to find it in the rows.
ADDRESS = "198.51.100.7"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # API throttle counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def api_for():
    """``api_for(user)``: an API client with a fresh token of ``user``, coming from ``ADDRESS``."""

    def make(user) -> APIClient:
        _token, key = ApiToken.objects.issue(user=user, name="audit test")
        client = APIClient(REMOTE_ADDR=ADDRESS)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


@pytest.fixture
def only_record():
    """``only_record()``: the one access record written so far (fails if there are none or several)."""

    def read() -> AccessRecord:
        (record,) = AccessRecord.objects.all()
        return record

    return read
