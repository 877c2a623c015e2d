"""Setting up two-factor sign-in: required for coordinators, administrators, superusers and the paralegals of an
office that asks for it, who are sent to set it up after their password and cannot skip it; optional for the rest,
from their "Two-factor sign-in" page, where they can also make new recovery codes and turn it off."""

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import OfficeFactory, UserFactory

from .two_factor_support import (
    CODES,
    PAGE,
    SETUP,
    VERIFY,
    app_code,
    code_for,
    give_app,
    key_from_setup_page,
    password_sign_in,
)

pytestmark = pytest.mark.second_factor


def _set_up(client, next_url="/"):
    """Scan (read the key the page shows), type the app's code; returns the recovery codes page."""
    page = client.get(f"{SETUP}?next={next_url}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html, "the QR code"
    key = key_from_setup_page(html)
    device_id = TOTPDevice.objects.get(confirmed=False).pk
    done = client.post(SETUP, {"device": device_id, "code": app_code(key), "next": next_url})
    assert done.status_code == 302
    assert done["Location"].startswith(CODES)
    return key, done["Location"]


def test_a_coordinator_without_an_app_sets_it_up_after_the_password_and_saves_the_recovery_codes(coordinator_a):
    client = password_sign_in(coordinator_a)

    to_step = client.get("/cases/")
    assert to_step["Location"] == f"{VERIFY}?next=%2Fcases%2F"
    to_setup = client.get(to_step["Location"])
    assert to_setup["Location"] == f"{SETUP}?next=%2Fcases%2F"
    assert client.get("/").status_code == 302, "no skipping the setup"

    key, codes_url = _set_up(client, next_url="/cases/")

    # The codes must be acknowledged before anything else opens.
    assert client.get("/").headers["Location"].startswith(CODES)
    page = client.get(codes_url)
    codes = list(StaticToken.objects.filter(device__user=coordinator_a).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in page.content.decode() for code in codes)
    unticked = client.post(codes_url, {"next": "/cases/"})
    assert unticked.status_code == 400
    assert "Tick the box" in unticked.content.decode()
    ticked = client.post(codes_url, {"saved": "on", "next": "/cases/"})
    assert ticked["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    assert client.get(codes_url)["Location"] == PAGE, "shown once"

    # Next time: password, then the app's next code.
    again = password_sign_in(coordinator_a, address="192.0.2.11")
    assert again.post(VERIFY, {"code": app_code(key, steps_ahead=1)}).status_code == 302


@pytest.mark.parametrize("who", ["coordinator_a", "global_coordinator", "administrator", "superuser"])
def test_every_role_that_must_have_it_is_sent_to_set_it_up(request, who):
    user = request.getfixturevalue(who)
    client = password_sign_in(user)

    assert client.get(f"{VERIFY}?next=/")["Location"].startswith(SETUP)
    assert client.get("/").status_code == 302


def test_paralegals_must_set_it_up_when_their_office_requires_it(paralegal_a, paralegal_b):
    paralegal_a.office.two_factor_required = True
    paralegal_a.office.save(update_fields=["two_factor_required"])

    assert password_sign_in(paralegal_a).get("/")["Location"].startswith(VERIFY)
    assert password_sign_in(paralegal_b).get("/").status_code == 200


def test_an_office_that_starts_requiring_it_sends_its_signed_in_paralegals_to_set_it_up(paralegal_a):
    client = password_sign_in(paralegal_a)
    assert client.get("/").status_code == 200

    paralegal_a.office.two_factor_required = True
    paralegal_a.office.save(update_fields=["two_factor_required"])

    assert client.get("/").status_code == 302


def test_a_half_signed_in_session_cannot_set_up_a_second_app(coordinator_a):
    """Whoever has only the password must not replace the person's app with their own."""
    give_app(coordinator_a)
    client = password_sign_in(coordinator_a)

    response = client.get(SETUP)
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"device": 1, "code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=coordinator_a).count() == 1


def test_a_wrong_setup_code_is_refused_and_the_same_key_is_shown_again(coordinator_a):
    client = password_sign_in(coordinator_a)
    key = key_from_setup_page(client.get(SETUP).content.decode())
    device = TOTPDevice.objects.get(user=coordinator_a)

    wrong = client.post(SETUP, {"device": device.pk, "code": "000000"})

    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert key_from_setup_page(wrong.content.decode()) == key
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_a_paralegal_may_turn_it_on_from_their_page_and_off_with_a_current_code(paralegal_a):
    client = password_sign_in(paralegal_a)
    assert "Set up two-factor sign-in" in client.get(PAGE).content.decode()

    key, codes_url = _set_up(client, next_url=PAGE)
    client.post(codes_url, {"saved": "on", "next": PAGE})
    page = client.get(PAGE).content.decode()
    assert "10 recovery codes left" in page

    wrong = client.post("/accounts/two-factor/turn-off/", {"code": "000000"})
    assert wrong.status_code == 400
    assert TOTPDevice.objects.filter(user=paralegal_a).exists()

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=40)):
        off = client.post("/accounts/two-factor/turn-off/", {"code": app_code(key)})
        assert off["Location"] == PAGE
        assert not TOTPDevice.objects.filter(user=paralegal_a).exists()
        assert not StaticToken.objects.filter(device__user=paralegal_a).exists()
        assert client.get("/").status_code == 200
        assert password_sign_in(paralegal_a, address="192.0.2.11").get("/").status_code == 200


def test_those_who_must_keep_it_cannot_turn_it_off(coordinator_a):
    device = give_app(coordinator_a)
    client = password_sign_in(coordinator_a)
    client.post(VERIFY, {"code": code_for(device)})

    page = client.get(PAGE).content.decode()
    refused = client.post("/accounts/two-factor/turn-off/", {"code": code_for(device, steps_ahead=1)})

    assert "cannot be turned off" in page
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=coordinator_a).exists()


def test_new_recovery_codes_replace_the_old_ones(coordinator_a):
    device = give_app(coordinator_a)
    client = password_sign_in(coordinator_a)
    client.post(VERIFY, {"code": code_for(device)})
    client.post("/accounts/two-factor/recovery-codes/new/")
    old = set(StaticToken.objects.values_list("token", flat=True))
    client.post(CODES, {"saved": "on"})

    made = client.post("/accounts/two-factor/recovery-codes/new/")

    new = set(StaticToken.objects.values_list("token", flat=True))
    assert made["Location"].startswith(CODES)
    assert len(new) == 10
    assert not old & new
    later = password_sign_in(coordinator_a, address="192.0.2.11")
    assert later.post(VERIFY, {"code": old.pop()}).status_code == 400


def test_a_paralegal_elsewhere_is_not_asked(db):
    paralegal = UserFactory(office=OfficeFactory(two_factor_required=False))

    assert password_sign_in(paralegal).get("/").status_code == 200
