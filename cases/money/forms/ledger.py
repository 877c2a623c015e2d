"""Forms of the money ledger on the case page. Each validates input for one service in ``cases.money.services.ledger``.

Amounts are typed in major units ("1234.50") and checked against the currency's minor unit here, so a mistake is
a field error before the service is called; the service checks again under the case lock.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.core.models import Case, Respondent
from cases.money import currencies
from cases.money.models import EntryKind, Route
from cases.money.services.ledger import MAX_INSTALMENTS, NOTE_MAX_LENGTH

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PLAN_ROWS = 6  # blank instalment rows offered at a time


def _currency_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Currency"),
        choices=currencies.choices,
        error_messages={
            "invalid_choice": _("%(value)s is not a currency code we know. Choose an ISO 4217 code such as THB or USD.")
        },
    )


def _amount_field(**kwargs) -> forms.DecimalField:
    # No decimal_places: how many are allowed depends on the currency, checked in clean().
    return forms.DecimalField(label=_("Amount"), widget=forms.TextInput(attrs={"inputmode": "decimal"}), **kwargs)


def _check_amount(amount: Decimal, currency: str) -> str | None:
    """Why ``amount`` cannot be recorded in ``currency``, or None."""
    if amount <= 0:
        return str(_("Enter an amount greater than zero."))
    try:
        currencies.to_minor(amount, currency)
    except currencies.CurrencyError as exc:
        return str(exc)
    return None


class _CaseForm(forms.Form):
    """A form bound to one case: respondent choices are the case's (from its prefetched respondents)."""

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self._respondents = {cr.respondent_id: cr.respondent for cr in case.case_respondents.all()}
        if "respondent" in self.fields:
            self.fields["respondent"].choices = [("", _("Not recorded")), *self._respondent_choices()]
        if "currency" in self.fields and not self.is_bound:
            self.initial.setdefault("currency", default_currency(case))

    def _respondent_choices(self) -> list[tuple[int, str]]:
        return sorted({(pk, r.name) for pk, r in self._respondents.items()}, key=lambda choice: choice[1])

    def clean_respondent(self) -> Respondent | None:
        pk = self.cleaned_data.get("respondent")
        return self._respondents.get(pk) if pk else None


def default_currency(case: Case) -> str:
    """The case's estimated currency when it is one we know; else empty (the person chooses)."""
    code = (case.estimated_currency or "").upper()
    return code if currencies.is_known(code) else ""


class LedgerEntryForm(_CaseForm):
    kind = forms.ChoiceField(label=_("What happened"), choices=EntryKind.choices)
    amount = _amount_field()
    currency = _currency_field()
    entry_date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    source = forms.ChoiceField(label=_("Route"), choices=Route.choices)
    respondent = forms.TypedChoiceField(label=_("Respondent (who paid)"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_over_award = forms.BooleanField(
        label=_("Record it anyway: I have checked that this is more than what remains."), required=False
    )

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("auto_id", "ledger_%s")
        super().__init__(*args, case=case, **kwargs)
        self.initial.setdefault("entry_date", timezone.localdate())
        # The confirmation is offered only after the service has refused once (or when it was ticked).
        self.needs_confirmation = bool(self.is_bound and self.data.get("confirm_over_award"))

    def clean(self):
        data = super().clean()
        amount, currency = data.get("amount"), data.get("currency")
        if amount is not None and currency and (problem := _check_amount(amount, currency)):
            self.add_error("amount", problem)
        if data.get("entry_date") and data["entry_date"] > timezone.localdate():
            self.add_error("entry_date", _("The date is in the future; record money when it has moved."))
        return data


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this entry wrong?"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, entry_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"reverse{entry_id}_%s")
        super().__init__(*args, **kwargs)


class MarkPaidForm(forms.Form):
    entry_date = forms.DateField(label=_("Paid on"), widget=DATE_WIDGET)
    confirm_over_award = forms.BooleanField(
        label=_("Record it anyway: I have checked that this is more than what remains."), required=False
    )

    def __init__(self, *args, instalment_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"paid{instalment_id}_%s")
        super().__init__(*args, **kwargs)
        self.initial.setdefault("entry_date", timezone.localdate())
        self.needs_confirmation = bool(self.is_bound and self.data.get("confirm_over_award"))


class InstalmentRowForm(forms.Form):
    due_date = forms.DateField(label=_("Due"), widget=DATE_WIDGET)
    amount = _amount_field()


InstalmentRowFormSet = forms.formset_factory(
    InstalmentRowForm, extra=PLAN_ROWS, max_num=MAX_INSTALMENTS, validate_max=True, absolute_max=MAX_INSTALMENTS
)


class InstalmentPlanForm(_CaseForm):
    """The plan (currency, respondent, route, note) and its instalment rows (a formset, ``rows``); blank rows are
    ignored."""

    currency = _currency_field()
    respondent = forms.TypedChoiceField(label=_("Respondent who pays"), coerce=int, required=False, empty_value=None)
    source = forms.ChoiceField(label=_("Agreed through"), choices=Route.choices, initial=Route.NEGOTIATION)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data=None, *, case: Case, more_rows: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "plan_%s")
        if data is not None and more_rows:
            data = data.copy()
            total = int(data.get("instalment-TOTAL_FORMS") or 0)
            data["instalment-TOTAL_FORMS"] = str(min(total + PLAN_ROWS, MAX_INSTALMENTS))
        super().__init__(data, case=case, **kwargs)
        self.rows = InstalmentRowFormSet(data, prefix="instalment", auto_id="plan_%s")

    def is_valid(self) -> bool:
        plan_ok, rows_ok = super().is_valid(), self.rows.is_valid()
        if not (plan_ok and rows_ok):
            return False
        currency = self.cleaned_data["currency"]
        for row in self._filled_rows():
            if problem := _check_amount(row.cleaned_data["amount"], currency):
                row.add_error("amount", problem)
        if not self._filled_rows():
            self.add_error(None, _("Add at least one instalment (a due date and an amount)."))
        return not self.errors and all(not row.errors for row in self.rows.forms)

    def _filled_rows(self) -> list[InstalmentRowForm]:
        return [row for row in self.rows.forms if getattr(row, "cleaned_data", None)]

    @property
    def instalments(self) -> list[tuple[date, Decimal]]:
        return [(row.cleaned_data["due_date"], row.cleaned_data["amount"]) for row in self._filled_rows()]

    def preview(self) -> dict:
        """The sum of the rows typed so far, for the running total (rows that are not valid yet are skipped)."""
        currency = (self.data.get("currency") or "").upper()
        if not currencies.is_known(currency):
            return {"count": 0, "total": None, "skipped": 0}
        total, count, skipped = 0, 0, 0
        for row in self.rows.forms:
            amount = row.data.get(row.add_prefix("amount"), "").strip()
            if not amount:
                continue
            try:
                minor = currencies.to_minor(Decimal(amount), currency)
            except (ArithmeticError, ValueError):
                skipped += 1
                continue
            if minor <= 0:
                skipped += 1
                continue
            total, count = total + minor, count + 1
        return {"count": count, "total": currencies.format_money(total, currency), "skipped": skipped}
