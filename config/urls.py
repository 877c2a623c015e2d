from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from paralegals.password_reset import PasswordResetView


def favicon(request):
    # Browsers ask for /favicon.ico whatever the page links; the icon itself is a static SVG.
    return redirect(static("redress/favicon.svg"), permanent=True)


# A dependency that is down answers 503 with Retry-After; under /api/ every error is JSON (config/unavailable.py).
handler400 = "config.unavailable.bad_request"
handler403 = "config.unavailable.permission_denied"
handler404 = "config.unavailable.page_not_found"
handler500 = "config.unavailable.server_error"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The second factor after the password, and each person's "Two-factor sign-in" page (paralegals.two_factor).
    path("accounts/two-factor/", include("paralegals.two_factor.urls")),
    # Password reset by email (paralegals.password_reset): the same answer for every address, single-use links.
    path("accounts/password-reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # The admin's sign-in page shows "Forgot your password?" when this name exists; it is the same page.
    path("admin/password_reset/", PasswordResetView.as_view(), name="admin_password_reset"),
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("status/", include("cases.portal.urls")),
    path("statistics/", include("cases.statistics.urls")),
    path("api/", include("config.api.urls")),
    path("", include("documents.urls")),
    path("", include("cases.urls")),
]
