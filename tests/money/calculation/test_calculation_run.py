"""Running the calculator: the right inputs from the rows and rules, a snapshot that cites its rules, an event."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import ProtectedError

from cases.management.commands.seed_jurisdictions import load_demo_jurisdictions
from cases.models import (
    CalculationSnapshot,
    Case,
    CaseEvent,
    EventKind,
    ItemKind,
    Jurisdiction,
    PayPeriodRow,
    RuleVersion,
)
from cases.money import wages
from cases.money.services.calculations import (
    CalculationInputError,
    calculation_item_add,
    calculation_run,
    calculation_settings_update,
    wages_period,
)

from .conftest import SOURCE

pytestmark = pytest.mark.django_db


def test_a_run_stores_the_itemised_result_and_cites_the_rule_version_it_used(calc_case, add_period, paralegal_a):
    add_period(calc_case)

    snapshot = calculation_run(actor=paralegal_a, case_id=calc_case.pk)

    # 1 month × 1,200 agreed; top-up 1 month × (1,500 − 1,200); overtime 10 h × 1,500 × 12 ÷ 52 ÷ 45 × 1.5 = 115.38.
    assert snapshot.total_owed == Decimal("615.38")
    assert (snapshot.currency, snapshot.is_estimate, snapshot.created_by) == ("MYR", False, paralegal_a)
    result = wages.Result.from_dict(snapshot.result)
    assert [line.amount for line in result.lines] == [Decimal("1200.00"), Decimal("300.00"), Decimal("115.38")]
    assert result.gross_owed == Decimal("1615.38") and result.total_paid == Decimal(1000)
    january = RuleVersion.objects.get(effective_from=date(2022, 5, 1))
    assert list(snapshot.rule_versions.all()) == [january]
    assert snapshot.rules_cited == [
        {
            "id": january.pk,
            "jurisdiction": "Malaysia (test)",
            "effective_from": "2022-05-01",
            "effective_to": "2025-01-31",
            "currency": "MYR",
            "minimum_wage": "1500.00",
            "minimum_basis": "month",
            "overtime_multiplier": "1.50",
            "rest_day_multiplier": "2.00",
            "holiday_multiplier": "3.00",
            "source": SOURCE,
            "last_verified": "2025-03-01",
            "is_demo": False,
        }
    ]
    assert not snapshot.uses_demo_rules


def test_the_event_names_the_snapshot_total_and_currency_and_who_calculated(calc_case, add_period, paralegal_a):
    add_period(calc_case)
    snapshot = calculation_run(actor=paralegal_a, case_id=calc_case.pk)

    event = CaseEvent.objects.filter(case=calc_case, kind=EventKind.CALCULATED).get()
    assert event.actor == paralegal_a
    assert event.payload == {"snapshot": snapshot.pk, "total": "615.38", "currency": "MYR", "estimate": False}


def test_a_period_across_a_minimum_wage_change_cites_both_versions(calc_case, add_period, paralegal_a):
    add_period(calc_case, label="Jan–Feb", end=date(2025, 2, 28), days_worked=50, normal_hours=375, overtime_hours=0)

    snapshot = calculation_run(actor=paralegal_a, case_id=calc_case.pk)

    assert [rule["minimum_wage"] for rule in snapshot.rules_cited] == ["1500.00", "1700.00"]
    assert snapshot.rule_versions.count() == 2
    # January tops 1,200 up to 1,500 and February to 1,700: 2,400 + 300 + 500 − 1,000 paid.
    assert snapshot.total_owed == Decimal("2200.00")


def test_the_calculator_gets_the_rows_and_the_rules_as_they_are_stored(calc_case, add_period, paralegal_a, malaysia):
    add_period(calc_case, unlawful_deductions=Decimal(150), lawful_deductions=Decimal(20), deductions_note="Housing")
    calculation_item_add(actor=paralegal_a, case_id=calc_case.pk, kind=ItemKind.FINAL_PAY, amount=Decimal(400))

    with mock.patch.object(wages, "calculate", wraps=wages.calculate) as calculate:
        calculation_run(actor=paralegal_a, case_id=calc_case.pk)

    kwargs = calculate.call_args.kwargs
    assert kwargs["currency"] == "MYR"
    assert [rule.id for rule in kwargs["rules"]] == list(
        malaysia.rule_versions.order_by("effective_from").values_list("pk", flat=True)
    )
    assert kwargs["rules"][0].minimum_rate == Decimal(1500) and kwargs["rules"][0].minimum_basis == wages.Basis.MONTH
    (period,) = kwargs["periods"]
    assert (period.start, period.end, period.overtime_hours, period.agreed_basis) == (
        date(2025, 1, 1),
        date(2025, 1, 31),
        Decimal(10),
        wages.Basis.MONTH,
    )
    assert period.deductions == (
        wages.Deduction(description="Housing", amount=Decimal(150), lawful=False),
        wages.Deduction(description="lawful deductions", amount=Decimal(20), lawful=True),
    )
    assert kwargs["items"] == [wages.OneOffItem(kind=wages.ItemKind.FINAL_PAY, amount=Decimal(400), description="")]


def test_a_period_without_deductions_passes_none():
    row = PayPeriodRow(
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        days_worked=Decimal(20),
        normal_hours=Decimal(160),
        agreed_rate=Decimal(50),
        agreed_basis="day",
        amount_paid=Decimal(0),
        unlawful_deductions=Decimal(0),
        lawful_deductions=Decimal(0),
    )
    assert wages_period(row).deductions == ()
    assert wages_period(row).label == ""  # the calculator names each line by its dates


def test_estimate_mode_uses_the_workers_account_and_marks_the_result(calc_case, paralegal_a):
    calculation_settings_update(
        actor=paralegal_a,
        case_id=calc_case.pk,
        changes={
            "mode": "estimate",
            "estimate_start": date(2025, 1, 1),
            "estimate_end": date(2025, 1, 31),
            "estimate_hours_per_day": Decimal("7.5"),
            "estimate_days_per_week": Decimal(6),
            "estimate_agreed_rate": Decimal(1500),
            "estimate_agreed_basis": "month",
            "estimate_paid_per_month": Decimal(500),
            "basis_note": "The worker's account; a co-worker confirms the hours.",
        },
    )

    snapshot = calculation_run(actor=paralegal_a, case_id=calc_case.pk)

    assert snapshot.is_estimate
    assert snapshot.basis_note == "The worker's account; a co-worker confirms the hours."
    assert snapshot.total_owed == Decimal("1000.00")
    assert CaseEvent.objects.get(case=calc_case, kind=EventKind.CALCULATED).payload["estimate"] is True


def test_estimate_mode_needs_the_estimate_and_its_basis(calc_case, paralegal_a):
    calculation_settings_update(actor=paralegal_a, case_id=calc_case.pk, changes={"mode": "estimate"})
    with pytest.raises(CalculationInputError) as error:
        calculation_run(actor=paralegal_a, case_id=calc_case.pk)
    assert {"estimate_start", "estimate_agreed_rate", "basis_note"} <= set(error.value.field_errors)
    assert not CalculationSnapshot.objects.exists()


def test_demo_rules_are_flagged_on_the_snapshot(make_case, add_period, paralegal_a):
    load_demo_jurisdictions()
    case = make_case()
    calculation_settings_update(
        actor=paralegal_a, case_id=case.pk, changes={"jurisdiction": Jurisdiction.objects.get(country="MY")}
    )
    add_period(case)

    snapshot = calculation_run(actor=paralegal_a, case_id=case.pk)

    assert snapshot.uses_demo_rules
    assert snapshot.currency == "MYR"  # no currency chosen: the rules' own
    assert snapshot.rules_cited[0]["is_demo"] is True


@pytest.mark.parametrize(
    ("setup", "field"),
    [
        ("no_jurisdiction", "jurisdiction"),
        ("no_rows", "__all__"),
        ("wrong_currency", "period"),
        ("not_covered", "period"),
    ],
)
def test_a_run_that_cannot_calculate_names_the_problem_and_stores_nothing(
    make_case, malaysia, add_period, paralegal_a, setup, field
):
    case = make_case()
    changes = {"jurisdiction": malaysia, "currency": "THB" if setup == "wrong_currency" else "MYR"}
    if setup != "no_jurisdiction":
        calculation_settings_update(actor=paralegal_a, case_id=case.pk, changes=changes)
    period = None
    if setup in ("wrong_currency", "not_covered"):
        start = date(2020, 1, 1) if setup == "not_covered" else date(2025, 1, 1)
        period = add_period(case, start=start, end=start.replace(day=31))
    events = CaseEvent.objects.filter(case=case).count()

    with pytest.raises(CalculationInputError) as error:
        calculation_run(actor=paralegal_a, case_id=case.pk)

    expected = f"period-{period.pk}" if field == "period" else field
    assert expected in error.value.field_errors, error.value.field_errors
    assert not CalculationSnapshot.objects.exists()
    assert CaseEvent.objects.filter(case=case).count() == events


def test_a_failure_after_the_snapshot_is_written_leaves_nothing(calc_case, add_period, paralegal_a):
    add_period(calc_case)
    with (
        mock.patch("cases.money.services.calculations.CaseEvent.objects.create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        calculation_run(actor=paralegal_a, case_id=calc_case.pk)
    assert not CalculationSnapshot.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.CALCULATED).exists()


def test_someone_of_another_office_cannot_run_it(calc_case, add_period, paralegal_b):
    add_period(calc_case)
    with pytest.raises(Case.DoesNotExist):
        calculation_run(actor=paralegal_b, case_id=calc_case.pk)
    assert not CalculationSnapshot.objects.exists()


def test_a_snapshot_is_never_changed_and_its_rules_cannot_be_deleted(calc_case, add_period, paralegal_a):
    add_period(calc_case)
    snapshot = calculation_run(actor=paralegal_a, case_id=calc_case.pk)

    with pytest.raises(TypeError):
        snapshot.save()
    with pytest.raises(TypeError):
        CalculationSnapshot.objects.filter(pk=snapshot.pk).update(total_owed=0)
    with pytest.raises(ProtectedError):
        snapshot.rule_versions.get().delete()


def test_a_later_correction_of_a_rule_does_not_change_what_the_snapshot_cited(calc_case, add_period, paralegal_a):
    add_period(calc_case)
    snapshot = calculation_run(actor=paralegal_a, case_id=calc_case.pk)
    RuleVersion.objects.filter(pk=snapshot.rules_cited[0]["id"]).update(minimum_wage=Decimal(1550), source="Fixed")

    snapshot.refresh_from_db()
    assert snapshot.rules_cited[0]["minimum_wage"] == "1500.00"
    assert snapshot.rules_cited[0]["source"] == SOURCE
