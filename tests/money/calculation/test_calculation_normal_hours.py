"""Normal hours above the jurisdiction's normal hours a day or a week are refused, saying what to enter instead.

The issue's trap: a worker's real 10-hour day typed as normal hours gave no overtime and no warning, in records and
in estimate mode. Now the service refuses it (nothing saved), the page answers 400 with the message on the field, the
API 400 with the field map, and a run refuses rows typed before the jurisdiction was chosen.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.core.stages import Stage
from cases.models import CalculationSettings, CalculationSnapshot, CaseEvent, Jurisdiction, PayPeriodRow, WageBasis
from cases.money.hours_limits import weekly_most
from cases.money.services.calculations import (
    CalculationInputError,
    calculation_period_add,
    calculation_period_update,
    calculation_run,
    calculation_settings_update,
)
from tests.api.conftest import token_client

from .conftest import rule_version
from .test_calculation_views import HTMX, period_data

pytestmark = pytest.mark.django_db

TEN_HOUR_DAYS = "260 normal hours in 26 days worked is more than 8 a day"
TEN_HOUR_FIX = "enter at most 208 normal hours and the other 52 as overtime hours."


def test_a_ten_hour_day_entered_as_normal_hours_is_refused_with_what_to_enter(calc_case, add_period):
    with pytest.raises(CalculationInputError) as error:
        add_period(calc_case, normal_hours=Decimal(260))

    [message] = error.value.field_errors["normal_hours"]
    assert message.startswith(TEN_HOUR_DAYS)
    assert "Malaysia (test) 2022-05-01–2025-01-31" in message
    assert message.endswith(TEN_HOUR_FIX)
    assert not PayPeriodRow.objects.exists()


def test_within_the_day_but_above_the_week_is_refused_too(calc_case, add_period):
    # 26 days × 8 hours = 208 fits 8 a day. February 2025's 28 days hold at most 191 normal hours under 45 a week:
    # with the week starting on the kindest weekday, 3 whole weeks (135) and part-weeks of 3 and 4 days (24 + 32).
    with pytest.raises(CalculationInputError) as error:
        add_period(calc_case, label="February", start=date(2025, 2, 1), end=date(2025, 2, 28), normal_hours=208)

    assert error.value.field_errors["normal_hours"] == [
        "208 normal hours from 2025-02-01 to 2025-02-28 is more than 45 a week, the normal hours of Malaysia (test) "
        "2025-02-01–…, allow on these dates: enter at most 191 normal hours and the other 17 as overtime hours."
    ]


def test_the_weekly_limit_counts_whole_weeks_and_part_weeks_by_the_day():
    # The week may start on any weekday; the kindest start counts. 3 days: 3 × 8. 7 days: as two part-weeks of 3
    # and 4 days, 24 + 32 = 56. 14 days: 45 for the whole week and part-weeks of 3 and 4 days, 45 + 24 + 32 = 101.
    assert weekly_most(date(2025, 1, 1), date(2025, 1, 3), Decimal(8), Decimal(45)) == Decimal(24)
    assert weekly_most(date(2025, 1, 1), date(2025, 1, 7), Decimal(8), Decimal(45)) == Decimal(56)
    assert weekly_most(date(2025, 1, 2), date(2025, 1, 15), Decimal(8), Decimal(45)) == Decimal(101)
    # A 6-day week of 8 hours (48) in 28 days: 3 whole weeks of 45 and part-weeks of 3 and 4 days.
    assert weekly_most(date(2025, 2, 1), date(2025, 2, 28), Decimal(8), Decimal(45)) == Decimal(191)


def test_the_same_hours_split_into_normal_and_overtime_are_accepted_and_paid_as_overtime(
    calc_case, add_period, paralegal_a
):
    # The 10-hour days entered as the message says: 195 normal (7.5 a day) and 65 overtime.
    add_period(calc_case, normal_hours=Decimal(195), overtime_hours=Decimal(65))

    snapshot = calculation_run(actor=paralegal_a, case_id=calc_case.pk)

    # Overtime at the minimum (1,500 a month) made hourly: 1,500 × 12 ÷ 52 ÷ 45 = 7.6923…; × 1.5 × 65 = 750.00.
    overtime = [line for line in snapshot.result["lines"] if line["category"] == "overtime"]
    assert [line["amount"] for line in overtime] == ["750.00"]


def test_an_update_above_the_limit_is_refused_and_the_row_kept(calc_case, add_period, paralegal_a):
    period = add_period(calc_case)

    with pytest.raises(CalculationInputError) as error:
        calculation_period_update(
            actor=paralegal_a, case_id=calc_case.pk, period_id=period.pk, changes={"normal_hours": Decimal(260)}
        )

    assert error.value.field_errors["normal_hours"][0].endswith(TEN_HOUR_FIX)
    period.refresh_from_db()
    assert period.normal_hours == Decimal(195)


def test_each_period_is_held_to_the_rule_version_in_force_on_its_dates(make_case, paralegal_a):
    jurisdiction = Jurisdiction.objects.create(country="MY", name="Shorter days from 2025")
    rule_version(jurisdiction, date(2024, 1, 1), date(2024, 12, 31), Decimal(1500), normal_hours_per_day=Decimal(9))
    rule_version(jurisdiction, date(2025, 1, 1), None, Decimal(1500), normal_hours_per_week=Decimal(60))
    case = make_case(Stage.EVIDENCE)
    calculation_settings_update(actor=paralegal_a, case_id=case.pk, changes={"jurisdiction": jurisdiction})
    nine_hour_days = {
        "days_worked": Decimal(20),
        "normal_hours": Decimal(180),
        "agreed_rate": Decimal(1500),
        "agreed_basis": WageBasis.MONTH,
    }

    calculation_period_add(
        actor=paralegal_a, case_id=case.pk, start=date(2024, 12, 1), end=date(2024, 12, 31), **nine_hour_days
    )
    with pytest.raises(CalculationInputError) as error:
        calculation_period_add(
            actor=paralegal_a, case_id=case.pk, start=date(2025, 1, 1), end=date(2025, 1, 31), **nine_hour_days
        )

    assert "more than 8 a day" in error.value.field_errors["normal_hours"][0]
    assert "Shorter days from 2025 2025-01-01–…" in error.value.field_errors["normal_hours"][0]


def test_rows_typed_before_the_jurisdiction_was_chosen_are_refused_when_calculating(make_case, malaysia, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    period = calculation_period_add(
        actor=paralegal_a,
        case_id=case.pk,
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        days_worked=Decimal(26),
        normal_hours=Decimal(260),
        agreed_rate=Decimal(1200),
        agreed_basis=WageBasis.MONTH,
    )
    calculation_settings_update(actor=paralegal_a, case_id=case.pk, changes={"jurisdiction": malaysia})

    with pytest.raises(CalculationInputError) as error:
        calculation_run(actor=paralegal_a, case_id=case.pk)

    assert error.value.field_errors[f"period-{period.pk}.normal_hours"][0].endswith(TEN_HOUR_FIX)
    assert not CalculationSnapshot.objects.exists()


ESTIMATE = {
    "mode": "estimate",
    "estimate_start": date(2025, 1, 1),
    "estimate_end": date(2025, 1, 31),
    "estimate_days_per_week": Decimal(6),
    "estimate_agreed_rate": Decimal(1500),
    "estimate_agreed_basis": "month",
    "basis_note": "The worker's account.",
}


def test_an_estimate_of_ten_hours_a_day_is_refused_with_the_overtime_to_enter(calc_case, paralegal_a):
    with pytest.raises(CalculationInputError) as error:
        calculation_settings_update(
            actor=paralegal_a, case_id=calc_case.pk, changes={**ESTIMATE, "estimate_hours_per_day": Decimal(10)}
        )

    assert error.value.field_errors["estimate_hours_per_day"] == [
        "10 hours a day is more than the 8 normal hours a day of Malaysia (test) 2022-05-01–2025-01-31: enter 8 "
        "normal hours a day, and add the other 2 hours a day × 6 days = 12 to the overtime hours per week."
    ]
    assert CalculationSettings.objects.get(case=calc_case).mode == "records"  # nothing saved


def test_an_estimate_above_the_normal_week_is_refused_with_the_hours_a_day_that_fit(calc_case, paralegal_a):
    with pytest.raises(CalculationInputError) as error:
        calculation_settings_update(
            actor=paralegal_a, case_id=calc_case.pk, changes={**ESTIMATE, "estimate_hours_per_day": Decimal(8)}
        )

    assert error.value.field_errors["estimate_hours_per_day"] == [
        "8 normal hours a day on 6 days is 48 a week, more than the 45 normal hours a week of Malaysia (test) "
        "2022-05-01–2025-01-31: enter at most 7.5 normal hours a day, and add the other 3 hours a week to the "
        "overtime hours per week."
    ]


def test_the_estimate_entered_as_the_message_says_pays_the_overtime(calc_case, paralegal_a):
    calculation_settings_update(
        actor=paralegal_a,
        case_id=calc_case.pk,
        changes={**ESTIMATE, "estimate_hours_per_day": Decimal(8), "estimate_days_per_week": Decimal(5)},
    )
    calculation_settings_update(
        actor=paralegal_a, case_id=calc_case.pk, changes={"estimate_overtime_hours_per_week": Decimal(10)}
    )

    snapshot = calculation_run(actor=paralegal_a, case_id=calc_case.pk)

    # January: 10 × 31 ÷ 7 = 44.29 overtime hours × 7.6923… (1,500 × 12 ÷ 52 ÷ 45) × 1.5 = 511.04.
    [overtime] = [line for line in snapshot.result["lines"] if line["category"] == "overtime"]
    assert overtime["amount"] == "511.04"
    assert "44.29 overtime hours" in overtime["formula"]


def url(name, case):
    return reverse(name, args=[case.pk])


@pytest.mark.parametrize("htmx", [False, True])
def test_the_form_answers_400_on_normal_hours_and_saves_nothing(client, calc_case, paralegal_a, htmx):
    client.force_login(paralegal_a)
    events = CaseEvent.objects.filter(case=calc_case).count()

    response = client.post(
        url("calculation_period_add", calc_case), period_data(normal_hours="260"), **(HTMX if htmx else {})
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert TEN_HOUR_DAYS in page and TEN_HOUR_FIX in page
    assert not PayPeriodRow.objects.exists()
    assert CaseEvent.objects.filter(case=calc_case).count() == events


def test_the_form_says_which_hours_are_normal_and_which_overtime(client, calc_case, paralegal_a):
    client.force_login(paralegal_a)

    page = client.get(reverse("case_detail", args=[calc_case.pk])).content.decode()

    assert "up to the jurisdiction&#x27;s normal hours a day and a week" in page
    assert "Hours worked above the jurisdiction&#x27;s normal hours a day or a week." in page
    assert "a 10-hour day under an 8-hour limit, 6 days a week, is 12 overtime hours a week." in page


def test_the_settings_form_answers_400_on_an_estimated_ten_hour_day(client, calc_case, paralegal_a):
    client.force_login(paralegal_a)
    data = {f"settings-{name}": str(value) for name, value in ESTIMATE.items()}
    data.update({"settings-jurisdiction": calc_case.calculation_settings.jurisdiction_id, "settings-currency": "MYR"})

    response = client.post(url("calculation_settings", calc_case), {**data, "settings-estimate_hours_per_day": "10"})

    assert response.status_code == 400
    assert "add the other 2 hours a day × 6 days = 12 to the overtime hours per week." in response.content.decode()
    assert CalculationSettings.objects.get(case=calc_case).mode == "records"


def test_the_api_answers_400_with_the_field_map_and_saves_nothing(calc_case, paralegal_a):
    api = token_client(paralegal_a)

    response = api.post(
        f"/api/v1/cases/{calc_case.pk}/calculation/periods/",
        {
            "start": "2025-01-01",
            "end": "2025-01-31",
            "days_worked": "26",
            "normal_hours": "260",
            "agreed_rate": "1200",
            "agreed_basis": "month",
        },
    )

    assert response.status_code == 400, response.json()
    assert response.json()["normal_hours"][0].endswith(TEN_HOUR_FIX)
    assert not PayPeriodRow.objects.exists()


def test_the_api_refuses_an_estimated_ten_hour_day(calc_case, paralegal_a):
    api = token_client(paralegal_a)
    body = {name: str(value) for name, value in ESTIMATE.items()}

    response = api.put(f"/api/v1/cases/{calc_case.pk}/calculation/settings/", {**body, "estimate_hours_per_day": "10"})

    assert response.status_code == 400, response.json()
    assert "= 12 to the overtime hours per week." in response.json()["estimate_hours_per_day"][0]
    assert CalculationSettings.objects.get(case=calc_case).mode == "records"
