"""Removing evidence: a reason is required; the file leaves lists and downloads but stays on disk and in the record."""

import pytest
from django.urls import reverse

from cases.core.services.cases import case_close
from cases.core.stages import Outcome
from cases.models import Case, CaseEvent, EventKind
from documents.evidence import evidence_remove
from documents.models import EvidenceFile
from documents.validation import EvidenceRejected

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("evidence_store")]


def remove(client, row, reason: str, next_page: str = "case"):
    return client.post(
        reverse("evidence_remove", args=[row.pk]),
        {f"remove-{row.pk}-reason": reason, f"remove-{row.pk}-next": next_page},
    )


def test_removal_needs_a_reason(evidence_client, evidence_add, evidence_case, evidence_samples):
    (row,) = evidence_add(evidence_case, ("contract.pdf", evidence_samples.pdf()))

    response = remove(evidence_client, row, "   ")

    assert response.status_code == 400
    assert "Say why the file is being removed" in response.content.decode()
    assert EvidenceFile.objects.present().get() == row
    with pytest.raises(EvidenceRejected):
        evidence_remove(actor=row.uploaded_by, evidence_id=row.pk, reason="")


def test_a_removed_file_is_hidden_and_not_served_but_kept_with_who_when_and_why(
    evidence_client, evidence_add, evidence_case, evidence_samples, evidence_store, paralegal_a
):
    _kept, gone = evidence_add(
        evidence_case, ("kept.pdf", evidence_samples.pdf()), ("wrong-worker.jpg", evidence_samples.jpeg_with_gps())
    )

    response = remove(evidence_client, gone, "Belongs to another worker's case")

    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[evidence_case.pk]) + "#evidence-panel"
    panel = evidence_client.get(reverse("evidence_panel", args=[evidence_case.pk])).content.decode()
    assert "kept.pdf" in panel and "wrong-worker" not in panel and gone.sha256 not in panel
    assert evidence_client.get(reverse("evidence_download", args=[gone.pk])).status_code == 404
    assert evidence_client.get(reverse("evidence_download", args=[gone.pk]) + "?original=1").status_code == 404
    gone.refresh_from_db()
    assert gone.removed_by == paralegal_a and gone.removed_at is not None
    assert gone.removal_reason == "Belongs to another worker's case"
    assert (evidence_store.path / gone.storage_name).exists() and (
        evidence_store.path / gone.display_storage_name
    ).exists()
    event = CaseEvent.objects.get(case=evidence_case, kind=EventKind.EVIDENCE_REMOVED)
    assert event.actor == paralegal_a and event.payload == {"evidence": gone.pk}
    assert event.reason == "Belongs to another worker's case"
    assert Case.objects.get(pk=evidence_case.pk).version == evidence_case.version + 2  # upload, removal


def test_a_file_cannot_be_removed_twice(evidence_client, evidence_add, evidence_case, evidence_samples):
    (row,) = evidence_add(evidence_case, ("contract.pdf", evidence_samples.pdf()))
    assert remove(evidence_client, row, "Duplicate").status_code == 302

    assert remove(evidence_client, row, "Duplicate").status_code == 404
    with pytest.raises(EvidenceFile.DoesNotExist):
        evidence_remove(actor=row.uploaded_by, evidence_id=row.pk, reason="Again")
    assert CaseEvent.objects.filter(kind=EventKind.EVIDENCE_REMOVED).count() == 1


def test_a_closed_case_keeps_its_evidence(
    evidence_client, evidence_add, evidence_case, evidence_samples, administrator
):
    (row,) = evidence_add(evidence_case, ("contract.pdf", evidence_samples.pdf()))
    case_close(actor=administrator, case_id=evidence_case.pk, outcome=Outcome.NOTHING, reason="Worker left.")

    response = remove(evidence_client, row, "Tidying up", next_page="evidence")

    assert response.status_code == 409 and "The case is closed" in response.content.decode()
    assert EvidenceFile.objects.present().get() == row


def test_the_evidence_page_form_returns_to_the_evidence_page(
    evidence_client, evidence_add, evidence_case, evidence_samples
):
    (row,) = evidence_add(evidence_case, ("contract.pdf", evidence_samples.pdf()))
    response = remove(evidence_client, row, "Duplicate", next_page="evidence")
    assert response.url == reverse("evidence_list", args=[evidence_case.pk])
