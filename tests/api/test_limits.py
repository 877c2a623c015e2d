"""Oversized uploads are a 413 with nothing stored; too many requests a 429 with Retry-After; bad files a 400."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.throttling import SimpleRateThrottle

from cases.core.stages import Stage
from documents import validation
from documents.models import EvidenceFile

from .conftest import PDF

pytestmark = pytest.mark.django_db


def _form(*files):
    return {"files": list(files), "kind": "payslip", "provided_by": "worker", "received_on": "2025-03-01"}


def _pdf(name="p.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_more_files_than_allowed_are_a_413_and_nothing_is_stored(make_case, paralegal_a, api_for, monkeypatch):
    monkeypatch.setattr(validation, "MAX_FILES", 2)
    case = make_case(Stage.EVIDENCE)
    response = api_for(paralegal_a).post(
        f"/api/v1/cases/{case.pk}/evidence/", _form(_pdf("a.pdf"), _pdf("b.pdf"), _pdf("c.pdf")), format="multipart"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert not EvidenceFile.objects.exists()


def test_a_file_larger_than_the_limit_is_a_413(make_case, paralegal_a, api_for, monkeypatch, private_storage):
    monkeypatch.setattr(validation, "MAX_FILE_BYTES", 1000)
    case = make_case(Stage.EVIDENCE)
    response = api_for(paralegal_a).post(
        f"/api/v1/cases/{case.pk}/evidence/", _form(_pdf(content=PDF + b" " * 5000)), format="multipart"
    )
    assert response.status_code == 413
    assert not EvidenceFile.objects.exists()
    assert not list(private_storage.rglob("*.pdf"))


def test_a_file_that_is_not_what_it_claims_is_a_400_on_the_files_field(make_case, paralegal_a, api_for):
    case = make_case(Stage.EVIDENCE)
    response = api_for(paralegal_a).post(
        f"/api/v1/cases/{case.pk}/evidence/", _form(_pdf(content=b"MZ\x90\x00 not a pdf")), format="multipart"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["files"]


def test_evidence_for_a_closed_case_is_a_409(make_case, paralegal_a, api_for):
    case = make_case(Stage.CLOSED)
    response = api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/evidence/", _form(_pdf()), format="multipart")
    assert response.status_code == 409
    assert response.json()["current_stage"] == "closed"


def test_too_many_requests_are_a_429_with_retry_after(paralegal_a, api_for, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "user": "3/min"})
    api = api_for(paralegal_a)
    statuses = [api.get("/api/v1/jurisdictions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/jurisdictions/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"


def test_uploads_have_their_own_tighter_limit(make_case, paralegal_a, api_for, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "uploads": "1/min"})
    case = make_case(Stage.EVIDENCE)
    api = api_for(paralegal_a)
    assert api.post(f"/api/v1/cases/{case.pk}/evidence/", _form(_pdf()), format="multipart").status_code == 201
    assert api.post(f"/api/v1/cases/{case.pk}/evidence/", _form(_pdf()), format="multipart").status_code == 429
    assert api.get(f"/api/v1/cases/{case.pk}/evidence/").status_code == 200  # reading is not an upload
