from django.urls import path

from . import views

# Mounted at accounts/two-factor/ (config/urls.py). verify/ and setup/ are reachable before the second step is done
# (middleware.OPEN_PREFIXES); the rest need a fully signed-in session.
urlpatterns = [
    path("", views.two_factor, name="two_factor"),
    path("verify/", views.verify, name="two_factor_verify"),
    path("setup/", views.setup, name="two_factor_setup"),
    path("recovery-codes/", views.recovery_codes, name="two_factor_codes"),
    path("recovery-codes/new/", views.recovery_codes_renew, name="two_factor_codes_renew"),
    path("turn-off/", views.turn_off, name="two_factor_turn_off"),
]
