"""Forms of deadlines and tasks: add one by hand, add a task, mark met, cancel with a reason, reopen; My work's filters.

Dates and times are typed in the case office's time zone; the form says which ("Asia/Bangkok, UTC+7") and turns
them into UTC itself, so a time skipped by daylight saving or already past is a field error, not a surprise.
"""

from datetime import datetime, time

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.core.office_time import NonexistentLocalTime, local_to_utc, office_zone, zone_label
from cases.core.references import normalise_reference
from cases.deadlines.models import DeadlineKind, DeadlineStatus
from cases.deadlines.services.deadlines import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH
from paralegals.models import Role, User

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


def task_assignees(case, user) -> QuerySet[User]:
    """Who may be given a task on ``case``: the office's active paralegals and coordinators, its current paralegal,
    and the person adding it (who can see the case). The service checks again that the one chosen can see it."""
    people = Q(office_id=case.office_id, role__in=[Role.PARALEGAL, Role.COORDINATOR])
    if case.assigned_to_id is not None:
        people |= Q(pk=case.assigned_to_id)
    if user.is_authenticated:
        people |= Q(pk=user.pk)
    return User.objects.filter(people, is_active=True).order_by("first_name", "last_name", "username")


def _choices_once(field: forms.ModelChoiceField) -> None:
    """Read the people once: a ModelChoiceIterator counts, then is read twice more when its select renders."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.widget.choices = empty + [(person.pk, field.label_from_instance(person)) for person in field.queryset]


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class TaskForm(OfficeDueFields):
    """A task on the case: what to do, who does it (defaults to the person adding it), by when, in office time."""

    title = forms.CharField(label=_("Task"), max_length=TITLE_MAX_LENGTH)
    assignee = AssigneeChoiceField(label=_("Who does it"), queryset=User.objects.none(), empty_label=None)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["title", "assignee", "date", "time", "note"]

    def __init__(self, *args, case, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("assignee", user.pk)
        # Beside the deadline form and the assign form on the case page: ids of its own (the posted names stay).
        kwargs.setdefault("auto_id", "id_task_%s")
        super().__init__(*args, zone_name=case.office.timezone, **kwargs)
        field = self.fields["assignee"]
        field.queryset = task_assignees(case, user)
        _choices_once(field)


class DeadlineStatusForm(forms.Form):
    """Mark met (a task done) in one click, or cancel with a reason, which is required."""

    status = forms.ChoiceField(choices=[(DeadlineStatus.MET, _("Met")), (DeadlineStatus.CANCELLED, _("Cancelled"))])
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == DeadlineStatus.CANCELLED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why it is cancelled."))
        return data


class DeadlineReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it open again? (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


WHEN_CHOICES = [
    ("", _("Any time")),
    ("overdue", _("Overdue")),
    ("week", _("This week")),
    ("later", _("Later")),
]


class MyWorkFilterForm(forms.Form):
    """My work's filters, read from GET so a filtered list can be bookmarked. Invalid values are field errors."""

    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *DeadlineKind.choices])
    when = forms.ChoiceField(label=_("When"), required=False, choices=WHEN_CHOICES)
    case = forms.CharField(label=_("Case reference"), required=False, max_length=40)
    person = AssigneeChoiceField(
        label=_("Paralegal"), required=False, queryset=User.objects.none(), empty_label=_("Me")
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_coordinator:
            # The people of the offices the coordinator sees (every office for a global coordinator).
            people = User.objects.filter(is_active=True, role__in=[Role.PARALEGAL, Role.COORDINATOR])
            if not user.sees_all_offices:
                people = people.filter(office_id=user.office_id)
            field = self.fields["person"]
            field.queryset = people.order_by("first_name", "last_name", "username")
            _choices_once(field)
        else:
            del self.fields["person"]

    def clean_case(self) -> str | None:
        raw = self.cleaned_data["case"].strip()
        if not raw:
            return None
        reference = normalise_reference(raw)
        if reference is None:
            raise forms.ValidationError(_("This is not a case reference (like ABCD-EFGH-J)."))
        return reference

    def clean_after(self) -> tuple[datetime, int] | None:
        """The keyset cursor "<due_at ISO>_<id>": the last row of the previous page. A broken one starts over."""
        raw = self.cleaned_data["after"]
        due, _sep, pk = raw.rpartition("_")
        try:
            moment = datetime.fromisoformat(due)
            return (moment, int(pk)) if timezone.is_aware(moment) else None
        except ValueError:
            return None
