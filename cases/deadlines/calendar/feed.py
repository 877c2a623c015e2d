"""A person's private iCalendar feed: the open and missed deadlines and tasks they answer for, for their calendar app.

A calendar app fetches the feed without signing in, from a secret address (``paralegals.models.CalendarFeed``), and
may sync it to a phone or a cloud service we do not control. So an event says only what the person needs to find
the case: the kind ("Hearing", "Task") and the case reference, with a link to the case page behind the sign-in.
Never the worker's name, never a task's free-text title (it may name people), never amounts.

Times are in the case office's zone with its ``VTIMEZONE`` (Google, Apple and Outlook show them in the reader's own
zone correctly, across DST changes); a limitation period or a departure that ends at 23:59 is an all-day event.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Alarm, Calendar, Event

from cases.core.office_time import office_zone
from cases.deadlines.models import Deadline, DeadlineKind, DeadlineStatus
from cases.deadlines.my_work import responsible_items

PRODID = "-//Redress//Calendar feed//EN"
CALENDAR_NAME = "Redress"
PAST_DAYS = 30
MAX_EVENTS = 2_000
EVENT_LENGTH = timedelta(minutes=30)
ALL_DAY_KINDS = (DeadlineKind.LIMITATION, DeadlineKind.DEPARTURE)
END_OF_DAY = time(23, 59)
# The alarm rings the morning before: at 09:00, the day before, in the office's zone.
ALARM_AT = time(9, 0)
REFRESH = timedelta(hours=1)
FEED_FIELDS = (
    "id",
    "kind",
    "status",
    "due_at",
    "updated_at",
    "case__id",
    "case__reference",
    "case__office__id",
    "case__office__timezone",
)


def feed_rows(user, now: datetime) -> list[Deadline]:
    """The feed's items: open and missed items ``user`` answers for, due from ``PAST_DAYS`` ago on (one query)."""
    return list(
        responsible_items(user)
        .filter(due_at__gte=now - timedelta(days=PAST_DAYS))
        .select_related("case__office")
        .only(*FEED_FIELDS)
        .order_by("due_at", "id")[:MAX_EVENTS]
    )


def feed_calendar(user, *, site_url: str, host: str, now: datetime | None = None) -> Calendar:
    """The feed of ``user`` as an ``icalendar.Calendar``; ``site_url`` is the absolute root ("https://host/")."""
    now = now or timezone.now()
    rows = feed_rows(user, now)
    calendar = Calendar.new(
        prodid=PRODID,
        version="2.0",
        name=CALENDAR_NAME,
        calscale="GREGORIAN",
        method="PUBLISH",
        refresh_interval=REFRESH,
        uid=f"calendar-feed-{user.pk}@{host}",
    )
    calendar.add("x-published-ttl", REFRESH)  # Outlook's name for REFRESH-INTERVAL
    with translation.override(user.language or settings.LANGUAGE_CODE):
        for row in rows:
            calendar.add_component(_event(row, site_url=site_url, host=host, now=now))
    if rows:
        # The zones' rules over the span of the events (not 1970-2038: a feed is fetched every hour).
        first = rows[0].due_at.date() - timedelta(days=2)
        last = rows[-1].due_at.date() + timedelta(days=2)
        calendar.add_missing_timezones(first_date=first, last_date=last)
        for zone in calendar.timezones:
            _onsets_in_the_old_offset(zone)
    return calendar


def _onsets_in_the_old_offset(zone) -> None:
    """Write each change of offset the way RFC 5545 (3.6.5) wants it: the local time *before* the change.

    icalendar 7.3 writes the first local time *after* a change that puts the clocks forward (03:00 for Madrid's
    02:00 -> 03:00), which, read with TZOFFSETFROM as the RFC says, places the change an hour late; a change that
    puts them back is already right. Calendar apps that trust the VTIMEZONE rather than their own zone database would
    misplace the night's first hour of summer time.
    """
    for observance in zone.subcomponents:
        forward = observance["TZOFFSETTO"].td - observance["TZOFFSETFROM"].td
        if forward <= timedelta(0):
            continue
        observance.DTSTART = observance.DTSTART - forward
        rdates = observance.pop("RDATE", None)
        if rdates is not None:
            dates = [entry.dt for group in (rdates if isinstance(rdates, list) else [rdates]) for entry in group.dts]
            observance.add("RDATE", [moment - forward for moment in dates])


def _event(row: Deadline, *, site_url: str, host: str, now: datetime) -> Event:
    zone = office_zone(row.case.office.timezone)
    local = row.due_at.astimezone(zone)
    summary = f"{row.get_kind_display()} · {row.case.reference}"
    if row.status == DeadlineStatus.MISSED:
        summary = f"{summary} ({row.get_status_display()})"
    link = site_url.rstrip("/") + reverse("case_detail", args=[row.case.pk]) + f"#deadline-{row.pk}"
    all_day = row.kind in ALL_DAY_KINDS and local.time().replace(second=0, microsecond=0) == END_OF_DAY
    start: date | datetime = local.date() if all_day else local
    event = Event.new(
        uid=f"deadline-{row.pk}@{host}",
        stamp=now.astimezone(UTC),
        last_modified=row.updated_at.astimezone(UTC),
        start=start,
        summary=summary,
        description=link,
        url=link,
    )
    if all_day:
        event.add("dtend", local.date() + timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a day-long reminder, not a day of meetings
        day_start = datetime.combine(local.date(), time.min, tzinfo=zone)
    else:
        event.add("duration", EVENT_LENGTH)
        day_start = local
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    morning_before = datetime.combine(local.date() - timedelta(days=1), ALARM_AT, tzinfo=zone)
    # Relative to the start, counted in real time (an hour can go missing overnight when the clocks change).
    alarm.add("trigger", -(day_start.astimezone(UTC) - morning_before.astimezone(UTC)))
    event.add_component(alarm)
    return event
