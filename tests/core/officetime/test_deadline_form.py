"""The case page's deadline form reads the date and time in the case office's zone, through the real form and view.

A 09:30 hearing typed for the Bangkok office is 02:30 UTC and reads 09:30 again; Madrid's offset follows daylight
saving (UTC+1 in winter, UTC+2 in summer); a time the clocks skip, or one already past, is a field error in the
user's language and nothing is saved.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cases.models import CaseEvent, Deadline, EventKind

pytestmark = pytest.mark.django_db

WINTER = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
DST_GAP_MESSAGE = "%(time)s does not exist on %(date)s in %(zone)s: the clocks skip that hour. Choose another time."


def add(client, case, **data):
    return client.post(reverse("deadline_add", args=[case.pk]), {"kind": "hearing", "note": "", **data})


def page_of(client, case) -> str:
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def deadline_row(page: str, deadline: Deadline) -> str:
    """The markup of the deadline's own row (or list item) on the case page."""
    start = page.index(f'id="deadline-{deadline.pk}"')
    ends = [end for end in (page.find("</tr>", start), page.find("</li>", start)) if end != -1]
    return page[start : min(ends)]


def test_a_0930_hearing_typed_for_bangkok_is_stored_0230_utc_and_shown_0930(
    client, make_case, bangkok, paralegal_bangkok
):
    with time_machine.travel(WINTER, tick=False):
        case = make_case(office=bangkok)
        client.force_login(paralegal_bangkok)

        response = add(client, case, date="2026-12-15", time="09:30")

        assert response.status_code == 302
        deadline = Deadline.objects.get(case=case)
        assert deadline.due_at == datetime(2026, 12, 15, 2, 30, tzinfo=UTC)
        assert deadline.timezone == "Asia/Bangkok"
        page = page_of(client, case)
    assert "09:30" in deadline_row(page, deadline)
    assert "Times in Asia/Bangkok, UTC+7." in page


def test_someone_without_an_office_sees_the_bangkok_hearing_at_0930_and_is_told_the_zones(
    client, make_case, bangkok, paralegal_bangkok, global_coordinator
):
    with time_machine.travel(WINTER, tick=False):
        case = make_case(office=bangkok)
        client.force_login(paralegal_bangkok)
        assert add(client, case, date="2026-12-15", time="09:30").status_code == 302
        client.force_login(global_coordinator)

        page = page_of(client, case)

    assert "09:30" in deadline_row(page, Deadline.objects.get(case=case))
    assert "Times in UTC." in page
    assert "This case's office works in Asia/Bangkok, UTC+7" in page


@pytest.mark.parametrize(
    ("now", "day", "stored", "label"),
    [
        # Winter: 10:00 in Madrid is 09:00 UTC.
        (datetime(2027, 3, 20, 12, 0, tzinfo=UTC), "2027-03-25", datetime(2027, 3, 25, 9, 0, tzinfo=UTC), "UTC+1"),
        # Typed in winter for a day after the clocks go forward: that day's offset counts, not today's.
        (datetime(2027, 3, 20, 12, 0, tzinfo=UTC), "2027-04-02", datetime(2027, 4, 2, 8, 0, tzinfo=UTC), "UTC+1"),
        # Summer: 10:00 in Madrid is 08:00 UTC, and the page says UTC+2.
        (datetime(2027, 3, 29, 12, 0, tzinfo=UTC), "2027-04-02", datetime(2027, 4, 2, 8, 0, tzinfo=UTC), "UTC+2"),
    ],
)
def test_madrid_deadlines_follow_daylight_saving(client, make_case, madrid, paralegal_madrid, now, day, stored, label):
    with time_machine.travel(now, tick=False):
        case = make_case(office=madrid)
        client.force_login(paralegal_madrid)

        assert add(client, case, date=day, time="10:00").status_code == 302

        deadline = Deadline.objects.get(case=case)
        assert deadline.due_at == stored
        page = page_of(client, case)
    assert "10:00" in deadline_row(page, deadline)
    assert f"Times in Europe/Madrid, {label}." in page


def test_a_time_the_clocks_skip_is_a_field_error_in_the_users_language_and_nothing_is_saved(
    client, make_case, madrid, paralegal_madrid
):
    with time_machine.travel(datetime(2027, 3, 20, 12, 0, tzinfo=UTC), tick=False):
        case = make_case(office=madrid)
        client.force_login(paralegal_madrid)
        client.post(reverse("set_language"), {"language": "es", "next": "/"})  # the header's switcher
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
        events_before = CaseEvent.objects.filter(case=case).count()

        response = add(client, case, date="2027-03-28", time="02:30", note="Vista oral")

    assert response.status_code == 400
    page = response.content.decode()
    assert 'lang="es"' in page and case.reference in page  # the case page again, in Spanish
    with translation.override("es"):
        message = gettext(DST_GAP_MESSAGE) % {"time": "02:30", "date": "2027-03-28", "zone": "Europe/Madrid"}
    assert response.context["deadlines"]["form"].errors["time"] == [message]
    assert message.replace("'", "&#x27;") in page
    assert 'value="2027-03-28"' in page and "Vista oral" in page  # what was typed is kept
    assert not Deadline.objects.filter(case=case).exists()
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_a_time_already_past_in_the_office_is_refused_and_nothing_is_saved(
    client, make_case, bangkok, paralegal_bangkok
):
    # 09:00 in Bangkok on 7 December 2026 is 02:00 UTC: an hour before "now".
    with time_machine.travel(WINTER, tick=False):
        case = make_case(office=bangkok)
        client.force_login(paralegal_bangkok)

        response = add(client, case, date="2026-12-07", time="09:00")

    assert response.status_code == 400
    errors = response.context["deadlines"]["form"].errors["date"]
    assert errors == ["This date and time has already passed (in Asia/Bangkok, UTC+7)."]
    assert not Deadline.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_ADDED).exists()


def test_the_same_wall_clock_time_later_that_day_in_bangkok_is_accepted(client, make_case, bangkok, paralegal_bangkok):
    # 11:00 in Bangkok on 7 December is 04:00 UTC, an hour after "now" — though 11:00 UTC would also be future,
    # 09:30 would not: the check is made in the office's zone.
    with time_machine.travel(WINTER, tick=False):
        case = make_case(office=bangkok)
        client.force_login(paralegal_bangkok)

        assert add(client, case, date="2026-12-07", time="11:00").status_code == 302

    assert Deadline.objects.get(case=case).due_at == datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
