"""The admin's case and worker pages write access rows; the access log itself is read-only in the admin."""

import pytest
from django.urls import reverse

from cases.audit.models import AccessKind, Via
from cases.audit.services import record_access
from cases.models import AccessRecord
from claimants.models import Claimant

from .conftest import ADDRESS

pytestmark = pytest.mark.django_db


def test_opening_a_case_in_the_admin_writes_one_row(client, make_case, superuser, only_record):
    case = make_case()
    client.force_login(superuser)

    assert client.get(reverse("admin:cases_case_change", args=[case.pk]), REMOTE_ADDR=ADDRESS).status_code == 200

    record = only_record()
    assert (record.user, record.case, record.claimant_id) == (superuser, case, case.claimant_id)
    assert (record.what, record.via, record.address) == (AccessKind.ADMIN_CASE, Via.ADMIN, ADDRESS)


def test_opening_a_worker_in_the_admin_writes_a_row_per_case_of_theirs(client, make_case, office_b, superuser):
    first = make_case()
    second = make_case(claimant=Claimant.objects.get(pk=first.claimant_id), office=office_b)
    client.force_login(superuser)

    url = reverse("admin:claimants_claimant_change", args=[first.claimant_id])
    assert client.get(url, REMOTE_ADDR=ADDRESS).status_code == 200

    rows = AccessRecord.objects.all()
    assert {record.case_id for record in rows} == {first.pk, second.pk}
    assert {(r.what, r.via, r.claimant_id, r.address) for r in rows} == {
        (AccessKind.ADMIN_WORKER, Via.ADMIN, first.claimant_id, ADDRESS)
    }


def test_a_missing_case_in_the_admin_writes_nothing(client, superuser, db):
    client.force_login(superuser)
    assert client.get(reverse("admin:cases_case_change", args=[987654])).status_code == 302
    assert not AccessRecord.objects.exists()


def test_the_access_log_in_the_admin_lists_rows_but_cannot_add_change_or_delete_them(client, make_case, superuser):
    case = make_case()
    record = record_access(user=superuser, address=ADDRESS, what=AccessKind.CASE_PAGE, via=Via.WEB, case=case)
    client.force_login(superuser)

    assert client.get(reverse("admin:cases_accessrecord_changelist"), {"what": "case_page"}).status_code == 200
    assert client.get(reverse("admin:cases_accessrecord_add")).status_code == 403
    assert client.get(reverse("admin:cases_accessrecord_delete", args=[record.pk])).status_code == 403
    change = reverse("admin:cases_accessrecord_change", args=[record.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"what": "case_api"}).status_code == 403
    assert AccessRecord.objects.get().what == AccessKind.CASE_PAGE
