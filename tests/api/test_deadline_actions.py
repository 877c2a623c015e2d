"""Deadline actions through the API: cancelling needs a reason (400, nothing saved), reopening brings it back."""

from datetime import timedelta

from django.utils import timezone

from cases.core.stages import Stage
from cases.deadlines.services.deadlines import deadline_add
from cases.models import Deadline


def test_cancel_needs_a_reason_and_reopen_opens_it_again(make_case, paralegal_a, paralegal_b, api_for):
    case = make_case(Stage.REDRESS)
    hearing = deadline_add(
        actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=timezone.now() + timedelta(days=5)
    )
    api = api_for(paralegal_a)

    refused = api.post(f"/api/v1/deadlines/{hearing.pk}/status/", {"status": "cancelled"}, format="json")
    assert refused.status_code == 400
    assert Deadline.objects.get(pk=hearing.pk).status == "open"

    cancelled = api.post(
        f"/api/v1/deadlines/{hearing.pk}/status/", {"status": "cancelled", "reason": "Vacated."}, format="json"
    )
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["status_reason"]) == ("cancelled", "Vacated.")

    assert api_for(paralegal_b).post(f"/api/v1/deadlines/{hearing.pk}/reopen/", {}, format="json").status_code == 404
    reopened = api.post(f"/api/v1/deadlines/{hearing.pk}/reopen/", {"reason": "Not vacated."}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"


def test_a_task_cannot_be_entered_as_a_plain_deadline(make_case, paralegal_a, api_for):
    case = make_case(Stage.REDRESS)
    due = (timezone.now() + timedelta(days=5)).isoformat()

    response = api_for(paralegal_a).post(
        f"/api/v1/cases/{case.pk}/deadlines/", {"kind": "task", "due_at": due}, format="json"
    )

    assert response.status_code == 400
    assert not Deadline.objects.exists()
