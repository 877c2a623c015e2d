"""The API speaks office time: ISO 8601 with the office's offset out; in, an offset is honoured and a naive time is
read in the case office's zone (a time the clocks skip is a 400 on ``due_at``)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Deadline
from paralegals.models import ApiToken

pytestmark = pytest.mark.django_db

WINTER = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def api(user) -> APIClient:
    _token, key = ApiToken.objects.issue(user=user, name="office time test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def post_deadline(client, case, due_at: str):
    return client.post(reverse("api-deadlines", args=[case.pk]), {"kind": "hearing", "due_at": due_at}, format="json")


@pytest.mark.parametrize(
    "typed",
    [
        "2026-12-15T09:30:00",  # naive: read in Bangkok
        "2026-12-15T09:30:00+07:00",
        "2026-12-15T02:30:00Z",
        "2026-12-15T10:30:00+08:00",
    ],
)
def test_a_deadline_round_trips_with_the_offices_offset(make_case, bangkok, paralegal_bangkok, typed):
    with time_machine.travel(WINTER, tick=False):
        case = make_case(office=bangkok)
        client = api(paralegal_bangkok)

        created = post_deadline(client, case, typed)
        listed = client.get(reverse("api-deadlines", args=[case.pk]))

    assert created.status_code == 201, created.json()
    assert created.json()["due_at"] == "2026-12-15T09:30:00+07:00"
    assert created.json()["timezone"] == "Asia/Bangkok"
    assert Deadline.objects.get(pk=created.json()["id"]).due_at == datetime(2026, 12, 15, 2, 30, tzinfo=UTC)
    assert [row["due_at"] for row in listed.json()["results"]] == ["2026-12-15T09:30:00+07:00"]
    assert listed.json()["results"][0]["created_at"].endswith("+07:00")


def test_a_reader_without_an_office_gets_the_case_and_its_deadlines_in_the_offices_offset(
    make_case, bangkok, paralegal_bangkok, global_coordinator
):
    with time_machine.travel(WINTER, tick=False):
        case = make_case(office=bangkok)
        assert post_deadline(api(paralegal_bangkok), case, "2026-12-15T09:30:00").status_code == 201
        reader = api(global_coordinator)

        deadlines = reader.get(reverse("api-deadlines", args=[case.pk])).json()["results"]
        detail = reader.get(reverse("api-case-detail", args=[case.pk])).json()

    assert deadlines[0]["due_at"] == "2026-12-15T09:30:00+07:00"
    assert detail["opened_at"] == "2026-12-07T10:00:00+07:00"
    assert detail["updated_at"].endswith("+07:00") and detail["closed_at"] is None


def test_other_datetimes_carry_the_offset_of_the_callers_office(
    make_case, bangkok, paralegal_bangkok, global_coordinator
):
    with time_machine.travel(WINTER, tick=False):
        case = make_case(office=bangkok)
    url = reverse("api-claimant-detail", args=[case.claimant_id])

    assert api(paralegal_bangkok).get(url).json()["created_at"] == "2026-12-07T10:00:00+07:00"
    assert api(global_coordinator).get(url).json()["created_at"] == "2026-12-07T03:00:00Z"


def test_a_naive_time_the_clocks_skip_in_madrid_is_a_400_on_due_at_and_nothing_is_saved(
    make_case, madrid, paralegal_madrid
):
    with time_machine.travel(datetime(2027, 3, 20, 12, 0, tzinfo=UTC), tick=False):
        case = make_case(office=madrid)

        response = post_deadline(api(paralegal_madrid), case, "2027-03-28T02:30:00")

    assert response.status_code == 400
    assert response.json() == {
        "due_at": [
            "02:30 does not exist on 2027-03-28 in Europe/Madrid: the clocks skip that hour. Choose another time."
        ]
    }
    assert not Deadline.objects.filter(case=case).exists()


def test_the_same_time_with_an_offset_is_a_moment_and_is_answered_in_summer_time(make_case, madrid, paralegal_madrid):
    # 02:30+01:00 is 01:30 UTC, which Madrid calls 03:30 (UTC+2) that night.
    with time_machine.travel(datetime(2027, 3, 20, 12, 0, tzinfo=UTC), tick=False):
        case = make_case(office=madrid)

        response = post_deadline(api(paralegal_madrid), case, "2027-03-28T02:30:00+01:00")

    assert response.status_code == 201
    assert response.json()["due_at"] == "2027-03-28T03:30:00+02:00"
    assert Deadline.objects.get(case=case).due_at == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_a_time_already_past_in_the_office_is_a_400(make_case, bangkok, paralegal_bangkok):
    with time_machine.travel(WINTER, tick=False):
        case = make_case(office=bangkok)

        response = post_deadline(api(paralegal_bangkok), case, "2026-12-07T09:00:00")  # 02:00 UTC, an hour ago

    assert response.status_code == 400
    assert not Deadline.objects.filter(case=case).exists()


def test_a_task_is_not_typed_as_a_deadline(make_case, bangkok, paralegal_bangkok):
    with time_machine.travel(WINTER, tick=False):
        case = make_case(office=bangkok)
        response = api(paralegal_bangkok).post(
            reverse("api-deadlines", args=[case.pk]), {"kind": "task", "due_at": "2026-12-15T09:30:00"}, format="json"
        )

    assert response.status_code == 400 and "kind" in response.json()
