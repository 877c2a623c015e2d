"""The worker's status check, mounted at /status/ (config/urls.py)."""

from django.urls import path

from cases.portal import views

urlpatterns = [
    path("", views.lookup, name="portal_lookup"),
    path("claim/", views.status, name="portal_status"),
    path("claim/phone/", views.phone_changed, name="portal_phone"),
    path("claim/done/", views.done, name="portal_done"),
    path("claim/<str:lang>/", views.status, name="portal_status_in"),
    path("<str:lang>/", views.lookup, name="portal_lookup_in"),
]
