"""ISO 4217 currencies met in this field, and exact conversion between amounts and integer minor units.

Money is stored as an integer count of the currency's minor unit (cents, fils, …) next to its ISO 4217 code, so sums are
exact integer sums on every database. The number of minor-unit digits (the *exponent*) is ISO 4217's: two for most
currencies, three for the Gulf and Jordanian dinars and the Omani rial, none for the yen, won, dong and Chilean peso
(the table is ``cases.money.currency_digits``, which the wage calculator reads too). An amount finer than the currency's
minor unit (0.001 USD, 1.5 JPY) is refused, never rounded: whoever typed it meant something the ledger cannot hold.

Pure: no ORM, no floats. The one rounding rule for converting between currencies (half up, at the target's minor
unit) lives in ``convert_minor``.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, Inexact, InvalidOperation, localcontext

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from cases.money.currency_digits import minor_digits

# Above any wage claim in any currency (10^15 minor units is 10 billion in a 5-digit-per-dollar currency), and far
# enough below 2^63 that a few thousand entries still sum inside a BIGINT.
MAX_MINOR = 10**15
# Enough digits for MAX_MINOR times a Decimal(20, 10) exchange rate, with room to spare.
_PRECISION = 60


@dataclass(frozen=True)
class CurrencyInfo:
    code: str
    exponent: int
    name: str

    @property
    def quantum(self) -> Decimal:
        """The minor unit as a Decimal: 0.01 for USD, 0.001 for KWD, 1 for JPY."""
        return Decimal(1).scaleb(-self.exponent)


def _c(code: str, name) -> tuple[str, CurrencyInfo]:
    """A currency, its exponent from ``cases.money.currency_digits`` (shared with the wage calculator)."""
    return code, CurrencyInfo(code, minor_digits(code), name)


CURRENCIES: dict[str, CurrencyInfo] = dict(
    [
        # Destination countries: Gulf, Middle East, East and South-East Asia, Russia and Central Asia, the Americas.
        _c("AED", _("UAE dirham")),
        _c("BHD", _("Bahraini dinar")),
        _c("KWD", _("Kuwaiti dinar")),
        _c("OMR", _("Omani rial")),
        _c("QAR", _("Qatari riyal")),
        _c("SAR", _("Saudi riyal")),
        _c("JOD", _("Jordanian dinar")),
        _c("LBP", _("Lebanese pound")),
        _c("ILS", _("Israeli new shekel")),
        _c("TRY", _("Turkish lira")),
        _c("THB", _("Thai baht")),
        _c("MYR", _("Malaysian ringgit")),
        _c("SGD", _("Singapore dollar")),
        _c("HKD", _("Hong Kong dollar")),
        _c("TWD", _("New Taiwan dollar")),
        _c("JPY", _("Japanese yen")),
        _c("KRW", _("South Korean won")),
        _c("CNY", _("Chinese yuan")),
        _c("RUB", _("Russian rouble")),
        _c("KZT", _("Kazakh tenge")),
        _c("USD", _("US dollar")),
        _c("CAD", _("Canadian dollar")),
        _c("MXN", _("Mexican peso")),
        _c("CLP", _("Chilean peso")),
        _c("DOP", _("Dominican peso")),
        _c("BRL", _("Brazilian real")),
        _c("EUR", _("Euro")),
        _c("GBP", _("Pound sterling")),
        _c("PLN", _("Polish złoty")),
        _c("AUD", _("Australian dollar")),
        _c("NZD", _("New Zealand dollar")),
        # Origin countries.
        _c("KGS", _("Kyrgyz som")),
        _c("UZS", _("Uzbek sum")),
        _c("TJS", _("Tajik somoni")),
        _c("NPR", _("Nepalese rupee")),
        _c("BDT", _("Bangladeshi taka")),
        _c("INR", _("Indian rupee")),
        _c("PKR", _("Pakistani rupee")),
        _c("LKR", _("Sri Lankan rupee")),
        _c("MMK", _("Myanmar kyat")),
        _c("KHR", _("Cambodian riel")),
        _c("LAK", _("Lao kip")),
        _c("VND", _("Vietnamese dong")),
        _c("IDR", _("Indonesian rupiah")),
        _c("PHP", _("Philippine peso")),
        _c("HTG", _("Haitian gourde")),
        _c("GTQ", _("Guatemalan quetzal")),
        _c("HNL", _("Honduran lempira")),
        _c("ETB", _("Ethiopian birr")),
        _c("KES", _("Kenyan shilling")),
        _c("UGX", _("Ugandan shilling")),
        _c("NGN", _("Nigerian naira")),
        _c("GHS", _("Ghanaian cedi")),
        _c("EGP", _("Egyptian pound")),
        _c("UAH", _("Ukrainian hryvnia")),
    ]
)


class CurrencyError(ValueError):
    """An amount or currency the ledger cannot hold; ``str()`` is a message for the person who typed it."""


class UnknownCurrency(CurrencyError):
    pass


class SubMinorAmount(CurrencyError):
    pass


def get_currency(code: str) -> CurrencyInfo:
    """The currency with this ISO 4217 code (upper case), or UnknownCurrency."""
    try:
        return CURRENCIES[code]
    except (KeyError, TypeError):
        raise UnknownCurrency(
            _("%(code)s is not a currency code we know. Use an ISO 4217 code such as THB, MYR or USD.") % {"code": code}
        ) from None


def is_known(code: str) -> bool:
    return code in CURRENCIES


def choices() -> list[tuple[str, str]]:
    """(code, "CODE — name") pairs, sorted by code, for select boxes."""
    return [(code, f"{code} — {CURRENCIES[code].name}") for code in sorted(CURRENCIES)]


def to_minor(amount: Decimal | int, currency: str) -> int:
    """``amount`` (in major units) as an exact count of ``currency``'s minor unit.

    Refuses floats (they cannot hold 0.10 exactly), amounts finer than the minor unit, non-finite values and
    amounts whose size is beyond MAX_MINOR.
    """
    info = get_currency(currency)
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"Money amounts are Decimal or int, not {type(amount).__name__}.")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise CurrencyError(_("Enter a number."))
    with localcontext() as context:
        context.prec = _PRECISION
        context.traps[Inexact] = True
        try:
            scaled = amount.scaleb(info.exponent)
        except (Inexact, InvalidOperation):
            raise CurrencyError(_("This amount is too large.")) from None
    if scaled != scaled.to_integral_value():
        raise SubMinorAmount(_minor_unit_message(info))
    minor = int(scaled)
    if abs(minor) > MAX_MINOR:
        raise CurrencyError(_("This amount is too large."))
    return minor


def _minor_unit_message(info: CurrencyInfo) -> str:
    if info.exponent == 0:
        return str(_("%(code)s has no smaller unit: enter a whole number.") % {"code": info.code})
    return str(
        _("%(code)s has %(digits)d digits after the decimal point; this amount has more.")
        % {"code": info.code, "digits": info.exponent}
    )


def from_minor(minor: int, currency: str) -> Decimal:
    """The Decimal amount for ``minor`` minor units, with the currency's exponent: 1234 USD → Decimal("12.34")."""
    info = get_currency(currency)
    with localcontext() as context:
        context.prec = _PRECISION
        return Decimal(int(minor)).scaleb(-info.exponent)


def convert_minor(minor: int, *, rate: Decimal, from_currency: str, to_currency: str) -> int:
    """``minor`` units of ``from_currency`` in minor units of ``to_currency``, at ``rate`` (``to`` per one ``from``).

    Computed exactly in Decimal and rounded once, half up, to the target's minor unit.
    """
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
        raise ValueError("An exchange rate is a positive Decimal.")
    shift = get_currency(to_currency).exponent - get_currency(from_currency).exponent
    with localcontext() as context:
        context.prec = _PRECISION
        context.traps[Inexact] = True  # the product itself is exact; only the rounding below may drop digits
        exact = (Decimal(int(minor)) * rate).scaleb(shift)
        context.traps[Inexact] = False
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ratio(numerator: int, denominator: int, *, places: int = 4) -> Decimal | None:
    """``numerator ÷ denominator`` to ``places`` decimals (half up), or None when the denominator is zero."""
    if not denominator:
        return None
    with localcontext() as context:
        context.prec = _PRECISION
        return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_amount(minor: int, currency: str) -> str:
    """The amount in the active language's number format, with every minor digit and grouped thousands."""
    info = get_currency(currency)
    return number_format(from_minor(minor, currency), decimal_pos=info.exponent, use_l10n=True, force_grouping=True)


def format_money(minor: int, currency: str) -> str:
    """``1234567`` THB → "12,345.67 THB" (in the active language's number format)."""
    return f"{format_amount(minor, currency)}\N{NO-BREAK SPACE}{currency}"
