"""Which cases are due: closed longer ago than the office's period (or the site's), never an open case, nothing when
retention is off. Selected by ``retention_due``, the query the sweep and the dry run share."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.core.services.cases import case_reopen
from cases.core.stages import Stage
from cases.retention.services import case_anonymise, retention_due


@pytest.fixture
def closed(make_case):
    """A closed case (closed now) of office A, or of ``office``."""

    def make(**kwargs):
        return make_case(Stage.CLOSED, **kwargs)

    return make


def _due(now) -> set[int]:
    return set(retention_due(now).values_list("pk", flat=True))


def test_a_closed_case_is_due_once_the_site_s_period_has_passed(settings, closed):
    settings.RETENTION_DAYS_AFTER_CLOSE = 30
    case = closed()
    now = timezone.now()

    assert _due(now + timedelta(days=29)) == set()
    assert _due(now + timedelta(days=30, minutes=1)) == {case.pk}


def test_an_office_s_own_period_replaces_the_site_s(settings, closed, office_a, office_b):
    settings.RETENTION_DAYS_AFTER_CLOSE = 30
    office_a.retention_days = 365
    office_a.save(update_fields=["retention_days"])
    in_a, in_b = closed(), closed(office=office_b)
    now = timezone.now()

    assert _due(now + timedelta(days=31)) == {in_b.pk}
    assert _due(now + timedelta(days=366)) == {in_a.pk, in_b.pk}


def test_an_office_may_keep_cases_for_less_than_the_site(settings, closed, office_a):
    settings.RETENTION_DAYS_AFTER_CLOSE = 2190
    office_a.retention_days = 10
    office_a.save(update_fields=["retention_days"])
    case = closed()

    assert _due(timezone.now() + timedelta(days=11)) == {case.pk}


@pytest.mark.parametrize("stage", [Stage.INTAKE, Stage.EVIDENCE, Stage.ASSIGNMENT, Stage.REDRESS])
def test_an_open_case_is_never_due_however_old(settings, make_case, stage):
    settings.RETENTION_DAYS_AFTER_CLOSE = 1
    make_case(stage)

    assert _due(timezone.now() + timedelta(days=100 * 365)) == set()


def test_a_reopened_case_is_not_due(settings, closed, coordinator_a):
    settings.RETENTION_DAYS_AFTER_CLOSE = 1
    case = closed()
    case_reopen(actor=coordinator_a, case_id=case.pk, reason="The worker came back.")

    assert _due(timezone.now() + timedelta(days=10)) == set()


@pytest.mark.parametrize("days", [0, None])
def test_nothing_is_due_when_retention_is_off(settings, closed, office_a, days):
    settings.RETENTION_DAYS_AFTER_CLOSE = days
    office_a.retention_days = 1  # the site's switch wins
    office_a.save(update_fields=["retention_days"])
    closed()

    assert _due(timezone.now() + timedelta(days=100 * 365)) == set()


def test_an_anonymised_case_is_no_longer_due(settings, closed):
    settings.RETENTION_DAYS_AFTER_CLOSE = 1
    case = closed()
    case_anonymise(actor=None, case=case)

    assert _due(timezone.now() + timedelta(days=10)) == set()
