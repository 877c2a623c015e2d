"""A result is stored as a JSON snapshot: Decimals as strings, enums as values, read back equal."""

import json
from datetime import date
from decimal import Decimal as D

from cases.money.wages import (
    Basis,
    Category,
    Deduction,
    Estimate,
    ItemKind,
    OneOffItem,
    Result,
    calculate,
    calculate_estimate,
    rounding_statement,
)

from .conftest import pay_period, rule_version

RULE = rule_version(
    id=3,
    currency="AED",
    overtime_multiplier=D("1.25"),
    rest_day_multiplier=D("1.5"),
    holiday_multiplier=D("1.5"),
)
MAY = pay_period(
    start=date(2025, 5, 1),
    end=date(2025, 5, 31),
    overtime_hours=D(8),
    agreed_rate=D(1248),
    amount_paid=D("900.00"),
    deductions=(Deduction("visa cost", D("300.00"), lawful=False),),
)


def test_the_snapshot_is_plain_json():
    # wages 1,248.00; overtime 8 h × (1,248 × 12 ÷ 52 ÷ 48 = 6.00) × 1.25 = 60.00; visa cost 300.00; fee 500.00
    result = calculate(
        periods=[MAY], items=[OneOffItem(ItemKind.RECRUITMENT_FEE, D(500))], rules=[RULE], currency="AED"
    )

    stored = result.as_dict()

    assert json.loads(json.dumps(stored)) == stored
    assert stored["schema"] == 1
    assert stored["lines"][1] == {
        "label": "2025-05-01 – 2025-05-31: overtime",
        "category": "overtime",
        "amount": "60.00",
        "formula": "8 overtime hours × 6.00 AED/hour (agreed rate; 1,248.00 AED/month × 12 ÷ 52 ÷ 48 normal "
        "hours/week) × 1.25 (overtime multiplier, rule 3)",
        "rule_version_id": 3,
    }
    assert stored["subtotals"] == {
        "unpaid_wages": "1248.00",
        "underpayment": "0.00",
        "overtime": "60.00",
        "rest_holiday": "0.00",
        "unlawful_deductions": "300.00",
        "fees": "500.00",
        "final_pay": "0.00",
        "other": "0.00",
    }
    # gross 1,248 + 60 + 300 + 500 = 2,108; paid 900 received + 300 withheld = 1,200; owed 908
    assert (stored["gross_owed"], stored["total_paid"], stored["total_owed"]) == ("2108.00", "1200.00", "908.00")
    assert (stored["total_received"], stored["total_withheld"]) == ("900.00", "300.00")
    assert stored["rule_version_ids"] == [3]
    assert stored["rounding"] == rounding_statement("AED", 2)
    assert stored["minor_digits"] == 2
    assert Result.from_dict(stored) == result


def test_an_estimate_reads_back_as_an_estimate():
    estimate = Estimate(
        start=date(2025, 5, 1),
        end=date(2025, 6, 15),
        hours_per_day=D(10),
        days_per_week=D(6),
        overtime_hours_per_week=D(0),
        agreed_rate=D(1248),
        agreed_basis=Basis.MONTH,
        paid_per_month=D(0),
        basis_note="Worker's testimony; employer kept no records",
    )
    result = calculate_estimate(estimate=estimate, rules=[RULE], currency="AED")

    again = Result.from_dict(json.loads(json.dumps(result.as_dict())))

    assert again == result
    assert again.is_estimate
    assert again.basis_note == "Worker's testimony; employer kept no records"
    assert again.subtotals[Category.UNPAID_WAGES] == D("1872.00")  # 1,248 + 1,248 × 15 ÷ 30 = 624
