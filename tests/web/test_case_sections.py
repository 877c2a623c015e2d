"""The case page's sections: each answers its own actions in place (htmx) or with a redirect to its anchor (no
JavaScript), shows bad input and refusals inside itself with 400/403/409, and is a 404 for another office's case."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.core.services.cases import case_add_note
from cases.core.stages import Stage
from cases.models import CaseEvent, Deadline, EventKind, ExchangeRate, LedgerEntry
from cases.money.services.ledger import ledger_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

# Each section's GET route (the fragment) and the element id it answers with.
SECTIONS = [
    ("section_stage", "stage"),
    ("section_assignment", "assignment"),
    ("section_details", "details"),
    ("section_notes", "notes"),
    ("section_calculation", "calculation"),
    ("section_money", "money"),
    ("section_deadlines", "deadlines"),
    ("section_reminders", "reminders"),
    ("section_status_check", "status-check"),
    ("evidence_panel", "evidence-panel"),
    ("filings_panel", "filings-panel"),
]


def detail(case, anchor: str) -> str:
    return f"{reverse('case_detail', args=[case.pk])}#{anchor}"


def version_in(page: str, section: str) -> int:
    """The expected_version a form of ``section`` (as sent out of band) would post."""
    part = re.search(rf'<section id="{section}".*?</section>', page, re.S).group(0)
    return int(re.search(r'name="expected_version" value="(\d+)"', part).group(1))


def assert_fragment(response, anchor: str, status: int = 200) -> str:
    page = response.content.decode()
    assert response.status_code == status, page[:500]
    assert f'id="{anchor}"' in page
    assert "<html" not in page and "<body" not in page
    return page


@pytest.fixture
def rates(db):
    for day in (date(2025, 1, 1), date(2025, 6, 1)):
        ExchangeRate.objects.create(currency="MYR", date=day, rate=Decimal("0.22"), source="test")


def entry(**changes):
    data = {"kind": "claimed", "amount": "1234.56", "currency": "MYR", "entry_date": "2025-03-15"}
    return {**data, "source": "negotiation", "respondent": "", "note": "", **changes}


# --- each section alone -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url_name", "anchor"), SECTIONS)
def test_each_section_has_a_get_url_that_returns_it_alone(client, make_case, paralegal_a, url_name, anchor):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)

    assert_fragment(client.get(reverse(url_name, args=[case.pk])), anchor)


@pytest.mark.parametrize(("url_name", "anchor"), SECTIONS)
def test_another_offices_case_is_404_for_each_section(client, make_case, paralegal_b, url_name, anchor):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_b)

    assert client.get(reverse(url_name, args=[case.pk])).status_code == 404


def test_the_case_page_has_a_menu_linking_every_section_and_each_section_is_there(client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)

    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()

    menu = re.search(r'<nav class="section-menu".*?</nav>', page, re.S).group(0)
    for _url_name, anchor in SECTIONS:
        assert f'href="#{anchor}"' in menu
        assert f'id="{anchor}"' in page
    assert "redress/case-page.css" in page and "redress/case-page.js" in page


def test_a_section_costs_the_same_queries_with_a_short_or_long_timeline(client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)
    url = reverse("section_notes", args=[case.pk])
    client.get(reverse("case_detail", args=[case.pk]))  # the case's read is in the access log

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    short = queries()
    for number in range(30):
        case_add_note(actor=paralegal_a, case_id=case.pk, text=f"Call {number}")
    # session, user, case (claimant, office, people), respondents, the timeline with its actors;
    # + access log: the page's read is recent (one SELECT)
    assert short == queries() == 6


def test_the_money_section_costs_the_same_queries_with_one_or_ten_entries(
    client, make_case, paralegal_a, administrator, rates
):
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)
    url = reverse("section_money", args=[case.pk])
    client.get(reverse("case_detail", args=[case.pk]))  # the case's read is in the access log: a section adds none

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def record():
        ledger_record(
            actor=administrator,
            case_id=case.pk,
            kind="claimed",
            amount=Decimal("10"),
            currency="MYR",
            entry_date=date(2025, 3, 15),
            source="negotiation",
        )

    record()
    one = queries()
    for _ in range(9):
        record()
    assert one == queries()


# --- notes and the timeline ----------------------------------------------------------------------------------------


def test_a_note_in_place_answers_with_the_section_the_message_and_the_fresh_version_out_of_band(
    client, make_case, paralegal_a
):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)

    response = client.post(reverse("case_note", args=[case.pk]), {"text": "Worker called."}, **HTMX)

    page = assert_fragment(response, "notes")
    assert re.search(r'<p class="section-status" role="status">Note added.</p>', page)
    assert "Worker called." in page  # in the timeline
    assert 'id="stage" ' in page and 'hx-swap-oob="true"' in page
    case.refresh_from_db()
    assert version_in(page, "stage") == case.version
    # The message is said in the section only, not again at the top of the next page.
    assert "Note added." not in client.get(reverse("case_detail", args=[case.pk])).content.decode()


def test_a_second_action_on_the_same_page_uses_the_version_the_first_sent_back(client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)
    page = client.post(reverse("case_note", args=[case.pk]), {"text": "Worker called."}, **HTMX).content.decode()

    response = client.post(
        reverse("case_move", args=[case.pk]),
        {"to_stage": "assignment", "expected_version": version_in(page, "stage")},
        **HTMX,
    )

    assert_fragment(response, "stage")
    assert response["HX-Trigger-After-Swap"] == "case-stage-changed"  # the other sections reload themselves
    case.refresh_from_db()
    assert case.stage == Stage.ASSIGNMENT


def test_an_empty_note_in_place_is_400_with_the_field_error_inside_the_section(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)

    page = assert_fragment(client.post(reverse("case_note", args=[case.pk]), {"text": ""}, **HTMX), "notes", 400)

    assert 'class="errorlist"' in page and "This field is required." in page
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).exists()


def test_a_note_without_javascript_redirects_to_the_notes_anchor(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)

    response = client.post(reverse("case_note", args=[case.pk]), {"text": "Worker called."})

    assert response.status_code == 302 and response.url == detail(case, "notes")


def test_an_empty_note_without_javascript_shows_the_section_alone_with_400(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)

    response = client.post(reverse("case_note", args=[case.pk]), {"text": ""})

    page = response.content.decode()
    assert response.status_code == 400
    assert "<html" in page and case.reference in page and 'id="notes"' in page
    assert f'href="{detail(case, "notes")}"' in page  # back to the case
    assert 'id="money"' not in page and 'id="stage"' not in page  # that section alone
    assert "This field is required." in page


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "no-js"])
def test_another_offices_case_is_404_for_the_actions(client, make_case, paralegal_b, headers):
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_b)

    for name in ("case_note", "case_move", "ledger_record", "deadline_add", "case_pin_reissue", "calculation_run"):
        assert client.post(reverse(name, args=[case.pk]), {"text": "x"}, **headers).status_code == 404, name
    assert client.get(reverse("case_edit", args=[case.pk]), **headers).status_code == 404


# --- stage ---------------------------------------------------------------------------------------------------------


def test_a_stale_move_in_place_is_409_with_the_reason_in_the_stage_section(client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)
    stale = case.version
    case_add_note(actor=paralegal_a, case_id=case.pk, text="Someone else acted meanwhile.")

    response = client.post(
        reverse("case_move", args=[case.pk]), {"to_stage": "assignment", "expected_version": stale}, **HTMX
    )

    page = assert_fragment(response, "stage", 409)
    assert "changed by someone else" in page and 'role="alert"' in page
    assert response["X-Case-Section"] == "stage"  # what static/redress/case-page.js swaps in despite the status


def test_an_illegal_move_in_place_is_409(client, make_case, paralegal_a):
    case = make_case(Stage.INTAKE)
    client.force_login(paralegal_a)

    response = client.post(
        reverse("case_move", args=[case.pk]), {"to_stage": "redress", "expected_version": case.version}, **HTMX
    )

    assert_fragment(response, "stage", 409)
    case.refresh_from_db()
    assert case.stage == Stage.INTAKE


def test_a_move_back_without_a_reason_in_place_is_400_with_the_field_error(client, make_case, paralegal_a):
    case = make_case(Stage.ASSIGNMENT)
    client.force_login(paralegal_a)

    response = client.post(
        reverse("case_move", args=[case.pk]), {"to_stage": "evidence", "expected_version": case.version}, **HTMX
    )

    page = assert_fragment(response, "stage", 400)
    assert 'role="alert"' in page and "reason" in page


def test_a_stale_move_without_javascript_is_409_on_a_page_with_the_stage_section(client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)
    stale = case.version
    case_add_note(actor=paralegal_a, case_id=case.pk, text="Someone else acted meanwhile.")

    response = client.post(reverse("case_move", args=[case.pk]), {"to_stage": "assignment", "expected_version": stale})

    page = response.content.decode()
    assert response.status_code == 409 and "<html" in page and 'id="stage"' in page and case.reference in page


# --- assignment ----------------------------------------------------------------------------------------------------


def test_assigning_in_place_answers_with_the_assignment_section(client, make_case, paralegal_a, coordinator_a):
    case = make_case(Stage.ASSIGNMENT)
    url = reverse("case_assign", args=[case.pk])

    client.force_login(paralegal_a)
    page = assert_fragment(
        client.post(url, {"assignee": paralegal_a.pk, "expected_version": case.version}, **HTMX), "assignment", 403
    )
    assert "Only a coordinator can assign cases." in page

    client.force_login(coordinator_a)
    page = assert_fragment(
        client.post(url, {"assignee": paralegal_a.pk, "expected_version": case.version}, **HTMX), "assignment"
    )
    assert "Assigned to" in page
    case.refresh_from_db()
    assert case.assigned_to == paralegal_a
    other = UserFactory(office=case.office)
    no_js = client.post(url, {"assignee": other.pk, "expected_version": case.version})
    assert no_js.status_code == 302 and no_js.url == detail(case, "assignment")


# --- details -------------------------------------------------------------------------------------------------------


def details(case, **changes):
    data = {"version": case.version, "country_of_work": "MY", "sector": "construction", "job_title": "Welder"}
    return {**data, **changes}


def test_details_are_edited_in_place(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)
    url = reverse("case_edit", args=[case.pk])

    form = assert_fragment(client.get(url, **HTMX), "details")
    assert f'hx-post="{url}"' in form and "<form" in form

    bad = assert_fragment(
        client.post(url, details(case, work_started_on="2026-05-01", work_ended_on="2026-01-01"), **HTMX),
        "details",
        400,
    )
    assert "ends before it starts" in bad

    page = assert_fragment(client.post(url, details(case, job_title="Cook"), **HTMX), "details")
    assert "Case details saved." in page and "Cook" in page
    assert client.post(url, details(case, job_title="Baker")).status_code == 409  # the version above is old now
    case.refresh_from_db()
    assert client.post(url, details(case, job_title="Baker")).url == detail(case, "details")


def test_a_stale_edit_in_place_is_409_with_the_conflict_in_the_section(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)
    stale = details(case, job_title="Cook")
    case_add_note(actor=paralegal_a, case_id=case.pk, text="Someone else acted meanwhile.")

    page = assert_fragment(client.post(reverse("case_edit", args=[case.pk]), stale, **HTMX), "details", 409)

    assert "Someone else changed this case" in page and "Cook" in page


# --- money ---------------------------------------------------------------------------------------------------------


def test_recording_money_in_place_answers_with_the_money_section(client, make_case, paralegal_a, rates):
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)
    url = reverse("ledger_record", args=[case.pk])

    page = assert_fragment(client.post(url, entry(), **HTMX), "money")

    assert "Recorded: Claimed." in page and "1,234.56" in page
    assert 'id="timeline" hx-swap-oob="true"' in page or re.search(r'id="timeline"[^>]*hx-swap-oob', page)
    assert LedgerEntry.objects.filter(case=case).count() == 1
    assert client.post(url, entry()).url == detail(case, "money")


def test_bad_money_input_in_place_is_400_with_the_field_error(client, make_case, paralegal_a, rates):
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)
    url = reverse("ledger_record", args=[case.pk])

    page = assert_fragment(client.post(url, entry(amount="-5"), **HTMX), "money", 400)
    assert 'class="errorlist"' in page and "open" in page

    no_rate = client.post(url, entry(currency="THB"), **HTMX)  # a service refusal on a field: no rate for THB
    assert "errorlist" in assert_fragment(no_rate, "money", 400)

    page = client.post(url, entry(amount="-5")).content.decode()  # without JavaScript: the section alone
    assert "<html" in page and 'id="money"' in page and 'id="notes"' not in page
    assert not LedgerEntry.objects.exists()


def test_money_on_a_closed_case_in_place_is_409(client, make_case, paralegal_a, rates):
    case = make_case(Stage.CLOSED)
    client.force_login(paralegal_a)

    page = assert_fragment(client.post(reverse("ledger_record", args=[case.pk]), entry(), **HTMX), "money", 409)

    assert "closed" in page
    assert not LedgerEntry.objects.exists()


# --- deadlines -----------------------------------------------------------------------------------------------------


def test_deadlines_in_place_answer_with_the_section_and_without_javascript_land_on_it(client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)
    url = reverse("deadline_add", args=[case.pk])
    data = {"kind": "hearing", "note": "", "date": "2099-03-10", "time": "09:30"}

    page = assert_fragment(client.post(url, data, **HTMX), "deadlines")
    assert "Deadline added." in page

    bad = assert_fragment(client.post(url, {**data, "date": ""}, **HTMX), "deadlines", 400)
    assert 'class="errorlist"' in bad

    assert client.post(url, data).url == detail(case, "deadlines")
    no_js_bad = client.post(url, {**data, "date": ""})
    assert no_js_bad.status_code == 400 and "<html" in no_js_bad.content.decode()

    deadline = Deadline.objects.filter(case=case).first()
    met = client.post(reverse("deadline_status", args=[case.pk, deadline.pk]), {"status": "met"})
    assert met.url == detail(case, f"deadline-{deadline.pk}")


# --- the status check ----------------------------------------------------------------------------------------------


def test_a_new_pin_in_place_is_shown_in_the_status_check_section(client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)

    page = assert_fragment(client.post(reverse("case_pin_reissue", args=[case.pk]), **HTMX), "status-check")

    assert re.search(r'id="new-pin">\d{4} \d{4}<', page)
    assert client.post(reverse("case_pin_reissue", args=[case.pk])).url == detail(case, "status-check")


# --- calculation ---------------------------------------------------------------------------------------------------


def test_the_calculation_of_a_closed_case_refuses_in_place_with_409(client, make_case, paralegal_a):
    case = make_case(Stage.CLOSED)
    client.force_login(paralegal_a)

    assert_fragment(client.post(reverse("calculation_run", args=[case.pk]), **HTMX), "calculation", 409)
    assert client.post(reverse("calculation_run", args=[case.pk])).status_code == 409
