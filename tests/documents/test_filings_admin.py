"""The filings admin: read-only, limited to the cases the user may see, searchable by reference or SHA-256."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases.core.stages import Stage
from documents import filings
from documents.models import Document, DocumentKind
from tests.factories import UserFactory


@pytest.fixture
def filing_documents(make_case, office_b, paralegal_a, paralegal_b, django_capture_on_commit_callbacks):
    """One receipt (pending) in each office."""
    with django_capture_on_commit_callbacks(execute=False):
        return [
            filings.document_request(
                actor=actor,
                case_id=make_case(Stage.INTAKE, **kwargs).pk,
                kind=DocumentKind.INTAKE_RECEIPT,
                language="en",
            )
            for actor, kwargs in ((paralegal_a, {}), (paralegal_b, {"office": office_b}))
        ]


def test_staff_see_only_their_offices_documents_and_cannot_change_them(client, office_a, filing_documents):
    staff = UserFactory(office=office_a, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(staff)

    response = client.get(reverse("admin:documents_document_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [filing_documents[0]]
    model_admin = admin.site._registry[Document]
    request = response.wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, filing_documents[0])
    assert not model_admin.has_delete_permission(request, filing_documents[0])
    assert client.get(reverse("admin:documents_document_change", args=[filing_documents[1].pk])).status_code == 302


def test_the_admin_finds_a_document_by_case_reference(client, superuser, filing_documents):
    client.force_login(superuser)
    reference = filing_documents[1].case.reference

    response = client.get(reverse("admin:documents_document_changelist"), {"q": reference})

    assert list(response.context["cl"].queryset) == [filing_documents[1]]
    assert client.get(reverse("admin:documents_document_change", args=[filing_documents[1].pk])).status_code == 200
