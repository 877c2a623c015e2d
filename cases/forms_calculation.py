"""Forms of the calculation editor. Each validates input for exactly one service in ``cases.calculations``.

They are ModelForms so that the model's ``clean()`` (end before start, negative hours) gives the same
field errors here as the service gives any other caller. Each form has a prefix, so the add form and
an edit form for a row can be on the page together without clashing ids.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CalculationSettings, Jurisdiction, OneOffItemRow, PayPeriodRow, WageBasis

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number(step: str = "0.01") -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": "0", "step": step, "inputmode": "decimal"})


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
            **{
                name: _number()
                for name in (
                    "normal_hours",
                    "overtime_hours",
                    "rest_day_hours",
                    "holiday_hours",
                    "agreed_rate",
                    "amount_paid",
                    "unlawful_deductions",
                    "lawful_deductions",
                )
            },
        }
        labels = {"deductions_note": _("Unlawful deductions were for")}
        help_texts = {
            "normal_hours": _("Hours in normal time only: not overtime, rest-day or holiday hours."),
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
        widgets = {"amount": _number()}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "item")
        super().__init__(*args, **kwargs)


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
            "estimate_agreed_rate": _number(),
            "estimate_paid_per_month": _number(),
            "basis_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"currency": _("Empty: the currency of the jurisdiction's rules.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "settings")
        super().__init__(*args, **kwargs)
        # Only used in estimate mode; left empty, it keeps its default.
        self.fields["estimate_agreed_basis"].required = False

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
