"""How many digits each currency's minor unit has: ISO 4217's *exponent*. The one table of them.

Most currencies have two (cents); the dinars of Bahrain, Iraq, Jordan, Kuwait, Libya and Tunisia and the Omani rial have
three (fils, baisa); the yen, won, dong, Chilean peso, Ugandan shilling and a few others none. Only those that are not
two are listed. ``cases.money.currencies`` (the ledger) and ``cases.money.wages`` (the calculator) both read it, so an
amount is rounded by the calculator to exactly the unit the ledger holds.

Pure: no Django, no imports at all, so that the wage calculator stays pure.
"""

DEFAULT_DIGITS = 2

# ISO 4217 exponents other than 2 (the list maintained by SIX, the ISO 4217 maintenance agency).
MINOR_DIGITS: dict[str, int] = {
    # No minor unit.
    "BIF": 0,  # Burundian franc
    "CLP": 0,  # Chilean peso
    "DJF": 0,  # Djiboutian franc
    "GNF": 0,  # Guinean franc
    "ISK": 0,  # Icelandic króna
    "JPY": 0,  # Japanese yen
    "KMF": 0,  # Comorian franc
    "KRW": 0,  # South Korean won
    "PYG": 0,  # Paraguayan guaraní
    "RWF": 0,  # Rwandan franc
    "UGX": 0,  # Ugandan shilling
    "UYI": 0,  # Uruguayan peso (indexed units)
    "VND": 0,  # Vietnamese dong
    "VUV": 0,  # Vanuatu vatu
    "XAF": 0,  # Central African CFA franc
    "XOF": 0,  # West African CFA franc
    "XPF": 0,  # CFP franc
    # Three digits.
    "BHD": 3,  # Bahraini dinar
    "IQD": 3,  # Iraqi dinar
    "JOD": 3,  # Jordanian dinar
    "KWD": 3,  # Kuwaiti dinar
    "LYD": 3,  # Libyan dinar
    "OMR": 3,  # Omani rial
    "TND": 3,  # Tunisian dinar
    # Four digits (units of account).
    "CLF": 4,  # Chilean unidad de fomento
    "UYW": 4,  # Uruguayan unidad previsional
}


def minor_digits(code: str) -> int:
    """The digits after the decimal point in ``code``'s minor unit: 2 for USD, 3 for KWD, 0 for JPY.

    An ISO 4217 code not listed has two; so does anything else (the callers refuse unknown codes themselves).
    """
    return MINOR_DIGITS.get(code, DEFAULT_DIGITS) if isinstance(code, str) else DEFAULT_DIGITS
