"""Deadline fixtures: a jurisdiction for Malaysia with limitation rules, and a one-line way to edit case details."""

import pytest

from cases.core.services.cases import case_update_details
from cases.models import Case, Jurisdiction, LimitationRule, LimitationTrigger


@pytest.fixture
def malaysia(db):
    return Jurisdiction.objects.create(country="MY", name="Malaysia (test)")


@pytest.fixture
def make_rule(malaysia):
    def make(trigger=LimitationTrigger.END_OF_CONTRACT, *, months=None, days=None, forum="Labour court"):
        if months is None and days is None:
            months = 6
        return LimitationRule.objects.create(
            jurisdiction=malaysia,
            forum=forum,
            trigger=trigger,
            period_months=months,
            period_days=days,
            source="Test Act s.1",
        )

    return make


@pytest.fixture
def update(administrator):
    """``update(case, work_ended_on=...)`` through case_update_details; returns the case as saved."""

    def update(case, **changes):
        version = Case.objects.values_list("version", flat=True).get(pk=case.pk)
        case_update_details(actor=administrator, case_id=case.pk, expected_version=version, changes=changes)
        return Case.objects.select_related("office").get(pk=case.pk)

    return update
