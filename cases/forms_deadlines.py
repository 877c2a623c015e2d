"""Forms of the case page's deadlines section: add one by hand, mark one met or cancel it."""

from datetime import datetime, time

from django import forms
from django.utils.translation import gettext_lazy as _

from .deadlines import NOTE_MAX_LENGTH, office_zone
from .models import DeadlineKind, DeadlineStatus


class DeadlineForm(forms.Form):
    """The date and time are read in the office's time zone (the time defaults to 23:59, the end of that day)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=DeadlineKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}), help_text=_("Empty: 23:59.")
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, zone_name: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_name = zone_name

    def due_at(self) -> datetime:
        data = self.cleaned_data
        return datetime.combine(data["date"], data["time"] or time(23, 59), tzinfo=office_zone(self.zone_name))


class DeadlineStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(DeadlineStatus.MET, _("Met")), (DeadlineStatus.CANCELLED, _("Cancelled"))])
