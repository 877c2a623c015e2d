"""Datetimes in office time: out as ISO 8601 with the office's offset, in read in the case office's zone.

Other datetimes the API writes follow the request's active zone (the user's office, ``config.middleware``), which
DRF's ``DateTimeField`` honours: every datetime in an answer carries an explicit offset, so a client never has to
guess. A case's own times and a deadline's are in *that* case's office zone, whoever asks.
"""

from collections.abc import Callable

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.core.office_time import UTC, NonexistentLocalTime, local_to_utc, localtime_in

# An object's id in a path: digits only, so ``/cases/null,null/note/`` is the API's JSON 404 (the catch-all route of
# config/api/urls.py), not a ValueError from the database lookup. (Ids beyond the column's range find nothing:
# Django answers an out-of-range integer lookup with no rows.)
ID_IN_PATH = "[0-9]+"


def model_label(model, name: str):
    """The label a ModelSerializer would give the field (its verbose name), for fields declared by hand."""
    return capfirst(model._meta.get_field(name).verbose_name)


class ZonedDateTimeField(serializers.DateTimeField):
    """Read only: the value in the zone ``zone_of(instance)`` names, e.g. ``2026-12-15T09:30:00+07:00``."""

    def __init__(self, *, zone_of: Callable[[object], str], **kwargs):
        self.zone_of = zone_of
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        return localtime_in(value, self.zone_of(instance)) if value else value

    def enforce_timezone(self, value):
        return value  # already in the office's zone (DRF would move it to the request's)


class OfficeDateTimeField(serializers.DateTimeField):
    """A datetime typed for a case's office: an explicit offset is honoured; a naive one is read in the zone named by
    the serializer context's ``zone_name``. A local time skipped by daylight saving there is refused (400), as the
    web form refuses it. The value is the aware UTC moment."""

    default_error_messages = {
        # The web form's message (cases.deadlines.forms.deadlines), so both have one translation.
        "nonexistent": _(
            "%(time)s does not exist on %(date)s in %(zone)s: the clocks skip that hour. Choose another time."
        ),
    }

    def enforce_timezone(self, value):
        if timezone.is_aware(value):
            return value.astimezone(UTC)
        zone_name = self.context.get("zone_name") or "UTC"
        try:
            return local_to_utc(value.date(), value.time(), zone_name)
        except NonexistentLocalTime:
            message = self.error_messages["nonexistent"] % {
                "time": value.strftime("%H:%M"),
                "date": value.date().isoformat(),
                "zone": zone_name,
            }
            raise serializers.ValidationError(message, code="nonexistent") from None
