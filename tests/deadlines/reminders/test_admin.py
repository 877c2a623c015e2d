"""The reminder and notification admins list status, attempts and the last error, read-only, for the cases the user
may see."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases.deadlines.reminders.sweep import send_due_reminders
from cases.deadlines.services.notifications import notification_settings_save
from cases.deadlines.views.reminders import reminders_section_context
from cases.models import ReminderStatus, StaffReminderKind
from tests.factories import CaseFactory

from .conftest import make_reminder

pytestmark = pytest.mark.django_db


def staff(user, *codenames):
    user.is_staff = True
    user.save()
    for codename in codenames or ("view_reminder",):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_staff_see_a_failed_reminder_and_its_error_only_for_cases_they_may_see(
    client, case, office_b, coordinator_a, coordinator_b, settings
):
    settings.REMINDER_EMAIL_BACKEND = "tests.deadlines.reminders.test_sweep_retries.RefusingBackend"
    make_reminder(case)
    other = CaseFactory(office=office_b, actor=coordinator_b)
    make_reminder(other)
    send_due_reminders()

    client.force_login(staff(coordinator_a))
    page = client.get(reverse("admin:cases_reminder_changelist")).content.decode()

    assert "invalid number" in page
    assert case.reference in page
    assert other.reference not in page


def test_the_reminder_admin_is_read_only(client, case, coordinator_a):
    reminder = make_reminder(case)
    client.force_login(staff(coordinator_a))

    assert client.get(reverse("admin:cases_reminder_add")).status_code == 403
    page = client.get(reverse("admin:cases_reminder_change", args=[reminder.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_the_notification_admin_lists_the_inbox_rows_of_visible_cases_read_only(
    client, case, office_b, coordinator_a, coordinator_b
):
    make_reminder(case)
    other = CaseFactory(office=office_b, actor=coordinator_b)
    make_reminder(other)
    send_due_reminders()
    client.force_login(staff(coordinator_a, "view_notification"))

    page = client.get(reverse("admin:cases_notification_changelist")).content.decode()

    assert case.reference in page
    assert other.reference not in page
    assert client.get(reverse("admin:cases_notification_add")).status_code == 403


def test_the_case_page_helper_lists_failed_and_pending_reminders(rf, case, coordinator_a, settings):
    settings.REMINDER_EMAIL_BACKEND = "tests.deadlines.reminders.test_sweep_retries.RefusingBackend"
    failed = make_reminder(case)
    send_due_reminders()
    notification_settings_save(
        actor=coordinator_a, by_email={StaffReminderKind.DEADLINE: False}, language="en"
    )  # the next email is cancelled when it falls due
    make_reminder(case)
    send_due_reminders()

    context = reminders_section_context(rf.get("/"), case)

    assert context["failed_reminders"] == [failed]
    failed.refresh_from_db()
    assert failed.status == ReminderStatus.FAILED
    # What is still waiting: the later emails of both hearings (7, 2, 1 days before and on the day); the in-app
    # twins are not listed.
    assert len(context["pending_reminders"]) == 8
    assert {row.status for row in context["pending_reminders"]} == {ReminderStatus.PENDING}
    assert case.reminders.filter(status=ReminderStatus.CANCELLED).count() == 1
