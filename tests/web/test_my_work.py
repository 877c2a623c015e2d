"""My work: the open deadlines and tasks a person answers for, overdue first, filtered by GET, in keyset pages, with
mark met / cancel (reason required) coming back to the same filtered page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from cases.core.services.cases import case_close
from cases.core.stages import Outcome, Stage
from cases.deadlines.my_work import (
    count_of,
    due_soon_count,
    first_ids,
    responsible_items,
    responsible_parts,
    soon_horizon,
)
from cases.deadlines.services.deadlines import deadline_add, deadline_set_status, task_add
from cases.models import CaseEvent, Deadline, DeadlineKind, EventKind
from tests.factories import UserFactory

NOW = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)  # a Wednesday, 11:00 in Kuala Lumpur
URL = reverse("my_work")
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _deadline(case, actor, kind="hearing", **when):
    return deadline_add(actor=actor, case_id=case.pk, kind=kind, due_at=NOW + timedelta(**when))


def _rows(response):
    return [row.pk for row in response.context["rows"]]


def _overdue(case, actor, kind="hearing", hours=5):
    """A deadline already past: entered while it was still ahead."""
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        return deadline_add(actor=actor, case_id=case.pk, kind=kind, due_at=NOW - timedelta(hours=hours))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_paralegal_sees_their_items_overdue_first_then_by_due_time(client, make_case, paralegal_a, coordinator_a):
    mine, unassigned = make_case(Stage.REDRESS), make_case(Stage.INTAKE)
    later = _deadline(mine, paralegal_a, days=20)
    soon = _deadline(mine, paralegal_a, "filing_due", days=2)
    late = _overdue(mine, paralegal_a)
    task = task_add(
        actor=coordinator_a,
        case_id=unassigned.pk,
        title="Call the worker",
        assignee=paralegal_a,
        due_at=NOW + timedelta(days=1),
    )
    not_mine = _deadline(unassigned, coordinator_a, days=1)  # an unassigned case: the coordinators' item
    theirs = task_add(
        actor=paralegal_a, case_id=mine.pk, title="Visit", assignee=coordinator_a, due_at=NOW + timedelta(days=1)
    )
    client.force_login(paralegal_a)

    response = client.get(URL)

    assert response.status_code == 200
    assert _rows(response) == [late.pk, task.pk, soon.pk, later.pk]
    assert not {not_mine.pk, theirs.pk} & set(_rows(response))
    page = response.content.decode()
    assert f'href="{reverse("case_detail", args=[mine.pk])}#deadline-{late.pk}"' in page
    assert "Call the worker" in page and "Overdue" in page and "Kuala Lumpur" not in page
    assert 'name="person"' not in page  # no one else's list for a paralegal


def test_a_paralegal_of_another_office_sees_nothing_of_office_a(client, make_case, paralegal_a, paralegal_b):
    case = make_case(Stage.REDRESS)
    _deadline(case, paralegal_a, days=1)
    _overdue(case, paralegal_a)
    client.force_login(paralegal_b)

    filtered = client.get(URL, {"person": paralegal_a.pk, "case": case.reference})
    everything = client.get(URL)

    assert filtered.context["rows"] == [] and everything.context["rows"] == []
    assert reverse("case_detail", args=[case.pk]) not in filtered.content.decode() + everything.content.decode()


def test_a_coordinator_sees_the_offices_unassigned_items_and_can_look_at_a_paralegals_list(
    client, make_case, paralegal_a, coordinator_a, office_b, paralegal_b
):
    assigned, unassigned = make_case(Stage.REDRESS), make_case(Stage.INTAKE)
    other_office = make_case(Stage.INTAKE, office=office_b)
    of_paralegal = _deadline(assigned, paralegal_a, days=3)
    waiting = _deadline(unassigned, coordinator_a, days=4)
    _deadline(other_office, paralegal_b, days=2)
    client.force_login(coordinator_a)

    own = client.get(URL)
    theirs = client.get(URL, {"person": paralegal_a.pk})
    stranger = client.get(URL, {"person": paralegal_b.pk})

    assert _rows(own) == [waiting.pk]
    assert "not assigned (office coordinators)" in own.content.decode()
    assert _rows(theirs) == [of_paralegal.pk]
    assert paralegal_a.get_full_name() in theirs.content.decode()
    assert stranger.status_code == 400 and "person" in stranger.context["form"].errors  # not a person of the office


def test_filters_by_kind_when_and_case_reference(client, make_case, paralegal_a):
    first, second = make_case(Stage.REDRESS), make_case(Stage.REDRESS)
    late = _overdue(first, paralegal_a)
    this_week = _deadline(first, paralegal_a, "filing_due", days=6)
    later = _deadline(second, paralegal_a, days=9)
    task = task_add(
        actor=paralegal_a, case_id=second.pk, title="Call", assignee=paralegal_a, due_at=NOW + timedelta(days=1)
    )
    client.force_login(paralegal_a)

    def rows(**query):
        response = client.get(URL, query)
        assert response.status_code == 200
        return _rows(response)

    assert rows(when="overdue") == [late.pk]
    assert rows(when="week") == [task.pk, this_week.pk]
    assert rows(when="later") == [later.pk]
    assert rows(kind="task") == [task.pk]
    assert rows(kind="hearing", when="later") == [later.pk]
    # Typed the way people type it: lower case, without the dashes.
    assert rows(case=second.reference.lower().replace("-", "")) == [task.pk, later.pk]


def test_a_reference_that_cannot_be_one_is_a_field_error(client, paralegal_a):
    client.force_login(paralegal_a)

    response = client.get(URL, {"case": "ABCD"})

    assert response.status_code == 400
    assert "This is not a case reference" in response.content.decode()


def test_this_week_ends_with_the_seventh_day_in_the_persons_office_zone(client, make_case, paralegal_a, office_a):
    office_a.timezone = "Asia/Bangkok"
    office_a.save(update_fields=["timezone"])
    case = make_case(Stage.REDRESS)
    # Today is 1 January in Bangkok (10:00); the week runs to the end of 8 January there, 17:00 UTC.
    assert soon_horizon(NOW, "Asia/Bangkok") == datetime(2025, 1, 8, 17, 0, tzinfo=UTC)
    inside = deadline_add(
        actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=datetime(2025, 1, 8, 16, 59, tzinfo=UTC)
    )
    outside = deadline_add(
        actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=datetime(2025, 1, 8, 17, 0, tzinfo=UTC)
    )
    client.force_login(paralegal_a)

    assert _rows(client.get(URL, {"when": "week"})) == [inside.pk]
    assert _rows(client.get(URL, {"when": "later"})) == [outside.pk]
    assert due_soon_count(paralegal_a, NOW) == 1


def test_due_soon_counts_overdue_and_this_week_in_one_query(make_case, paralegal_a, django_assert_num_queries):
    case = make_case(Stage.REDRESS)
    _overdue(case, paralegal_a)
    _deadline(case, paralegal_a, days=2)
    _deadline(case, paralegal_a, days=30)

    with django_assert_num_queries(1):  # the count (the zone given)
        assert due_soon_count(paralegal_a, NOW, "Asia/Kuala_Lumpur") == 2


def _many(case, actor, count):
    Deadline.objects.bulk_create(
        # bulk_create skips Deadline.save(): copy the case's office and paralegal as it would.
        Deadline(
            case=case,
            office_id=case.office_id,
            assignee_id=case.assigned_to_id,
            kind=DeadlineKind.FOLLOW_UP,
            due_at=NOW + timedelta(hours=hour + 1),
            entered_by=actor,
        )
        for hour in range(count)
    )


def test_keyset_pages_of_fifty_with_a_next_page_link_and_no_overlap(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    _many(case, paralegal_a, 60)
    # Two items at the very same moment: the id breaks the tie across the page boundary.
    Deadline.objects.filter(
        pk__in=list(Deadline.objects.order_by("due_at", "id").values_list("pk", flat=True)[49:51])
    ).update(due_at=NOW + timedelta(days=3))
    client.force_login(paralegal_a)

    first = client.get(URL, {"kind": "follow_up"})
    assert len(first.context["rows"]) == 50
    next_query = first.context["next_query"]
    assert "kind=follow_up" in next_query and "after=" in next_query
    assert f'href="{URL}?{next_query.replace("&", "&amp;")}"' in first.content.decode()
    second = client.get(f"{URL}?{next_query}")

    expected = list(Deadline.objects.order_by("due_at", "id").values_list("pk", flat=True))
    assert _rows(first) + _rows(second) == expected
    assert second.context["next_query"] is None and second.context["first_query"] == "kind=follow_up"


def test_a_broken_page_link_starts_from_the_first_page(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    _many(case, paralegal_a, 2)
    client.force_login(paralegal_a)

    assert len(client.get(URL, {"after": "not-a-cursor_x"}).context["rows"]) == 2


@pytest.mark.parametrize(("who", "queries"), [("paralegal_a", 5), ("coordinator_a", 6)])
def test_the_page_costs_the_same_queries_with_one_row_or_sixty(
    client, make_case, request, who, queries, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    case = make_case(Stage.REDRESS if who == "paralegal_a" else Stage.INTAKE)
    client.force_login(user)
    _many(case, user, 1)
    # session, user with their office (its zone), the page's ids (one UNION ALL), the items with their cases and
    # people, the header's counts (+ for a coordinator: the people of the office, for the paralegal filter)
    with django_assert_num_queries(queries):
        assert len(client.get(URL).context["rows"]) == 1
    _many(case, user, 59)
    with django_assert_num_queries(queries):
        assert len(client.get(URL).context["rows"]) == 50


def test_mark_met_from_my_work_comes_back_to_the_same_filtered_page(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    hearing = _deadline(case, paralegal_a, days=2)
    client.force_login(paralegal_a)
    back = f"{URL}?when=week&kind=hearing"

    response = client.post(reverse("my_work_status", args=[hearing.pk]), {"status": "met", "next": back})

    assert response.status_code == 302 and response.url == back
    assert Deadline.objects.get(pk=hearing.pk).status == "met"
    assert "Deadline marked met." in client.get(back).content.decode()


def test_cancel_from_my_work_needs_a_reason(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    hearing = _deadline(case, paralegal_a, days=2)
    client.force_login(paralegal_a)
    back = f"{URL}?when=week"
    url = reverse("my_work_status", args=[hearing.pk])

    refused = client.post(url, {"status": "cancelled", "reason": "", "next": back})

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Say why it is cancelled." in page and '<details class="cancel-deadline" open>' in page
    assert refused.context["form"].data.get("when") == "week"  # the filters are kept on the re-rendered page
    assert Deadline.objects.get(pk=hearing.pk).status == "open"

    done = client.post(url, {"status": "cancelled", "reason": "The hearing was vacated.", "next": back})

    assert done.status_code == 302 and done.url == back
    hearing.refresh_from_db()
    assert (hearing.status, hearing.status_reason, hearing.closed_by) == (
        "cancelled",
        "The hearing was vacated.",
        paralegal_a,
    )
    assert CaseEvent.objects.filter(
        case=case, kind=EventKind.DEADLINE_CHANGED, reason="The hearing was vacated."
    ).exists()


@pytest.mark.parametrize("target", ["https://evil.example/my-work/", "//evil.example/", "/cases/", ""])
def test_an_unsafe_or_foreign_next_goes_back_to_my_work(client, make_case, paralegal_a, target):
    case = make_case(Stage.REDRESS)
    hearing = _deadline(case, paralegal_a, days=2)
    client.force_login(paralegal_a)

    response = client.post(reverse("my_work_status", args=[hearing.pk]), {"status": "met", "next": target})

    assert response.status_code == 302 and response.url == URL


def test_another_offices_item_is_404_and_untouched(client, make_case, paralegal_a, paralegal_b):
    case = make_case(Stage.REDRESS)
    hearing = _deadline(case, paralegal_a, days=2)
    client.force_login(paralegal_b)

    response = client.post(reverse("my_work_status", args=[hearing.pk]), {"status": "met", "next": URL})

    assert response.status_code == 404
    assert Deadline.objects.get(pk=hearing.pk).status == "open"


def test_a_closed_case_or_an_inactive_assignee_drops_out(client, make_case, paralegal_a, administrator):
    case = make_case(Stage.REDRESS)
    _deadline(case, paralegal_a, days=2)
    case_close(actor=administrator, case_id=case.pk, outcome=Outcome.NOTHING, reason="Worker left.")
    client.force_login(paralegal_a)

    assert client.get(URL).context["rows"] == []
    assert "Nothing to do here" in client.get(URL).content.decode()


def test_a_task_for_a_colleague_moves_with_the_assignee(client, make_case, paralegal_a, coordinator_a, office_a):
    case = make_case(Stage.REDRESS)
    colleague = UserFactory(office=office_a)
    task = task_add(
        actor=paralegal_a, case_id=case.pk, title="Collect payslips", assignee=colleague, due_at=NOW + timedelta(days=3)
    )
    client.force_login(colleague)

    assert _rows(client.get(URL)) == [task.pk]


def test_the_union_of_the_branches_is_exactly_responsible_items(
    make_case, paralegal_a, coordinator_a, global_coordinator, paralegal_b, office_b
):
    assigned, unassigned, elsewhere = (
        make_case(Stage.REDRESS),
        make_case(Stage.INTAKE),
        make_case(Stage.INTAKE, office=office_b),
    )
    _deadline(assigned, paralegal_a, days=1)
    _deadline(unassigned, coordinator_a, days=2)
    _deadline(elsewhere, paralegal_b, days=3)
    _overdue(assigned, paralegal_a)
    task_add(
        actor=coordinator_a, case_id=unassigned.pk, title="Call", assignee=paralegal_a, due_at=NOW + timedelta(days=4)
    )
    task_add(
        actor=paralegal_a, case_id=assigned.pk, title="Visit", assignee=coordinator_a, due_at=NOW + timedelta(days=5)
    )

    for user in (paralegal_a, coordinator_a, global_coordinator, paralegal_b):
        expected = list(responsible_items(user).order_by("due_at", "id").values_list("pk", flat=True))
        assert first_ids(responsible_parts(user), 100) == expected, user.username
        assert count_of(responsible_parts(user)) == len(expected)


def test_an_item_closed_meanwhile_says_so_on_the_list(client, make_case, paralegal_a, coordinator_a):
    case = make_case(Stage.REDRESS)
    hearing = _deadline(case, paralegal_a, days=2)
    client.force_login(paralegal_a)
    deadline_set_status(actor=coordinator_a, deadline_id=hearing.pk, status="met")  # someone else was quicker

    response = client.post(reverse("my_work_status", args=[hearing.pk]), {"status": "met", "next": URL}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "This deadline is already Met." in response.content.decode()
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_CHANGED).count() == 1
