"""One-off items — recruitment fees, withheld final pay, notice, leave, gratuity — go to their categories as given."""

from datetime import date
from decimal import Decimal as D

import pytest

from cases.money.wages import Category, ItemKind, OneOffItem, calculate

from .conftest import pay_period, rule_version

# (kind, category, label)
KINDS = [
    (ItemKind.RECRUITMENT_FEE, Category.FEES, "Recruitment fee paid by the worker"),
    (ItemKind.FINAL_PAY, Category.FINAL_PAY, "Withheld final pay"),
    (ItemKind.NOTICE_PAY, Category.FINAL_PAY, "Notice pay"),
    (ItemKind.UNUSED_LEAVE, Category.FINAL_PAY, "Unused leave"),
    (ItemKind.GRATUITY, Category.FINAL_PAY, "End-of-service gratuity"),
    (ItemKind.OTHER, Category.OTHER, "Other sum owed"),
]


@pytest.mark.parametrize(("kind", "category", "label"), KINDS)
def test_an_item_goes_to_its_category_at_its_amount(kind, category, label):
    result = calculate(periods=[], items=[OneOffItem(kind, D("1234.50"))], rules=[], currency="QAR")

    (line,) = result.lines
    assert (line.label, line.category, line.amount, line.rule_version_id) == (label, category, D("1234.50"), None)
    assert line.formula == f"1,234.50 QAR: {label[0].lower() + label[1:]}, the amount as entered"
    assert result.subtotals[category] == result.gross_owed == result.total_owed == D("1234.50")


def test_items_add_to_the_wages_and_keep_their_description():
    rule = rule_version(
        id=7,
        currency="QAR",
        minimum_rate=D(1000),
        overtime_multiplier=D("1.25"),
        rest_day_multiplier=D("1.5"),
        holiday_multiplier=D("1.5"),
    )
    march = pay_period(start=date(2025, 3, 1), end=date(2025, 3, 31), agreed_rate=D(1200), amount_paid=D("0.00"))
    items = [
        OneOffItem(ItemKind.RECRUITMENT_FEE, D("3000.00"), "paid to the agent in Kathmandu"),
        # gratuity worked out outside the calculator: 21 days × 2 years × (1,200 × 12 ÷ 365 = 39.45…) ≈ 1,657.00
        OneOffItem(ItemKind.GRATUITY, D("1657.00"), "21 days' basic wage per year, 2 years"),
        OneOffItem(ItemKind.FINAL_PAY, D("600.00"), "half of April"),
    ]

    result = calculate(periods=[march], items=items, rules=[rule], currency="QAR")

    # wages 1,200.00 (nothing paid) + fees 3,000.00 + final pay 1,657.00 + 600.00 = 6,457.00
    assert result.subtotals[Category.UNPAID_WAGES] == D("1200.00")
    assert result.subtotals[Category.FEES] == D("3000.00")
    assert result.subtotals[Category.FINAL_PAY] == D("2257.00")
    assert result.total_owed == D("6457.00")
    assert result.lines[1].label == "Recruitment fee paid by the worker: paid to the agent in Kathmandu"
    assert result.rule_version_ids == (7,)
