"""What a worker is owed: the itemised, explainable wage calculation.

Pure — frozen dataclasses and ``Decimal``, no ORM, never a float. ``calculate`` works from pay periods taken from
records, ``calculate_estimate`` from the worker's reconstruction; both return a ``Result`` (one ``Line`` per period and
item with its formula in words). How each line is computed and rounded: docs/money.md, "How the calculator works".
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from decimal import localcontext as _localcontext
from enum import StrEnum

from cases.money.currency_digits import minor_digits as currency_minor_digits
from cases.money.wages_rates import (  # the inputs, re-exported: callers import everything from cases.money.wages
    Basis,
    CalculationError,
    Deduction,  # noqa: F401 (re-exported)
    Estimate,
    ItemKind,
    OneOffItem,
    PayPeriod,
    RuleVersion,
    amount_text,
    conversion,
    convert,
    month_parts,
    number,
    rate_text,
    segments,
    validate_estimate,
    validate_inputs,
)

CENT = Decimal("0.01")  # the minor unit of most currencies, and ``money``'s default
# Hours and days are shared out in hundredths whatever the currency (they are entered in hundredths).
HOURS_DIGITS = 2
# 34 significant digits (decimal128) whatever the caller's context: a converted rate keeps far more precision than
# any line needs, and the result never depends on global state.
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])


class Category(StrEnum):
    """How lines are grouped into subtotals."""

    UNPAID_WAGES = "unpaid_wages"
    UNDERPAYMENT = "underpayment"
    OVERTIME = "overtime"
    REST_HOLIDAY = "rest_holiday"
    UNLAWFUL_DEDUCTIONS = "unlawful_deductions"
    FEES = "fees"
    FINAL_PAY = "final_pay"
    OTHER = "other"


ITEM_CATEGORIES = {
    ItemKind.RECRUITMENT_FEE: (Category.FEES, "recruitment fee paid by the worker"),
    ItemKind.FINAL_PAY: (Category.FINAL_PAY, "withheld final pay"),
    ItemKind.NOTICE_PAY: (Category.FINAL_PAY, "notice pay"),
    ItemKind.UNUSED_LEAVE: (Category.FINAL_PAY, "unused leave"),
    ItemKind.GRATUITY: (Category.FINAL_PAY, "end-of-service gratuity"),
    ItemKind.OTHER: (Category.OTHER, "other sum owed"),
}


@dataclass(frozen=True)
class Line:
    """One row of the schedule: its amount (in the minor unit), the formula in words, its rule version if any."""

    label: str
    category: Category
    amount: Decimal
    formula: str
    rule_version_id: int | str | None


@dataclass(frozen=True)
class Result:
    """The itemised result. ``total_paid`` = ``total_received`` + ``total_withheld`` (deductions); ``notes`` explain
    anything unusual (an estimate, an overpayment) in words. Every amount is in ``currency``'s minor unit, which has
    ``minor_digits`` digits (a snapshot stored before there was such a field was calculated in hundredths: 2)."""

    currency: str
    is_estimate: bool
    basis_note: str
    lines: tuple[Line, ...]
    subtotals: dict[Category, Decimal]
    gross_owed: Decimal
    total_paid: Decimal
    total_owed: Decimal
    rule_version_ids: tuple[int | str, ...]
    rounding: str
    total_received: Decimal
    total_withheld: Decimal
    notes: tuple[str, ...] = ()
    minor_digits: int = 2

    @property
    def overpaid(self) -> bool:
        return self.total_owed < 0

    def as_dict(self) -> dict:
        """JSON-safe: Decimals as strings, enums as their values; ``Result.from_dict`` reads it back."""
        money_fields = ("gross_owed", "total_paid", "total_owed", "total_received", "total_withheld")
        return {
            "schema": 1,
            "currency": self.currency,
            "is_estimate": self.is_estimate,
            "basis_note": self.basis_note,
            "lines": [
                asdict(line) | {"category": line.category.value, "amount": str(line.amount)} for line in self.lines
            ],
            "subtotals": {category.value: str(amount) for category, amount in self.subtotals.items()},
            **{name: str(getattr(self, name)) for name in money_fields},
            "rule_version_ids": list(self.rule_version_ids),
            "rounding": self.rounding,
            "notes": list(self.notes),
            "minor_digits": self.minor_digits,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Result":
        lines = tuple(
            Line(**line | {"category": Category(line["category"]), "amount": Decimal(line["amount"])})
            for line in data["lines"]
        )
        money_fields = ("gross_owed", "total_paid", "total_owed", "total_received", "total_withheld")
        return cls(
            currency=data["currency"],
            is_estimate=data["is_estimate"],
            basis_note=data["basis_note"],
            lines=lines,
            subtotals={category: Decimal(data["subtotals"][category.value]) for category in Category},
            rule_version_ids=tuple(data["rule_version_ids"]),
            rounding=data["rounding"],
            notes=tuple(data["notes"]),
            minor_digits=data.get("minor_digits", 2),
            **{name: Decimal(data[name]) for name in money_fields},
        )


def money(value: Decimal | int, digits: int = 2) -> Decimal:
    """THE rounding helper: ``value`` to ``digits`` decimals — the currency's minor unit — half up.

    0.01 for most currencies, 0.001 for KWD (0.0005 → 0.001), 1 for JPY (0.5 → 1). Half up (0.005 → 0.01, 2.675 →
    2.68) because payslips, labour offices and courts round that way, so a worker or an inspector checking a line by
    hand gets the same cents; half-to-even would round some half cents down and look like a mistake. Used once per
    line, and to share out inputs (hours and days in hundredths, money in the minor unit); nothing else rounds.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"money() takes a Decimal or an int, not {type(value).__name__}")
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise TypeError(f"money() rounds to a whole number of digits, not {type(digits).__name__}")
    if digits < 0:
        raise ValueError(f"money() rounds to 0 or more digits, not {digits}")
    return Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def rounding_statement(currency: str, digits: int) -> str:
    """How a result in ``currency`` was rounded, in words, naming the unit: "to 0.001 KWD", "to whole JPY"."""
    quantum = Decimal(1).scaleb(-digits)
    unit, half = _unit(currency, digits), f"{quantum / 2} → {quantum}"
    return (
        f"Each line is rounded once, to {unit}, half up ({half}). Rates, hours, subtotals and totals are not "
        "rounded; subtotals and totals are exact sums of the rounded lines, and a converted rate shown with ≈ is "
        "shortened for display only. Where a period is split at a change of rules, its hours and days are shared out "
        f"by calendar days in hundredths and its amounts to {unit}, so that the parts add up to the whole."
    )


def _digits(currency: str, minor_digits: int | None) -> int:
    return currency_minor_digits(currency) if minor_digits is None else minor_digits


def _unit(currency: str, digits: int) -> str:
    """The minor unit in words: "0.01 MYR", "0.001 KWD", "whole JPY"."""
    return f"whole {currency}" if digits == 0 else f"{Decimal(1).scaleb(-digits)} {currency}"


def calculate(
    *,
    periods: Sequence[PayPeriod],
    items: Sequence[OneOffItem] = (),
    rules: Sequence[RuleVersion],
    currency: str,
    minor_digits: int | None = None,
) -> Result:
    """The itemised amount owed for ``periods`` and ``items`` under the jurisdiction's ``rules`` (module docstring).

    Money is rounded to ``minor_digits`` decimals; None (the default) means ``currency``'s minor unit (ISO 4217:
    2 for MYR, 3 for KWD, 0 for JPY). Raises ``CalculationError`` naming every wrong input before calculating anything.
    """
    digits = _digits(currency, minor_digits)
    with _localcontext(_CONTEXT):
        validate_inputs(periods=periods, items=items, rules=rules, currency=currency, minor_digits=digits)
        lines: list[Line] = []
        used: dict[int | str, None] = {}
        for period in sorted(periods, key=lambda period: period.start):
            for part in split_at_rule_changes(period, rules, minor_digits=digits):
                rule = next(rule for rule in rules if rule.covers(part.start))
                used.setdefault(rule.id, None)
                lines += _period_lines(part, rule, currency, digits)
        lines += [_item_line(item, currency, digits) for item in items]
        # Exact: the inputs were checked to be in the minor unit; ``money`` only writes them with its digits.
        zero = money(0, digits)
        received = sum((money(period.amount_paid, digits) for period in periods), zero)
        withheld = sum((money(d.amount, digits) for period in periods for d in period.deductions), zero)
        return _result(
            lines, currency=currency, digits=digits, received=received, withheld=withheld, rule_ids=tuple(used)
        )


def calculate_estimate(
    *,
    estimate: Estimate,
    items: Sequence[OneOffItem] = (),
    rules: Sequence[RuleVersion],
    currency: str,
    minor_digits: int | None = None,
) -> Result:
    """``calculate`` on the months of ``estimate_periods(estimate)``, marked as an estimate with its basis.

    ``minor_digits`` as for ``calculate``. Errors about the derived months are reported under ``estimate``.
    """
    digits = _digits(currency, minor_digits)
    with _localcontext(_CONTEXT):
        validate_estimate(estimate, currency=currency, minor_digits=digits)
        periods = estimate_periods(estimate, minor_digits=digits)
    try:
        result = calculate(periods=periods, items=items, rules=rules, currency=currency, minor_digits=digits)
    except CalculationError as error:
        errors: dict[str, list[str]] = {}
        for name, messages in error.errors.items():
            errors.setdefault("estimate" if name.startswith("periods") else name, []).extend(messages)
        raise CalculationError(errors) from error
    e = estimate
    rest = f", {number(e.rest_day_hours_per_week)} rest-day hours a week" if e.rest_day_hours_per_week else ""
    note = (
        f"Estimate from the worker's account, not from records. Basis: {e.basis_note.strip()}. Assumed from "
        f"{e.start.isoformat()} to {e.end.isoformat()}: {number(e.hours_per_day)} normal hours a day, "
        f"{number(e.days_per_week)} days a week, {number(e.overtime_hours_per_week)} overtime hours a week{rest}, at "
        f"{rate_text(e.agreed_rate, digits)} {currency}/{Basis(e.agreed_basis)}, "
        f"{amount_text(e.paid_per_month, digits)} {currency} paid a month. Each month's hours and days are the weekly "
        "figures × its calendar days ÷ 7, in hundredths, its pay the monthly figure × its calendar days ÷ the days in "
        f"the month, to {_unit(currency, digits)}."
    )
    return replace(result, is_estimate=True, basis_note=e.basis_note.strip(), notes=(note, *result.notes))


def estimate_periods(estimate: Estimate, *, minor_digits: int = 2) -> list[PayPeriod]:
    """One ``PayPeriod`` per calendar month of the estimate, the first and last ones partial.

    For a month with d of its D calendar days in the estimate: days worked = days per week × d ÷ 7; normal hours =
    hours per day × days per week × d ÷ 7; overtime and rest-day hours = their weekly figures × d ÷ 7, each in
    hundredths; paid = paid per month × d ÷ D, to ``minor_digits`` decimals (the currency's minor unit); all with
    ``money``, so a whole month is paid exactly ``paid_per_month``.
    """
    periods = []
    with _localcontext(_CONTEXT):
        for first, last, month_days in month_parts(estimate.start, estimate.end):
            days = Decimal((last - first).days + 1)
            weeks = days / 7
            periods.append(
                PayPeriod(
                    start=first,
                    end=last,
                    days_worked=money(estimate.days_per_week * weeks, HOURS_DIGITS),
                    normal_hours=money(estimate.hours_per_day * estimate.days_per_week * weeks, HOURS_DIGITS),
                    overtime_hours=money(estimate.overtime_hours_per_week * weeks, HOURS_DIGITS),
                    rest_day_hours=money(estimate.rest_day_hours_per_week * weeks, HOURS_DIGITS),
                    agreed_rate=estimate.agreed_rate,
                    agreed_basis=estimate.agreed_basis,
                    amount_paid=money(estimate.paid_per_month * days / month_days, minor_digits),
                    label=f"Estimated {first:%Y-%m}",
                )
            )
    return periods


_SHARED_HOURS = ("days_worked", "normal_hours", "overtime_hours", "rest_day_hours", "holiday_hours")


def split_at_rule_changes(period: PayPeriod, rules: Sequence[RuleVersion], *, minor_digits: int = 2) -> list[PayPeriod]:
    """``period`` cut where the rule version in force changes; each part lies inside one version.

    Hours of each kind, days worked, the amount paid and each deduction are shared out in proportion to the calendar
    days of each part, cumulatively — hours and days in hundredths, money to ``minor_digits`` decimals (the
    currency's minor unit): part k gets money(total × days up to the end of part k ÷ all days) less the same figure
    for part k − 1, and the last part gets the total less everything before it. So the parts add up to the total
    exactly, each is within one unit (0.01 h, 0.001 KWD, 1 JPY) of its exact share, and none is negative (for totals
    in that unit, as validated). A deduction's zero share is left out. A period inside one version comes back as is.
    Raises ``CalculationError`` when a day is covered by no version.
    """
    with _localcontext(_CONTEXT):
        stretches, missing = segments(period.start, period.end, rules)
        if missing is not None:
            raise CalculationError({"period": [f"No rule version covers {missing.isoformat()}."]})
        if len(stretches) == 1:
            return [period]
        weights = [(last - first).days + 1 for first, last, _ in stretches]
        shares = {name: _apportion(getattr(period, name), weights, HOURS_DIGITS) for name in _SHARED_HOURS}
        shares["amount_paid"] = _apportion(period.amount_paid, weights, minor_digits)
        deduction_shares = [_apportion(deduction.amount, weights, minor_digits) for deduction in period.deductions]
        parts = []
        for k, (first, last, _) in enumerate(stretches):
            deductions = tuple(
                replace(deduction, amount=share[k])
                for deduction, share in zip(period.deductions, deduction_shares, strict=True)
                if share[k]
            )
            fields = {name: share[k] for name, share in shares.items()}
            parts.append(replace(period, start=first, end=last, deductions=deductions, **fields))
        return parts


def _apportion(total: Decimal | int, weights: Sequence[int], digits: int) -> list[Decimal]:
    total, whole, done, before, shares = Decimal(total), sum(weights), 0, Decimal(0), []
    for weight in weights:
        done += weight
        upto = total if done == whole else money(total * done / whole, digits)
        shares.append(upto - before)
        before = upto
    return shares


def _result(lines, *, currency, digits, received, withheld, rule_ids) -> Result:
    zero = money(0, digits)
    subtotals = dict.fromkeys(Category, zero)
    for line in lines:
        subtotals[line.category] += line.amount
    gross = sum((line.amount for line in lines), zero)
    paid = received + withheld
    owed = gross - paid
    notes = ()
    if owed < 0:
        notes = (
            f"Paid {amount_text(paid, digits)} {currency} against {amount_text(gross, digits)} {currency} due: on "
            f"these figures the worker was overpaid by {amount_text(-owed, digits)} {currency} and nothing is owed.",
        )
    return Result(
        currency=currency,
        is_estimate=False,
        basis_note="",
        lines=tuple(lines),
        subtotals=subtotals,
        gross_owed=gross,
        total_paid=paid,
        total_owed=owed,
        rule_version_ids=rule_ids,
        rounding=rounding_statement(currency, digits),
        total_received=received,
        total_withheld=withheld,
        notes=notes,
        minor_digits=digits,
    )


def _period_lines(part: PayPeriod, rule: RuleVersion, currency: str, digits: int) -> list[Line]:
    """The lines of one period lying inside one rule version."""
    name = f"{part.start.isoformat()} – {part.end.isoformat()}"
    name = f"{part.label}, {name}" if part.label else name
    basis, agreed, ref = Basis(part.agreed_basis), Decimal(part.agreed_rate), rule.reference
    quantity, quantity_text = _quantity(part, basis)
    unit = f"{currency}/{basis}"
    lines = []
    minimum = None if rule.minimum_rate is None else convert(rule.minimum_rate, rule.minimum_basis, basis, rule)
    if minimum is None:
        verdict = f"{ref} sets no minimum wage"
    else:
        minimum_text = f"{rate_text(rule.minimum_rate, digits)} {currency}/{Basis(rule.minimum_basis)}"
        if Basis(rule.minimum_basis) != basis:
            words = conversion(rule.minimum_basis, basis, rule)[2]
            minimum_text = f"{minimum_text} {words} = {rate_text(minimum, digits)} {unit}"
        below = "below" if minimum > agreed else "not below"
        verdict = f"{below} the minimum wage {minimum_text} ({ref})"
    wages = f"{quantity_text} × {rate_text(agreed, digits)} {unit} (agreed rate); {verdict}"
    lines.append(
        Line(
            f"{name}: wages at the agreed rate", Category.UNPAID_WAGES, money(quantity * agreed, digits), wages, rule.id
        )
    )
    if minimum is not None and minimum > agreed:
        top_up = (
            f"{quantity_text} × ({rate_text(minimum, digits)} − {rate_text(agreed, digits)}) {unit}, "
            "the minimum less the agreed rate"
        )
        amount = money(quantity * (minimum - agreed), digits)
        lines.append(Line(f"{name}: top-up to the minimum wage", Category.UNDERPAYMENT, amount, top_up, rule.id))
    hourly, hourly_text = _effective_hourly(agreed, basis, rule, currency, digits)
    for hours, multiplier, category, label, word in (
        (part.overtime_hours, rule.overtime_multiplier, Category.OVERTIME, "overtime", "overtime"),
        (part.rest_day_hours, rule.rest_day_multiplier, Category.REST_HOLIDAY, "rest-day work", "rest-day"),
        (part.holiday_hours, rule.holiday_multiplier, Category.REST_HOLIDAY, "holiday work", "holiday"),
    ):
        if hours:
            times = f"{number(multiplier)} ({word} multiplier, rule {rule.id})"
            formula = f"{number(hours)} {word} hours × {hourly_text} × {times}"
            lines.append(
                Line(
                    f"{name}: {label}", category, money(Decimal(hours) * hourly * multiplier, digits), formula, rule.id
                )
            )
    for deduction in part.deductions:
        kept = f"{amount_text(deduction.amount, digits)} {currency} deducted"
        if deduction.lawful:
            label, amount = f"{name}: deduction “{deduction.description}” (lawful)", money(0, digits)
            formula = f"{kept} lawfully: not claimed (it counts with what was paid, as withheld)"
        else:
            label, amount = f"{name}: deduction “{deduction.description}” (unlawful)", money(deduction.amount, digits)
            formula = f"{kept} unlawfully: added back (it also counts with what was paid, as withheld)"
        lines.append(Line(label, Category.UNLAWFUL_DEDUCTIONS, amount, formula, rule.id))
    return lines


def _quantity(part: PayPeriod, basis: Basis) -> tuple[Decimal, str]:
    """How much of the agreed basis the period holds, and how to say it."""
    if basis == Basis.HOUR:
        return Decimal(part.normal_hours), f"{number(part.normal_hours)} normal hours"
    if basis == Basis.DAY:
        return Decimal(part.days_worked), f"{number(part.days_worked)} days worked"
    quantity, words = Decimal(0), []
    for first, last, month_days in month_parts(part.start, part.end):
        days = (last - first).days + 1
        quantity += Decimal(days) / month_days
        words.append(f"1 month ({first:%Y-%m})" if days == month_days else f"{days}/{month_days} of {first:%Y-%m}")
    text = " + ".join(words)
    return quantity, f"({text})" if len(words) > 1 else text


def _effective_hourly(
    agreed: Decimal, basis: Basis, rule: RuleVersion, currency: str, digits: int
) -> tuple[Decimal, str]:
    """The higher of the agreed and the minimum rate, per hour, and how it was found."""

    def said(rate: Decimal, rate_basis: Basis, *whose: str) -> tuple[Decimal, str]:
        hourly = convert(rate, rate_basis, Basis.HOUR, rule)
        if rate_basis != Basis.HOUR:
            whose += (
                f"{rate_text(rate, digits)} {currency}/{rate_basis} {conversion(rate_basis, Basis.HOUR, rule)[2]}",
            )
        return hourly, f"{rate_text(hourly, digits)} {currency}/hour ({'; '.join(whose)})"

    effective = said(agreed, basis, "agreed rate")
    if rule.minimum_rate is not None:
        minimum = said(rule.minimum_rate, Basis(rule.minimum_basis), f"minimum wage, {rule.reference}")
        if minimum[0] > effective[0]:
            effective = minimum
    return effective


def _item_line(item: OneOffItem, currency: str, digits: int) -> Line:
    category, what = ITEM_CATEGORIES[ItemKind(item.kind)]
    label = what[0].upper() + what[1:] + (f": {item.description}" if item.description else "")
    formula = f"{amount_text(item.amount, digits)} {currency}: {what}, the amount as entered"
    return Line(label, category, money(item.amount, digits), formula, None)
