"""The reminder admin lists status, attempts and the last error, read-only, for the cases the user may see."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases.models import ReminderStatus
from cases.reminders_sweep import reminders_context
from tests.factories import CaseFactory

from .conftest import make_reminder

pytestmark = pytest.mark.django_db


def staff(user):
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_reminder"))
    return user


def test_staff_see_a_failed_reminder_and_its_error_only_for_cases_they_may_see(
    client, case, office_b, coordinator_a, coordinator_b
):
    make_reminder(case, status=ReminderStatus.FAILED, attempts=5, last_error="attempt 5: provider answered 503")
    other = CaseFactory(office=office_b, actor=coordinator_b)
    make_reminder(other, last_error="other office's reminder")

    client.force_login(staff(coordinator_a))
    page = client.get(reverse("admin:cases_reminder_changelist")).content.decode()

    assert "provider answered 503" in page
    assert "other office" not in page


def test_the_reminder_admin_is_read_only(client, case, coordinator_a):
    reminder = make_reminder(case)
    client.force_login(staff(coordinator_a))

    assert client.get(reverse("admin:cases_reminder_add")).status_code == 403
    page = client.get(reverse("admin:cases_reminder_change", args=[reminder.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_the_case_page_helper_lists_failed_and_pending_reminders(rf, case, coordinator_a):
    failed = make_reminder(case, status=ReminderStatus.FAILED, last_error="gave up")
    pending = make_reminder(case)
    make_reminder(case, status=ReminderStatus.CANCELLED, last_error="not safe")

    context = reminders_context(rf.get("/"), case)

    assert context == {"failed_reminders": [failed], "pending_reminders": [pending]}
