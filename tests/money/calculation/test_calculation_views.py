"""The calculation on the case page: add, edit and remove rows, bad input (400, nothing saved), run and read."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.core.stages import Stage
from cases.management.commands.seed_jurisdictions import load_demo_jurisdictions
from cases.models import CalculationSettings, CalculationSnapshot, CaseEvent, Jurisdiction, PayPeriodRow
from cases.money.services.calculations import calculation_run, calculation_settings_update

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def period_data(**values) -> dict:
    data = {
        "label": "January 2025",
        "start": "2025-01-01",
        "end": "2025-01-31",
        "days_worked": "26",
        "normal_hours": "195",
        "overtime_hours": "10",
        "rest_day_hours": "",
        "holiday_hours": "0",
        "agreed_rate": "1200",
        "agreed_basis": "month",
        "amount_paid": "1000",
        "unlawful_deductions": "",
        "lawful_deductions": "",
        "deductions_note": "",
        **values,
    }
    return {f"period-{name}": value for name, value in data.items()}


def url(name, case, *args):
    return reverse(name, args=[case.pk, *args])


def test_the_case_page_shows_the_calculation_section(client, calc_case, paralegal_a):
    client.force_login(paralegal_a)
    page = client.get(url("case_detail", calc_case)).content.decode()
    assert 'id="calculation"' in page
    assert "What is owed" in page
    assert "No pay periods yet." in page


def test_adding_a_period_redirects_back_to_the_case_and_lists_it(client, calc_case, paralegal_a):
    client.force_login(paralegal_a)

    response = client.post(url("calculation_period_add", calc_case), period_data())

    assert response.status_code == 302
    assert response.url == url("case_detail", calc_case) + "#calculation"
    period = PayPeriodRow.objects.get(case=calc_case)
    assert (period.rest_day_hours, period.unlawful_deductions) == (0, 0)  # empty means none
    assert "January 2025" in client.get(response.url).content.decode()


def test_with_htmx_adding_a_period_answers_with_the_section_alone(client, calc_case, paralegal_a):
    client.force_login(paralegal_a)

    response = client.post(url("calculation_period_add", calc_case), period_data(), **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith("<section") and "<html" not in page
    assert "January 2025" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"end": "2024-12-01"}, "The period ends before it starts."),
        ({"overtime_hours": "-3"}, "This cannot be negative."),
        ({"normal_hours": "-1"}, "This cannot be negative."),
        ({"start": "not a date"}, "Enter a valid date."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_period_input_answers_400_with_the_field_error_and_saves_nothing(
    client, calc_case, paralegal_a, values, message, htmx
):
    client.force_login(paralegal_a)
    events = CaseEvent.objects.filter(case=calc_case).count()

    response = client.post(url("calculation_period_add", calc_case), period_data(**values), **(HTMX if htmx else {}))

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'class="errorlist"' in page
    assert not PayPeriodRow.objects.exists()
    assert CaseEvent.objects.filter(case=calc_case).count() == events


def test_an_unknown_currency_answers_400_and_keeps_the_settings(client, calc_case, paralegal_a, malaysia):
    client.force_login(paralegal_a)
    data = {"settings-jurisdiction": malaysia.pk, "settings-currency": "XYZ", "settings-mode": "records"}

    response = client.post(url("calculation_settings", calc_case), data)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert CalculationSettings.objects.get(case=calc_case).currency == "MYR"


def test_settings_are_saved_from_the_form(client, make_case, paralegal_a, malaysia):
    case = make_case()
    client.force_login(paralegal_a)
    data = {"settings-jurisdiction": malaysia.pk, "settings-currency": "MYR", "settings-mode": "records"}

    assert client.post(url("calculation_settings", case), data).status_code == 302

    settings = CalculationSettings.objects.get(case=case)
    assert (settings.jurisdiction, settings.currency) == (malaysia, "MYR")


def test_a_first_visit_suggests_the_rules_of_the_country_of_work(client, make_case, paralegal_a, malaysia):
    case = make_case()  # country of work MY
    client.force_login(paralegal_a)
    page = client.get(url("case_detail", case)).content.decode()
    assert f'<option value="{malaysia.pk}" selected>' in page


def test_a_row_opens_for_editing_and_saves(client, calc_case, add_period, paralegal_a):
    period = add_period(calc_case)
    client.force_login(paralegal_a)

    editor = client.get(url("calculation", calc_case), {"edit": period.pk}, **HTMX).content.decode()
    assert f'name="period-{period.pk}-overtime_hours"' in editor

    data = {k.replace("period-", f"period-{period.pk}-", 1): v for k, v in period_data(overtime_hours="12").items()}
    response = client.post(url("calculation_period_update", calc_case, period.pk), data, **HTMX)

    assert response.status_code == 200
    period.refresh_from_db()
    assert period.overtime_hours == 12


def test_a_bad_edit_answers_400_and_keeps_the_row(client, calc_case, add_period, paralegal_a):
    period = add_period(calc_case)
    client.force_login(paralegal_a)
    data = {k.replace("period-", f"period-{period.pk}-", 1): v for k, v in period_data(end="2024-01-01").items()}

    response = client.post(url("calculation_period_update", calc_case, period.pk), data)

    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    period.refresh_from_db()
    assert period.end == date(2025, 1, 31)


def test_rows_are_removed(client, calc_case, add_period, paralegal_a):
    period = add_period(calc_case)
    client.force_login(paralegal_a)
    assert client.post(url("calculation_period_delete", calc_case, period.pk), **HTMX).status_code == 200
    assert not PayPeriodRow.objects.exists()


def test_an_item_is_added_and_bad_amounts_are_refused(client, calc_case, paralegal_a):
    client.force_login(paralegal_a)
    good = {"item-kind": "recruitment_fee", "item-amount": "2500", "item-description": "Agent fee"}
    assert client.post(url("calculation_item_add", calc_case), good).status_code == 302
    bad = {**good, "item-amount": "-5"}
    response = client.post(url("calculation_item_add", calc_case), bad)
    assert response.status_code == 400
    assert calc_case.one_off_items.count() == 1


def test_calculate_shows_the_itemised_result_with_formulas_and_the_rules_cited(
    client, calc_case, add_period, paralegal_a
):
    add_period(calc_case)
    client.force_login(paralegal_a)

    response = client.post(url("calculation_run", calc_case), **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert CalculationSnapshot.objects.filter(case=calc_case).count() == 1
    assert "615.38 MYR" in page
    assert "top-up to the minimum wage" in page
    assert "overtime multiplier" in page  # the formula in words
    assert "Overtime" in page and "Underpayment below the minimum or agreed wage" in page  # subtotals
    assert "https://example.gov.my/mwo-2022" in page and "last verified 2025-03-01" in page
    assert "Demo values." not in page
    assert ">Estimate<" not in page


def test_without_htmx_calculate_redirects_to_the_case_which_shows_the_result(
    client, calc_case, add_period, paralegal_a
):
    add_period(calc_case)
    client.force_login(paralegal_a)
    response = client.post(url("calculation_run", calc_case), follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert "615.38 MYR" in response.content.decode()


def test_a_run_with_demo_rules_warns_and_an_estimate_is_badged(client, make_case, add_period, paralegal_a):
    load_demo_jurisdictions()
    case = make_case()
    calculation_settings_update(
        actor=paralegal_a,
        case_id=case.pk,
        changes={
            "jurisdiction": Jurisdiction.objects.get(country="MY"),
            "mode": "estimate",
            "estimate_start": date(2025, 1, 1),
            "estimate_end": date(2025, 3, 31),
            "estimate_hours_per_day": Decimal(8),
            "estimate_days_per_week": Decimal(5),
            "estimate_overtime_hours_per_week": Decimal(10),
            "estimate_agreed_rate": Decimal(1200),
            "estimate_paid_per_month": Decimal(600),
            "basis_note": "Worker's diary of shifts",
        },
    )
    client.force_login(paralegal_a)

    page = client.post(url("calculation_run", case), **HTMX).content.decode()

    assert "Demo values." in page
    assert ">Estimate<" in page
    assert "Worker&#x27;s diary of shifts" in page
    assert "DEMO VALUE — verify against the official source before use" in page


def test_a_run_that_cannot_calculate_answers_400_naming_the_row(client, make_case, malaysia, add_period, paralegal_a):
    case = make_case()
    calculation_settings_update(actor=paralegal_a, case_id=case.pk, changes={"jurisdiction": malaysia})
    add_period(case, label="Old job", start=date(2020, 1, 1), end=date(2020, 1, 31))
    client.force_login(paralegal_a)

    response = client.post(url("calculation_run", case), **HTMX)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Pay period Old job: No rule version covers 2020-01-01." in page
    assert not CalculationSnapshot.objects.exists()


def test_the_result_says_when_the_inputs_changed_after_it(client, calc_case, add_period, paralegal_a):
    add_period(calc_case)
    calculation_run(actor=paralegal_a, case_id=calc_case.pk)
    client.force_login(paralegal_a)
    assert "The inputs have changed" not in client.get(url("case_detail", calc_case)).content.decode()

    add_period(
        calc_case, label="February", start=date(2025, 2, 1), end=date(2025, 2, 28), days_worked=24, normal_hours=180
    )

    assert "The inputs have changed" in client.get(url("case_detail", calc_case)).content.decode()


def test_a_closed_case_shows_the_calculation_read_only_and_refuses_changes(client, make_case, paralegal_a):
    case = make_case(Stage.CLOSED)
    client.force_login(paralegal_a)

    page = client.get(url("case_detail", case)).content.decode()
    response = client.post(url("calculation_period_add", case), period_data())

    assert "can be read but not changed" in page
    assert url("calculation_period_add", case) not in page
    assert response.status_code == 409
    assert not PayPeriodRow.objects.exists()


@pytest.mark.parametrize("who", ["paralegal_b", "coordinator_b"])
def test_someone_of_another_office_gets_404_everywhere(client, calc_case, add_period, request, who):
    period = add_period(calc_case)
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("calculation", calc_case)).status_code == 404
    for name, args in [
        ("calculation_period_add", ()),
        ("calculation_period_update", (period.pk,)),
        ("calculation_period_delete", (period.pk,)),
        ("calculation_item_add", ()),
        ("calculation_item_delete", (1,)),
        ("calculation_settings", ()),
        ("calculation_run", ()),
    ]:
        assert client.post(url(name, calc_case, *args), period_data()).status_code == 404, name
    assert PayPeriodRow.objects.get() == period
    assert not CalculationSnapshot.objects.exists()


def test_a_row_of_another_case_is_404(client, calc_case, add_period, make_case, paralegal_a):
    period = add_period(calc_case)
    other = make_case()
    client.force_login(paralegal_a)
    assert client.post(url("calculation_period_delete", other, period.pk)).status_code == 404
    assert client.post(url("calculation_period_update", other, period.pk), period_data()).status_code == 404
    assert PayPeriodRow.objects.filter(pk=period.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, calc_case):
    response = client.post(url("calculation_run", calc_case))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
