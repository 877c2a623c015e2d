"""Password reset by email (Django's views and single-use tokens), without telling whether an address exists.

Django's token is made from the password hash and the last sign-in, so a link stops working once it has been used
to set a password (single use) and after ``PASSWORD_RESET_TIMEOUT``. The page answers the same for every address;
the email is written and sent by a Celery task (``paralegals.tasks.send_password_reset``), so the answer also takes
the same time whether an email goes out or not. Only the user's id crosses the broker: the token is made in the
worker. The link is built on ``SITE_URL``, never on the request's Host header.
"""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from kombu.exceptions import OperationalError

from .tasks import send_password_reset

log = logging.getLogger(__name__)


class ResetForm(PasswordResetForm):
    def save(self, *args, **kwargs) -> None:
        """Queue one email per active account with this address (usually none or one); send nothing here."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        for user in self.get_users(self.cleaned_data["email"]):
            try:
                send_password_reset.delay(user.pk, language)
            except OperationalError:  # the broker is down: send now rather than lose the email
                log.warning("password reset: queue unavailable, sending directly")
                send_password_reset(user.pk, language)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
