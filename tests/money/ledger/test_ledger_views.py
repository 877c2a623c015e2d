"""The ledger on the case page: what it shows, what it costs, and how its forms answer good and bad input."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.core.services.cases import case_close
from cases.core.stages import Outcome, Stage
from cases.models import EntryKind, Instalment, InstalmentPlan, LedgerEntry
from cases.money.services.ledger import instalment_plan_create

pytestmark = pytest.mark.django_db


def detail(case):
    return reverse("case_detail", args=[case.pk])


def entry_data(**changes):
    data = {
        "kind": EntryKind.CLAIMED,
        "amount": "1234.56",
        "currency": "MYR",
        "entry_date": "2025-03-15",
        "source": "negotiation",
        "respondent": "",
        "note": "",
    }
    return {**data, **changes}


def plan_data(rows, **changes):
    data = {
        "currency": "MYR",
        "respondent": "",
        "source": "mediation",
        "note": "",
        "instalment-TOTAL_FORMS": str(max(len(rows), 6)),
        "instalment-INITIAL_FORMS": "0",
    }
    for index, (due, amount) in enumerate(rows):
        data[f"instalment-{index}-due_date"] = due
        data[f"instalment-{index}-amount"] = amount
    return {**data, **changes}


@pytest.fixture
def logged_in(client, paralegal_a):
    client.force_login(paralegal_a)
    return client


def test_the_case_page_shows_entries_totals_in_each_currency_and_usd_and_recovery_rates(logged_in, case, record):
    record(case, EntryKind.CLAIMED, "1000.00")
    record(case, EntryKind.AWARDED, "800.00")
    record(case, EntryKind.PAID, "400.00")
    record(case, EntryKind.DISBURSED, "400.00")

    page = logged_in.get(detail(case)).content.decode()

    assert "1,000.00\N{NO-BREAK SPACE}MYR" in page
    assert "All, in USD" in page and "220.00\N{NO-BREAK SPACE}USD" in page  # claimed 1000 MYR × 0.22
    assert "50.00\N{NO-BREAK SPACE}%" in page  # disbursed ÷ awarded
    assert "40.00\N{NO-BREAK SPACE}%" in page  # disbursed ÷ claimed
    assert "Disbursed to the worker" in page and "Record money" in page


def test_recording_money_redirects_back_to_the_case(logged_in, case, rates):
    respondent = case.case_respondents.get().respondent
    response = logged_in.post(
        reverse("ledger_record", args=[case.pk]), entry_data(respondent=respondent.pk, note="Demand letter")
    )

    assert response.status_code == 302 and response.url == detail(case) + "#money"
    entry = LedgerEntry.objects.get()
    assert (entry.amount_minor, entry.currency, entry.note) == (123456, "MYR", "Demand letter")
    assert entry.respondent == respondent


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "0"}, "greater than zero"),
        ({"amount": "-5.00"}, "greater than zero"),
        ({"amount": "12.345"}, "MYR has 2 digits after the decimal point"),
        ({"amount": "12.5", "currency": "JPY"}, "JPY has no smaller unit"),
        ({"amount": "ten"}, "Enter a number"),
        ({"currency": "XYZ"}, "XYZ is not a currency code we know"),
        ({"entry_date": (timezone.localdate() + timedelta(days=2)).isoformat()}, "in the future"),
        ({"currency": "THB", "entry_date": "2024-06-01"}, "no exchange rate from THB to USD on or before 2024-06-01"),
        ({"kind": EntryKind.PAID}, "more than what remains of the award"),
    ],
)
def test_bad_input_is_a_400_with_a_field_error_and_nothing_saved(logged_in, case, rates, changes, message):
    response = logged_in.post(reverse("ledger_record", args=[case.pk]), entry_data(**changes))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'class="errorlist"' in page and '<details id="record-money" open>' in page
    assert not LedgerEntry.objects.exists()


def test_an_overpayment_shows_a_confirmation_and_goes_through_once_confirmed(logged_in, case, record):
    record(case, EntryKind.AWARDED, "100.00")
    url = reverse("ledger_record", args=[case.pk])
    assert "confirm_over_award" not in logged_in.get(detail(case)).content.decode()

    refused = logged_in.post(url, entry_data(kind=EntryKind.PAID, amount="150.00"))

    assert refused.status_code == 400
    assert 'name="confirm_over_award"' in refused.content.decode()
    assert 'value="150.00"' in refused.content.decode()  # what was typed is kept
    confirmed = logged_in.post(url, entry_data(kind=EntryKind.PAID, amount="150.00", confirm_over_award="on"))
    assert confirmed.status_code == 302
    assert LedgerEntry.objects.filter(kind=EntryKind.PAID, amount_minor=15000).exists()


def test_a_reversal_from_the_page_needs_a_reason(logged_in, case, record):
    entry = record(case, EntryKind.CLAIMED, "10.00")
    url = reverse("ledger_reverse", args=[case.pk, entry.pk])

    assert logged_in.post(url, {"reason": ""}).status_code == 400
    assert logged_in.post(url, {"reason": "Typed twice."}).status_code == 302
    assert LedgerEntry.objects.filter(reverses=entry, reason="Typed twice.").exists()
    assert "Correction: Claimed reversed" in logged_in.get(detail(case)).content.decode()


def test_a_plan_is_created_from_the_rows_typed_and_blank_rows_are_ignored(logged_in, case, rates):
    url = reverse("instalment_plan_create", args=[case.pk])

    response = logged_in.post(url, plan_data([("2025-04-01", "333.34"), ("2025-05-01", "666.66")]))

    assert response.status_code == 302
    plan = InstalmentPlan.objects.get()
    assert (plan.total_minor, plan.instalments.count(), plan.source) == (100000, 2, "mediation")


@pytest.mark.parametrize(
    ("rows", "changes", "message"),
    [
        ([], {}, "Add at least one instalment"),
        ([("2025-04-01", "10.005")], {}, "MYR has 2 digits"),
        ([("2025-04-01", "-1")], {}, "greater than zero"),
        ([("", "10.00")], {}, "This field is required"),
        ([("2025-04-01", "10")], {"currency": "ABC"}, "ABC is not a currency code we know"),
    ],
)
def test_a_bad_plan_is_a_400_and_nothing_is_saved(logged_in, case, rows, changes, message):
    response = logged_in.post(reverse("instalment_plan_create", args=[case.pk]), plan_data(rows, **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InstalmentPlan.objects.exists()


def test_more_rows_adds_blank_rows_without_saving(logged_in, case):
    response = logged_in.post(
        reverse("instalment_plan_create", args=[case.pk]), plan_data([("2025-04-01", "10.00")], more_rows="1")
    )

    assert response.status_code == 200
    assert 'name="instalment-11-amount"' in response.content.decode()
    assert not InstalmentPlan.objects.exists()


def test_the_running_sum_is_computed_exactly_on_the_server(logged_in, case):
    rows = [("2025-04-01", "0.10"), ("2025-05-01", "0.20"), ("2025-06-01", "0.3.0")]
    response = logged_in.post(reverse("instalment_plan_sum", args=[case.pk]), plan_data(rows))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Sum of 2 instalments: 0.30\N{NO-BREAK SPACE}MYR" in text and "1 amount not counted" in text


def test_instalments_show_due_paid_and_missed_and_can_be_marked_paid(logged_in, case, record, administrator):
    record(case, EntryKind.SETTLED, "300.00")
    today = timezone.localdate()
    plan = instalment_plan_create(
        actor=administrator,
        case_id=case.pk,
        currency="MYR",
        instalments=[(today - timedelta(days=40), Decimal(100)), (today + timedelta(days=20), Decimal(200))],
    )
    missed, due = plan.instalments.all()

    page = logged_in.get(detail(case)).content.decode()
    assert '<strong class="overdue">Missed</strong>' in page and "1 missed" in page

    response = logged_in.post(
        reverse("instalment_mark_paid", args=[case.pk, missed.pk]), {"entry_date": today.isoformat()}
    )

    assert response.status_code == 302
    missed.refresh_from_db()
    assert missed.paid_entry.amount_minor == 10000
    assert "Paid on" in logged_in.get(detail(case)).content.decode()
    assert list(Instalment.objects.missed(today)) == []
    assert due.status(today) == "due"


def test_marking_paid_with_a_bad_date_is_a_400(logged_in, case, administrator, rates):
    plan = instalment_plan_create(
        actor=administrator, case_id=case.pk, currency="MYR", instalments=[(date(2025, 4, 1), Decimal(1))]
    )
    url = reverse("instalment_mark_paid", args=[case.pk, plan.instalments.get().pk])

    assert logged_in.post(url, {"entry_date": "not a date"}).status_code == 400
    # Beyond the (absent) award: refused until confirmed, like any payment.
    refused = logged_in.post(url, {"entry_date": "2025-04-01"})
    assert refused.status_code == 400 and 'name="confirm_over_award"' in refused.content.decode()
    assert logged_in.post(url, {"entry_date": "2025-04-01", "confirm_over_award": "on"}).status_code == 302


@pytest.mark.parametrize("who", ["paralegal_b", "coordinator_b"])
def test_someone_of_another_office_gets_404_from_every_ledger_action(client, case, record, administrator, request, who):
    entry = record(case, EntryKind.AWARDED, "10.00")
    plan = instalment_plan_create(
        actor=administrator, case_id=case.pk, currency="MYR", instalments=[(date(2025, 4, 1), Decimal(1))]
    )
    client.force_login(request.getfixturevalue(who))
    urls = [
        reverse("ledger_record", args=[case.pk]),
        reverse("ledger_reverse", args=[case.pk, entry.pk]),
        reverse("instalment_plan_create", args=[case.pk]),
        reverse("instalment_plan_sum", args=[case.pk]),
        reverse("instalment_mark_paid", args=[case.pk, plan.instalments.get().pk]),
    ]
    for url in urls:
        assert client.post(url, entry_data()).status_code == 404, url  # valid input
        assert client.post(url, {}).status_code == 404, url  # and invalid
    assert LedgerEntry.objects.count() == 1


def test_an_entry_or_instalment_of_another_case_is_a_404(logged_in, case, make_case, record, administrator):
    other = make_case(Stage.REDRESS)
    entry = record(other, EntryKind.CLAIMED, "10.00")
    plan = instalment_plan_create(
        actor=administrator, case_id=other.pk, currency="MYR", instalments=[(date(2025, 4, 1), Decimal(1))]
    )

    assert logged_in.post(reverse("ledger_reverse", args=[case.pk, entry.pk]), {"reason": "x"}).status_code == 404
    paid_url = reverse("instalment_mark_paid", args=[case.pk, plan.instalments.get().pk])
    assert logged_in.post(paid_url, {"entry_date": "2025-04-01"}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, case):
    response = client.post(reverse("ledger_record", args=[case.pk]), entry_data())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_ledger_actions_refuse_a_post_without_a_csrf_token(case, paralegal_a, rates):
    client = Client(enforce_csrf_checks=True)
    client.force_login(paralegal_a)

    assert client.post(reverse("ledger_record", args=[case.pk]), entry_data()).status_code == 403
    assert client.post(reverse("instalment_plan_create", args=[case.pk]), plan_data([])).status_code == 403
    assert not LedgerEntry.objects.exists()


def test_a_closed_case_shows_its_ledger_without_forms_and_refuses_writes_with_409(
    logged_in, make_case, record, administrator
):
    case = make_case(Stage.REDRESS)
    record(case, EntryKind.CLAIMED, "10.00")
    case_close(actor=administrator, case_id=case.pk, outcome=Outcome.NOTHING, reason="Employer vanished.")

    page = logged_in.get(detail(case)).content.decode()
    assert "10.00\N{NO-BREAK SPACE}MYR" in page and "Record money" not in page and "Reverse this entry" not in page
    response = logged_in.post(reverse("ledger_record", args=[case.pk]), entry_data())
    assert response.status_code == 409 and "Reopen it to record money" in response.content.decode()


def test_closing_as_recovered_from_the_page_without_a_disbursement_explains_why(logged_in, case):
    response = logged_in.post(
        reverse("case_close", args=[case.pk]),
        {"outcome": Outcome.RECOVERED_FULL, "reason": "Paid.", "expected_version": case.version},
    )
    assert response.status_code == 409
    assert "disbursement" in response.content.decode()


def test_the_page_costs_the_same_queries_with_2_or_30_entries_and_plans(logged_in, case, record, administrator):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert logged_in.get(detail(case)).status_code == 200
        return len(captured)

    def add_plan():
        instalment_plan_create(
            actor=administrator,
            case_id=case.pk,
            currency="MYR",
            instalments=[(date(2025, 4, n), Decimal(n)) for n in range(1, 4)],
        )

    record(case, EntryKind.CLAIMED, "10.00")
    record(case, EntryKind.AWARDED, "10.00", "KWD")
    add_plan()
    with_2 = queries()
    for n in range(28):
        record(case, EntryKind.CLAIMED, f"{n}.01", ["MYR", "KWD", "THB", "USD"][n % 4])
    add_plan()
    add_plan()

    # The ledger adds three: entries (actor, respondent, reversal, instalment joined), totals (one SUM … GROUP BY),
    # instalments (plan, respondent, creator, paying entry joined).
    assert LedgerEntry.objects.count() == 30
    assert queries() == with_2
