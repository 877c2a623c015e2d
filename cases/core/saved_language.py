"""A signed-in person reads the app in their saved language (``User.language``), on any device.

Django's ``LocaleMiddleware`` takes the language from the cookie that ``set_language`` writes, which lives in one
browser only. When someone signs in, ``remember_on_login`` notes their saved language on the request and
``SavedLanguageMiddleware`` writes the same cookie on the sign-in response, so a new device follows the choice
made elsewhere. It costs no query: the user was just loaded by the sign-in. Saving a language (the header's
switcher through ``set_language_saved``, the notification settings page) updates ``User.language`` and the cookie.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in

_ATTRIBUTE = "_redress_saved_language"


def set_language_cookie(response, language: str) -> None:
    """The cookie ``django.views.i18n.set_language`` sets, with the same settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def remember_on_login(sender, request, user, **kwargs) -> None:
    language = getattr(user, "language", "")
    if request is not None and language in dict(settings.LANGUAGES):
        setattr(request, _ATTRIBUTE, language)


def connect() -> None:
    user_logged_in.connect(remember_on_login, dispatch_uid="cases.core.saved_language")


class SavedLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, _ATTRIBUTE, "")
        if language:
            set_language_cookie(response, language)
        return response
