"""Fixtures for the calculation: a jurisdiction with a minimum-wage change, and a case set up to calculate."""

from datetime import date
from decimal import Decimal

import pytest

from cases.core.stages import Stage
from cases.models import Jurisdiction, RuleVersion, WageBasis
from cases.money.services.calculations import calculation_period_add, calculation_settings_update

SOURCE = "Minimum Wages Order 2022, https://example.gov.my/mwo-2022"


def rule_version(jurisdiction, start, end, minimum, **values) -> RuleVersion:
    values = {
        "currency": "MYR",
        "minimum_basis": WageBasis.MONTH,
        "normal_hours_per_day": Decimal(8),
        "normal_hours_per_week": Decimal(45),
        "normal_days_per_week": Decimal(6),
        "overtime_multiplier": Decimal("1.5"),
        "rest_day_multiplier": Decimal(2),
        "holiday_multiplier": Decimal(3),
        "source": SOURCE,
        "last_verified": date(2025, 3, 1),
        **values,
    }
    return RuleVersion.objects.create(
        jurisdiction=jurisdiction, effective_from=start, effective_to=end, minimum_wage=minimum, **values
    )


@pytest.fixture
def malaysia(db) -> Jurisdiction:
    """Malaysia with a (test) minimum wage of 1,500 MYR a month, raised to 1,700 from 1 February 2025."""
    jurisdiction = Jurisdiction.objects.create(country="MY", name="Malaysia (test)")
    rule_version(jurisdiction, date(2022, 5, 1), date(2025, 1, 31), Decimal(1500))
    rule_version(jurisdiction, date(2025, 2, 1), None, Decimal(1700))
    return jurisdiction


@pytest.fixture
def calc_case(make_case, malaysia, paralegal_a):
    """A case in evidence, in office A, set to calculate under Malaysia's rules in MYR."""
    case = make_case(Stage.EVIDENCE)
    calculation_settings_update(
        actor=paralegal_a, case_id=case.pk, changes={"jurisdiction": malaysia, "currency": "MYR"}
    )
    return case


# January 2025, one month at 1,200 MYR agreed (below the 1,500 minimum), 10 overtime hours, 1,000 paid.
JANUARY = {
    "label": "January 2025",
    "start": date(2025, 1, 1),
    "end": date(2025, 1, 31),
    "days_worked": Decimal(26),
    "normal_hours": Decimal(195),  # 7.5 a day: within 8 a day and 45 a week
    "overtime_hours": Decimal(10),
    "agreed_rate": Decimal(1200),
    "agreed_basis": WageBasis.MONTH,
    "amount_paid": Decimal(1000),
}


@pytest.fixture
def add_period(paralegal_a):
    def add(case, **values):
        return calculation_period_add(actor=paralegal_a, case_id=case.pk, **{**JANUARY, **values})

    return add
