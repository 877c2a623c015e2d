"""The admin and two-factor sign-in: its sign-in page is no way around the second step; administrators reset a
person's second factor (recorded in that person's history) and choose which offices require it."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

from .two_factor_support import SETUP, VERIFY, code_for, give_app, password_sign_in

pytestmark = pytest.mark.second_factor


def _verified(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client = password_sign_in(user)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    return client


def test_the_admins_sign_in_page_leads_to_the_second_step_not_into_the_admin(superuser):
    give_app(superuser)
    client = Client(REMOTE_ADDR="192.0.2.10")

    signed = client.post("/admin/login/?next=/admin/", {"username": superuser.username, "password": PASSWORD})
    assert signed.status_code == 302

    for path in ("/admin/", "/admin/paralegals/user/", "/admin/axes/accessattempt/", "/admin/login/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{VERIFY}?next="), path
    assert client.post(VERIFY, {"code": code_for(TOTPDevice.objects.get(user=superuser))}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_superuser_without_an_app_must_set_it_up_before_the_admin(superuser):
    client = Client(REMOTE_ADDR="192.0.2.10")
    client.post("/admin/login/", {"username": superuser.username, "password": PASSWORD})

    assert client.get("/admin/")["Location"].startswith(VERIFY)
    assert client.get(f"{VERIFY}?next=/admin/")["Location"].startswith(SETUP)


def test_an_administrator_resets_the_second_factor_of_someone_who_lost_their_phone(superuser, coordinator_a):
    give_app(superuser)
    give_app(coordinator_a)
    admin = _verified(superuser)
    admin.post("/admin/paralegals/user/", {"action": "reset_two_factor", "_selected_action": [coordinator_a.pk]})

    assert not TOTPDevice.objects.filter(user=coordinator_a).exists()
    assert not StaticToken.objects.filter(device__user=coordinator_a).exists()
    entry = LogEntry.objects.get(object_id=str(coordinator_a.pk))
    assert entry.user == superuser
    assert "two-factor" in entry.get_change_message()
    # Their next sign-in asks them to set it up again.
    assert password_sign_in(coordinator_a).get(f"{VERIFY}?next=/")["Location"].startswith(SETUP)


def test_the_staff_list_shows_who_has_it_without_a_query_per_row(superuser, coordinator_a, paralegal_a, paralegal_b):
    give_app(superuser)
    give_app(coordinator_a)
    admin = _verified(superuser)
    admin.get("/admin/paralegals/user/")

    with CaptureQueriesContext(connection) as queries:
        page = admin.get("/admin/paralegals/user/")
    assert page.status_code == 200
    assert "two-factor sign-in" in page.content.decode()
    assert not [q for q in queries.captured_queries if "otp_totp_totpdevice" in q["sql"] and "EXISTS" not in q["sql"]]


def test_app_secrets_are_not_shown_in_the_admin(superuser):
    give_app(superuser)
    admin = _verified(superuser)

    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin.get("/admin/otp_static/staticdevice/").status_code == 404


def test_an_office_requires_it_of_its_paralegals_from_the_admin(superuser, office_a):
    give_app(superuser)
    admin = _verified(superuser)

    page = admin.get(f"/admin/paralegals/office/{office_a.pk}/change/")

    assert "two_factor_required" in page.content.decode()
