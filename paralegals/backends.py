"""Signing in: Django's model backend, loading the person's office with them.

Every staff request reads the signed-in person's office (its time zone is the zone the pages are shown in,
``config.middleware.OfficeTimeMiddleware``); loading it in the same query as the user row costs nothing, where a
lazy ``user.office`` would cost a query on every request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class OfficeModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("office").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
