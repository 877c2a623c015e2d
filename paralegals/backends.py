"""Signing in: the lockout check first, then Django's model backend, loading the person's office with them.

Every staff request reads the signed-in person's office (its time zone is the zone the pages are shown in,
``config.middleware.OfficeTimeMiddleware``); loading it in the same query as the user row costs nothing, where a
lazy ``user.office`` would cost a query on every request.
"""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class SignInGuardBackend(AxesStandaloneBackend):
    """First in AUTHENTICATION_BACKENDS: refuses a locked (username, address) pair before any password is checked.

    django-axes's check (``paralegals.signin``, docs/security.md); it signs nobody in itself. A password check made
    without a request (the test client's ``login()``, a shell) has no address to count and is let through to the
    next backend; every form and endpoint that takes a password passes its request (Django's auth forms do).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class OfficeModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("office").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
