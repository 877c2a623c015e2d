"""The deadlines section of the case page and the home page's deadlines this week."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.deadlines import deadline_add
from cases.models import CaseEvent, Deadline, DeadlineKind, EventKind
from cases.stages import Stage

NOW = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _add(client, case, **data):
    return client.post(reverse("deadline_add", args=[case.pk]), {"kind": "hearing", "note": "", **data})


def test_a_deadline_entered_by_hand_is_saved_in_the_office_time_and_listed(client, make_case, paralegal_a, office_a):
    office_a.timezone = "Asia/Bangkok"
    office_a.save(update_fields=["timezone"])
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)

    response = _add(client, case, date="2025-01-20", time="10:00", note="Room 4")

    assert response.status_code == 302
    deadline = Deadline.objects.get(case=case)
    assert deadline.due_at == datetime(2025, 1, 20, 3, 0, tzinfo=UTC)
    assert deadline.entered_by == paralegal_a
    assert (
        CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_ADDED)
        .get()
        .payload["due"]
        .startswith("2025-01-20T10:00:00+07:00")
    )
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "2025-01-20 10:00" in page and "Entered by hand by" in page


@pytest.mark.parametrize(
    "data", [{"date": ""}, {"date": "not a date"}, {"date": "2024-12-31"}, {"date": "2025-01-20", "kind": "party"}]
)
def test_bad_input_answers_400_with_the_field_error_and_saves_nothing(client, make_case, paralegal_a, data):
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)

    response = _add(client, case, **data)

    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert not Deadline.objects.exists()


def test_another_offices_case_is_404(client, make_case, paralegal_b, paralegal_a):
    case = make_case(Stage.REDRESS)
    deadline = deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=NOW + timedelta(days=3))
    client.force_login(paralegal_b)

    assert _add(client, case, date="2025-01-20").status_code == 404
    url = reverse("deadline_status", args=[case.pk, deadline.pk])
    assert client.post(url, {"status": "met"}).status_code == 404
    assert Deadline.objects.get().status == "open"


def test_marking_met_and_an_overdue_deadline_shown_in_red(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    met = deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=NOW + timedelta(days=3))
    deadline_add(actor=paralegal_a, case_id=case.pk, kind="filing_due", due_at=NOW + timedelta(hours=1))
    client.force_login(paralegal_a)

    assert client.post(reverse("deadline_status", args=[case.pk, met.pk]), {"status": "met"}).status_code == 302
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        page = client.get(reverse("case_detail", args=[case.pk])).content.decode()

    assert Deadline.objects.get(pk=met.pk).status == "met"
    assert 'class="overdue"' in page and "Overdue" in page
    again = client.post(reverse("deadline_status", args=[case.pk, met.pk]), {"status": "cancelled"})
    assert again.status_code == 400


def test_the_case_page_costs_the_same_queries_with_2_or_10_deadlines(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)
    url = reverse("case_detail", args=[case.pk])
    for day in range(2):
        deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=NOW + timedelta(days=day + 1))
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for day in range(8):
        deadline_add(actor=paralegal_a, case_id=case.pk, kind="follow_up", due_at=NOW + timedelta(days=day + 3))
    with CaptureQueriesContext(connection) as ten:
        client.get(url)

    assert len(two) == len(ten)


def test_the_home_page_shows_this_weeks_deadlines_of_visible_cases_with_overdue_in_red(
    client, make_case, paralegal_a, office_b
):
    mine = make_case(Stage.REDRESS)
    hidden = make_case(Stage.REDRESS, office=office_b)
    soon = deadline_add(actor=paralegal_a, case_id=mine.pk, kind=DeadlineKind.HEARING, due_at=NOW + timedelta(days=2))
    deadline_add(actor=paralegal_a, case_id=mine.pk, kind=DeadlineKind.FOLLOW_UP, due_at=NOW + timedelta(hours=1))
    deadline_add(actor=paralegal_a, case_id=mine.pk, kind=DeadlineKind.FILING_DUE, due_at=NOW + timedelta(days=9))
    Deadline.objects.create(case=hidden, kind="hearing", due_at=NOW + timedelta(days=1), entered_by=paralegal_a)
    client.force_login(paralegal_a)

    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        response = client.get(reverse("home"))

    shown = response.context["deadlines"]
    assert [d.kind for d in shown] == ["follow_up", "hearing"]
    assert [d.is_overdue for d in shown] == [True, False]
    page = response.content.decode()
    assert f"#deadline-{soon.pk}" in page and '<li class="overdue">' in page
    assert hidden.reference not in page
