"""Downloading evidence: the staff copy by default, the original on request, safe headers, and a logged event."""

import hashlib
import io

import pytest
from django.urls import reverse
from PIL import ExifTags, Image

from cases.models import CaseEvent, EventKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("evidence_store")]


def download(client, evidence, query: str = ""):
    return client.get(reverse("evidence_download", args=[evidence.pk]) + query)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_download_is_an_attachment_with_the_sniffed_type_and_locked_down_headers(
    evidence_client, evidence_add, evidence_case, evidence_samples
):
    (pdf,) = evidence_add(evidence_case, ("Employment contract.pdf", evidence_samples.pdf()))

    response = download(evidence_client, pdf)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Employment contract.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert int(response["Content-Length"]) == pdf.size
    assert body(response) == evidence_samples.pdf()


def test_a_name_in_another_script_is_sent_rfc_5987_encoded_with_an_ascii_fallback(
    evidence_client, evidence_add, evidence_case, evidence_samples
):
    (row,) = evidence_add(evidence_case, ("Хабар ма\u202eлумат.csv", evidence_samples.csv()))

    disposition = download(evidence_client, row)["Content-Disposition"]

    assert disposition == (
        'attachment; filename="_____ _______.csv"; '
        "filename*=utf-8''%D0%A5%D0%B0%D0%B1%D0%B0%D1%80%20%D0%BC%D0%B0%D0%BB%D1%83%D0%BC%D0%B0%D1%82.csv"
    )


def test_pdf_and_images_open_inline_only_when_asked_and_other_types_never(
    evidence_client, evidence_add, evidence_case, evidence_samples
):
    pdf, photo, csv, docx = evidence_add(
        evidence_case,
        ("a.pdf", evidence_samples.pdf()),
        ("b.jpg", evidence_samples.jpeg_with_gps()),
        ("c.csv", evidence_samples.csv()),
        ("d.docx", evidence_samples.docx()),
    )

    assert download(evidence_client, pdf, "?inline=1")["Content-Disposition"].startswith("inline;")
    assert download(evidence_client, photo, "?inline=1")["Content-Disposition"].startswith("inline;")
    assert download(evidence_client, csv, "?inline=1")["Content-Disposition"].startswith("attachment;")
    assert download(evidence_client, docx, "?inline=1")["Content-Disposition"].startswith("attachment;")
    assert download(evidence_client, photo, "?inline=1")["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_staff_get_the_photo_without_gps_unless_they_ask_for_the_original(
    evidence_client, evidence_add, evidence_case, evidence_samples
):
    photo = evidence_samples.jpeg_with_gps()
    (row,) = evidence_add(evidence_case, ("photo.jpg", photo))

    copy = body(download(evidence_client, row))
    original = body(download(evidence_client, row, "?original=1"))

    assert Image.open(io.BytesIO(copy)).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert original == photo and hashlib.sha256(original).hexdigest() == row.sha256


def test_each_download_is_an_event_with_the_actor_and_which_copy(
    evidence_client, evidence_add, evidence_case, evidence_samples, paralegal_a
):
    (row,) = evidence_add(evidence_case, ("photo.jpg", evidence_samples.jpeg_with_gps()))

    body(download(evidence_client, row))
    body(download(evidence_client, row, "?original=1"))

    events = CaseEvent.objects.filter(case=evidence_case, kind=EventKind.EVIDENCE_DOWNLOADED).order_by("id")
    assert [(event.actor, event.payload) for event in events] == [
        (paralegal_a, {"evidence": row.pk, "copy": "staff"}),
        (paralegal_a, {"evidence": row.pk, "copy": "original"}),
    ]


def test_a_file_missing_from_storage_is_a_404_not_a_crash(
    evidence_client, evidence_add, evidence_case, evidence_samples, evidence_store
):
    (row,) = evidence_add(evidence_case, ("a.pdf", evidence_samples.pdf()))
    (evidence_store.path / row.storage_name).unlink()

    assert download(evidence_client, row).status_code == 404
    assert not CaseEvent.objects.filter(kind=EventKind.EVIDENCE_DOWNLOADED).exists()
