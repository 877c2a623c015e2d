"""Forms of the calculation editor. Each validates input for exactly one service in
``cases.money.services.calculations``.

Normal and overtime hours are apart: normal hours above the jurisdiction's normal hours a day or a week are refused by
the service with a message saying how many to enter as overtime (``cases.money.hours_limits``), and the labels and help
texts say so before anyone types.

They are ModelForms so that the model's ``clean()`` (end before start, negative hours) gives the same
field errors here as the service gives any other caller. Each form has a prefix, so the add form and
an edit form for a row can be on the page together without clashing ids.

Money has as many decimals as the currency of the work allows — none for JPY, two for MYR, three for KWD. The model
checks that (``full_clean``), since it knows the case's currency: so these forms leave a money field's decimals to it,
and an edit form or the settings form shows "JPY has no smaller unit: enter a whole number." on the field. A new row
has no case yet, so its form only holds it to three decimals (what the column keeps); the service checks the currency
when it adds the row, and the view puts that message on the same field.
"""

from decimal import Decimal

from django import forms
from django.core.validators import DecimalValidator
from django.utils.translation import gettext_lazy as _

from cases.money.models import CalculationSettings, Jurisdiction, OneOffItemRow, PayPeriodRow, WageBasis

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number(step: str = "0.01") -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": "0", "step": step, "inputmode": "decimal"})


# Any amount the model can hold; whether the currency of the work allows its decimals is the model's check.
MONEY_STEP = "0.001"


def _decimals_left_to_the_model(form: forms.ModelForm, names) -> None:
    """Drop the form's own decimal-places check on money fields, so that the one message about too many decimals is
    the model's, naming the currency, rather than a generic "no more than 3 decimal places" first."""
    for name in names:
        field = form.fields[name]
        field.validators = [v for v in field.validators if not isinstance(v, DecimalValidator)]


class PayPeriodForm(forms.ModelForm):
    class Meta:
        model = PayPeriodRow
        fields = [
            "label",
            "start",
            "end",
            "days_worked",
            "normal_hours",
            "overtime_hours",
            "rest_day_hours",
            "holiday_hours",
            "agreed_rate",
            "agreed_basis",
            "amount_paid",
            "unlawful_deductions",
            "lawful_deductions",
            "deductions_note",
        ]
        widgets = {
            "start": DATE,
            "end": DATE,
            "days_worked": _number("0.1"),
            **{name: _number() for name in ("normal_hours", "overtime_hours", "rest_day_hours", "holiday_hours")},
            **{name: _number(MONEY_STEP) for name in PayPeriodRow.money_fields},
        }
        labels = {"deductions_note": _("Unlawful deductions were for")}
        help_texts = {
            "normal_hours": _(
                "Hours in normal time only, up to the jurisdiction's normal hours a day and a week: hours above them "
                "are overtime hours. Not rest-day or holiday hours."
            ),
            "overtime_hours": _("Hours worked above the jurisdiction's normal hours a day or a week."),
            "amount_paid": _("What actually reached the worker, after any deductions."),
        }

    # Fields that may be left empty, meaning none.
    ZERO_IF_EMPTY = (
        "overtime_hours",
        "rest_day_hours",
        "holiday_hours",
        "amount_paid",
        "unlawful_deductions",
        "lawful_deductions",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.ZERO_IF_EMPTY:
            self.fields[name].required = False
        _decimals_left_to_the_model(self, PayPeriodRow.money_fields)

    def clean(self):
        cleaned = super().clean()
        for name in self.ZERO_IF_EMPTY:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = Decimal(0)
        return cleaned

    @classmethod
    def for_new(cls, data=None) -> "PayPeriodForm":
        return cls(data, prefix="period")

    @classmethod
    def for_row(cls, period: PayPeriodRow, data=None) -> "PayPeriodForm":
        return cls(data, instance=period, prefix=f"period-{period.pk}")


class OneOffItemForm(forms.ModelForm):
    class Meta:
        model = OneOffItemRow
        fields = ["kind", "amount", "description"]
        widgets = {"amount": _number(MONEY_STEP)}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "item")
        super().__init__(*args, **kwargs)
        _decimals_left_to_the_model(self, OneOffItemRow.money_fields)


class CalculationSettingsForm(forms.ModelForm):
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction"),
        queryset=Jurisdiction.objects.order_by("name"),
        required=False,
        help_text=_("Whose minimum wage, hours and overtime rules apply."),
    )

    class Meta:
        model = CalculationSettings
        fields = [
            "jurisdiction",
            "currency",
            "mode",
            "estimate_start",
            "estimate_end",
            "estimate_hours_per_day",
            "estimate_days_per_week",
            "estimate_overtime_hours_per_week",
            "estimate_rest_day_hours_per_week",
            "estimate_agreed_rate",
            "estimate_agreed_basis",
            "estimate_paid_per_month",
            "basis_note",
        ]
        widgets = {
            "mode": forms.RadioSelect,
            "estimate_start": DATE,
            "estimate_end": DATE,
            "estimate_hours_per_day": _number(),
            "estimate_days_per_week": _number("0.5"),
            "estimate_overtime_hours_per_week": _number(),
            "estimate_rest_day_hours_per_week": _number(),
            "estimate_agreed_rate": _number(MONEY_STEP),
            "estimate_paid_per_month": _number(MONEY_STEP),
            "basis_note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"estimate_hours_per_day": _("usual normal hours per day")}
        help_texts = {
            "currency": _("Empty: the currency of the jurisdiction's rules."),
            "estimate_hours_per_day": _(
                "Normal hours only, up to the jurisdiction's normal hours a day (and a week): for a longer day, add "
                "the extra hours to the overtime hours per week."
            ),
            "estimate_overtime_hours_per_week": _(
                "Hours a week above the jurisdiction's normal hours a day or a week: a 10-hour day under an 8-hour "
                "limit, 6 days a week, is 12 overtime hours a week."
            ),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "settings")
        super().__init__(*args, **kwargs)
        # Only used in estimate mode; left empty, it keeps its default.
        self.fields["estimate_agreed_basis"].required = False
        _decimals_left_to_the_model(self, CalculationSettings.money_fields)

    def clean_estimate_agreed_basis(self) -> str:
        return self.cleaned_data["estimate_agreed_basis"] or WageBasis.MONTH

    ESTIMATE_FIELDS = (
        "estimate_start",
        "estimate_end",
        "estimate_hours_per_day",
        "estimate_days_per_week",
        "estimate_overtime_hours_per_week",
        "estimate_rest_day_hours_per_week",
        "estimate_agreed_rate",
        "estimate_agreed_basis",
        "estimate_paid_per_month",
        "basis_note",
    )

    def general_fields(self):
        return [self[name] for name in ("jurisdiction", "currency", "mode")]

    def estimate_fields(self):
        return [self[name] for name in self.ESTIMATE_FIELDS]
