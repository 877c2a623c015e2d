"""Forms of the case page. Each validates input for exactly one service."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Case
from .services import CASE_DETAIL_FIELDS
from .stages import Outcome, Stage


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


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Paralegal"), coerce=int)
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c.user.pk: c for c in candidates}
        self.fields["assignee"].choices = [(c.user.pk, self.describe(c)) for c in candidates]

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
