"""API fixtures: a token per persona, clients that send only that token, and evidence storage per test."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from cases.models import Jurisdiction, RuleVersion, WageBasis
from paralegals.models import ApiToken
from tests.pdf_samples import real_pdf

PDF = real_pdf()


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # throttle counters live in the cache; each test starts with none
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


def token_client(user, name: str = "test integration") -> APIClient:
    _token, key = ApiToken.objects.issue(user=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def api_for():
    """``api_for(user)``: a client that authenticates with a fresh token of ``user`` and nothing else."""
    return token_client


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def jurisdiction(db) -> Jurisdiction:
    """Malaysia (test values) with a minimum wage of 1,500 MYR a month."""
    jurisdiction = Jurisdiction.objects.create(country="MY", name="Malaysia (test)")
    RuleVersion.objects.create(
        jurisdiction=jurisdiction,
        effective_from=date(2022, 5, 1),
        effective_to=None,
        minimum_wage=Decimal(1500),
        currency="MYR",
        minimum_basis=WageBasis.MONTH,
        normal_hours_per_day=Decimal(8),
        normal_hours_per_week=Decimal(45),
        normal_days_per_week=Decimal(6),
        overtime_multiplier=Decimal("1.5"),
        rest_day_multiplier=Decimal(2),
        holiday_multiplier=Decimal(3),
        source="Minimum Wages Order 2022 (test)",
        last_verified=date(2025, 3, 1),
    )
    return jurisdiction
