"""The inbox: every staff reminder the sweep delivers is one notification, shown in the reader's language with the
email's subject, linked to the case; marked read one by one or all at once; nobody sees another person's."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from cases.deadlines.reminders.sweep import send_due_reminders
from cases.deadlines.services import notifications
from cases.deadlines.services.deadlines import task_add
from cases.deadlines.services.notifications import notification_settings_save, unread_count
from cases.models import DeadlineKind, Notification, Reminder, ReminderChannel, ReminderStatus
from tests.factories import UserFactory

from .conftest import make_reminder

pytestmark = pytest.mark.django_db


def inbox(client, **params):
    response = client.get(reverse("inbox"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_swept_reminder_appears_once_in_the_inbox_with_the_emails_subject_linked_to_the_case(
    client, case, coordinator_a, locmem_channels
):
    reminder = make_reminder(case)
    send_due_reminders()
    send_due_reminders()

    [notification] = Notification.objects.filter(user=coordinator_a)
    [email] = locmem_channels
    assert notification.reminder.channel == ReminderChannel.APP
    assert notification.case == case and notification.context == reminder.context
    client.force_login(coordinator_a)
    page = inbox(client)
    assert page.count(f'<a href="/cases/{case.pk}/">{email.subject}</a>') == 1
    assert email.subject == f"Case {case.reference}: Hearing in 14 days"
    assert "1 unread" in page
    assert unread_count(coordinator_a) == 1


def test_the_inbox_is_in_the_readers_language(client, case, coordinator_a):
    make_reminder(case)
    send_due_reminders()
    client.force_login(coordinator_a)
    client.cookies["django_language"] = "es"

    page = inbox(client)

    assert f"Caso {case.reference}: Audiencia" in page  # the kind from the Spanish catalog


def test_marking_one_read_without_opening_the_case(client, case, coordinator_a):
    make_reminder(case)
    make_reminder(case)
    send_due_reminders()
    first, second = Notification.objects.filter(user=coordinator_a).order_by("pk")
    client.force_login(coordinator_a)

    response = client.post(reverse("notification_read", args=[first.pk]), {"next": "/inbox/?show=unread"})

    assert response.status_code == 302 and response["Location"] == "/inbox/?show=unread"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert unread_count(coordinator_a) == 1
    page = inbox(client, show="unread")
    assert f'id="notification-{second.pk}"' in page and f'id="notification-{first.pk}"' not in page


def test_mark_all_read_leaves_what_arrived_after_the_page_was_shown(client, case, coordinator_a):
    with time_machine.travel(datetime(2026, 5, 4, 10, 0, tzinfo=UTC), tick=False):
        make_reminder(case)
        make_reminder(case)
        send_due_reminders()
        client.force_login(coordinator_a)
        page = inbox(client)
    assert 'name="until" value="2026-05-04T10:00:00+00:00"' in page
    with time_machine.travel(datetime(2026, 5, 4, 10, 5, tzinfo=UTC), tick=False):
        make_reminder(case)  # a reminder that falls due after the inbox was shown
        send_due_reminders()
        response = client.post(reverse("notifications_read_all"), {"until": "2026-05-04T10:00:00+00:00"})

    assert response.status_code == 302
    assert Notification.objects.filter(user=coordinator_a, read_at__isnull=False).count() == 2
    assert unread_count(coordinator_a) == 1


def test_another_persons_notification_is_not_found_and_stays_unread(client, case, coordinator_a, paralegal_a):
    make_reminder(case)
    send_due_reminders()
    [notification] = Notification.objects.filter(user=coordinator_a)
    client.force_login(paralegal_a)

    assert client.post(reverse("notification_read", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notifications_read_all")).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None
    assert f"notification-{notification.pk}" not in inbox(client)


def test_choosing_the_app_only_cancels_the_email_but_keeps_the_notification(case, coordinator_a, locmem_channels):
    reminder = make_reminder(case)
    notification_settings_save(actor=coordinator_a, by_email={"deadline": False}, language="en")

    assert send_due_reminders() == {"sent": 1, "cancelled": 1}

    assert locmem_channels == []
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.CANCELLED
    assert reminder.last_error == "the staff member chose to get this kind of reminder in the app only"
    assert Notification.objects.filter(user=coordinator_a, case=case).count() == 1


def test_staff_without_an_email_address_still_get_notifications(office_a, coordinator_a, locmem_channels):
    from tests.factories import CaseFactory

    coordinator_a.email = ""
    coordinator_a.save()
    case = CaseFactory(office=office_a, actor=coordinator_a)

    make_reminder(case, channel=ReminderChannel.APP)
    send_due_reminders()

    assert not Reminder.objects.filter(case=case, channel=ReminderChannel.EMAIL).exists()
    assert Notification.objects.filter(user=coordinator_a, case=case).count() == 1
    assert locmem_channels == []


def test_a_task_shows_its_title_to_its_assignee_in_the_inbox_only(client, case, office_a, coordinator_a):
    colleague = UserFactory(office=office_a)
    with time_machine.travel(datetime(2026, 5, 4, 8, 0, tzinfo=UTC), tick=False):
        task_add(
            actor=coordinator_a,
            case_id=case.pk,
            title="Collect the payslips from Maria",
            assignee=colleague,
            due_at=datetime(2026, 5, 5, 15, 0, tzinfo=UTC),
        )
    with time_machine.travel(datetime(2026, 5, 4, 9, 0, tzinfo=UTC), tick=False):
        send_due_reminders()

    client.force_login(colleague)
    page = inbox(client)
    assert f"Task on case {case.reference} is due tomorrow" in page
    assert "Task: Collect the payslips from Maria" in page
    email = Reminder.objects.get(channel=ReminderChannel.EMAIL, recipient_user=colleague, status="sent")
    assert email.context["kind"] == DeadlineKind.TASK and "title" not in email.context


def test_pages_go_back_in_time_without_overlap_and_cost_the_same_queries_whatever_their_size(
    client, case, coordinator_a, django_assert_num_queries, monkeypatch
):
    for _ in range(6):
        make_reminder(case)
    send_due_reminders()
    with time_machine.travel(datetime(2026, 5, 4, 8, 0, tzinfo=UTC), tick=False):
        task_add(
            actor=coordinator_a,
            case_id=case.pk,
            title="Call the worker back",
            assignee=coordinator_a,
            due_at=datetime(2026, 5, 5, 15, 0, tzinfo=UTC),
        )
    send_due_reminders()  # the task's "tomorrow" reminder (09:00 today), the newest
    client.force_login(coordinator_a)
    newest_first = list(
        Notification.objects.filter(user=coordinator_a).order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    assert len(newest_first) == 7

    for size in (2, 5):
        monkeypatch.setattr(notifications, "PAGE_SIZE", size)
        # session, user with their office, the page with its cases, which cases are visible, task titles, the
        # header's counts (the unread count among them)
        with django_assert_num_queries(6):
            response = client.get(reverse("inbox"))
        assert [item.notification.pk for item in response.context["items"]] == newest_first[:size]
        assert "Call the worker back" in response.content.decode()

    pages = [newest_first[:5]]
    while response.context["next_cursor"]:
        response = client.get(reverse("inbox"), {"after": response.context["next_cursor"]})
        pages.append([item.notification.pk for item in response.context["items"]])
    assert pages == [newest_first[:5], newest_first[5:]]


def test_a_broken_page_link_shows_the_newest_page_with_an_explanation(client, case, coordinator_a):
    make_reminder(case)
    send_due_reminders()
    client.force_login(coordinator_a)

    page = inbox(client, after="not-a-cursor")

    assert "This page link is not valid any more." in page
    assert f"Case {case.reference}: Hearing in 14 days" in page
