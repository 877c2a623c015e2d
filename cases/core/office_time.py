"""Office time: every deadline is typed, stored and shown in the time zone of the case's office.

Pure helpers (no ORM): name a zone the way the forms say it ("Asia/Bangkok, UTC+7"), and turn a local date and
time typed in a form into an aware UTC datetime, refusing a time that does not exist in the zone (the hour skipped
when clocks go forward). A time that exists twice (the hour repeated when clocks go back) is read as the first one.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

UTC = ZoneInfo("UTC")


class NonexistentLocalTime(ValueError):
    """The local time falls in a daylight-saving gap: the clocks skip it."""


def office_zone(name: str) -> ZoneInfo:
    """The office's time zone; an unknown name falls back to UTC rather than breaking a business write."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def staff_zone_name(user) -> str:
    """The zone a member of staff works in: their office's (loaded with the user by the sign-in backend), else the
    site's (settings.TIME_ZONE) for someone without an office, such as a global coordinator."""
    office = user.office if getattr(user, "office_id", None) else None
    return office.timezone if office is not None else settings.TIME_ZONE


def utc_offset_label(offset: timedelta) -> str:
    """``UTC+7``, ``UTC-3``, ``UTC+5:45``, ``UTC`` for zero."""
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(name: str, at: datetime | None = None) -> str:
    """``Asia/Bangkok, UTC+7``: the zone's name and its offset at ``at`` (default: now), which DST can change.

    UTC itself is just ``UTC``."""
    zone = office_zone(name)
    if zone.key in ("UTC", "Etc/UTC"):
        return "UTC"
    moment = (at or timezone.now()).astimezone(zone)
    return f"{zone.key}, {utc_offset_label(moment.utcoffset() or timedelta(0))}"


def local_to_utc(day: date, at: time, zone_name: str) -> datetime:
    """The aware UTC datetime of ``day`` at ``at`` local time in ``zone_name``.

    Raises ``NonexistentLocalTime`` when that local time does not exist there (a DST gap); an ambiguous time (the
    repeated hour) is taken as its first occurrence.
    """
    zone = office_zone(zone_name)
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{day} {at} does not exist in {zone.key}")
    return utc


def localtime_in(value: datetime, zone_name: str) -> datetime:
    """``value`` expressed in the zone (for display and for ISO 8601 with the office's offset)."""
    return value.astimezone(office_zone(zone_name))
