"""Deductions and what was paid: unlawful ones are added back, lawful ones are not claimed, payments are credited.

``amount_paid`` is what reached the worker; every deduction also counts with what the employer paid ("withheld"),
so only lawful deductions reduce the claim. One hourly period: 160 h × 10.00 = 1,600.00 due in wages.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from cases.money.wages import Basis, Category, Deduction, PayPeriod, calculate

from .conftest import pay_period, rule_version

RULE = rule_version()
HOUSING = Deduction("housing", D("200.00"), lawful=False)
LEVY = Deduction("levy", D("50.00"), lawful=True)


def period(paid, deductions=(), start=date(2025, 1, 1), end=date(2025, 1, 31)) -> PayPeriod:
    return pay_period(
        start=start,
        end=end,
        days_worked=D(20),
        normal_hours=D(160),
        agreed_rate=D(10),
        agreed_basis=Basis.HOUR,
        amount_paid=D(paid),
        deductions=tuple(deductions),
    )


# (case, paid, deductions, unlawful-deduction subtotal, gross, total paid, total owed)
CASES = [
    # 1,600 − 1,600 = 0
    ("paid in full", "1600.00", [], "0.00", "1600.00", "1600.00", "0.00"),
    # 200 kept for housing, 1,400 received: gross 1,600 + 200 = 1,800; paid 1,400 + 200 = 1,600; owed 200
    ("an unlawful deduction", "1400.00", [HOUSING], "200.00", "1800.00", "1600.00", "200.00"),
    # 50 levy, 1,550 received: gross 1,600; paid 1,550 + 50 = 1,600; owed 0
    ("a lawful deduction", "1550.00", [LEVY], "0.00", "1600.00", "1600.00", "0.00"),
    # both, 1,350 received: gross 1,600 + 200 = 1,800; paid 1,350 + 250 = 1,600; owed 200 — the housing only
    ("both", "1350.00", [HOUSING, LEVY], "200.00", "1800.00", "1600.00", "200.00"),
    # both, and 300 short: received 1,050: paid 1,050 + 250 = 1,300; owed 1,800 − 1,300 = 500
    ("both and wages short", "1050.00", [HOUSING, LEVY], "200.00", "1800.00", "1300.00", "500.00"),
]


@pytest.mark.parametrize(
    ("paid", "deductions", "unlawful", "gross", "total_paid", "owed"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_only_lawful_deductions_reduce_the_claim(paid, deductions, unlawful, gross, total_paid, owed):
    result = calculate(periods=[period(paid, deductions)], rules=[RULE], currency="MYR")

    assert result.subtotals[Category.UNLAWFUL_DEDUCTIONS] == D(unlawful)
    assert (result.gross_owed, result.total_paid, result.total_owed) == (D(gross), D(total_paid), D(owed))
    assert result.total_received == D(paid)
    assert result.total_withheld == sum((deduction.amount for deduction in deductions), D(0))


def test_a_lawful_deduction_is_listed_at_zero_with_the_reason():
    result = calculate(periods=[period("1350.00", [HOUSING, LEVY])], rules=[RULE], currency="MYR")
    deductions = [line for line in result.lines if line.category == Category.UNLAWFUL_DEDUCTIONS]

    assert [(line.label, line.amount, line.formula) for line in deductions] == [
        (
            "2025-01-01 – 2025-01-31: deduction “housing” (unlawful)",
            D("200.00"),
            "200.00 MYR deducted unlawfully: added back (it also counts with what was paid, as withheld)",
        ),
        (
            "2025-01-01 – 2025-01-31: deduction “levy” (lawful)",
            D("0.00"),
            "50.00 MYR deducted lawfully: not claimed (it counts with what was paid, as withheld)",
        ),
    ]


def test_an_overpaid_worker_gets_a_negative_total_and_a_note_not_a_zero():
    # 1,700 received against 1,600 due: owed 1,600 − 1,700 = −100.00
    result = calculate(periods=[period("1700.00")], rules=[RULE], currency="MYR")

    assert result.total_owed == D("-100.00")
    assert result.overpaid
    assert result.notes == (
        "Paid 1,700.00 MYR against 1,600.00 MYR due: on these figures the worker was overpaid by 100.00 MYR and "
        "nothing is owed.",
    )


def test_payments_are_credited_across_the_whole_claim():
    # January 100 short (owed 100), February 30 over (owed −30): 3,200 − (1,500 + 1,630) = 70.00
    january = period("1500.00")
    february = period("1630.00", start=date(2025, 2, 1), end=date(2025, 2, 28))

    result = calculate(periods=[january, february], rules=[RULE], currency="MYR")

    assert (result.gross_owed, result.total_paid, result.total_owed) == (D("3200.00"), D("3130.00"), D("70.00"))
    assert not result.overpaid
    assert result.notes == ()
