"""Offices on both sides of the world: Bangkok (UTC+7 all year) and Madrid (UTC+1, UTC+2 in summer)."""

import pytest
from django.utils import timezone, translation

from tests.factories import OfficeFactory, UserFactory


@pytest.fixture(autouse=True)
def default_zone_and_language_afterwards():
    """A test that calls a service or renders outside a request must not leave a zone or language active."""
    yield
    timezone.deactivate()
    translation.deactivate()


@pytest.fixture
def bangkok(db):
    return OfficeFactory(name="Bangkok", country="TH", city="Bangkok", timezone="Asia/Bangkok")


@pytest.fixture
def madrid(db):
    return OfficeFactory(name="Madrid", country="ES", city="Madrid", timezone="Europe/Madrid")


@pytest.fixture
def paralegal_bangkok(bangkok):
    return UserFactory(username="paralegal_bangkok", office=bangkok)


@pytest.fixture
def paralegal_madrid(madrid):
    return UserFactory(username="paralegal_madrid", office=madrid)
