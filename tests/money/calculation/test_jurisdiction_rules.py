"""Jurisdiction rules are data with constraints: ordered dates, positive multipliers, no overlapping versions."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import Jurisdiction, LimitationRule, LimitationTrigger, RuleVersion
from cases.money.models.jurisdiction import first_overlap

from .conftest import rule_version

pytestmark = pytest.mark.django_db


def test_a_version_cannot_end_before_it_starts_in_the_database(malaysia):
    with pytest.raises(IntegrityError), transaction.atomic():
        rule_version(malaysia, date(2030, 1, 10), date(2030, 1, 1), Decimal(1800))


@pytest.mark.parametrize("multiplier", ["overtime_multiplier", "rest_day_multiplier", "holiday_multiplier"])
def test_multipliers_must_be_positive_in_the_database(malaysia, multiplier):
    with pytest.raises(IntegrityError), transaction.atomic():
        rule_version(malaysia, date(2030, 1, 1), None, Decimal(1800), **{multiplier: Decimal(0)})


def test_two_versions_cannot_start_on_the_same_day(malaysia):
    with pytest.raises(IntegrityError), transaction.atomic():
        rule_version(malaysia, date(2025, 2, 1), date(2025, 3, 1), Decimal(1800))


def test_clean_refuses_a_version_overlapping_another_of_the_same_jurisdiction(malaysia):
    overlapping = RuleVersion(
        jurisdiction=malaysia,
        effective_from=date(2025, 6, 1),
        effective_to=None,
        currency="MYR",
        minimum_wage=Decimal(1800),
        normal_hours_per_day=8,
        normal_hours_per_week=45,
        normal_days_per_week=6,
        source="x",
    )
    with pytest.raises(ValidationError, match="overlap the version in force from 2025-02-01"):
        overlapping.full_clean()


def test_clean_accepts_a_version_that_follows_the_last_one_once_that_is_closed(malaysia):
    current = malaysia.rule_versions.get(effective_to__isnull=True)
    current.effective_to = date(2025, 12, 31)
    current.full_clean()
    current.save()
    following = RuleVersion(
        jurisdiction=malaysia,
        effective_from=date(2026, 1, 1),
        currency="MYR",
        minimum_wage=Decimal(1800),
        normal_hours_per_day=8,
        normal_hours_per_week=45,
        normal_days_per_week=6,
        source="x",
    )
    following.full_clean()


def test_clean_ignores_versions_of_other_jurisdictions(malaysia):
    thailand = Jurisdiction.objects.create(country="TH", name="Thailand (test)")
    version = RuleVersion(
        jurisdiction=thailand,
        effective_from=date(2025, 1, 1),
        currency="THB",
        minimum_wage=Decimal(363),
        minimum_basis="day",
        normal_hours_per_day=8,
        normal_hours_per_week=48,
        normal_days_per_week=6,
        source="x",
    )
    version.full_clean()


def test_an_unknown_currency_is_refused_by_validation(malaysia):
    version = malaysia.rule_versions.first()
    version.currency = "XYZ"
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert "currency" in error.value.message_dict


def test_in_force_on_finds_the_version_of_a_day(malaysia):
    assert malaysia.rule_versions.in_force_on(date(2025, 1, 31)).get().minimum_wage == 1500
    assert malaysia.rule_versions.in_force_on(date(2025, 2, 1)).get().minimum_wage == 1700
    assert not malaysia.rule_versions.in_force_on(date(2020, 1, 1)).exists()


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([(date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), None)], None),
        ([(date(2025, 1, 1), None), (date(2024, 1, 1), date(2025, 1, 1))], (1, 0)),
        ([(date(2024, 1, 1), None), (date(2026, 1, 1), None)], (0, 1)),
        ([], None),
    ],
)
def test_first_overlap_finds_two_spans_sharing_a_day(spans, expected):
    assert first_overlap(spans) == expected


def test_a_limitation_period_is_given_in_months_or_days_not_both(malaysia):
    rule = LimitationRule(
        jurisdiction=malaysia, forum="Labour court", trigger=LimitationTrigger.DEPARTURE, source="x", period_months=12
    )
    rule.full_clean()
    rule.period_days = 30
    with pytest.raises(ValidationError):
        rule.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        rule.save()


def test_a_limitation_period_must_be_longer_than_zero(malaysia):
    with pytest.raises(IntegrityError), transaction.atomic():
        LimitationRule.objects.create(
            jurisdiction=malaysia, forum="Court", trigger=LimitationTrigger.AWARD, source="x", period_days=0
        )
