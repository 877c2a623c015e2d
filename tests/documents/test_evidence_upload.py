"""Uploading evidence: originals kept byte for byte, a clean copy of photos for staff, all or nothing, events."""

import hashlib
import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from cases.core.errors import IllegalTransition
from cases.core.stages import Stage
from cases.models import Case, CaseEvent, EventKind
from documents.evidence import evidence_upload
from documents.models import EvidenceFile
from documents.validation import EvidenceRejected

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("evidence_store")]

STORAGE_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}\.[a-z]+$")


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_a_pdf_a_photo_and_a_csv_upload_together_and_the_originals_are_kept_byte_for_byte(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store, paralegal_a
):
    pdf, photo, csv = evidence_samples.pdf(), evidence_samples.jpeg_with_gps(), evidence_samples.csv()
    files = [
        evidence_samples.upload("contract.pdf", pdf, "application/pdf"),
        evidence_samples.upload("IMG_2231.JPG", photo, "image/jpeg"),
        evidence_samples.upload("my hours.csv", csv, "text/csv"),
    ]

    response = evidence_client.post(
        reverse("evidence_upload", args=[evidence_case.pk]),
        {**evidence_form(kind="contract", description="Signed on arrival", document_date="2024-11-02"), "files": files},
    )

    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[evidence_case.pk]) + "#evidence-panel"
    rows = {row.display_name: row for row in EvidenceFile.objects.filter(case=evidence_case)}
    assert set(rows) == {"contract.pdf", "IMG_2231.jpg", "my hours.csv"}
    for name, content, content_type in [
        ("contract.pdf", pdf, "application/pdf"),
        ("IMG_2231.jpg", photo, "image/jpeg"),
        ("my hours.csv", csv, "text/csv; charset=utf-8"),
    ]:
        row = rows[name]
        assert row.content_type == content_type and row.size == len(content)
        assert row.sha256 == sha(content) == sha(evidence_store.read(row.storage_name))
        assert STORAGE_NAME.match(row.storage_name) and STORAGE_NAME.match(row.display_storage_name)
        assert row.kind == "contract" and row.document_date == date(2024, 11, 2)
        assert row.description == "Signed on arrival" and row.uploaded_by == paralegal_a
    assert rows["contract.pdf"].display_storage_name == rows["contract.pdf"].storage_name
    assert rows["my hours.csv"].display_storage_name == rows["my hours.csv"].storage_name
    assert len(evidence_store.files()) == 4  # three originals and the photo's clean copy


def test_the_staff_copy_of_a_photo_has_no_exif_or_gps(evidence_add, evidence_case, evidence_samples, evidence_store):
    photo = evidence_samples.jpeg_with_gps()
    (row,) = evidence_add(evidence_case, ("photo.jpg", photo))

    assert row.metadata_stripped
    original = Image.open(io.BytesIO(evidence_store.read(row.storage_name)))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the original keeps what the phone wrote
    copy = Image.open(io.BytesIO(evidence_store.read(row.display_storage_name)))
    assert dict(copy.getexif()) == {} and copy.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}


def test_the_hash_is_stable_across_uploads_downloads_and_names(
    evidence_add, evidence_case, evidence_samples, evidence_store, evidence_client
):
    photo = evidence_samples.jpeg_with_gps()
    (first,) = evidence_add(evidence_case, ("a.jpg", photo))
    (second,) = evidence_add(evidence_case, ("other name.jpeg", photo))
    for _ in range(2):
        b"".join(evidence_client.get(reverse("evidence_download", args=[first.pk]) + "?original=1").streaming_content)

    assert first.sha256 == second.sha256 == sha(photo)
    assert sha(evidence_store.read(first.storage_name)) == first.sha256
    assert EvidenceFile.objects.filter(sha256=sha(photo)).count() == 2
    assert first.storage_name != second.storage_name  # same bytes, still two records with their own custody


def test_each_file_writes_an_event_with_the_actor_its_kind_and_hash_but_no_name(
    evidence_add, evidence_case, evidence_samples, paralegal_a
):
    rows = evidence_add(
        evidence_case, ("secret-name.pdf", evidence_samples.pdf()), ("x.csv", evidence_samples.csv()), kind="payslip"
    )

    events = list(CaseEvent.objects.filter(case=evidence_case, kind=EventKind.EVIDENCE_ADDED).order_by("id"))
    assert [event.payload for event in events] == [
        {"evidence": row.pk, "kind": "payslip", "sha256": row.sha256} for row in rows
    ]
    assert all(event.actor == paralegal_a for event in events)
    assert "secret-name" not in str([event.payload for event in events])


def test_an_upload_bumps_the_case_version(evidence_add, evidence_case, evidence_samples):
    evidence_add(evidence_case, ("a.pdf", evidence_samples.pdf()))
    assert Case.objects.get(pk=evidence_case.pk).version == evidence_case.version + 1


def test_word_and_heic_files_are_accepted_and_served_as_they_are(evidence_add, evidence_case, evidence_samples):
    docx, heic = evidence_add(
        evidence_case, ("contract.docx", evidence_samples.docx()), ("IMG.heic", evidence_samples.heic())
    )
    assert docx.content_type.endswith("wordprocessingml.document") and not docx.metadata_stripped
    assert heic.content_type == "image/heic" and not heic.metadata_stripped


def test_one_bad_file_refuses_the_whole_upload(evidence_add, evidence_case, evidence_samples, evidence_store):
    with pytest.raises(EvidenceRejected, match=r"bad\.pdf"):
        evidence_add(evidence_case, ("good.pdf", evidence_samples.pdf()), ("bad.pdf", b"MZ\x90\x00"))

    assert not EvidenceFile.objects.exists() and evidence_store.files() == []


def test_files_written_before_a_database_failure_are_removed(
    evidence_add, evidence_case, evidence_samples, evidence_store, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseEvent.objects, "bulk_create", fail)

    with pytest.raises(RuntimeError):
        evidence_add(evidence_case, ("a.pdf", evidence_samples.pdf()), ("b.jpg", evidence_samples.jpeg_with_gps()))

    assert not EvidenceFile.objects.exists() and evidence_store.files() == []


def test_a_closed_case_takes_no_evidence_and_stores_nothing(
    make_case, evidence_samples, evidence_store, paralegal_a, evidence_client, evidence_form
):
    case = make_case(Stage.CLOSED)
    with pytest.raises(IllegalTransition):
        evidence_upload(
            actor=paralegal_a,
            case_id=case.pk,
            files=[SimpleUploadedFile("a.pdf", evidence_samples.pdf())],
            kind="payslip",
            document_date=None,
            description="",
            provided_by="worker",
            received_on=date(2025, 1, 1),
        )

    response = evidence_client.post(
        reverse("evidence_upload", args=[case.pk]),
        {**evidence_form(), "files": [evidence_samples.upload("a.pdf", evidence_samples.pdf())]},
    )

    assert response.status_code == 409 and "The case is closed" in response.content.decode()
    assert evidence_store.files() == [] and not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "passport"}, "kind", "Select a valid choice"),
        ({"provided_by": ""}, "provided_by", "This field is required"),
        ({"received_on": "2999-01-01"}, "received_on", "cannot be in the future"),
        ({"received_on": "yesterday"}, "received_on", "Enter a valid date"),
    ],
)
def test_bad_details_show_the_form_again_with_the_field_error(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store, changes, field, message
):
    response = evidence_client.post(
        reverse("evidence_upload", args=[evidence_case.pk]),
        {**evidence_form(**changes), "files": [evidence_samples.upload("a.pdf", evidence_samples.pdf())]},
    )

    assert response.status_code == 400
    assert message in str(response.context["upload_form"].errors[field])
    assert evidence_store.files() == []


def test_the_evidence_page_form_returns_to_the_evidence_page(
    evidence_client, evidence_case, evidence_samples, evidence_form
):
    response = evidence_client.post(
        reverse("evidence_upload", args=[evidence_case.pk]),
        {**evidence_form(next="evidence"), "files": [evidence_samples.upload("a.pdf", evidence_samples.pdf())]},
    )
    assert response.status_code == 302 and response.url == reverse("evidence_list", args=[evidence_case.pk])
    assert "1 file added" in evidence_client.get(response.url).content.decode()
