"""Wage calculator fixtures: one rule version and one pay period, built with overrides.

The calculator (``cases.money.wages``) is pure, and its tests build its inputs at import time for their parameter
tables, so these are factory functions rather than pytest fixtures: ``rule_version(minimum_rate=D(1700))``,
``pay_period(agreed_rate=D(10), agreed_basis=Basis.HOUR)``. A test states every value it relies on that differs
from the defaults below.
"""

from datetime import date
from decimal import Decimal as D

from cases.money.wages import Basis, PayPeriod, RuleVersion

# Version 1 in force from 1 January 2024, in MYR, with no minimum wage: 8 normal hours a day, 48 a week, 6 days a
# week; overtime × 1.5, rest day × 2, holiday × 3.
RULE_VERSION_DEFAULTS = {
    "id": 1,
    "effective_from": date(2024, 1, 1),
    "effective_to": None,
    "currency": "MYR",
    "minimum_rate": None,
    "minimum_basis": Basis.MONTH,
    "normal_hours_per_day": D(8),
    "normal_hours_per_week": D(48),
    "normal_days_per_week": D(6),
    "overtime_multiplier": D("1.5"),
    "rest_day_multiplier": D(2),
    "holiday_multiplier": D(3),
}

# January 2025 worked in full at 1,500 a month: 26 days of 8 normal hours (208), nothing else worked, nothing paid.
PAY_PERIOD_DEFAULTS = {
    "start": date(2025, 1, 1),
    "end": date(2025, 1, 31),
    "days_worked": D(26),
    "normal_hours": D(208),
    "agreed_rate": D(1500),
    "agreed_basis": Basis.MONTH,
}


def rule_version(**overrides) -> RuleVersion:
    """The rule version above, with ``overrides``."""
    return RuleVersion(**RULE_VERSION_DEFAULTS | overrides)


def pay_period(**overrides) -> PayPeriod:
    """The pay period above, with ``overrides``."""
    return PayPeriod(**PAY_PERIOD_DEFAULTS | overrides)
