"""Forms of the inbox (which notifications, which page) and of the notification settings page."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.deadlines.models import StaffReminderKind
from cases.deadlines.services import notifications

APP_ONLY, BY_EMAIL = "app", "email"
DELIVERY_CHOICES = [(APP_ONLY, _("In the app only")), (BY_EMAIL, _("In the app and by email"))]


class InboxFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        choices=[("all", _("All")), ("unread", _("Unread only"))],
        required=False,
        widget=forms.RadioSelect,
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def clean_show(self) -> str:
        return self.cleaned_data.get("show") or "all"

    def clean_after(self):
        token = self.cleaned_data.get("after")
        if not token:
            return None
        try:
            return notifications.decode_cursor(token)
        except ValueError as error:
            raise forms.ValidationError(
                _("This page link is not valid any more. The newest notifications are shown."), code="cursor"
            ) from error


class NotificationSettingsForm(forms.Form):
    """One choice per kind of staff reminder, and the person's language."""

    language = forms.ChoiceField(label=_("Language of the app and of your reminders"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in StaffReminderKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=DELIVERY_CHOICES, widget=forms.RadioSelect, initial=BY_EMAIL
            )

    @classmethod
    def for_user(cls, user, language: str) -> "NotificationSettingsForm":
        chosen = notifications.email_choices(user)
        initial = {kind: BY_EMAIL if by_email else APP_ONLY for kind, by_email in chosen.items()}
        return cls(initial={**initial, "language": user.language or language})

    def kind_fields(self):
        return [self[kind] for kind in StaffReminderKind.values]

    def by_email(self) -> dict[str, bool]:
        return {kind: self.cleaned_data[kind] == BY_EMAIL for kind in StaffReminderKind.values}
