from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A 6-digit code from the app, or (at sign-in) a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}),
    )


class SignInCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=32,
        help_text=_("The 6 digits your app shows now. No phone? Type one of your recovery codes instead."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}),
    )


class SetupForm(CodeForm):
    device = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=32,
        help_text=_("After adding the account, type the 6 digits the app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class SavedCodesForm(forms.Form):
    saved = forms.BooleanField(
        label=_("I have saved these recovery codes somewhere safe"),
        error_messages={"required": _("Tick the box once you have saved the codes.")},
    )
