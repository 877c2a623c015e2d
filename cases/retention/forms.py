from django import forms
from django.utils.translation import gettext_lazy as _

from cases.retention.services import REASON_MAX_LENGTH


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("The worker's request"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "How and when the worker asked (e.g. “by phone on 3 May, identity checked by PIN”). "
            "Do not write their name."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the worker's personal data, notes and files are deleted for good."),
        required=True,
    )
