"""Who may reach evidence: the case's office (and whole-organisation roles); everyone else gets 404; CSRF holds."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import CaseEvent
from documents.models import EvidenceFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("evidence_store")]


@pytest.mark.parametrize("who", ["paralegal_b", "coordinator_b"])
def test_someone_of_another_office_gets_404_for_list_panel_upload_download_and_remove(
    client, request, who, evidence_add, evidence_case, evidence_samples, evidence_form, evidence_store
):
    (row,) = evidence_add(evidence_case, ("contract.pdf", evidence_samples.pdf()))
    stored, events = evidence_store.files(), CaseEvent.objects.count()
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("evidence_list", args=[evidence_case.pk])).status_code == 404
    assert client.get(reverse("evidence_panel", args=[evidence_case.pk])).status_code == 404
    upload = {**evidence_form(), "files": [evidence_samples.upload("x.pdf", evidence_samples.pdf())]}
    assert client.post(reverse("evidence_upload", args=[evidence_case.pk]), upload).status_code == 404
    assert client.get(reverse("evidence_download", args=[row.pk])).status_code == 404
    assert client.get(reverse("evidence_download", args=[row.pk]) + "?original=1").status_code == 404
    assert client.post(reverse("evidence_remove", args=[row.pk]), {f"remove-{row.pk}-reason": "x"}).status_code == 404

    assert evidence_store.files() == stored and CaseEvent.objects.count() == events
    assert EvidenceFile.objects.present().count() == 1


@pytest.mark.parametrize("who", ["global_coordinator", "administrator", "paralegal_a", "coordinator_a"])
def test_the_office_and_whole_organisation_roles_can_open_the_file(
    client, request, who, evidence_add, evidence_case, evidence_samples
):
    (row,) = evidence_add(evidence_case, ("contract.pdf", evidence_samples.pdf()))
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("evidence_panel", args=[evidence_case.pk])).status_code == 200
    assert client.get(reverse("evidence_download", args=[row.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, evidence_add, evidence_case, evidence_samples, evidence_form):
    (row,) = evidence_add(evidence_case, ("contract.pdf", evidence_samples.pdf()))
    urls = [
        ("get", reverse("evidence_list", args=[evidence_case.pk])),
        ("get", reverse("evidence_panel", args=[evidence_case.pk])),
        ("post", reverse("evidence_upload", args=[evidence_case.pk])),
        ("get", reverse("evidence_download", args=[row.pk])),
        ("post", reverse("evidence_remove", args=[row.pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_upload_and_removal_need_the_csrf_token(
    paralegal_a, evidence_add, evidence_case, evidence_samples, evidence_form, evidence_store
):
    (row,) = evidence_add(evidence_case, ("contract.pdf", evidence_samples.pdf()))
    stored = evidence_store.files()
    client = Client(enforce_csrf_checks=True)
    client.force_login(paralegal_a)

    upload = {**evidence_form(), "files": [evidence_samples.upload("x.pdf", evidence_samples.pdf())]}
    assert client.post(reverse("evidence_upload", args=[evidence_case.pk]), upload).status_code == 403
    removal = {f"remove-{row.pk}-reason": "Wrong case"}
    assert client.post(reverse("evidence_remove", args=[row.pk]), removal).status_code == 403

    assert evidence_store.files() == stored and EvidenceFile.objects.present().count() == 1

    # With the token from the page, the same upload goes through.
    client.get(reverse("evidence_list", args=[evidence_case.pk]))
    token = client.cookies["csrftoken"].value
    upload = {**evidence_form(), "files": [evidence_samples.upload("x.pdf", evidence_samples.pdf())]}
    response = client.post(
        reverse("evidence_upload", args=[evidence_case.pk]), {**upload, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and EvidenceFile.objects.count() == 2


def test_only_get_and_post_where_they_belong(evidence_client, evidence_add, evidence_case, evidence_samples):
    (row,) = evidence_add(evidence_case, ("contract.pdf", evidence_samples.pdf()))
    assert evidence_client.get(reverse("evidence_upload", args=[evidence_case.pk])).status_code == 405
    assert evidence_client.get(reverse("evidence_remove", args=[row.pk])).status_code == 405
    assert evidence_client.post(reverse("evidence_download", args=[row.pk])).status_code == 405
