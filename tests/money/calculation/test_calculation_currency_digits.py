"""Calculations in Kuwaiti dinars (three decimals) and Japanese yen (none): stored, checked, calculated and shown in
the currency's minor unit."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.core.stages import Stage
from cases.models import (
    CalculationSettings,
    CalculationSnapshot,
    CaseEvent,
    EventKind,
    ItemKind,
    Jurisdiction,
    OneOffItemRow,
    PayPeriodRow,
    WageBasis,
)
from cases.money import wages
from cases.money.services.calculations import (
    CalculationInputError,
    calculation_item_add,
    calculation_period_add,
    calculation_run,
    calculation_settings_update,
)

from .conftest import JANUARY, rule_version

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
KWD_MORE = "KWD has 3 digits after the decimal point; this amount has more."
JPY_WHOLE = "JPY has no smaller unit: enter a whole number."


@pytest.fixture
def kuwait(db) -> Jurisdiction:
    """Kuwait (test): no minimum wage, 48 normal hours a week, overtime at time and a half."""
    jurisdiction = Jurisdiction.objects.create(country="KW", name="Kuwait (test)")
    rule_version(jurisdiction, date(2024, 1, 1), None, None, currency="KWD", normal_hours_per_week=Decimal(48))
    return jurisdiction


@pytest.fixture
def japan(db) -> Jurisdiction:
    """Japan (test): a minimum of 1,055 JPY an hour, 40 normal hours a week, overtime at 1.25."""
    jurisdiction = Jurisdiction.objects.create(country="JP", name="Japan (test)")
    rule_version(
        jurisdiction,
        date(2024, 1, 1),
        None,
        Decimal(1055),
        currency="JPY",
        minimum_basis=WageBasis.HOUR,
        normal_hours_per_week=Decimal(40),
        normal_days_per_week=Decimal(5),
        overtime_multiplier=Decimal("1.25"),
    )
    return jurisdiction


def case_in(make_case, paralegal_a, jurisdiction, currency):
    case = make_case(Stage.EVIDENCE)
    calculation_settings_update(
        actor=paralegal_a, case_id=case.pk, changes={"jurisdiction": jurisdiction, "currency": currency}
    )
    return case


@pytest.fixture
def kwd_case(make_case, paralegal_a, kuwait):
    return case_in(make_case, paralegal_a, kuwait, "KWD")


@pytest.fixture
def jpy_case(make_case, paralegal_a, japan):
    return case_in(make_case, paralegal_a, japan, "JPY")


def add(actor, case, **values):
    return calculation_period_add(actor=actor, case_id=case.pk, **{**JANUARY, **values})


def url(name, case, *args):
    return reverse(name, args=[case.pk, *args])


def period_data(prefix="period", **values) -> dict:
    data = {
        "label": "January 2025",
        "start": "2025-01-01",
        "end": "2025-01-31",
        "days_worked": "26",
        "normal_hours": "195",
        "overtime_hours": "10",
        "agreed_rate": "200000",
        "agreed_basis": "month",
        "amount_paid": "180000",
        **values,
    }
    return {f"{prefix}-{name}": value for name, value in data.items()}


# --- through the service -------------------------------------------------------------------------------------------


def test_a_kwd_calculation_is_worked_out_and_stored_to_the_fils(kwd_case, paralegal_a):
    # wages 1 month × 250.000; overtime 250 × 12 ÷ 52 ÷ 48 = 1.2019230…/h × 10 h × 1.5 = 18.0288… → 18.029;
    # unlawful deduction 12.345 added back; fee 0.125. Gross 280.499; paid 200.000 + 12.345 withheld; owed 68.154
    add(
        paralegal_a,
        kwd_case,
        agreed_rate=Decimal("250.000"),
        amount_paid=Decimal("200.000"),
        unlawful_deductions=Decimal("12.345"),
        deductions_note="housing",
    )
    calculation_item_add(actor=paralegal_a, case_id=kwd_case.pk, kind=ItemKind.RECRUITMENT_FEE, amount=Decimal("0.125"))

    snapshot = calculation_run(actor=paralegal_a, case_id=kwd_case.pk)

    assert snapshot.result["minor_digits"] == 3
    assert [line["amount"] for line in snapshot.result["lines"]] == ["250.000", "18.029", "12.345", "0.125"]
    assert (snapshot.result["gross_owed"], snapshot.result["total_owed"]) == ("280.499", "68.154")
    assert snapshot.result["rounding"].startswith("Each line is rounded once, to 0.001 KWD, half up")
    snapshot.refresh_from_db()  # the column keeps the fils
    assert (snapshot.total_owed, snapshot.currency) == (Decimal("68.154"), "KWD")
    assert str(snapshot).endswith(": 68.154 KWD")
    event = CaseEvent.objects.filter(case=kwd_case, kind=EventKind.CALCULATED).get()
    assert (event.payload["total"], event.payload["currency"]) == ("68.154", "KWD")


def test_a_jpy_calculation_is_worked_out_and_stored_in_whole_yen(jpy_case, paralegal_a):
    # wages 1 month × 200,000 (above the minimum, 1,055 × 40 × 52 ÷ 12 = 182,866.67 a month);
    # overtime 200,000 × 12 ÷ 52 ÷ 40 = 1,153.846…/h × 10 h × 1.25 = 14,423.08 → 14,423; fee 350,000.
    # Gross 564,423; paid 180,000; owed 384,423
    add(paralegal_a, jpy_case, agreed_rate=Decimal(200000), amount_paid=Decimal(180000))
    calculation_item_add(actor=paralegal_a, case_id=jpy_case.pk, kind=ItemKind.RECRUITMENT_FEE, amount=Decimal(350000))

    snapshot = calculation_run(actor=paralegal_a, case_id=jpy_case.pk)

    result = wages.Result.from_dict(snapshot.result)
    assert result.minor_digits == 0
    assert [str(line.amount) for line in result.lines] == ["200000", "14423", "350000"]
    assert (str(result.gross_owed), str(result.total_paid), str(result.total_owed)) == ("564423", "180000", "384423")
    snapshot.refresh_from_db()
    assert snapshot.total_owed == Decimal(384423)
    assert str(snapshot).endswith(": 384423 JPY")


def test_the_service_refuses_an_amount_finer_than_the_currency_and_saves_nothing(jpy_case, paralegal_a):
    events = CaseEvent.objects.filter(case=jpy_case).count()

    with pytest.raises(CalculationInputError) as error:
        calculation_item_add(actor=paralegal_a, case_id=jpy_case.pk, kind=ItemKind.OTHER, amount=Decimal("0.5"))
    with pytest.raises(CalculationInputError) as period_error:
        add(paralegal_a, jpy_case, agreed_rate=Decimal(200000), lawful_deductions=Decimal("99.99"))

    assert error.value.field_errors == {"amount": [JPY_WHOLE]}
    assert period_error.value.field_errors == {"lawful_deductions": [JPY_WHOLE]}
    assert not OneOffItemRow.objects.exists() and not PayPeriodRow.objects.exists()
    assert CaseEvent.objects.filter(case=jpy_case).count() == events


def test_three_decimals_are_refused_in_ringgit_and_kept_in_dinars(calc_case, kwd_case, paralegal_a):
    with pytest.raises(CalculationInputError) as error:
        add(paralegal_a, calc_case, amount_paid=Decimal("1000.005"))
    period = add(paralegal_a, kwd_case, amount_paid=Decimal("1000.005"))

    assert error.value.field_errors == {
        "amount_paid": ["MYR has 2 digits after the decimal point; this amount has more."]
    }
    period.refresh_from_db()
    assert period.amount_paid == Decimal("1000.005")


def test_without_a_chosen_currency_the_rules_currency_counts(make_case, paralegal_a, japan):
    case = make_case(Stage.EVIDENCE)
    calculation_settings_update(actor=paralegal_a, case_id=case.pk, changes={"jurisdiction": japan})

    with pytest.raises(CalculationInputError) as error:
        add(paralegal_a, case, agreed_rate=Decimal("200000.5"))

    assert error.value.field_errors == {"agreed_rate": [JPY_WHOLE]}


def test_the_estimate_inputs_are_checked_against_the_chosen_currency(jpy_case, paralegal_a):
    with pytest.raises(CalculationInputError) as error:
        calculation_settings_update(
            actor=paralegal_a, case_id=jpy_case.pk, changes={"estimate_paid_per_month": Decimal("150000.50")}
        )

    assert error.value.field_errors == {"estimate_paid_per_month": [JPY_WHOLE]}
    assert CalculationSettings.objects.get(case=jpy_case).estimate_paid_per_month is None


def test_a_row_kept_from_before_the_currency_was_chosen_is_named_when_calculating(jpy_case, paralegal_a):
    # e.g. typed while the case was still in another currency: the calculator checks again
    period = PayPeriodRow.objects.create(case=jpy_case, **JANUARY | {"agreed_rate": 200000, "amount_paid": "1000.5"})

    with pytest.raises(CalculationInputError) as error:
        calculation_run(actor=paralegal_a, case_id=jpy_case.pk)

    assert error.value.field_errors == {f"period-{period.pk}.amount_paid": [JPY_WHOLE]}
    assert not CalculationSnapshot.objects.exists()


# --- through the forms and the page --------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_a_period_in_yen_with_sen_answers_400_on_the_field_and_saves_nothing(client, jpy_case, paralegal_a, htmx):
    client.force_login(paralegal_a)
    events = CaseEvent.objects.filter(case=jpy_case).count()

    response = client.post(
        url("calculation_period_add", jpy_case), period_data(amount_paid="1000.5"), **(HTMX if htmx else {})
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert f'<ul class="errorlist" id="id_period-amount_paid_error"><li>{JPY_WHOLE}</li></ul>' in page
    assert not PayPeriodRow.objects.exists()
    assert CaseEvent.objects.filter(case=jpy_case).count() == events


def test_a_new_period_finer_than_any_currency_is_refused_by_the_form(client, kwd_case, paralegal_a):
    client.force_login(paralegal_a)

    response = client.post(url("calculation_period_add", kwd_case), period_data(agreed_rate="250.1234"))

    assert response.status_code == 400
    assert "Ensure that there are no more than 3 decimal places." in response.content.decode()
    assert not PayPeriodRow.objects.exists()


def test_editing_a_period_says_what_the_currency_allows(client, kwd_case, paralegal_a):
    period = add(paralegal_a, kwd_case, agreed_rate=Decimal(250))
    client.force_login(paralegal_a)
    data = period_data(prefix=f"period-{period.pk}", agreed_rate="250.1234")

    response = client.post(url("calculation_period_update", kwd_case, period.pk), data, **HTMX)

    page = response.content.decode()
    assert response.status_code == 400
    assert KWD_MORE in page
    assert "Ensure that there are no more than" not in page  # one message, naming the currency
    period.refresh_from_db()
    assert period.agreed_rate == 250


def test_an_item_in_yen_with_sen_is_refused(client, jpy_case, paralegal_a):
    client.force_login(paralegal_a)
    data = {"item-kind": "recruitment_fee", "item-amount": "350000.50", "item-description": "Agent fee"}

    response = client.post(url("calculation_item_add", jpy_case), data, **HTMX)

    assert response.status_code == 400
    assert JPY_WHOLE in response.content.decode()
    assert not OneOffItemRow.objects.exists()


def test_the_settings_form_checks_the_estimate_against_the_currency_chosen_with_it(
    client, jpy_case, paralegal_a, kuwait
):
    client.force_login(paralegal_a)
    settings = {"settings-mode": "estimate", "settings-estimate_paid_per_month": "150.125"}

    in_yen = client.post(url("calculation_settings", jpy_case), {**settings, "settings-currency": "JPY"}, **HTMX)
    in_dinars = client.post(
        url("calculation_settings", jpy_case),
        {**settings, "settings-currency": "KWD", "settings-jurisdiction": kuwait.pk},
        **HTMX,
    )

    assert in_yen.status_code == 400
    assert JPY_WHOLE in in_yen.content.decode()
    assert in_dinars.status_code == 200
    saved = CalculationSettings.objects.get(case=jpy_case)
    assert (saved.currency, saved.estimate_paid_per_month) == ("KWD", Decimal("150.125"))


def test_money_inputs_accept_fils_in_the_browser(client, kwd_case, paralegal_a):
    client.force_login(paralegal_a)

    page = client.get(url("calculation", kwd_case)).content.decode()

    assert 'name="period-amount_paid" value="0" min="0" step="0.001"' in page
    assert 'name="period-normal_hours" min="0" step="0.01"' in page


def test_the_page_shows_dinars_with_three_decimals(client, kwd_case, paralegal_a):
    add(paralegal_a, kwd_case, agreed_rate=Decimal(250), amount_paid=Decimal(200), unlawful_deductions=Decimal("12.5"))
    calculation_run(actor=paralegal_a, case_id=kwd_case.pk)
    client.force_login(paralegal_a)

    page = client.get(url("calculation", kwd_case)).content.decode()

    # inputs: 250.000 a month, 200.000 paid, 12.500 unlawful; result: 250.000 + 18.029 + 12.500 − 212.500 = 68.029
    assert "<td>250.000 per month</td>" in page and "<td>200.000</td>" in page and "12.500 unlawful" in page
    assert '<td style="text-align:end">18.029</td>' in page
    assert "<strong>68.029 KWD</strong>" in page
    assert "to 0.001 KWD, half up (0.0005 → 0.001)" in page


def test_the_page_shows_yen_without_decimals(client, jpy_case, paralegal_a):
    add(paralegal_a, jpy_case, agreed_rate=Decimal(200000), amount_paid=Decimal(180000))
    client.force_login(paralegal_a)

    page = client.post(url("calculation_run", jpy_case), **HTMX).content.decode()

    assert "<td>200,000 per month</td>" in page and "<td>180,000</td>" in page
    assert '<td style="text-align:end">14,423</td>' in page
    assert "<strong>34,423 JPY</strong>" in page
    assert "minimum wage 1,055 JPY per hour" in page
    assert "to whole JPY, half up (0.5 → 1)" in page
    assert "14,423.00" not in page


def test_a_snapshot_from_before_results_kept_their_unit_shows_hundredths(client, calc_case, add_period, paralegal_a):
    add_period(calc_case)
    snapshot = calculation_run(actor=paralegal_a, case_id=calc_case.pk)
    old = {name: value for name, value in snapshot.result.items() if name != "minor_digits"}
    CalculationSnapshot.objects.create(
        case=calc_case,
        created_by=paralegal_a,
        jurisdiction=snapshot.jurisdiction,
        result=old,
        total_owed=snapshot.total_owed,
        currency="MYR",
    )
    client.force_login(paralegal_a)

    page = client.get(url("calculation", calc_case)).content.decode()

    assert "<strong>615.38 MYR</strong>" in page
