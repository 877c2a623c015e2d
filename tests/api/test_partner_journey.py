"""Done when: a partner opens a case, uploads evidence, asks for a complaint PDF and downloads it — with a token only.

Every step is an HTTP request with ``Authorization: Bearer <key>``; no session, no fixture shortcut after the token
and the jurisdiction (reference data an administrator maintains). Celery runs eagerly; the render happens after the
request's commit, as in production.
"""

import pytest

from .conftest import PDF, token_client


@pytest.mark.django_db(transaction=True)
def test_a_partner_opens_a_case_uploads_evidence_and_downloads_a_complaint_with_only_a_token(paralegal_a, jurisdiction):
    api = token_client(paralegal_a, "Partner intake form")

    opened = api.post(
        "/api/v1/cases/",
        {
            "claimant": {"full_name": "Aigul Tokonova", "preferred_language": "ky", "nationality": "KG"},
            "channels": [{"kind": "whatsapp", "value": "+996 555 123 456", "consent": True, "safe_to_contact": True}],
            "consents": ["data_processing", "contact"],
            "consent_method": "verbal",
            "respondents": [{"name": "Sunrise Garments Sdn Bhd", "kind": "employer", "country": "MY"}],
            "country_of_work": "MY",
            "sector": "manufacturing",
            "summary": "Two months unpaid.",
        },
        format="json",
    )
    assert opened.status_code == 201, opened.json()
    case = opened.json()
    assert case["stage"] == "intake" and len(case["pin"]) >= 6
    assert opened["Cache-Control"] == "no-store"

    moved = api.post(
        f"/api/v1/cases/{case['id']}/advance/", {"to_stage": "evidence", "expected_version": case["version"]}
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["stage"] == "evidence"

    uploaded = api.post(
        f"/api/v1/cases/{case['id']}/evidence/",
        {
            "files": [_upload("payslip.pdf", PDF)],
            "kind": "payslip",
            "provided_by": "worker",
            "received_on": "2025-03-01",
        },
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.json()
    assert uploaded.json()[0]["content_type"] == "application/pdf"

    assert (
        api.put(
            f"/api/v1/cases/{case['id']}/calculation/settings/", {"jurisdiction": jurisdiction.pk, "currency": "MYR"}
        ).status_code
        == 200
    )
    period = api.post(
        f"/api/v1/cases/{case['id']}/calculation/periods/",
        {
            "start": "2025-01-01",
            "end": "2025-01-31",
            "days_worked": "26",
            "normal_hours": "195",
            "agreed_rate": "1200",
            "agreed_basis": "month",
            "amount_paid": "0",
        },
    )
    assert period.status_code == 201, period.json()
    calculated = api.post(f"/api/v1/cases/{case['id']}/calculations/")
    assert calculated.status_code == 201, calculated.json()

    requested = api.post(f"/api/v1/cases/{case['id']}/filings/", {"kind": "complaint", "language": "en"})
    assert requested.status_code == 202, requested.json()
    document = api.get(f"/api/v1/filings/{requested.json()['id']}/").json()
    assert document["status"] == "ready", document

    download = api.get(f"/api/v1/filings/{document['id']}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "no-store"
    assert download.content.startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")
