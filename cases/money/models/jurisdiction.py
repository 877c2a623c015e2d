"""Jurisdiction rules as data: dated rule versions (minimum wage, hours, multipliers) and limitation periods.

Every figure here is a legal rule of some country, so it lives in admin-edited rows with its
``source`` and ``last_verified`` date, never in code. Rows loaded by ``seed_jurisdictions`` carry
``is_demo=True`` and the page warns whenever a calculation used one.
"""

import itertools
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases.money import currencies, wages
from cases.money.currency_digits import minor_digits

MONEY = {"max_digits": 15, "decimal_places": 3}  # 3: KWD, BHD, OMR, JOD have fils
MULTIPLIER = {"max_digits": 4, "decimal_places": 2}
HOURS = {"max_digits": 7, "decimal_places": 2}


class WageBasis(models.TextChoices):
    """What a rate is paid per; the same values as ``wages.Basis``."""

    HOUR = "hour", _("per hour")
    DAY = "day", _("per day")
    MONTH = "month", _("per month")


class Jurisdiction(models.Model):
    """A country (or a region of one) whose labour rules apply to work done there."""

    country = CountryField(_("country"))
    region = models.CharField(
        _("region"), max_length=100, blank=True, help_text=_("Only where the rules differ inside the country.")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["country", "region"], name="jurisdiction_unique_region")]

    def __str__(self) -> str:
        return self.name


class RuleVersionQuerySet(models.QuerySet):
    def in_force_on(self, day: date) -> "RuleVersionQuerySet":
        return self.filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=day), effective_from__lte=day
        )


def first_overlap(spans: list[tuple[date, date | None]]) -> tuple[int, int] | None:
    """The indexes of two spans (from, to-inclusive-or-open) that overlap, or None."""
    ordered = sorted(range(len(spans)), key=lambda i: spans[i][0])
    for before, after in itertools.pairwise(ordered):
        end = spans[before][1]
        if end is None or end >= spans[after][0]:
            return before, after
    return None


class RuleVersion(models.Model):
    """The wage rules of a jurisdiction between two dates (inclusive; an open end means "until replaced").

    Versions of one jurisdiction must not overlap. That is checked in ``clean()`` (and across the
    admin's inline rows) rather than by the database, because a portable constraint cannot say it.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="rule_versions", verbose_name=_("jurisdiction")
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True, help_text=_("Inclusive; empty: open."))
    currency = models.CharField(_("currency"), max_length=3, choices=currencies.choices)
    minimum_wage = models.DecimalField(
        _("minimum wage"), **MONEY, null=True, blank=True, help_text=_("Empty where there is no minimum wage.")
    )
    minimum_basis = models.CharField(
        _("minimum wage is paid"), max_length=5, choices=WageBasis.choices, default=WageBasis.MONTH
    )
    normal_hours_per_day = models.DecimalField(_("normal hours per day"), max_digits=4, decimal_places=2)
    normal_hours_per_week = models.DecimalField(_("normal hours per week"), max_digits=5, decimal_places=2)
    normal_days_per_week = models.DecimalField(_("normal days per week"), max_digits=3, decimal_places=1)
    overtime_multiplier = models.DecimalField(_("overtime multiplier"), **MULTIPLIER, default=Decimal("1.5"))
    rest_day_multiplier = models.DecimalField(_("rest-day multiplier"), **MULTIPLIER, default=Decimal(2))
    holiday_multiplier = models.DecimalField(_("holiday multiplier"), **MULTIPLIER, default=Decimal(2))
    source = models.TextField(
        _("source"), help_text=_("The law or official page (title and URL) these figures are from.")
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    is_demo = models.BooleanField(
        _("demo values"), default=False, help_text=_("Invented or unverified figures: never cite them in a filing.")
    )

    objects = RuleVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["jurisdiction", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "effective_from"], name="ruleversion_unique_start"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="ruleversion_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(overtime_multiplier__gt=0, rest_day_multiplier__gt=0, holiday_multiplier__gt=0),
                name="ruleversion_multipliers_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(normal_hours_per_day__gt=0, normal_hours_per_day__lte=24)
                & models.Q(normal_hours_per_week__gt=0, normal_hours_per_week__lte=168)
                & models.Q(normal_days_per_week__gt=0, normal_days_per_week__lte=7),
                name="ruleversion_normal_time_sane",
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_wage__isnull=True) | models.Q(minimum_wage__gte=0),
                name="ruleversion_minimum_not_negative",
            ),
        ]

    def __str__(self) -> str:
        until = self.effective_to.isoformat() if self.effective_to else "…"
        return f"{self.jurisdiction} {self.effective_from.isoformat()}–{until}"

    def as_wages(self) -> wages.RuleVersion:
        """This version as the calculator takes it."""
        return wages.RuleVersion(
            id=self.pk,
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            currency=self.currency,
            minimum_rate=self.minimum_wage,
            minimum_basis=wages.Basis(self.minimum_basis),
            normal_hours_per_day=self.normal_hours_per_day,
            normal_hours_per_week=self.normal_hours_per_week,
            normal_days_per_week=self.normal_days_per_week,
            overtime_multiplier=self.overtime_multiplier,
            rest_day_multiplier=self.rest_day_multiplier,
            holiday_multiplier=self.holiday_multiplier,
            source=self.source,
        )

    def citation(self) -> dict:
        """This version as a calculation snapshot cites it: figures, source and last-verified date, as they are now."""
        return {
            "id": self.pk,
            "jurisdiction": self.jurisdiction.name,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "currency": self.currency,
            "minimum_wage": None if self.minimum_wage is None else _in_minor_units(self.minimum_wage, self.currency),
            "minimum_basis": self.minimum_basis,
            "overtime_multiplier": str(self.overtime_multiplier),
            "rest_day_multiplier": str(self.rest_day_multiplier),
            "holiday_multiplier": str(self.holiday_multiplier),
            "source": self.source,
            "last_verified": self.last_verified.isoformat() if self.last_verified else None,
            "is_demo": self.is_demo,
        }

    # Set by the admin's inline formset, which checks overlaps among all the rows it saves at once
    # (a row checked alone against the database would see its siblings' old dates).
    overlap_checked_by_caller = False

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            errors["effective_to"] = _("A version cannot end before it starts.")
        for name in ("overtime_multiplier", "rest_day_multiplier", "holiday_multiplier"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                errors[name] = _("A multiplier must be more than zero.")
        if errors:
            raise ValidationError(errors)
        if not self.overlap_checked_by_caller and self.jurisdiction_id and self.effective_from:
            self._check_no_overlap()

    def _check_no_overlap(self) -> None:
        others = RuleVersion.objects.filter(jurisdiction_id=self.jurisdiction_id).exclude(pk=self.pk)
        clash = others.filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=self.effective_from),
        )
        if self.effective_to:
            clash = clash.filter(effective_from__lte=self.effective_to)
        other = clash.order_by("effective_from").first()
        if other is not None:
            raise ValidationError(
                _("These dates overlap the version in force from %(start)s. Close that version first.")
                % {"start": other.effective_from.isoformat()}
            )


class LimitationTrigger(models.TextChoices):
    END_OF_CONTRACT = "end_of_contract", _("End of contract")
    TERMINATION = "termination", _("Termination")
    DEPARTURE = "departure", _("Departure from the country")
    AWARD = "award", _("Date of the award")


class LimitationRule(models.Model):
    """How long a worker has to bring a claim before a forum, counted from a trigger event."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="limitation_rules", verbose_name=_("jurisdiction")
    )
    forum = models.CharField(_("forum"), max_length=200, help_text=_("Where the claim is brought, e.g. labour court."))
    description = models.TextField(_("description"), blank=True)
    period_months = models.PositiveSmallIntegerField(_("period in months"), null=True, blank=True)
    period_days = models.PositiveIntegerField(_("period in days"), null=True, blank=True)
    trigger = models.CharField(_("counted from"), max_length=20, choices=LimitationTrigger.choices)
    source = models.TextField(_("source"))
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo values"), default=False)

    class Meta:
        verbose_name = _("limitation period")
        verbose_name_plural = _("limitation periods")
        ordering = ["jurisdiction", "forum"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(period_months__isnull=True) & models.Q(period_days__gt=0))
                | (models.Q(period_days__isnull=True) & models.Q(period_months__gt=0)),
                name="limitation_one_positive_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction}: {self.forum}"

    def clean(self) -> None:
        super().clean()
        if (self.period_months is None) == (self.period_days is None):
            raise ValidationError(_("Give the period either in months or in days."))
        if (self.period_months or self.period_days or 0) <= 0:
            raise ValidationError(_("The period must be longer than zero."))


def _in_minor_units(value: Decimal, currency: str) -> str:
    """``value`` written with the currency's digits (1500.00 MYR, 0.375 KWD), more only if the law set more."""
    exact = value.quantize(Decimal(1).scaleb(-minor_digits(currency)))
    return str(exact if exact == value else value.normalize())
