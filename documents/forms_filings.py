"""The form that asks for a filing. It validates input for ``documents.filings.document_request``."""

import uuid

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cases.models import Case

from .models import LANGUAGE_CHOICES, DocumentKind


def language_choices() -> list[tuple[str, str]]:
    """Each language by its own name, with the staff's name for it when that differs: "Русский (Russian)"."""
    choices = []
    for code, name in LANGUAGE_CHOICES:
        try:
            local = translation.get_language_info(code)["name_local"]
        except KeyError:  # a language Django has no record of
            local = str(name)
        local = local[:1].upper() + local[1:]
        choices.append((code, local if local == str(name) else f"{local} ({name})"))
    return choices


class FilingRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_(
            "Automatic: the worker's language for the receipt, the respondent's for a demand letter, "
            "yours for a complaint or a summary."
        ),
    )
    respondent = forms.TypedChoiceField(
        label=_("Addressed to"), coerce=int, required=False, help_text=_("For a demand letter.")
    )
    # One per form shown: submitting the same form twice finds the document the first submit made.
    request_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self._respondents = {cr.respondent_id: cr.respondent for cr in case.case_respondents.all()}
        self.fields["language"].choices = [("", _("Automatic")), *language_choices()]
        self.fields["respondent"].choices = [("", "—")] + [
            (pk, respondent.name) for pk, respondent in self._respondents.items()
        ]
        if not self.is_bound:
            self.initial.setdefault("request_key", uuid.uuid4())

    def clean(self):
        data = super().clean()
        kind, respondent_id = data.get("kind"), data.get("respondent")
        if kind == DocumentKind.DEMAND_LETTER and not respondent_id:
            self.add_error("respondent", _("Choose who the letter is addressed to."))
        if kind != DocumentKind.DEMAND_LETTER:
            data["respondent"] = None
        if kind and not data.get("language"):
            data["language"] = self._automatic_language(kind, data.get("respondent"))
        return data

    def _automatic_language(self, kind: str, respondent_id: int | None) -> str:
        if kind == DocumentKind.INTAKE_RECEIPT:
            return self.case.claimant.preferred_language
        respondent = self._respondents.get(respondent_id)
        if kind == DocumentKind.DEMAND_LETTER and respondent is not None and respondent.preferred_language:
            return respondent.preferred_language
        current = (translation.get_language() or "en").split("-")[0]
        return current if current in dict(LANGUAGE_CHOICES) else "en"

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "language": data["language"],
            "respondent_id": data["respondent"],
            "request_key": data["request_key"],
        }
