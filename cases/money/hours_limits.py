"""Normal hours within the jurisdiction's limits: normal hours above them are refused, never silently dropped.

Checked on every save (web form, API) and again when the calculator runs; the message says how many hours to enter
as overtime. The rules: docs/money.md, "Normal hours within the limits".
"""

from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext as _

from cases.money.models import CalculationSettings, PayPeriodRow, RuleVersion
from cases.money.wages_rates import number

HUNDREDTH = Decimal("0.01")


def in_force(versions: list[RuleVersion], start: date | None, end: date | None) -> list[RuleVersion]:
    """The versions in force on any day from ``start`` to ``end`` (every version when the dates are unknown)."""
    if start is None or end is None or end < start:
        return list(versions)
    return [v for v in versions if v.effective_from <= end and (v.effective_to is None or v.effective_to >= start)]


def _most_lenient(versions: list[RuleVersion]) -> tuple[RuleVersion, RuleVersion]:
    """The versions with the highest daily and the highest weekly limit."""
    return (
        max(versions, key=lambda v: v.normal_hours_per_day),
        max(versions, key=lambda v: v.normal_hours_per_week),
    )


def weekly_most(start: date, end: date, per_day: Decimal, per_week: Decimal) -> Decimal:
    """The most normal hours the dates can hold: per calendar week the lesser of its days × ``per_day`` and
    ``per_week``, with the week beginning on whichever weekday gives the most."""
    best = Decimal(0)
    days = (end - start).days + 1
    for first_weekday in range(7):
        weeks = Counter(((start + timedelta(days=n)).toordinal() - first_weekday) // 7 for n in range(days))
        best = max(best, sum((min(count * per_day, per_week) for count in weeks.values()), Decimal(0)))
    return best


def period_errors(period: PayPeriodRow, versions: list[RuleVersion]) -> dict[str, list[str]]:
    """``{"normal_hours": [message]}`` when the period's normal hours exceed the limits in force, else ``{}``."""
    hours, days = period.normal_hours, period.days_worked
    if hours is None or days is None or not period.start or not period.end or period.end < period.start:
        return {}
    applying = in_force(versions, period.start, period.end)
    if not applying:
        return {}
    daily, weekly = _most_lenient(applying)
    most = days * daily.normal_hours_per_day
    if hours > most:
        message = _(
            "%(hours)s normal hours in %(days)s days worked is more than %(limit)s a day, the normal hours of "
            "%(rule)s: enter at most %(most)s normal hours and the other %(extra)s as overtime hours."
        ) % {
            "hours": number(hours),
            "days": number(days),
            "limit": number(daily.normal_hours_per_day),
            "rule": daily,
            "most": number(most),
            "extra": number(hours - most),
        }
        return {"normal_hours": [message]}
    most = weekly_most(period.start, period.end, daily.normal_hours_per_day, weekly.normal_hours_per_week)
    if hours > most:
        message = _(
            "%(hours)s normal hours from %(start)s to %(end)s is more than %(limit)s a week, the normal hours of "
            "%(rule)s, allow on these dates: enter at most %(most)s normal hours and the other %(extra)s as "
            "overtime hours."
        ) % {
            "hours": number(hours),
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "limit": number(weekly.normal_hours_per_week),
            "rule": weekly,
            "most": number(most),
            "extra": number(hours - most),
        }
        return {"normal_hours": [message]}
    return {}


def estimate_errors(settings: CalculationSettings, versions: list[RuleVersion]) -> dict[str, list[str]]:
    """``{"estimate_hours_per_day": [message]}`` when the usual normal hours exceed the limits in force, else ``{}``."""
    hours, days = settings.estimate_hours_per_day, settings.estimate_days_per_week
    if hours is None:
        return {}
    applying = in_force(versions, settings.estimate_start, settings.estimate_end)
    if not applying:
        return {}
    daily, weekly = _most_lenient(applying)
    limit = daily.normal_hours_per_day
    if hours > limit:
        values = {"hours": number(hours), "limit": number(limit), "rule": daily, "extra": number(hours - limit)}
        if days:
            values.update(days=number(days), overtime=number((hours - limit) * days))
            message = _(
                "%(hours)s hours a day is more than the %(limit)s normal hours a day of %(rule)s: enter %(limit)s "
                "normal hours a day, and add the other %(extra)s hours a day × %(days)s days = %(overtime)s to the "
                "overtime hours per week."
            )
        else:
            message = _(
                "%(hours)s hours a day is more than the %(limit)s normal hours a day of %(rule)s: enter %(limit)s "
                "normal hours a day, and the other %(extra)s hours a day as overtime hours per week."
            )
        return {"estimate_hours_per_day": [message % values]}
    limit = weekly.normal_hours_per_week
    if days and hours * days > limit:
        per_day = (limit / days).quantize(HUNDREDTH, rounding=ROUND_DOWN)
        message = _(
            "%(hours)s normal hours a day on %(days)s days is %(week)s a week, more than the %(limit)s normal hours "
            "a week of %(rule)s: enter at most %(per_day)s normal hours a day, and add the other %(extra)s hours a "
            "week to the overtime hours per week."
        ) % {
            "hours": number(hours),
            "days": number(days),
            "week": number(hours * days),
            "limit": number(limit),
            "rule": weekly,
            "per_day": number(per_day),
            "extra": number(hours * days - per_day * days),
        }
        return {"estimate_hours_per_day": [message]}
    return {}
