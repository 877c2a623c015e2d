"""Writes to a case's calculation inputs: validated, one transaction, an event with the actor and no values."""

from datetime import date
from decimal import Decimal

import pytest

from cases.core.errors import IllegalTransition, InvalidInput
from cases.core.stages import Stage
from cases.models import (
    CalculationSettings,
    Case,
    CaseEvent,
    EventKind,
    ItemKind,
    OneOffItemRow,
    PayPeriodRow,
)
from cases.money.services.calculations import (
    CalculationInputError,
    calculation_item_add,
    calculation_item_delete,
    calculation_period_delete,
    calculation_period_update,
    calculation_settings_update,
)

pytestmark = pytest.mark.django_db


def events(case, kind=EventKind.CALCULATION_CHANGED):
    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("id"))


def test_adding_a_period_saves_it_and_writes_an_event_naming_the_row_not_its_values(calc_case, add_period, paralegal_a):
    before = len(events(calc_case))

    period = add_period(calc_case)

    assert PayPeriodRow.objects.get(case=calc_case) == period
    event = events(calc_case)[-1]
    assert len(events(calc_case)) == before + 1
    assert event.actor == paralegal_a
    assert event.payload == {"change": "period_added", "period": period.pk}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"end": date(2024, 12, 1)}, "end"),
        ({"overtime_hours": Decimal(-1)}, "overtime_hours"),
        ({"normal_hours": Decimal("-0.5")}, "normal_hours"),
        ({"amount_paid": Decimal(-10)}, "amount_paid"),
        ({"days_worked": Decimal(40)}, "days_worked"),
        ({"agreed_basis": "fortnight"}, "agreed_basis"),
    ],
)
def test_bad_period_input_names_the_field_and_saves_nothing(calc_case, add_period, values, field):
    before = len(events(calc_case))

    with pytest.raises(CalculationInputError) as error:
        add_period(calc_case, **values)

    assert field in error.value.field_errors
    assert isinstance(error.value, InvalidInput)
    assert not PayPeriodRow.objects.filter(case=calc_case).exists()
    assert len(events(calc_case)) == before


def test_a_period_sharing_days_with_another_is_refused(calc_case, add_period):
    add_period(calc_case)
    with pytest.raises(CalculationInputError) as error:
        add_period(calc_case, label="Overlap", start=date(2025, 1, 31), end=date(2025, 2, 27))
    assert "January 2025" in error.value.field_errors["start"][0]
    assert PayPeriodRow.objects.filter(case=calc_case).count() == 1


def test_updating_a_period_saves_the_changed_fields_and_names_them_in_the_event(calc_case, add_period, paralegal_a):
    period = add_period(calc_case)

    calculation_period_update(
        actor=paralegal_a,
        case_id=calc_case.pk,
        period_id=period.pk,
        changes={"overtime_hours": Decimal(12), "label": "January 2025"},
    )

    period.refresh_from_db()
    assert period.overtime_hours == 12
    assert events(calc_case)[-1].payload == {
        "change": "period_updated",
        "period": period.pk,
        "fields": ["overtime_hours"],
    }


def test_an_update_that_breaks_the_period_saves_nothing(calc_case, add_period, paralegal_a):
    period = add_period(calc_case)
    before = len(events(calc_case))

    with pytest.raises(CalculationInputError):
        calculation_period_update(
            actor=paralegal_a,
            case_id=calc_case.pk,
            period_id=period.pk,
            changes={"end": date(2024, 1, 1), "overtime_hours": Decimal(3)},
        )

    period.refresh_from_db()
    assert (period.end, period.overtime_hours) == (date(2025, 1, 31), 10)
    assert len(events(calc_case)) == before


def test_deleting_a_period_removes_it_with_an_event(calc_case, add_period, paralegal_a):
    period = add_period(calc_case)
    calculation_period_delete(actor=paralegal_a, case_id=calc_case.pk, period_id=period.pk)
    assert not PayPeriodRow.objects.filter(pk=period.pk).exists()
    assert events(calc_case)[-1].payload == {"change": "period_deleted", "period": period.pk}


def test_a_period_of_another_case_cannot_be_changed_through_this_one(calc_case, add_period, make_case, paralegal_a):
    period = add_period(calc_case)
    other = make_case()
    with pytest.raises(PayPeriodRow.DoesNotExist):
        calculation_period_delete(actor=paralegal_a, case_id=other.pk, period_id=period.pk)
    assert PayPeriodRow.objects.filter(pk=period.pk).exists()


def test_someone_of_another_office_cannot_touch_the_calculation(calc_case, add_period, paralegal_b):
    with pytest.raises(Case.DoesNotExist):
        calculation_item_add(actor=paralegal_b, case_id=calc_case.pk, kind=ItemKind.FINAL_PAY, amount=Decimal(5))
    assert not OneOffItemRow.objects.exists()


def test_a_closed_case_keeps_its_calculation_as_it_was(make_case, add_period, paralegal_a):
    case = make_case(Stage.CLOSED)
    with pytest.raises(IllegalTransition):
        add_period(case)
    assert not PayPeriodRow.objects.filter(case=case).exists()


def test_one_off_items_are_added_and_removed_with_events(calc_case, paralegal_a):
    item = calculation_item_add(
        actor=paralegal_a,
        case_id=calc_case.pk,
        kind=ItemKind.RECRUITMENT_FEE,
        amount=Decimal("2500.00"),
        description="Paid to the agent in Kathmandu",
    )
    assert events(calc_case)[-1].payload == {"change": "item_added", "item": item.pk}
    calculation_item_delete(actor=paralegal_a, case_id=calc_case.pk, item_id=item.pk)
    assert not OneOffItemRow.objects.exists()
    assert events(calc_case)[-1].payload == {"change": "item_deleted", "item": item.pk}


def test_a_negative_item_is_refused(calc_case, paralegal_a):
    with pytest.raises(CalculationInputError) as error:
        calculation_item_add(actor=paralegal_a, case_id=calc_case.pk, kind=ItemKind.OTHER, amount=Decimal(-1))
    assert "amount" in error.value.field_errors
    assert not OneOffItemRow.objects.exists()


def test_settings_are_created_on_first_use_and_changes_name_their_fields(make_case, malaysia, paralegal_a):
    case = make_case()

    calculation_settings_update(
        actor=paralegal_a, case_id=case.pk, changes={"jurisdiction": malaysia, "currency": "MYR", "mode": "records"}
    )

    settings = CalculationSettings.objects.get(case=case)
    assert (settings.jurisdiction, settings.currency) == (malaysia, "MYR")
    assert events(case)[-1].payload == {"change": "settings_updated", "fields": ["jurisdiction", "currency"]}
    assert events(case)[-1].actor == paralegal_a


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"estimate_start": date(2025, 3, 1), "estimate_end": date(2025, 1, 1)}, "estimate_end"),
        ({"estimate_hours_per_day": Decimal(-2)}, "estimate_hours_per_day"),
        ({"estimate_days_per_week": Decimal(8)}, "estimate_days_per_week"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(calc_case, paralegal_a, changes, field):
    before = len(events(calc_case))
    with pytest.raises(CalculationInputError) as error:
        calculation_settings_update(actor=paralegal_a, case_id=calc_case.pk, changes=changes)
    assert field in error.value.field_errors
    settings = CalculationSettings.objects.get(case=calc_case)
    assert settings.currency == "MYR" and settings.estimate_start is None and settings.estimate_hours_per_day is None
    assert len(events(calc_case)) == before


def test_fields_outside_the_settings_cannot_be_changed_through_them(calc_case, paralegal_a):
    with pytest.raises(InvalidInput):
        calculation_settings_update(actor=paralegal_a, case_id=calc_case.pk, changes={"case_id": 1})


def test_input_writes_leave_the_case_version_alone(calc_case, add_period, paralegal_a):
    """The page's stage and close forms carry the version; editing the calculation must not make them stale."""
    version = calc_case.version
    add_period(calc_case)
    calc_case.refresh_from_db()
    assert calc_case.version == version
