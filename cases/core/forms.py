"""Forms of the case page. Each validates input for exactly one service."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.core.models import Case
from cases.core.services.cases import BULK_ASSIGN_MAX, CASE_DETAIL_FIELDS
from cases.core.stages import Outcome, Stage


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(choices=[(s, label) for s, label in Stage.choices if s != Stage.CLOSED])
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("Choose an outcome")), *Outcome.choices])
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("Reopen in stage"),
        required=False,
        choices=[("", _("The stage it was closed from")), *[(s, lbl) for s, lbl in Stage.choices if s != Stage.CLOSED]],
    )
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


def _assignee_field(label, required_message) -> forms.TypedChoiceField:
    # Starts on an empty choice: nobody (least of all the coordinator filling the form) is picked by default.
    return forms.TypedChoiceField(label=label, coerce=int, error_messages={"required": required_message})


CHOOSE_PARALEGAL = _("Choose a paralegal…")


class AssignForm(forms.Form):
    assignee = _assignee_field(_("Paralegal"), _("Choose who takes the case."))
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c.user.pk: c for c in candidates}
        self.fields["assignee"].choices = [("", CHOOSE_PARALEGAL), *((c.user.pk, self.describe(c)) for c in candidates)]

    @staticmethod
    def describe(candidate) -> str:
        parts = [candidate.user.get_full_name() or candidate.user.username]
        if candidate.speaks_language:
            parts.append(str(_("speaks the worker's language")))
        if not candidate.same_office and candidate.user.office:
            parts.append(candidate.user.office.name)
        count = candidate.open_cases
        parts.append(ngettext("%(count)d open case", "%(count)d open cases", count) % {"count": count})
        return " · ".join(parts)


class TakeForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CaseIdsField(forms.Field):
    """Case ids from the list's checkboxes (many values under one name), each a positive integer, each once."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select the cases to assign."),
        "invalid": _("The selection could not be read; reload the list and select the cases again."),
        "too_many": _("Select at most %(max)d cases at a time."),
    }

    def __init__(self, *, max_count: int, **kwargs):
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if len(value) > self.max_count:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_count}
            )
        try:
            ids = [int(item) for item in value]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if any(not 0 < case_id < 2**31 for case_id in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(ids))


class BulkAssignForm(forms.Form):
    """Assign the cases ticked on one page of the case list to one person (coordinators)."""

    cases = CaseIdsField(max_count=BULK_ASSIGN_MAX)
    assignee = _assignee_field(_("Assign the selected cases to"), _("Choose who takes the selected cases."))
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        # Name the office only when the people come from more than one (administrators, global coordinators).
        several_offices = len({person.office_id for person in self.people.values()}) > 1
        self.fields["assignee"].choices = [
            ("", CHOOSE_PARALEGAL),
            *((p.pk, self.describe(p, with_office=several_offices)) for p in self.people.values()),
        ]

    @staticmethod
    def describe(person, *, with_office: bool) -> str:
        name = person.get_full_name() or person.username
        return f"{name} · {person.office.name}" if with_office and person.office else name

    def clean_assignee(self):
        return self.people[self.cleaned_data["assignee"]]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))


class CaseDetailsForm(forms.ModelForm):
    """Edits case details; ``version`` carries the version the person started editing from."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = list(CASE_DETAIL_FIELDS)
        widgets = {
            "work_started_on": forms.DateInput(attrs={"type": "date"}),
            "work_ended_on": forms.DateInput(attrs={"type": "date"}),
            "departure_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_estimated_currency(self) -> str:
        return self.cleaned_data["estimated_currency"].strip().upper()

    def clean(self):
        data = super().clean()
        started, ended = data.get("work_started_on"), data.get("work_ended_on")
        if started and ended and ended < started:
            self.add_error("work_ended_on", _("The work period ends before it starts."))
        if (data.get("estimated_amount") is None) != (not data.get("estimated_currency")):
            self.add_error("estimated_currency", _("Give the rough amount together with its currency."))
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
