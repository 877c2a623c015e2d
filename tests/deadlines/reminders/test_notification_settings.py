"""Each person chooses, per kind of reminder, the app only or the app and email, and the language of the app and of
their reminders; the header's language switcher saves it too, and a new device picks it up at sign-in."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from cases.deadlines.services.notifications import email_choices
from cases.models import NotificationSetting, StaffReminderKind

pytestmark = pytest.mark.django_db


def checked(page) -> dict[str, str]:
    """The radio button checked for each kind on the page: {kind: "app" | "email"}."""
    return {kind: value for value, kind in re.findall(r'value="(app|email)" id="id_(\w+)_\d" required checked', page)}


def settings_form(**changes):
    data = dict.fromkeys(StaffReminderKind.values, "email")
    data["language"] = "en"
    return {**data, **changes}


def test_by_default_every_kind_also_comes_by_email(client, paralegal_a):
    client.force_login(paralegal_a)

    page = client.get(reverse("notification_settings")).content.decode()

    assert email_choices(paralegal_a) == dict.fromkeys(StaffReminderKind.values, True)
    assert checked(page) == dict.fromkeys(StaffReminderKind.values, "email")
    assert "A worker leaves the country soon" in page


def test_saving_the_choices_and_the_language_sets_both_and_the_language_cookie(client, paralegal_a):
    client.force_login(paralegal_a)

    response = client.post(
        reverse("notification_settings"), settings_form(inactive_case="app", instalment_due="app", language="es")
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    paralegal_a.refresh_from_db()
    assert paralegal_a.language == "es"
    assert {kind for kind, by_email in email_choices(paralegal_a).items() if not by_email} == {
        "inactive_case",
        "instalment_due",
    }
    page = client.get(response["Location"]).content.decode()
    assert checked(page)["inactive_case"] == "app" and checked(page)["deadline"] == "email"
    assert 'lang="es"' in page  # the next page is in the language just chosen


def test_a_language_the_site_does_not_offer_is_a_field_error_and_nothing_is_saved(client, paralegal_a):
    client.force_login(paralegal_a)

    response = client.post(reverse("notification_settings"), settings_form(language="xx", deadline="app"))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationSetting.objects.exists()
    paralegal_a.refresh_from_db()
    assert paralegal_a.language == ""


def test_the_header_switcher_saves_the_language_of_a_signed_in_person(client, paralegal_a):
    client.force_login(paralegal_a)

    response = client.post(reverse("set_language_saved"), {"language": "es", "next": "/cases/"})

    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    paralegal_a.refresh_from_db()
    assert paralegal_a.language == "es"


def test_the_switcher_still_works_for_someone_not_signed_in(client):
    response = client.post(reverse("set_language_saved"), {"language": "es", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_signing_in_on_a_new_device_uses_the_saved_language(client, paralegal_a):
    paralegal_a.language = "es"
    paralegal_a.set_password("a long enough password")
    paralegal_a.save()

    response = client.post(reverse("login"), {"username": paralegal_a.username, "password": "a long enough password"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert 'lang="es"' in client.get(reverse("inbox")).content.decode()
