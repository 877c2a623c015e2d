"""The dashboard's filters: a period (a preset or whole months from/to), office, country, sector, respondent."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cases.core.models import Sector
from cases.statistics.selection import Selection, add_months, month_start

MAX_MONTHS = 120
MONTH = re.compile(r"^(\d{4})-(\d{2})$")

PRESETS = [
    ("last_12_months", _("Last 12 months")),
    ("this_month", _("This month")),
    ("last_3_months", _("Last 3 months")),
    ("this_year", _("This year")),
    ("last_year", _("Last year")),
    ("last_5_years", _("Last 5 years")),
    ("custom", _("Months chosen below")),
]


def preset_period(preset: str, today: date) -> tuple[date, date]:
    this_month = month_start(today)
    if preset == "this_month":
        return this_month, this_month
    if preset == "last_3_months":
        return add_months(this_month, -2), this_month
    if preset == "this_year":
        return date(today.year, 1, 1), this_month
    if preset == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 1)
    if preset == "last_5_years":
        return add_months(this_month, -59), this_month
    return add_months(this_month, -11), this_month


class MonthField(forms.CharField):
    """``YYYY-MM`` (what ``<input type="month">`` sends), as the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.match(value.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."), code="invalid")
        return date(int(match.group(1)), int(match.group(2)), 1)


class StatisticsFilterForm(forms.Form):
    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)
    office = forms.ModelChoiceField(label=_("Office"), queryset=None, required=False, empty_label=_("All offices"))
    country = forms.ChoiceField(label=_("Country of work"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    respondent = forms.IntegerField(
        label=_("Respondent number"),
        required=False,
        min_value=1,
        help_text=_("Pick one from the respondents table; its renamed companies are included."),
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.offices = list(offices)
        self.fields["office"].queryset = offices
        # The choices from the offices read above, not a second query when the field is drawn (a chosen office is
        # still checked against the queryset).
        field = self.fields["office"]
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        field.choices = empty + [(office.pk, field.label_from_instance(office)) for office in self.offices]
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]

    def clean(self):
        data = super().clean()
        if data.get("preset") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Choose the first and the last month."), code="required")
            if start > end:
                raise forms.ValidationError(_("The first month must not be after the last."), code="order")
            if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                raise forms.ValidationError(
                    _("Choose at most %(months)d months.") % {"months": MAX_MONTHS}, code="too_long"
                )
        return data

    def selection(self, today: date) -> Selection:
        """The chosen selection; the default one (last 12 months, every visible office) when the form is invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        preset = data.get("preset") or "last_12_months"
        if preset == "custom":
            start, end = data["start"], data["end"]
        else:
            start, end = preset_period(preset, today)
        office = data.get("office")
        offices = [office.pk] if office else [o.pk for o in self.offices]
        return Selection(
            start=start,
            end=end,
            offices=tuple(sorted(offices)),
            country=data.get("country") or "",
            sector=data.get("sector") or "",
            respondent=data.get("respondent"),
        )
