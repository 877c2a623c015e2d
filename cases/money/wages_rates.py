"""What the wage calculator is given, and the checks on it (``cases.money.wages`` re-exports the public names).

The inputs — rule versions, pay periods, deductions, one-off items, an estimate — as frozen dataclasses; which rule
version is in force on a day; converting a rate between bases; writing numbers into formulas the same way everywhere;
and checking every input before anything is calculated. Kept apart from ``cases.money.wages`` so that the calculation
and its result read in one file. Pure: no ORM, no floats.

Money inputs (amounts paid, deductions, one-off items, pay per month) have at most the currency's minor-unit digits
(``cases.money.currency_digits``: 2 for MYR, 3 for KWD, none for JPY); hours and days have at most two decimals whatever
the currency.
"""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise


class Basis(StrEnum):
    """What a rate is paid per."""

    HOUR = "hour"
    DAY = "day"
    MONTH = "month"


class ItemKind(StrEnum):
    """A sum owed once; ``cases.money.wages.ITEM_CATEGORIES`` says which subtotal it goes to."""

    RECRUITMENT_FEE = "recruitment_fee"
    FINAL_PAY = "final_pay"
    NOTICE_PAY = "notice_pay"
    UNUSED_LEAVE = "unused_leave"
    GRATUITY = "gratuity"
    OTHER = "other"


@dataclass(frozen=True)
class Deduction:
    """Money kept back from the period's wages; ``amount`` in the currency's minor unit."""

    description: str
    amount: Decimal
    lawful: bool


@dataclass(frozen=True, kw_only=True)
class PayPeriod:
    """One pay period from the records, dates inclusive. Hours and days in hundredths, money in the minor unit.

    ``normal_hours`` excludes overtime, rest-day and holiday hours. ``amount_paid`` is what reached the worker, after
    the ``deductions``. Keyword-only: a dozen numbers in a row are too easy to swap.
    """

    start: date
    end: date
    days_worked: Decimal
    normal_hours: Decimal
    overtime_hours: Decimal = Decimal(0)
    rest_day_hours: Decimal = Decimal(0)
    holiday_hours: Decimal = Decimal(0)
    agreed_rate: Decimal
    agreed_basis: Basis
    amount_paid: Decimal = Decimal(0)
    deductions: tuple[Deduction, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class OneOffItem:
    """A sum owed once (``amount`` in the currency's minor unit); ``description`` says how it was arrived at."""

    kind: ItemKind
    amount: Decimal
    description: str = ""


@dataclass(frozen=True)
class Estimate:
    """The worker's reconstruction where there are no records, and what it rests on (``basis_note``, required).

    ``hours_per_day`` are normal hours; overtime and (optionally) rest-day hours are given per week.
    """

    start: date
    end: date
    hours_per_day: Decimal
    days_per_week: Decimal
    overtime_hours_per_week: Decimal
    agreed_rate: Decimal
    agreed_basis: Basis
    paid_per_month: Decimal
    basis_note: str
    rest_day_hours_per_week: Decimal = Decimal(0)


@dataclass(frozen=True)
class RuleVersion:
    """One dated version of a jurisdiction's wage rules, as an admin entered it with its source.

    Dates are inclusive; ``effective_to=None`` means still in force. ``minimum_rate=None`` means no minimum wage
    applies. A multiplier is the whole pay for one such hour as a multiple of the effective hourly rate (1.5 is time
    and a half), not a premium on top of it. ``source`` is cited in every formula that uses the version.
    """

    id: int | str
    effective_from: date
    effective_to: date | None
    currency: str
    minimum_rate: Decimal | None
    minimum_basis: Basis
    normal_hours_per_day: Decimal
    normal_hours_per_week: Decimal
    normal_days_per_week: Decimal
    overtime_multiplier: Decimal
    rest_day_multiplier: Decimal
    holiday_multiplier: Decimal
    source: str = ""

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def reference(self) -> str:
        """How a formula cites the version: "rule v3 from 2025-02-01, Minimum Wages Order 2022"."""
        text = f"rule {self.id} from {self.effective_from.isoformat()}"
        return f"{text}, {self.source}" if self.source else text


def conversion(from_basis: Basis | str, to_basis: Basis | str, rule: RuleVersion) -> tuple[Decimal, Decimal, str]:
    """How to turn a rate per ``from_basis`` into a rate per ``to_basis``: (multiply by, divide by, in words).

    A month is 52 ÷ 12 weeks; a week has the version's normal hours per week and normal days per week; a day has
    its normal hours per day. So monthly → hourly = monthly × 12 ÷ 52 ÷ normal hours per week, monthly → daily =
    monthly × 12 ÷ 52 ÷ normal days per week, daily → hourly = daily ÷ normal hours per day, and the reverse
    conversions multiply instead. Each conversion divides once, so a rate loses nothing before the line is rounded.
    """
    source, target = Basis(from_basis), Basis(to_basis)
    if source == target:
        return Decimal(1), Decimal(1), ""
    hours_day, hours_week, days_week = rule.normal_hours_per_day, rule.normal_hours_per_week, rule.normal_days_per_week
    table = {
        (Basis.MONTH, Basis.HOUR): (12, 52 * hours_week, f"× 12 ÷ 52 ÷ {number(hours_week)} normal hours/week"),
        (Basis.MONTH, Basis.DAY): (12, 52 * days_week, f"× 12 ÷ 52 ÷ {number(days_week)} normal days/week"),
        (Basis.DAY, Basis.HOUR): (1, hours_day, f"÷ {number(hours_day)} normal hours/day"),
        (Basis.HOUR, Basis.DAY): (hours_day, 1, f"× {number(hours_day)} normal hours/day"),
        (Basis.HOUR, Basis.MONTH): (52 * hours_week, 12, f"× {number(hours_week)} normal hours/week × 52 ÷ 12"),
        (Basis.DAY, Basis.MONTH): (52 * days_week, 12, f"× {number(days_week)} normal days/week × 52 ÷ 12"),
    }
    times, divide, words = table[(source, target)]
    return Decimal(times), Decimal(divide), words


def convert(rate: Decimal, from_basis: Basis | str, to_basis: Basis | str, rule: RuleVersion) -> Decimal:
    """``rate`` per ``from_basis`` as a rate per ``to_basis`` (see ``conversion``); never rounded."""
    times, divide, _ = conversion(from_basis, to_basis, rule)
    return Decimal(rate) * times / divide


def segments(
    start: date, end: date, rules: Sequence[RuleVersion]
) -> tuple[list[tuple[date, date, RuleVersion]], date | None]:
    """The stretches of ``start``–``end`` (inclusive) in force under one version each, and the first uncovered day."""
    stretches: list[tuple[date, date, RuleVersion]] = []
    day = start
    while day <= end:
        rule = next((r for r in rules if r.covers(day)), None)
        if rule is None:
            return stretches, day
        last = end if rule.effective_to is None else min(end, rule.effective_to)
        stretches.append((day, last, rule))
        day = last + timedelta(days=1)
    return stretches, None


def month_parts(start: date, end: date) -> list[tuple[date, date, int]]:
    """``start``–``end`` cut at month ends: (first day, last day, days in that calendar month) for each month."""
    parts = []
    day = start
    while day <= end:
        month_days = calendar.monthrange(day.year, day.month)[1]
        last = min(end, day.replace(day=month_days))
        parts.append((day, last, month_days))
        day = last + timedelta(days=1)
    return parts


def number(value: Decimal | int) -> str:
    """A quantity as given, never rounded: 172, 7.5, 1,234.25."""
    return f"{Decimal(value).normalize():,f}"


def rate_text(value: Decimal | int, digits: int = 2) -> str:
    """A rate for a formula, with at least the currency's ``digits``: 45.00 (MYR), 1,200 (JPY), 0.125 (KWD), 7.2125.

    Longer converted rates are shortened to four decimals with "≈", for display only.
    """
    rate = Decimal(value)
    exponent = rate.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -digits:
        return f"{rate:,.{digits}f}"
    if isinstance(exponent, int) and exponent >= -4:
        return f"{rate.normalize():,f}"
    return f"≈{rate:,.4f}"


def amount_text(value: Decimal | int, digits: int = 2) -> str:
    """An amount of money already in the currency's minor unit, with its ``digits``: 1,500.00 MYR, 1,500 JPY."""
    return f"{Decimal(value):,.{digits}f}"


# The most digits a currency's minor unit has (ISO 4217: the Chilean and Uruguayan units of account).
MAX_DIGITS = 4


def places_message(currency: str, digits: int) -> str:
    """Why a money input with more decimals than ``currency``'s minor unit is refused (the ledger's words)."""
    if not _is_code(currency):
        return f"Must not have more than {digits} decimal places."
    if digits == 0:
        return f"{currency} has no smaller unit: enter a whole number."
    return f"{currency} has {digits} digit{'' if digits == 1 else 's'} after the decimal point; this amount has more."


def _is_code(currency) -> bool:
    return isinstance(currency, str) and len(currency) == 3 and currency.isalpha() and currency.isupper()


class CalculationError(ValueError):
    """Inputs the calculator cannot use.

    ``errors`` maps every wrong field, named as the caller passed it (``periods[2].overtime_hours``, ``rules[0]``,
    ``items[1].amount``, ``estimate.basis_note``, ``currency``), to its messages; ``field`` is the first of them.
    """

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        self.field = next(iter(errors))
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))


class _Checks:
    """Collects every problem before raising once, so a form can show them all."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def number(self, name: str, value, *, places: int | None = None, positive=False, maximum=None) -> bool:
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            self.add(name, f"Must be a Decimal, not {type(value).__name__}.")
            return False
        value = Decimal(value)
        if not value.is_finite():
            self.add(name, "Must be a finite number.")
        elif value < 0 or (positive and value == 0):
            self.add(name, "Must be more than zero." if positive else "Must not be negative.")
        elif maximum is not None and value > maximum:
            self.add(name, f"Must not be more than {number(maximum)}.")
        elif places is not None and _exponent(value) < -places:
            self.add(name, f"Must not have more than {places} decimal places.")
        else:
            return True
        return False

    def money(self, name: str, value, currency: str, digits: int) -> bool:
        """A money input: a number, not negative, in ``currency``'s minor unit (``digits`` decimals at most)."""
        if not self.number(name, value):
            return False
        if _exponent(Decimal(value)) < -digits:
            self.add(name, places_message(currency, digits))
            return False
        return True

    def digits(self, name: str, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DIGITS:
            self.add(name, f"Must be a whole number of digits from 0 to {MAX_DIGITS}, not {value!r}.")
            return False
        return True

    def choice(self, name: str, value, choices: type[StrEnum]) -> bool:
        try:
            choices(value)
        except ValueError:
            self.add(name, f"Unknown {choices.__name__.lower()} {value!r}: one of {', '.join(choices)}.")
            return False
        return True

    def dates(self, name: str, start, end, end_name: str = "end") -> bool:
        if not (isinstance(start, date) and isinstance(end, date)):
            self.add(name, "Start and end must be dates.")
            return False
        if end < start:
            self.add(f"{name}.{end_name}", "Ends before it starts.")
            return False
        return True

    def raise_any(self) -> None:
        if self.errors:
            raise CalculationError(self.errors)


def _exponent(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


_RULE_NUMBERS = {  # field: the most it can be
    "normal_hours_per_day": 24,
    "normal_hours_per_week": 168,
    "normal_days_per_week": 7,
    "overtime_multiplier": None,
    "rest_day_multiplier": None,
    "holiday_multiplier": None,
}
_HOURS = ("normal_hours", "overtime_hours", "rest_day_hours", "holiday_hours")


def validate_inputs(*, periods, items, rules, currency: str, minor_digits: int = 2) -> None:
    """Raise ``CalculationError`` for anything ``calculate`` cannot use; checks everything before raising.

    Rule versions: dates in order, no two covering the same day, normal hours and days and multipliers more than zero
    (a day has at most 24 hours, a week 168 hours and 7 days), a known minimum basis. Periods: dates in order, no two
    sharing a day, every day covered by a version in the currency of the work, hours and days in hundredths and not
    negative, days worked and hours within the days of the period, a known agreed basis. Money: in the currency's
    minor unit (at most ``minor_digits`` decimals), not negative. Never a float.
    """
    checks = _Checks()
    if not _is_code(currency):
        checks.add("currency", "Must be a three-letter ISO 4217 code, such as MYR.")
    checks.digits("minor_digits", minor_digits)
    dated: list[tuple[int, RuleVersion]] = []
    for i, rule in enumerate(rules):
        name = f"rules[{i}]"
        if not checks.dates(name, rule.effective_from, rule.effective_to or rule.effective_from, "effective_to"):
            continue
        for j, other in dated:
            if rule.covers(other.effective_from) or other.covers(rule.effective_from):
                checks.add(name, f"Overlaps rules[{j}] (version {other.id}): one day, one version.")
        dated.append((i, rule))
        if rule.minimum_rate is not None:
            checks.number(f"{name}.minimum_rate", rule.minimum_rate)
        checks.choice(f"{name}.minimum_basis", rule.minimum_basis, Basis)
        for field, maximum in _RULE_NUMBERS.items():
            checks.number(f"{name}.{field}", getattr(rule, field), positive=True, maximum=maximum)
    checks.raise_any()  # periods cannot be checked against broken rules or a broken unit
    for i, period in enumerate(periods):
        _check_period(checks, f"periods[{i}]", period, rules, currency, minor_digits)
    spans = sorted(
        (period.start, period.end, i)
        for i, period in enumerate(periods)
        if isinstance(period.start, date) and isinstance(period.end, date)
    )
    for (_, end, j), (start, _, i) in pairwise(spans):
        if start <= end:
            checks.add(f"periods[{i}]", f"Shares days with periods[{j}]; they would be counted twice.")
    for i, item in enumerate(items):
        checks.choice(f"items[{i}].kind", item.kind, ItemKind)
        checks.money(f"items[{i}].amount", item.amount, currency, minor_digits)
    checks.raise_any()


def _check_period(checks: _Checks, name: str, period, rules, currency: str, digits: int) -> None:
    dated = checks.dates(name, period.start, period.end)
    days = (period.end - period.start).days + 1 if dated else None
    checks.number(f"{name}.days_worked", period.days_worked, places=2, maximum=days)
    hours_ok = all([checks.number(f"{name}.{field}", getattr(period, field), places=2) for field in _HOURS])  # noqa: C419 (check all, report all)
    if dated and hours_ok and sum(Decimal(getattr(period, field)) for field in _HOURS) > 24 * days:
        checks.add(name, f"More hours than the period's {days} days hold (24 a day).")
    checks.number(f"{name}.agreed_rate", period.agreed_rate)
    checks.choice(f"{name}.agreed_basis", period.agreed_basis, Basis)
    checks.money(f"{name}.amount_paid", period.amount_paid, currency, digits)
    for j, deduction in enumerate(period.deductions):
        checks.money(f"{name}.deductions[{j}].amount", deduction.amount, currency, digits)
        if not isinstance(deduction.lawful, bool):
            checks.add(f"{name}.deductions[{j}].lawful", "Must be True or False.")
    if not dated:
        return
    stretches, missing = segments(period.start, period.end, rules)
    if missing is not None:
        checks.add(name, f"No rule version covers {missing.isoformat()}.")
    for rule in dict.fromkeys(rule for _, _, rule in stretches):
        if rule.currency != currency:
            checks.add(name, f"Rule version {rule.id} is in {rule.currency}; the work is in {currency}.")


def validate_estimate(estimate, *, currency: str = "", minor_digits: int = 2) -> None:
    """Raise ``CalculationError`` for an estimate ``calculate_estimate`` cannot use; the basis must be written down.

    The pay per month is money in ``currency``: at most ``minor_digits`` decimals.
    """
    checks = _Checks()
    if not checks.digits("minor_digits", minor_digits):
        checks.raise_any()
    checks.dates("estimate", estimate.start, estimate.end)
    for field, maximum in (("hours_per_day", 24), ("days_per_week", 7), ("overtime_hours_per_week", 168)):
        checks.number(f"estimate.{field}", getattr(estimate, field), maximum=maximum)
    checks.number("estimate.rest_day_hours_per_week", estimate.rest_day_hours_per_week, maximum=168)
    checks.number("estimate.agreed_rate", estimate.agreed_rate)
    checks.choice("estimate.agreed_basis", estimate.agreed_basis, Basis)
    checks.money("estimate.paid_per_month", estimate.paid_per_month, currency, minor_digits)
    if not (isinstance(estimate.basis_note, str) and estimate.basis_note.strip()):
        checks.add("estimate.basis_note", "Say what the estimate rests on (the worker's account, a payslip…).")
    checks.raise_any()
    week = estimate.hours_per_day * estimate.days_per_week
    if week + estimate.overtime_hours_per_week + estimate.rest_day_hours_per_week > 168:
        checks.add("estimate", "More hours a week than a week holds (168).")
    checks.raise_any()
