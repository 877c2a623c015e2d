"""What is owed: a case's calculation inputs (pay periods, one-off items, settings) and stored results.

The inputs are working rows that staff edit; each run of the calculator stores an immutable
``CalculationSnapshot`` — the itemised result, who ran it, when, and the rule versions it used,
copied as they were — so a filing can cite exactly what was claimed even after the inputs or
the rules change. Writes go through ``cases.money.services.calculations``.

Money is stored with three decimals, the finest minor unit of the currencies met (the Kuwaiti, Bahraini and
Jordanian dinars, the Omani rial), and each amount is checked against the minor unit of the currency of the work:
no decimals for JPY or KRW, two for MYR, three for KWD.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.core.models import Case
from cases.money import currencies
from cases.money.models.jurisdiction import HOURS, Jurisdiction, RuleVersion, WageBasis

# Three decimals for the dinars and the rial; as many whole digits as the rules' MONEY (12).
AMOUNT = {"max_digits": 15, "decimal_places": 3}


class CalculationMode(models.TextChoices):
    RECORDS = "records", _("From records (pay periods)")
    ESTIMATE = "estimate", _("Estimate (the worker's account)")


class ItemKind(models.TextChoices):
    """The same values as ``wages.ItemKind``."""

    RECRUITMENT_FEE = "recruitment_fee", _("Recruitment fee paid by the worker")
    FINAL_PAY = "final_pay", _("Withheld final pay")
    NOTICE_PAY = "notice_pay", _("Notice pay")
    UNUSED_LEAVE = "unused_leave", _("Unused leave")
    GRATUITY = "gratuity", _("End-of-service gratuity")
    OTHER = "other", _("Other")


class LineCategory(models.TextChoices):
    """Labels for ``wages.Category``: how result lines are grouped into subtotals."""

    UNPAID_WAGES = "unpaid_wages", _("Unpaid wages")
    UNDERPAYMENT = "underpayment", _("Underpayment below the minimum or agreed wage")
    OVERTIME = "overtime", _("Overtime")
    REST_HOLIDAY = "rest_holiday", _("Rest-day and holiday work")
    UNLAWFUL_DEDUCTIONS = "unlawful_deductions", _("Unlawful deductions")
    FEES = "fees", _("Recruitment fees")
    FINAL_PAY = "final_pay", _("Final pay, notice, leave and gratuity")
    OTHER = "other", _("Other")


def _not_negative(*names: str, nullable: bool = False) -> models.Q:
    condition = models.Q()
    for name in names:
        one = models.Q(**{f"{name}__gte": 0})
        condition &= (models.Q(**{f"{name}__isnull": True}) | one) if nullable else one
    return condition


class _InTheMinorUnit:
    """Keeps ``money_fields`` in the minor unit of the currency of the work (``work_currency()``, None if unknown).

    Checked with the field checks, and in their place for an amount finer than that unit, so that the one message
    says what the currency allows ("JPY has no smaller unit: enter a whole number.", "KWD has 3 digits after the
    decimal point; this amount has more."), in the ledger's words. ModelForms, the services and the admin all get it
    through ``full_clean``. With no currency known yet, the field's own limit (three decimals) applies; running the
    calculator checks again.
    """

    money_fields: tuple[str, ...] = ()

    def work_currency(self) -> str | None:
        raise NotImplementedError

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors = self._finer_than_the_minor_unit(exclude)
        try:
            super().clean_fields(exclude=exclude | set(errors))
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _finer_than_the_minor_unit(self, exclude: set[str]) -> dict[str, list[str]]:
        fractions = {}
        for name in self.money_fields:
            if name in exclude:
                continue
            try:
                value = self._meta.get_field(name).to_python(getattr(self, name))
            except ValidationError:
                continue  # not a number: the field check says so
            if isinstance(value, Decimal) and value.is_finite() and value != value.to_integral_value():
                fractions[name] = value
        currency = self.work_currency() if fractions else None  # whole amounts suit every currency: no query
        errors = {}
        for name, value in fractions.items() if currency else ():
            try:
                currencies.to_minor(value, currency)
            except currencies.SubMinorAmount as exc:
                errors[name] = [str(exc)]
            except currencies.CurrencyError:
                pass  # too large, or not a currency: the field checks say so
        return errors


class CalculationSettings(_InTheMinorUnit, models.Model):
    """A case's calculation settings: which rules apply, the currency of the work, records or estimate.

    In estimate mode the worker's reconstruction (typical hours, rate, pay) and the basis for it
    replace the pay periods.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="calculation_settings")
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jurisdiction"),
        help_text=_("Whose minimum wage, hours and overtime rules apply."),
    )
    currency = models.CharField(_("currency of the work"), max_length=3, choices=currencies.choices, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=CalculationMode.choices, default=CalculationMode.RECORDS)
    estimate_start = models.DateField(_("worked from"), null=True, blank=True)
    estimate_end = models.DateField(_("worked until"), null=True, blank=True)
    estimate_hours_per_day = models.DecimalField(
        _("usual hours per day"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    estimate_days_per_week = models.DecimalField(
        _("usual days per week"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    estimate_overtime_hours_per_week = models.DecimalField(
        _("overtime hours per week"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    estimate_rest_day_hours_per_week = models.DecimalField(
        _("rest-day hours per week"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    estimate_agreed_rate = models.DecimalField(_("agreed pay"), **AMOUNT, null=True, blank=True)
    estimate_agreed_basis = models.CharField(
        _("agreed pay is"), max_length=5, choices=WageBasis.choices, default=WageBasis.MONTH
    )
    estimate_paid_per_month = models.DecimalField(_("actually paid per month"), **AMOUNT, null=True, blank=True)
    basis_note = models.TextField(
        _("basis of the estimate"),
        blank=True,
        help_text=_("What the estimate rests on: the worker's testimony, a co-worker's payslip, messages…"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calculation settings")
        verbose_name_plural = _("calculation settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimate_end__isnull=True)
                | models.Q(estimate_start__isnull=True)
                | models.Q(estimate_end__gte=models.F("estimate_start")),
                name="calcsettings_estimate_dates_ordered",
            ),
            models.CheckConstraint(
                condition=_not_negative(
                    "estimate_hours_per_day",
                    "estimate_days_per_week",
                    "estimate_overtime_hours_per_week",
                    "estimate_rest_day_hours_per_week",
                    "estimate_agreed_rate",
                    "estimate_paid_per_month",
                    nullable=True,
                ),
                name="calcsettings_estimate_not_negative",
            ),
        ]

    money_fields = ("estimate_agreed_rate", "estimate_paid_per_month")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_mode_display()}"

    def work_currency(self) -> str | None:
        """The currency chosen, else the one currency of the jurisdiction's rules (as the calculation takes it)."""
        if self.currency:
            return self.currency
        if not self.jurisdiction_id:
            return None
        found = set(RuleVersion.objects.filter(jurisdiction_id=self.jurisdiction_id).values_list("currency", flat=True))
        return found.pop() if len(found) == 1 else None

    @property
    def minor_digits(self) -> int | None:
        """Digits of the chosen currency's minor unit (JPY 0, MYR 2, KWD 3); None when none is chosen."""
        return currencies.get_currency(self.currency).exponent if currencies.is_known(self.currency) else None

    @property
    def amount_format(self) -> str:
        """``floatformat``'s argument for the inputs' amounts: the chosen currency's digits, grouped ("3g");
        without a chosen currency, up to three decimals ("-3g", none for whole amounts)."""
        digits = self.minor_digits
        return "-3g" if digits is None else f"{digits}g"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.estimate_start and self.estimate_end and self.estimate_end < self.estimate_start:
            errors["estimate_end"] = _("The end is before the start.")
        for name in (
            "estimate_hours_per_day",
            "estimate_days_per_week",
            "estimate_overtime_hours_per_week",
            "estimate_rest_day_hours_per_week",
            "estimate_agreed_rate",
            "estimate_paid_per_month",
        ):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("This cannot be negative.")
        if self.estimate_hours_per_day is not None and self.estimate_hours_per_day > 24:
            errors["estimate_hours_per_day"] = _("A day has 24 hours.")
        if self.estimate_days_per_week is not None and self.estimate_days_per_week > 7:
            errors["estimate_days_per_week"] = _("A week has 7 days.")
        if errors:
            raise ValidationError(errors)


def _case_work_currency(case_id: int | None) -> str | None:
    if case_id is None:
        return None
    settings = CalculationSettings.objects.filter(case_id=case_id).first()
    return settings.work_currency() if settings else None


class PayPeriodRow(_InTheMinorUnit, models.Model):
    """One pay period from the records: when, how much was worked, what was agreed, what was paid."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pay_periods")
    label = models.CharField(_("label"), max_length=100, blank=True, help_text=_("E.g. “March 2024”."))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    days_worked = models.DecimalField(_("days worked"), max_digits=5, decimal_places=1)
    normal_hours = models.DecimalField(_("normal hours"), **HOURS)
    overtime_hours = models.DecimalField(_("overtime hours"), **HOURS, default=0)
    rest_day_hours = models.DecimalField(_("rest-day hours"), **HOURS, default=0)
    holiday_hours = models.DecimalField(_("holiday hours"), **HOURS, default=0)
    agreed_rate = models.DecimalField(_("agreed pay"), **AMOUNT)
    agreed_basis = models.CharField(_("agreed pay is"), max_length=5, choices=WageBasis.choices)
    amount_paid = models.DecimalField(_("actually paid"), **AMOUNT, default=0)
    unlawful_deductions = models.DecimalField(
        _("unlawful deductions"), **AMOUNT, default=0, help_text=_("Housing, food, “fees”, penalties…")
    )
    lawful_deductions = models.DecimalField(_("lawful deductions"), **AMOUNT, default=0)
    deductions_note = models.CharField(_("what was deducted"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pay period")
        verbose_name_plural = _("pay periods")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="payperiod_dates_ordered"),
            models.CheckConstraint(
                condition=_not_negative(
                    "days_worked",
                    "normal_hours",
                    "overtime_hours",
                    "rest_day_hours",
                    "holiday_hours",
                    "agreed_rate",
                    "amount_paid",
                    "unlawful_deductions",
                    "lawful_deductions",
                ),
                name="payperiod_not_negative",
            ),
        ]

    NOT_NEGATIVE = (
        "days_worked",
        "normal_hours",
        "overtime_hours",
        "rest_day_hours",
        "holiday_hours",
        "agreed_rate",
        "amount_paid",
        "unlawful_deductions",
        "lawful_deductions",
    )

    money_fields = ("agreed_rate", "amount_paid", "unlawful_deductions", "lawful_deductions")

    def __str__(self) -> str:
        return self.label or f"{self.start.isoformat()}–{self.end.isoformat()}"

    def work_currency(self) -> str | None:
        return _case_work_currency(self.case_id)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The period ends before it starts.")
        for name in self.NOT_NEGATIVE:
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("This cannot be negative.")
        if (
            self.start
            and self.end
            and self.days_worked is not None
            and "end" not in errors
            and self.days_worked > (self.end - self.start).days + 1
        ):
            errors["days_worked"] = _("More days worked than there are days in the period.")
        if errors:
            raise ValidationError(errors)


class OneOffItemRow(_InTheMinorUnit, models.Model):
    """A sum owed once: a recruitment fee the worker paid, withheld final pay, notice pay, leave, gratuity."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="one_off_items")
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    amount = models.DecimalField(_("amount"), **AMOUNT)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("one-off item")
        verbose_name_plural = _("one-off items")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="oneoffitem_not_negative")]

    money_fields = ("amount",)

    def __str__(self) -> str:
        return self.description or self.get_kind_display()

    def work_currency(self) -> str | None:
        return _case_work_currency(self.case_id)

    def clean(self) -> None:
        super().clean()
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("This cannot be negative.")})


class CalculationSnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Calculation snapshots are immutable.")

    def redact_texts(self) -> int:
        """Blank the basis note (free text): the one change to a snapshot, made by anonymisation (cases.retention).
        The figures stay."""
        return models.QuerySet.update(self.exclude(basis_note=""), basis_note="")


class CalculationSnapshot(models.Model):
    """One run of the calculator, kept as it was: the itemised result and the rules it used.

    ``result`` is ``wages.Result.as_dict()``; ``rules_cited`` copies each rule version's figures,
    source and last-verified date at the time of the run (the admin may correct a row later; a
    filing must still show what was cited). ``rule_versions`` links the same rows so that a
    corrected rule can find the calculations that used it.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="calculation_snapshots")
    created_at = models.DateTimeField(_("calculated"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("calculated by")
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    rule_versions = models.ManyToManyField(
        RuleVersion, through="SnapshotRuleVersion", related_name="snapshots", verbose_name=_("rule versions used")
    )
    rules_cited = models.JSONField(_("rules cited"), default=list)
    is_estimate = models.BooleanField(_("estimate"), default=False)
    basis_note = models.TextField(_("basis of the estimate"), blank=True)
    uses_demo_rules = models.BooleanField(_("used demo rule values"), default=False)
    result = models.JSONField(_("result"))
    total_owed = models.DecimalField(_("total owed"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, choices=currencies.choices)

    objects = CalculationSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("calculation")
        verbose_name_plural = _("calculations")
        indexes = [models.Index(fields=["case", "-created_at", "-id"], name="calcsnapshot_case_latest")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.total_owed:.{self.minor_digits}f} {self.currency}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Calculation snapshots are immutable.")
        super().save(*args, **kwargs)

    @property
    def minor_digits(self) -> int:
        """Digits the result was rounded to (2 for snapshots stored before results said so)."""
        return self.result.get("minor_digits", 2) if isinstance(self.result, dict) else 2


class SnapshotRuleVersion(models.Model):
    """A rule version a snapshot used; PROTECT keeps cited versions from being deleted."""

    snapshot = models.ForeignKey(CalculationSnapshot, on_delete=models.CASCADE, related_name="+")
    rule_version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "rule_version"], name="snapshot_rule_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id} → {self.rule_version_id}"
