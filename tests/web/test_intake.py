"""The intake page: one form, possible duplicates offered before anything is written, then the done page
that shows the reference and — once — the PIN."""

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.core.pins import check_pin
from cases.core.views.intake import PIN_SESSION_KEY
from cases.models import Case, Respondent, RespondentAlias
from claimants.models import ChannelKind, Claimant, ContactChannel
from documents.models import Document
from tests.factories import ClaimantFactory, RespondentFactory

URL = reverse("intake")
PIN_PATTERN = re.compile(r'id="pin">(\d{4}) (\d{4})<')


def form_data(office, **overrides) -> dict:
    """A complete, valid intake as the browser posts it; an override of None leaves the field out."""
    data = {
        "token": str(uuid.uuid4()),
        "full_name": "Aibek Toktogulov",
        "preferred_language": "ky",
        "nationality": "KG",
        "id_document_type": "passport",
        "id_document_number": "AC7654321",
        "phone": "+60 12-345 6789",
        "phone_consent": "on",
        "phone_safe": "on",
        "consents": ["data_processing", "contact"],
        "consent_method": "verbal",
        "office": str(office.pk),
        "country_of_work": "MY",
        "sector": "construction",
        "job_title": "Scaffolder",
        "work_started_on": "2025-01-06",
        "work_ended_on": "2025-06-30",
        "estimated_amount": "4500.00",
        "estimated_currency": "myr",
        "summary": "Three months unpaid.",
        "respondent-0-name": "Bina Jaya Sdn Bhd",
        "respondent-0-kind": "employer",
        "respondent-0-country": "MY",
        "respondent-0-aliases": "BJ Construction, Bina Jaya",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def staff_client(client, paralegal_a):
    client.force_login(paralegal_a)
    return client


def done_url(case) -> str:
    return f"{URL}?done={case.pk}"


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(URL, {}).status_code == 302


def test_the_form_renders_with_a_fresh_token_in_a_bounded_number_of_queries(
    staff_client, office_a, django_assert_num_queries
):
    with django_assert_num_queries(4):  # session, user, the offices the user can open cases in, the header's counts
        response = staff_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'name="token" value="[0-9a-f-]{36}"', html)
    for section in ("Worker", "Contact", "Alternate contact", "Consent", "Respondents", "Case"):
        assert f"<legend>{section}</legend>" in html
    assert "If the worker leaves soon, capture evidence copies" in html
    assert "Check for existing records" in html
    assert 'hx-post="/cases/new/"' in html


def test_two_visits_get_two_different_tokens(staff_client):
    tokens = {re.search(r'name="token" value="([^"]+)"', staff_client.get(URL).content.decode())[1] for _ in "ab"}

    assert len(tokens) == 2


def test_the_form_never_asks_for_immigration_status(staff_client):
    html = staff_client.get(URL).content.decode().lower()
    fields = set(re.findall(r'name="([^"]+)"', html))

    assert not [name for name in fields if "immigra" in name or "visa" in name or "status" in name]


def test_only_the_users_office_is_offered_and_it_is_preselected(staff_client, office_a, office_b):
    html = staff_client.get(URL).content.decode()
    office_select = re.search(r'<select name="office".*?</select>', html, re.S)[0]

    assert f'value="{office_a.pk}" selected' in office_select
    assert f'value="{office_b.pk}"' not in office_select


def test_a_global_coordinator_may_choose_any_office(client, global_coordinator, office_a, office_b):
    client.force_login(global_coordinator)
    html = client.get(URL).content.decode()

    assert f'value="{office_a.pk}"' in html and f'value="{office_b.pk}"' in html


def test_errors_are_shown_next_to_the_fields_and_everything_typed_is_kept(staff_client, office_a):
    data = form_data(
        office_a,
        work_started_on="2025-06-01",
        work_ended_on="2025-01-01",
        estimated_currency="",
        phone="",
        whatsapp_consent="on",
        summary="Paid only for the first month.",
    )

    response = staff_client.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert 'class="error-summary"' in html and 'href="#id_work_ended_on"' in html
    assert "The work cannot end before it started." in html
    assert "Give the currency of the amount." in html
    assert "give the number or address too" in html
    for field in ("work_ended_on", "estimated_currency", "whatsapp"):
        assert re.search(rf'<[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*id_{field}_error"', html) or re.search(
            rf'<[^>]*aria-describedby="[^"]*id_{field}_error"[^>]*aria-invalid="true"', html
        ), field
        assert f'id="id_{field}_error"' in html
    assert 'value="Aibek Toktogulov"' in html
    assert "Paid only for the first month." in html
    assert 'value="2025-06-01"' in html
    assert 'value="Bina Jaya Sdn Bhd"' in html
    assert f'value="{data["token"]}"' in html


def test_a_respondent_row_without_a_name_is_an_error(staff_client, office_a):
    response = staff_client.post(URL, form_data(office_a, **{"respondent-1-kind": "recruiter"}))

    assert "Give the respondent&#x27;s name, or clear this row." in response.content.decode()
    assert not Case.objects.exists()


def test_a_successful_intake_shows_the_reference_and_the_pin_once(staff_client, office_a, paralegal_a):
    response = staff_client.post(URL, form_data(office_a))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == done_url(case)
    assert (case.claimant.full_name, case.office, case.opened_by) == ("Aibek Toktogulov", office_a, paralegal_a)
    assert list(case.respondents.values_list("name", flat=True)) == ["Bina Jaya Sdn Bhd"]
    assert sorted(RespondentAlias.objects.values_list("name", flat=True)) == ["BJ Construction", "Bina Jaya"]

    first = staff_client.get(response["Location"])
    html = first.content.decode()
    pin = "".join(PIN_PATTERN.search(html).groups())
    assert case.reference in html
    assert check_pin(pin, case.pin_hash)
    assert "no-store" in first["Cache-Control"]
    assert reverse("case_detail", args=[case.pk]) in html
    assert "Start another intake" in html
    assert "Print a receipt for the worker" in html
    assert pin not in html.split("Print a receipt")[1]  # the receipt form carries no PIN

    reloaded = staff_client.get(response["Location"]).content.decode()
    assert case.reference in reloaded
    assert not PIN_PATTERN.search(reloaded) and pin not in reloaded
    assert "was shown already" in reloaded


def test_the_pin_is_never_in_a_url_nor_in_clear_in_the_session(staff_client, office_a):
    response = staff_client.post(URL, form_data(office_a))
    case = Case.objects.get()
    stored = staff_client.session[PIN_SESSION_KEY.format(case_id=case.pk)]

    assert not re.search(r"\d{8}", stored)
    done = staff_client.get(response["Location"])
    pin = "".join(PIN_PATTERN.search(done.content.decode()).groups())
    assert pin not in response["Location"]
    assert PIN_SESSION_KEY.format(case_id=case.pk) not in staff_client.session
    assert reverse("case_detail", args=[case.pk]) in done.content.decode()


def test_a_double_submit_opens_one_case_and_still_shows_the_pin_once(staff_client, office_a):
    data = form_data(office_a)

    first = staff_client.post(URL, data)
    second = staff_client.post(URL, data)

    case = Case.objects.get()
    assert first["Location"] == second["Location"] == done_url(case)
    assert Claimant.objects.count() == 1
    html = staff_client.get(second["Location"]).content.decode()
    assert "This intake was already submitted" in html
    assert check_pin("".join(PIN_PATTERN.search(html).groups()), case.pin_hash)


def test_an_intake_without_data_processing_consent_is_saved_with_a_warning(staff_client, office_a):
    response = staff_client.post(URL, form_data(office_a, consents=["contact"]), follow=True)

    html = response.content.decode()
    assert Case.objects.count() == 1
    assert 'class="warning"' in html
    assert "No consent to keep and use the worker&#x27;s information was recorded." in html


def test_the_done_page_of_a_case_in_another_office_is_not_found(staff_client, make_case, office_b):
    case = make_case(office=office_b)

    assert staff_client.get(done_url(case)).status_code == 404
    assert staff_client.get(f"{URL}?done=nonsense").status_code == 404


@pytest.fixture
def known_worker(make_case, office_a):
    """A worker with a case in office A and the same phone number as the intake posts."""
    claimant = ClaimantFactory(full_name="Nurlan Asanov", nationality="KG")
    ContactChannel.objects.create(claimant=claimant, kind=ChannelKind.PHONE, value="60123456789")
    return make_case(office=office_a, claimant=claimant)


def test_a_matching_phone_shows_possible_matches_before_anything_is_written(staff_client, office_a, known_worker):
    data = form_data(office_a)

    response = staff_client.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert Case.objects.count() == 1  # only the known worker's
    assert "Possible matches" in html
    assert "Nurlan Asanov" in html and "Kyrgyzstan" in html and known_worker.reference in html
    assert f'name="claimant_match" value="{known_worker.claimant.pk}"' in html
    assert 'name="claimant_match" value="new"' in html
    assert 'value="Aibek Toktogulov"' in html  # what was typed is kept


def test_choosing_the_existing_worker_links_the_new_case_to_them(staff_client, office_a, known_worker):
    claimant = known_worker.claimant
    data = form_data(office_a, matches_shown="1", claimant_match=str(claimant.pk))

    response = staff_client.post(URL, data)

    assert response.status_code == 302
    new_case = Case.objects.exclude(pk=known_worker.pk).get()
    assert new_case.claimant == claimant
    assert Claimant.objects.count() == 1
    assert claimant.channels.filter(kind=ChannelKind.PHONE).count() == 1


def test_choosing_to_create_a_new_worker_does_so(staff_client, office_a, known_worker):
    staff_client.post(URL, form_data(office_a, matches_shown="1", claimant_match="new"))

    new_case = Case.objects.exclude(pk=known_worker.pk).get()
    assert new_case.claimant != known_worker.claimant
    assert new_case.claimant.full_name == "Aibek Toktogulov"


def test_submitting_the_matches_without_choosing_asks_again(staff_client, office_a, known_worker):
    response = staff_client.post(URL, form_data(office_a, matches_shown="1"))

    assert Case.objects.count() == 1
    assert "Choose an existing worker record or create a new one." in response.content.decode()


def test_a_worker_on_record_only_in_another_office_is_not_offered(client, paralegal_b, office_b, known_worker):
    client.force_login(paralegal_b)

    response = client.post(URL, form_data(office_b))

    assert response.status_code == 302
    assert Case.objects.count() == 2
    assert Claimant.objects.count() == 2


def test_a_forged_choice_of_a_worker_not_offered_is_refused(client, paralegal_b, office_b, known_worker):
    client.force_login(paralegal_b)
    data = form_data(office_b, matches_shown="1", claimant_match=str(known_worker.claimant.pk))

    client.post(URL, data)

    assert not Case.objects.filter(office=office_b, claimant=known_worker.claimant).exists()


def test_a_matching_respondent_can_be_reused(staff_client, office_a):
    employer = RespondentFactory(name="Bina Jaya Sdn Bhd", country="MY")
    RespondentAlias.objects.create(respondent=employer, name="BJ")
    no_worker_match = {"phone": "", "phone_consent": None, "phone_safe": None, "id_document_number": ""}
    first = staff_client.post(URL, form_data(office_a, **no_worker_match))
    html = first.content.decode()
    assert "Possible matches" in html and "Also known as:" in html and "0 cases" in html
    assert f'name="respondent_match_0" value="{employer.pk}"' in html

    staff_client.post(URL, form_data(office_a, **no_worker_match, matches_shown="1", respondent_match_0=employer.pk))

    case = Case.objects.get()
    assert list(case.respondents.all()) == [employer]
    assert Respondent.objects.count() == 1


def test_the_htmx_check_returns_only_the_matches(staff_client, office_a, known_worker):
    response = staff_client.post(URL, form_data(office_a, full_name="", check="1"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Possible matches" in html and "Nurlan Asanov" in html
    assert Case.objects.count() == 1


def test_the_check_without_javascript_renders_the_page_without_errors(staff_client, office_a, known_worker):
    response = staff_client.post(URL, form_data(office_a, full_name="", check="1"))

    html = response.content.decode()
    assert "<html" in html and "Possible matches" in html
    assert 'class="error-summary"' not in html and 'aria-invalid="true"' not in html
    assert Case.objects.count() == 1


def test_the_check_says_when_nothing_matches(staff_client, office_a):
    response = staff_client.post(URL, form_data(office_a, check="1"), headers={"HX-Request": "true"})

    assert "No existing records match" in response.content.decode()


def test_csrf_is_enforced(paralegal_a, office_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(paralegal_a)

    refused = client.post(URL, form_data(office_a))
    assert refused.status_code == 403
    assert not Case.objects.exists()

    page = client.get(URL).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    accepted = client.post(URL, {**form_data(office_a), "csrfmiddlewaretoken": csrf})
    assert accepted.status_code == 302
    assert Case.objects.count() == 1


def test_a_worker_is_also_matched_and_reused_by_document_number(staff_client, make_case, office_a):
    returning = make_case(claimant=ClaimantFactory(full_name="Gulnara Isakova", id_document_number="AC 7654321"))
    data = form_data(office_a, phone="+60 19-000 0000")

    shown = staff_client.post(URL, data).content.decode()
    assert "Gulnara Isakova" in shown and "Same identity document number." in shown

    staff_client.post(URL, {**data, "matches_shown": "1", "claimant_match": str(returning.claimant.pk)})
    new_case = Case.objects.exclude(pk=returning.pk).get()
    assert new_case.claimant == returning.claimant
    assert [channel.normalise(channel.kind, channel.value) for channel in returning.claimant.channels.all()] == [
        "60190000000"
    ]


def test_a_worker_leaving_soon_without_reachable_contacts_gets_a_warning(staff_client, office_a):
    soon = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    response = staff_client.post(URL, form_data(office_a, departure_date=soon), follow=True)

    assert "The worker leaves soon" in response.content.decode()


def test_the_done_page_prints_a_receipt_in_the_workers_language(client, paralegal_a, make_case, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    case = make_case()
    client.force_login(paralegal_a)
    page = client.get(reverse("intake") + f"?done={case.pk}").content.decode()
    assert reverse("filing_request", args=[case.pk]) in page
    key = page.split('name="request_key" value="')[1].split('"')[0]

    data = {"request_key": key, "kind": "intake_receipt", "language": ""}
    response = client.post(reverse("filing_request", args=[case.pk]), data)
    again = client.post(reverse("filing_request", args=[case.pk]), data)

    assert response.status_code == again.status_code == 302
    document = Document.objects.get(case=case)
    assert (document.kind, document.language) == ("intake_receipt", case.claimant.preferred_language)
