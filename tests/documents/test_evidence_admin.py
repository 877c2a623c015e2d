"""The evidence admin: read-only, scoped to the cases the user may see, found by case reference or SHA-256."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("evidence_store")]


def staff_with_view_permission(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(Permission.objects.get(codename="view_evidencefile"))
    return user


def test_evidence_is_listed_only_for_visible_cases(
    client, evidence_add, evidence_case, evidence_samples, paralegal_a, paralegal_b
):
    (row,) = evidence_add(evidence_case, ("a.pdf", evidence_samples.pdf()))
    url = reverse("admin:documents_evidencefile_changelist")

    client.force_login(staff_with_view_permission(paralegal_b))
    assert list(client.get(url).context["cl"].result_list) == []
    assert client.get(reverse("admin:documents_evidencefile_change", args=[row.pk])).status_code == 302

    client.force_login(staff_with_view_permission(paralegal_a))
    assert list(client.get(url).context["cl"].result_list) == [row]


def test_the_admin_cannot_add_change_or_delete_and_finds_a_file_by_hash(
    client, evidence_add, evidence_case, evidence_samples, superuser
):
    pdf, csv = evidence_add(evidence_case, ("a.pdf", evidence_samples.pdf()), ("b.csv", evidence_samples.csv()))
    client.force_login(superuser)

    assert client.get(reverse("admin:documents_evidencefile_add")).status_code == 403
    change = client.get(reverse("admin:documents_evidencefile_change", args=[pdf.pk]))
    assert change.status_code == 200 and not change.context["has_change_permission"]
    assert pdf.storage_name not in change.content.decode()
    assert client.post(reverse("admin:documents_evidencefile_delete", args=[pdf.pk])).status_code == 403

    found = client.get(reverse("admin:documents_evidencefile_changelist"), {"q": csv.sha256.upper()})
    assert list(found.context["cl"].result_list) == [csv]
    by_case = client.get(reverse("admin:documents_evidencefile_changelist"), {"q": evidence_case.reference})
    assert set(by_case.context["cl"].result_list) == {pdf, csv}
