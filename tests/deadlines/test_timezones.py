"""A date-only deadline ends at 23:59 in the office's time zone, whatever the offset or DST on that day."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import time_machine

from cases.deadlines.services.deadlines import end_of_day
from cases.models import Deadline, DeadlineKind

NOW = datetime(2025, 1, 10, 3, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_an_office_in_bangkok_gets_its_deadline_at_23_59_bangkok_time(make_case, make_rule, office_a):
    office_a.timezone = "Asia/Bangkok"
    office_a.save(update_fields=["timezone"])
    make_rule(months=2)

    case = make_case(work_ended_on=date(2025, 1, 5))

    deadline = Deadline.objects.get(case=case, kind=DeadlineKind.LIMITATION)
    assert deadline.timezone == "Asia/Bangkok"
    assert deadline.due_at == datetime(2025, 3, 5, 16, 59, tzinfo=UTC)
    assert deadline.due_at.astimezone(ZoneInfo("Asia/Bangkok")).time().isoformat() == "23:59:00"


@time_machine.travel(NOW, tick=False)
def test_in_madrid_the_deadline_stays_at_23_59_local_across_the_change_to_summer_time(
    make_case, make_rule, office_a, update
):
    office_a.timezone = "Europe/Madrid"
    office_a.save(update_fields=["timezone"])
    make_rule(days=30)
    case = make_case(work_ended_on=date(2025, 2, 27))  # due 29 March 2025, winter time (UTC+1)
    before = Deadline.objects.get(case=case, kind=DeadlineKind.LIMITATION).due_at
    assert before == datetime(2025, 3, 29, 22, 59, tzinfo=UTC)

    update(case, work_ended_on=date(2025, 3, 1))  # due 31 March 2025, after the 30 March change (UTC+2)

    after = Deadline.objects.get(case=case, kind=DeadlineKind.LIMITATION).due_at
    assert after == datetime(2025, 3, 31, 21, 59, tzinfo=UTC)
    assert after.astimezone(ZoneInfo("Europe/Madrid")).time().isoformat() == "23:59:00"


def test_end_of_day_on_the_day_summer_time_ends_is_still_23_59():
    due = end_of_day(date(2025, 10, 26), "Europe/Madrid")

    assert due == datetime(2025, 10, 26, 22, 59, tzinfo=UTC)


def test_an_unknown_office_time_zone_falls_back_to_utc():
    assert end_of_day(date(2025, 1, 1), "Mars/Olympus") == datetime(2025, 1, 1, 23, 59, tzinfo=UTC)
