"""A worker's erasure request, through its page: a coordinator (or admin) gives the reason and confirms; every case
of the worker and the worker's record are anonymised at once, each case's timeline records who, when and why.
Refused while a case is open, when a case is in an office the coordinator does not see, and to paralegals."""

import pytest

from cases.audit.models import AccessKind, AccessRecord
from cases.core.models import EventKind
from cases.core.services.cases import case_close
from cases.core.stages import Outcome
from cases.models import Case, CaseEvent
from claimants.models import Claimant

from .conftest import MARK

BODY = {"reason": "Asked by phone on 3 May; identity checked with the PIN.", "confirm": "on"}


def _url(case) -> str:
    return f"/cases/{case.pk}/erase-worker/"


def test_a_coordinator_sees_what_will_be_erased(client, worker_case, coordinator_a, django_assert_num_queries):
    case = worker_case().case
    client.force_login(coordinator_a)
    client.get(_url(case))  # the first request after signing in also saves the session

    # session, user with office, the case with its worker, the header's counts, the worker's cases, the access log's
    # "read in the last 30 minutes" check (the first request wrote the row)
    with django_assert_num_queries(6):
        page = client.get(_url(case))

    assert page.status_code == 200
    assert case.reference in page.content.decode()


def test_the_case_page_links_to_it_for_coordinators_only(client, worker_case, coordinator_a, paralegal_a):
    case = worker_case().case
    for user, shown in ((coordinator_a, True), (paralegal_a, False)):
        client.force_login(user)
        assert (_url(case) in client.get(f"/cases/{case.pk}/").content.decode()) is shown


def test_erasure_anonymises_every_case_and_the_worker_and_records_it(client, worker_case, coordinator_a):
    first = worker_case().case
    second = worker_case(claimant=first.claimant).case
    client.force_login(coordinator_a)

    response = client.post(_url(first), BODY, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302 and response["Location"] == f"/cases/{first.pk}/"
    worker = Claimant.objects.get(pk=first.claimant_id)
    assert worker.anonymised_at is not None and MARK not in worker.full_name
    for case in (first, second):
        assert Case.objects.get(pk=case.pk).anonymised_at is not None
        event = CaseEvent.objects.get(case=case, kind=EventKind.ANONYMISED)
        assert (event.actor, event.reason, event.payload) == (coordinator_a, BODY["reason"], {"cause": "erasure"})
    # The access log keeps who erased the worker, from where, against which cases (ids only, no reason, no name).
    erased = AccessRecord.objects.filter(what=AccessKind.WORKER_ERASED).order_by("case_id")
    assert [(row.user, row.claimant_id, row.case_id, row.address) for row in erased] == [
        (coordinator_a, first.claimant_id, first.pk, "203.0.113.7"),
        (coordinator_a, first.claimant_id, second.pk, "203.0.113.7"),
    ]


def test_after_the_erasure_the_case_page_says_so_and_shows_no_empty_worker_details(client, worker_case, coordinator_a):
    case = worker_case().case
    second = worker_case(claimant=case.claimant).case
    client.force_login(coordinator_a)

    page = client.post(_url(case), BODY, follow=True).content.decode()

    assert "The worker&#x27;s personal data was erased from 2 cases." in page
    assert "Anonymised worker" in page and MARK not in page
    assert "Language:" not in page  # the preferred language is blanked: no label left without a value
    assert second.reference in client.get(f"/cases/{second.pk}/").content.decode()


def test_erasure_is_refused_while_a_case_is_open(client, worker_case, coordinator_a):
    closed = worker_case().case
    still_open = worker_case(claimant=closed.claimant, close=False).case
    client.force_login(coordinator_a)

    response = client.post(_url(closed), BODY)

    assert response.status_code == 409
    assert "Close the worker&#x27;s open cases first" in response.content.decode()
    assert still_open.reference in response.content.decode()
    assert not Case.objects.filter(anonymised_at__isnull=False).exists()
    assert Claimant.objects.get(pk=closed.claimant_id).anonymised_at is None

    case_close(actor=coordinator_a, case_id=still_open.pk, outcome=Outcome.WITHDRAWN, reason="The worker asked.")
    assert client.post(_url(closed), BODY).status_code == 302


@pytest.mark.parametrize("missing", ["reason", "confirm"])
def test_a_reason_and_the_confirmation_are_required(client, worker_case, coordinator_a, missing):
    case = worker_case().case
    client.force_login(coordinator_a)

    response = client.post(_url(case), {key: value for key, value in BODY.items() if key != missing})

    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).anonymised_at is None


def test_paralegals_are_refused_and_other_offices_see_nothing(client, worker_case, paralegal_a, coordinator_b):
    case = worker_case().case
    client.force_login(paralegal_a)
    assert client.get(_url(case)).status_code == 403
    assert client.post(_url(case), BODY).status_code == 403
    client.force_login(coordinator_b)
    assert client.post(_url(case), BODY).status_code == 404
    assert Case.objects.get(pk=case.pk).anonymised_at is None


def test_a_worker_with_a_case_in_another_office_needs_an_administrator(
    client, worker_case, office_b, coordinator_a, administrator
):
    here = worker_case().case
    worker_case(claimant=here.claimant, office=office_b)
    client.force_login(coordinator_a)

    response = client.post(_url(here), BODY)

    assert response.status_code == 403
    assert "ask an administrator" in response.content.decode()
    assert Claimant.objects.get(pk=here.claimant_id).anonymised_at is None
    client.force_login(administrator)
    assert client.post(_url(here), BODY).status_code == 302
    assert Claimant.objects.get(pk=here.claimant_id).anonymised_at is not None


def test_the_admin_action_on_a_worker_leads_to_the_erasure_page(client, worker_case, superuser):
    case = worker_case().case
    client.force_login(superuser)

    response = client.post(
        "/admin/claimants/claimant/",
        {"action": "erase_personal_data", "_selected_action": [case.claimant_id]},
    )

    assert response.status_code == 302 and response["Location"] == _url(case)
    assert client.post(response["Location"], BODY).status_code == 302
    assert Claimant.objects.get(pk=case.claimant_id).anonymised_at is not None
