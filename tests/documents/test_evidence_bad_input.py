"""The bad input of issue 5, through the upload page: each refused with a clear message, 400, nothing stored."""

import pytest
from django.urls import reverse

from cases.models import CaseEvent, EventKind
from documents import validation
from documents.models import EvidenceFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("evidence_store")]


def post(client, case, data, files):
    return client.post(reverse("evidence_upload", args=[case.pk]), {**data, "files": files})


def assert_refused(response, message: str, store) -> None:
    page = response.content.decode()
    assert response.status_code == 400
    (error,) = response.context["upload_form"].errors["files"]
    assert message in error
    assert 'class="errorlist"' in page and 'enctype="multipart/form-data"' in page
    private_root = store.path.parent
    assert store.files() == []
    assert not private_root.exists() or not any(path.is_file() for path in private_root.rglob("*"))
    assert not EvidenceFile.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.EVIDENCE_ADDED).exists()


BAD_FILES = {
    "empty file": ("payslip.pdf", lambda s: b"", "is empty"),
    "a program renamed .pdf": (
        "payslip.pdf",
        lambda s: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00",
        "not a file type",
    ),
    "a GIF renamed .pdf": ("payslip.pdf", lambda s: b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "not a file type"),
    "HTML disguised as .png": ("photo.png", lambda s: b"<html><script>alert(document.cookie)</script>", "web page"),
    "SVG disguised as .jpg": (
        "photo.jpg",
        lambda s: b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
        "web page",
    ),
    "a 20000 x 20000 PNG": ("scan.png", lambda s: s.png_declaring(20_000, 20_000), "too large an image"),
    "a zip bomb DOCX": ("contract.docx", lambda s: s.zip_bomb_docx(), "zip bomb"),
    "a NUL byte in a text file": ("hours.txt", lambda s: b"date,hours\n2025-01-01,\x0012\n", "not a file type"),
    "a damaged JPEG": ("photo.jpg", lambda s: s.image("JPEG", size=(300, 300))[:400], "damaged"),
}


@pytest.mark.parametrize("case_name", BAD_FILES)
def test_each_bad_file_is_refused_with_a_clear_message_and_nothing_is_stored(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store, case_name
):
    name, build, message = BAD_FILES[case_name]

    response = post(
        evidence_client, evidence_case, evidence_form(), [evidence_samples.upload(name, build(evidence_samples))]
    )

    assert_refused(response, message, evidence_store)


def test_a_bad_file_among_good_ones_refuses_them_all(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store
):
    files = [
        evidence_samples.upload("contract.pdf", evidence_samples.pdf()),
        evidence_samples.upload("photo.jpg", evidence_samples.jpeg_with_gps()),
        evidence_samples.upload("scan.png", evidence_samples.png_declaring(20_000, 20_000)),
    ]

    assert_refused(
        post(evidence_client, evidence_case, evidence_form(), files), "“scan.png” is too large", evidence_store
    )


def test_too_many_files_in_one_request_are_refused(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store
):
    files = [evidence_samples.upload(f"page{i}.pdf", evidence_samples.pdf()) for i in range(validation.MAX_FILES + 1)]

    assert_refused(
        post(evidence_client, evidence_case, evidence_form(), files), "You sent 11 files; at most 10", evidence_store
    )


def test_too_many_bytes_in_one_request_are_refused_while_the_request_is_read(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store
):
    # Four files of 16 MB: each under the 20 MB cap, 64 MB together over the 60 MB one.
    chunk = evidence_samples.pdf() + b"\n%" + b"x" * (16 * 1024 * 1024)
    files = [evidence_samples.upload(f"scan{i}.pdf", chunk) for i in range(4)]

    assert_refused(post(evidence_client, evidence_case, evidence_form(), files), "Together these files", evidence_store)


def test_a_file_over_the_size_cap_is_refused(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store
):
    big = evidence_samples.pdf() + b"%" + b"x" * validation.MAX_FILE_BYTES

    response = post(evidence_client, evidence_case, evidence_form(), [evidence_samples.upload("scan.pdf", big)])

    assert_refused(response, "“scan.pdf” is larger than 20.0\xa0MB", evidence_store)


def test_the_byte_limit_holds_when_the_files_fit_the_body_but_not_the_cap(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store, monkeypatch
):
    monkeypatch.setattr(validation, "MAX_REQUEST_BYTES", 600)
    files = [evidence_samples.upload(f"p{i}.pdf", evidence_samples.pdf() + b"%" * 200) for i in range(3)]

    assert_refused(post(evidence_client, evidence_case, evidence_form(), files), "Together these files", evidence_store)


def test_no_file_at_all_is_a_field_error(evidence_client, evidence_case, evidence_form, evidence_store):
    response = evidence_client.post(reverse("evidence_upload", args=[evidence_case.pk]), evidence_form())
    assert_refused(response, "Choose at least one file", evidence_store)


@pytest.mark.parametrize(
    ("raw_name", "shown"),
    [
        (b"../../../etc/passwd.pdf", "passwd.pdf"),
        (b"..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        (b"pay\x00slip.pdf", "payslip.pdf"),
        ("invoice\u202egpj.pdf".encode(), "invoicegpj.pdf"),
        ("..／..／secret.pdf".encode(), "secret.pdf"),
    ],
)
def test_hostile_file_names_are_made_safe_and_never_reach_the_disk(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store, evidence_raw_post, raw_name, shown
):
    url = reverse("evidence_upload", args=[evidence_case.pk])

    response = evidence_raw_post(evidence_client, url, evidence_form(), [(raw_name, evidence_samples.pdf())])

    assert response.status_code == 302
    row = EvidenceFile.objects.get()
    assert row.display_name == shown
    # Everything written is inside the evidence directory, under the random name.
    assert [path.relative_to(evidence_store.path).as_posix() for path in evidence_store.files()] == [row.storage_name]
    assert shown.removesuffix(".pdf") not in row.storage_name


def test_a_service_refusal_never_becomes_a_server_error(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store
):
    # Passes the form's quick checks (it starts like a PNG) and fails only when Pillow reads it.
    junk = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

    response = post(evidence_client, evidence_case, evidence_form(), [evidence_samples.upload("x.png", junk)])

    assert_refused(response, "damaged", evidence_store)


def test_hundreds_of_files_are_refused_by_django_before_the_form_sees_them(
    evidence_client, evidence_case, evidence_samples, evidence_form, evidence_store
):
    files = [evidence_samples.upload(f"p{i}.pdf", evidence_samples.pdf()) for i in range(101)]

    response = post(evidence_client, evidence_case, evidence_form(), files)

    assert response.status_code == 400  # DATA_UPLOAD_MAX_NUMBER_FILES (100): Django's own 400, never a 500
    assert evidence_store.files() == [] and not EvidenceFile.objects.exists()
