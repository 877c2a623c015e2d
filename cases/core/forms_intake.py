"""The intake page's forms: the worker, contacts, consent, up to three respondents, the case, and the
"use this existing record or create a new one" choice offered when the worker or a respondent may be on record.

Labels, choices and help texts come from the models where a model field exists. There is no immigration-status
field and there must never be one.
"""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.core.models import Case, Respondent, RespondentKind
from cases.core.services.intake import CASE_FIELDS, CLAIMANT_FIELDS, ClaimantMatch, RespondentMatch
from claimants.models import ChannelKind, Claimant, ConsentMethod, ConsentPurpose
from paralegals.models import Office

RESPONDENT_ROWS = 3
NEW = "new"
# A worker leaving within this many days needs evidence copies and reachable contacts captured now.
DEPARTURE_SOON_DAYS = 14
COMMON_CURRENCIES = ["MYR", "THB", "SGD", "AED", "QAR", "SAR", "KWD", "RUB", "KZT", "KGS", "USD", "EUR"]
_PHONE_CHARACTERS = re.compile(r"^[0-9 +().\-/]*$")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_BLANK = [("", "---------")]


def _model_field(model, name: str, **overrides) -> forms.Field:
    return model._meta.get_field(name).formfield(**overrides)


def _phone_field(label) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})
    )


def _flag(label, help_text="") -> forms.BooleanField:
    return forms.BooleanField(label=label, help_text=help_text, required=False)


# (field prefix, channel kind, has a "home-country number" box)
CHANNELS = [
    ("phone", ChannelKind.PHONE, True),
    ("whatsapp", ChannelKind.WHATSAPP, True),
    ("email", ChannelKind.EMAIL, False),
]
HOME_COUNTRY_CHANNELS = [prefix for prefix, _kind, home in CHANNELS if home]


class IntakeForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)

    # The worker
    full_name = _model_field(Claimant, "full_name")
    preferred_language = _model_field(Claimant, "preferred_language")
    gender = _model_field(Claimant, "gender")
    nationality = _model_field(Claimant, "nationality")
    home_country_address = _model_field(Claimant, "home_country_address", widget=forms.Textarea(attrs={"rows": 2}))
    id_document_type = _model_field(Claimant, "id_document_type")
    id_document_number = forms.CharField(
        label=_("Identity document number"),
        max_length=100,
        required=False,
        help_text=_("Stored encrypted."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    # Contact
    phone = _phone_field(_("Phone / SMS"))
    phone_consent = _flag(_("Consents to contact on this number"))
    phone_safe = _flag(_("Safe to contact (not held or read by the employer)"))
    phone_home_country = _flag(_("Home-country number"))
    whatsapp = _phone_field(_("WhatsApp"))
    whatsapp_consent = _flag(_("Consents to contact on WhatsApp"))
    whatsapp_safe = _flag(_("Safe to contact (not held or read by the employer)"))
    whatsapp_home_country = _flag(_("Home-country number"))
    email = forms.EmailField(label=_("Email"), max_length=200, required=False)
    email_consent = _flag(_("Consents to contact by email"))
    email_safe = _flag(_("Safe to contact (not read by the employer)"))

    # Alternate contact
    alternate_contact_name = _model_field(Claimant, "alternate_contact_name", label=_("Name"))
    alternate_contact_relationship = _model_field(Claimant, "alternate_contact_relationship")
    alternate_contact_phone = _phone_field(_("Phone"))

    # Consent
    consents = forms.MultipleChoiceField(
        label=_("The worker agrees to"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"), choices=_BLANK + ConsentMethod.choices, required=False
    )

    # The case
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    country_of_work = _model_field(Case, "country_of_work")
    sector = _model_field(Case, "sector")
    job_title = _model_field(Case, "job_title")
    work_started_on = _model_field(Case, "work_started_on", widget=_DATE)
    work_ended_on = _model_field(Case, "work_ended_on", widget=_DATE)
    departure_date = _model_field(
        Case,
        "departure_date",
        widget=_DATE,
        help_text=_(
            "If the worker leaves soon, capture evidence copies, a home-country contact and an alternate contact now."
        ),
    )
    estimated_amount = _model_field(Case, "estimated_amount", min_value=0)
    estimated_currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        help_text=_("Three-letter code, e.g. MYR, THB, USD."),
        widget=forms.TextInput(attrs={"list": "currencies", "autocomplete": "off", "size": 4}),
    )
    summary = _model_field(Case, "summary", widget=forms.Textarea(attrs={"rows": 5}))
    flag_unsafe_contact = _model_field(Case, "flag_unsafe_contact")
    flag_do_not_contact_employer = _model_field(Case, "flag_do_not_contact_employer")
    flag_waiver_under_pressure = _model_field(
        Case,
        "flag_waiver_under_pressure",
        help_text=_("For example, a waiver signed to get a passport back."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offices = Office.objects.select_related("organisation")
        if not user.sees_all_offices:
            offices = offices.filter(pk=user.office_id) if user.office_id else offices.none()
        self.fields["office"].queryset = offices
        self.fields["office"].initial = user.office_id

    def clean_estimated_currency(self) -> str:
        currency = self.cleaned_data["estimated_currency"].strip().upper()
        if currency and not re.fullmatch(r"[A-Z]{3}", currency):
            raise forms.ValidationError(_("Give a three-letter currency code, for example MYR."))
        return currency

    def _clean_phone(self, name: str) -> str:
        value = self.cleaned_data[name].strip()
        if value and (not _PHONE_CHARACTERS.match(value) or sum(ch.isdigit() for ch in value) < 6):
            raise forms.ValidationError(_("Give the number with digits only (spaces, + and dashes are fine)."))
        return value

    def clean_phone(self) -> str:
        return self._clean_phone("phone")

    def clean_whatsapp(self) -> str:
        return self._clean_phone("whatsapp")

    def clean_alternate_contact_phone(self) -> str:
        return self._clean_phone("alternate_contact_phone")

    def clean(self):
        data = super().clean()
        started, ended = data.get("work_started_on"), data.get("work_ended_on")
        if started and ended and ended < started:
            self.add_error("work_ended_on", _("The work cannot end before it started."))
        amount, currency = data.get("estimated_amount"), data.get("estimated_currency")
        if amount is not None and not currency and "estimated_currency" not in self.errors:
            self.add_error("estimated_currency", _("Give the currency of the amount."))
        if currency and amount is None and "estimated_amount" not in self.errors:
            self.add_error("estimated_amount", _("Give the amount, or leave the currency empty."))
        for prefix, _kind, _home in CHANNELS:
            ticked = any(data.get(f"{prefix}_{flag}") for flag in ("consent", "safe", "home_country"))
            if ticked and not data.get(prefix) and prefix not in self.errors:
                self.add_error(prefix, _("You ticked options for this contact: give the number or address too."))
        if data.get("consents") and not data.get("consent_method"):
            self.add_error("consent_method", _("Say how the worker gave consent."))
        if data.get("id_document_number") and not data.get("id_document_type"):
            self.add_error("id_document_type", _("Say which document the number belongs to."))
        return data

    # What the service takes, from the cleaned form.

    def claimant_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CLAIMANT_FIELDS}

    def channels(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "kind": kind,
                "value": data[prefix],
                "consent": data[f"{prefix}_consent"],
                "safe_to_contact": data[f"{prefix}_safe"],
                "in_home_country": bool(data.get(f"{prefix}_home_country")) if home else False,
            }
            for prefix, kind, home in CHANNELS
            if data[prefix]
        ]

    def case_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CASE_FIELDS}

    def warnings(self) -> list[str]:
        """Things that do not stop the intake but that the user should act on."""
        data, warnings = self.cleaned_data, []
        if ConsentPurpose.DATA_PROCESSING not in data.get("consents", []):
            warnings.append(
                _(
                    "No consent to keep and use the worker's information was recorded. Record it before the case "
                    "can move to evidence."
                )
            )
        departure = data.get("departure_date")
        if departure and departure <= timezone.localdate() + datetime.timedelta(days=DEPARTURE_SOON_DAYS):
            has_home_contact = any(
                data.get(f"{prefix}_home_country") and data.get(prefix) for prefix in HOME_COUNTRY_CHANNELS
            )
            if not has_home_contact or not data.get("alternate_contact_name"):
                warnings.append(
                    _(
                        "The worker leaves soon: capture evidence copies, a home-country number and an alternate "
                        "contact before they go."
                    )
                )
        return warnings


class RespondentRowForm(forms.Form):
    """One respondent row: an employer, recruiter, agency… Empty rows are ignored."""

    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    aliases = forms.CharField(
        label=_("Other names"),
        max_length=1000,
        required=False,
        help_text=_("Other names or earlier company names, separated by commas."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_BLANK + RespondentKind.choices, required=False)
    country = _model_field(Respondent, "country", required=False)
    role = forms.ChoiceField(
        label=_("Role in this case"),
        choices=_BLANK + RespondentKind.choices,
        required=False,
        help_text=_("Leave empty when it is the same as the kind."),
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        data = super().clean()
        if not data.get("name"):
            if any(data.get(name) for name in ("aliases", "kind", "country", "role")):
                self.add_error("name", _("Give the respondent's name, or clear this row."))
            return data
        if not data.get("kind"):
            self.add_error("kind", _("Choose what kind of respondent this is."))
        if not data.get("country"):
            self.add_error("country", _("Choose the respondent's country."))
        return data

    @property
    def is_filled(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("name"))

    def respondent_data(self, existing: Respondent | None) -> dict:
        data = self.cleaned_data
        role = data["role"] or (existing.kind if existing else data["kind"])
        if existing is not None:
            return {"respondent": existing, "role": role}
        aliases = [alias.strip() for alias in data["aliases"].split(",") if alias.strip()]
        return {
            "name": data["name"],
            "kind": data["kind"],
            "country": data["country"],
            "aliases": aliases,
            "role": role,
        }


def respondent_rows(data=None) -> list[RespondentRowForm]:
    return [RespondentRowForm(data, prefix=f"respondent-{index}") for index in range(RESPONDENT_ROWS)]


class MatchForm(forms.Form):
    """For each worker or respondent that may already be on record: use that record, or create a new one.

    The choices are recomputed from what was typed on every submit, so a choice must be among the current
    matches. ``matches_shown`` tells a first look (no errors yet) from a submit of the choices.
    """

    matches_shown = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data=None,
        *,
        claimant_matches: list[ClaimantMatch],
        respondent_matches: dict[int, list[RespondentMatch]],
    ):
        super().__init__(data)
        self.claimant_matches = claimant_matches
        self.respondent_matches = {index: matches for index, matches in respondent_matches.items() if matches}
        if claimant_matches:
            self.fields["claimant_match"] = forms.ChoiceField(
                choices=[(str(match.claimant.pk), match.claimant.full_name) for match in claimant_matches]
                + [(NEW, _("Create a new worker record"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an existing worker record or create a new one.")},
            )
        for index, matches in self.respondent_matches.items():
            self.fields[f"respondent_match_{index}"] = forms.ChoiceField(
                choices=[(str(match.respondent.pk), match.respondent.name) for match in matches]
                + [(NEW, _("Create a new respondent"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an existing respondent or create a new one.")},
            )

    @property
    def has_matches(self) -> bool:
        return bool(self.claimant_matches or self.respondent_matches)

    @property
    def submitted(self) -> bool:
        """True when the user has seen the matches and submitted their choices."""
        return self.is_bound and bool(self.data.get("matches_shown"))

    def is_decided(self) -> bool:
        """Nothing to choose, or every choice made among the current matches."""
        return not self.has_matches or (self.submitted and self.is_valid())

    def _chosen(self, name: str) -> str:
        return self.data.get(name, "") if self.is_bound else ""

    def chosen_claimant(self) -> Claimant | None:
        """The existing worker chosen, or None for a new one (call once ``is_decided()``)."""
        if not self.claimant_matches:
            return None
        chosen = self.cleaned_data.get("claimant_match", NEW)
        return next((m.claimant for m in self.claimant_matches if str(m.claimant.pk) == chosen), None)

    def chosen_respondent(self, index: int) -> Respondent | None:
        """The existing respondent chosen for row ``index``, or None for a new one."""
        matches = self.respondent_matches.get(index, [])
        if not matches:
            return None
        chosen = self.cleaned_data.get(f"respondent_match_{index}", NEW)
        return next((m.respondent for m in matches if str(m.respondent.pk) == chosen), None)

    def claimant_section(self) -> dict | None:
        if not self.claimant_matches:
            return None
        name = "claimant_match"
        return {
            "name": name,
            "chosen": self._chosen(name),
            "matches": [(str(match.claimant.pk), match) for match in self.claimant_matches],
            "errors": self.errors.get(name) if self.submitted else None,
        }

    def respondent_sections(self, rows: list[RespondentRowForm]) -> list[dict]:
        sections = []
        for index, matches in self.respondent_matches.items():
            name = f"respondent_match_{index}"
            sections.append(
                {
                    "name": name,
                    "index": index,
                    "typed_name": rows[index].cleaned_data.get("name", ""),
                    "chosen": self._chosen(name),
                    "matches": [(str(match.respondent.pk), match) for match in matches],
                    "errors": self.errors.get(name) if self.submitted else None,
                }
            )
        return sections


def error_summary(form: IntakeForm, rows: list[RespondentRowForm]) -> list[tuple[str, str]]:
    """(field id, message) pairs for the summary at the top of the page; the id is empty for form-wide errors."""
    summary = []
    for number, each in enumerate([form, *rows]):
        for name, errors in each.errors.items():
            if name == "__all__":
                summary.extend(("", str(error)) for error in errors)
                continue
            field = each[name]
            label = field.label
            if each is not form:
                label = _("Respondent %(number)s: %(field)s") % {"number": number, "field": field.label}
            summary.extend((field.id_for_label or field.auto_id, f"{label}: {error}") for error in errors)
    return summary
