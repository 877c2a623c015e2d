"""Forms of the case page's deadlines section: add one by hand, mark one met or cancel it.

Dates and times are typed in the case office's time zone; the form says which ("Asia/Bangkok, UTC+7") and turns
them into UTC itself, so a time skipped by daylight saving or already past is a field error, not a surprise.
"""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .deadlines import NOTE_MAX_LENGTH
from .models import DeadlineKind, DeadlineStatus
from .office_time import NonexistentLocalTime, local_to_utc, office_zone, zone_label

END_OF_DAY = time(23, 59)


class OfficeDueFields(forms.Form):
    """A due date and time read in the office's time zone; ``cleaned_data["due_at"]`` is the aware UTC moment.

    The time defaults to 23:59, the end of that day. Refuses a time that does not exist in the zone (the DST gap) and,
    unless ``allow_past``, a moment that has already passed.
    """

    allow_past = False

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}), help_text=_("Empty: 23:59.")
    )

    def __init__(self, *args, zone_name: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_name = office_zone(zone_name).key
        self.zone_label = zone_label(self.zone_name)

    def clean(self):
        data = super().clean()
        day, at = data.get("date"), data.get("time") or END_OF_DAY
        if day is None:
            return data
        try:
            due_at = local_to_utc(day, at, self.zone_name)
        except NonexistentLocalTime:
            self.add_error(
                "time",
                _("%(time)s does not exist on %(date)s in %(zone)s: the clocks skip that hour. Choose another time.")
                % {"time": at.strftime("%H:%M"), "date": day.isoformat(), "zone": self.zone_name},
            )
            return data
        if not self.allow_past and due_at <= timezone.now():
            self.add_error(
                "date", _("This date and time has already passed (in %(zone)s).") % {"zone": self.zone_label}
            )
            return data
        data["due_at"] = due_at
        return data


class DeadlineForm(OfficeDueFields):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(value, label) for value, label in DeadlineKind.choices if value != DeadlineKind.TASK]
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["kind", "date", "time", "note"]

    def due_at(self) -> datetime:
        return self.cleaned_data["due_at"]


class DeadlineStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(DeadlineStatus.MET, _("Met")), (DeadlineStatus.CANCELLED, _("Cancelled"))])
