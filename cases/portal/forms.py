"""The status check's two forms: the lookup (reference + PIN) and "my phone number changed".

Both accept what people really type: lower case and spaces in the reference, digits of any script in the PIN and
the phone number (Arabic-Indic ٠-٩, Devanagari ०-९…), full-width characters. Lengths are capped before any work.
"""

import re
import unicodedata

from django import forms
from django.utils.translation import pgettext_lazy

from cases.core.pins import PIN_LENGTH, ascii_digits, normalise_pin
from cases.core.references import normalise_reference

INPUT_MAX_LENGTH = 40

NOT_A_REFERENCE = pgettext_lazy("portal", "This is not a case reference. Check it on your receipt and try again.")
PIN_FORMAT = pgettext_lazy("portal", "The PIN is 8 digits. Check it and try again.")
PHONE_FORMAT = pgettext_lazy("portal", "Write the number with its country code, for example +977 9812345678.")


def _plain(raw: str) -> str:
    """Full-width and compatibility characters folded (NFKC), every script's digits as ASCII digits."""
    return ascii_digits(unicodedata.normalize("NFKC", raw))


class LookupForm(forms.Form):
    reference = forms.CharField(
        max_length=INPUT_MAX_LENGTH,
        error_messages={
            "required": pgettext_lazy("portal", "Write your case reference."),
            "max_length": NOT_A_REFERENCE,
        },
    )
    pin = forms.CharField(
        max_length=INPUT_MAX_LENGTH,
        strip=False,
        error_messages={"required": pgettext_lazy("portal", "Write your PIN."), "max_length": PIN_FORMAT},
    )

    def clean_reference(self) -> str:
        reference = normalise_reference(_plain(self.cleaned_data["reference"]))
        if reference is None:
            raise forms.ValidationError(NOT_A_REFERENCE)
        return reference

    def clean_pin(self) -> str:
        pin = normalise_pin(unicodedata.normalize("NFKC", self.cleaned_data["pin"]))
        if not pin:
            raise forms.ValidationError(self.fields["pin"].error_messages["required"])
        if len(pin) != PIN_LENGTH or not pin.isascii() or not pin.isdigit():
            raise forms.ValidationError(PIN_FORMAT)
        return pin


class PhoneForm(forms.Form):
    phone = forms.CharField(
        max_length=INPUT_MAX_LENGTH,
        error_messages={"required": PHONE_FORMAT, "max_length": PHONE_FORMAT},
    )

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s\-().\u2010-\u2013]", "", _plain(self.cleaned_data["phone"]))
        if not re.fullmatch(r"\+?[0-9]{6,15}", phone):
            raise forms.ValidationError(PHONE_FORMAT)
        return phone
