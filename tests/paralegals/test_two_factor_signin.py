"""Signing in with a second factor: the password, then a code from the app (or a recovery code).

Until the code is typed the session reaches nothing but the second step: no staff page, no admin (its own sign-in
page included), no statistics, no session-authenticated API call. Codes are not replayed, recovery codes work once,
and wrong codes lock the (username, address) pair like wrong passwords do.
"""

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from rest_framework.test import APIClient

from paralegals.models import ApiToken
from paralegals.two_factor.services import recovery_codes_renew
from tests.factories import PASSWORD

from .two_factor_support import LOGIN, VERIFY, code_for, give_app, password_sign_in

pytestmark = pytest.mark.second_factor


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def coordinator(coordinator_a):
    give_app(coordinator_a)
    return coordinator_a


def _device(user):
    return user.totpdevice_set.get(confirmed=True)


def test_a_coordinator_signs_in_with_the_password_then_the_code_from_the_app(coordinator):
    client = password_sign_in(coordinator)

    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == f"{VERIFY}?next=%2F"
    step = client.get(home["Location"])
    assert step.status_code == 200
    assert "Two-factor sign-in" in step.content.decode()
    assert 'href="/cases/"' not in step.content.decode(), "no staff navigation before the code"

    done = client.post(VERIFY, {"code": code_for(_device(coordinator)), "next": "/cases/"})

    assert done.status_code == 302
    assert done["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/", "/cases/", "/statistics/", "/admin/", "/admin/login/", "/admin/paralegals/user/", "/accounts/two-factor/"],
)
def test_until_the_code_is_typed_staff_pages_the_admin_and_statistics_send_to_the_second_step(coordinator, path):
    client = password_sign_in(coordinator)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")


def test_until_the_code_is_typed_the_api_refuses_the_session(coordinator):
    client = password_sign_in(coordinator)

    response = client.get("/api/v1/cases/")

    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


@pytest.mark.parametrize("header", ["Basic Y29vcmQ6cGFzcw==", "Digest x", "Bearer", "bearer-ish x", ""])
def test_an_authorization_header_that_is_not_a_token_does_not_let_the_session_skip_the_code(coordinator, header):
    client = password_sign_in(coordinator)

    response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=header)

    # A bare "Bearer" is a token header TokenAuthentication refuses (401); anything else is the session's, refused.
    assert response.status_code in (401, 403)
    assert response.json()["code"] in ("second_factor_required", "not_authenticated", "authentication_failed")
    assert "results" not in response.json()


def test_the_status_check_and_signing_out_stay_open_before_the_code(coordinator):
    client = password_sign_in(coordinator)

    assert client.get("/status/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert SESSION_KEY not in client.session


def test_api_tokens_are_not_affected_by_the_second_factor(coordinator):
    _token, key = ApiToken.objects.issue(user=coordinator, name="Partner intake form")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/cases/").status_code == 200

    # Even beside a half-signed-in session of the same person, the token decides.
    client = password_sign_in(coordinator)
    response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_a_code_is_accepted_once_and_never_again(coordinator):
    code = code_for(_device(coordinator))
    first = password_sign_in(coordinator)
    assert first.post(VERIFY, {"code": code}).status_code == 302

    second = password_sign_in(coordinator, address="192.0.2.11")
    replay = second.post(VERIFY, {"code": code})

    assert replay.status_code == 400
    assert "That code is not right" in replay.content.decode()
    assert second.get("/").status_code == 302


def test_an_older_code_is_refused_once_a_newer_one_was_used(coordinator):
    device = _device(coordinator)
    older, newer = code_for(device), code_for(device, steps_ahead=1)  # both within the app's clock tolerance
    assert password_sign_in(coordinator).post(VERIFY, {"code": newer}).status_code == 302

    client = password_sign_in(coordinator, address="192.0.2.11")
    assert client.post(VERIFY, {"code": older}).status_code == 400


def test_a_recovery_code_signs_in_once(coordinator, rf):
    request = rf.get("/")
    request.session = {}
    codes = recovery_codes_renew(request=request, user=coordinator)

    client = password_sign_in(coordinator)
    assert client.post(VERIFY, {"code": f" {codes[3].upper()[:4]}-{codes[3][4:]} "}).status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9

    again = password_sign_in(coordinator, address="192.0.2.11")
    assert again.post(VERIFY, {"code": codes[3]}).status_code == 400
    assert again.post(VERIFY, {"code": codes[4]}).status_code in (302, 400)  # 400 only if the retry wait applies


def test_five_wrong_codes_lock_the_sign_in_from_that_address(coordinator):
    client = password_sign_in(coordinator, address="198.51.100.66")

    statuses = [client.post(VERIFY, {"code": f"{100000 + i}"}).status_code for i in range(5)]

    # The first four are the form with its error; the fifth is the lockout page and ends the half-done sign-in.
    assert statuses == [400, 400, 400, 400, 429]
    assert SESSION_KEY not in client.session
    attempt = AccessAttempt.objects.get(username=coordinator.username)
    assert attempt.failures_since_start == 5
    assert "100004" not in attempt.post_data, "the codes typed are not kept"

    # The right password and code from that address are refused until the cool-off ends ...
    again = client.post(LOGIN, {"username": coordinator.username, "password": PASSWORD})
    assert again.status_code == 429
    # ... while the person, elsewhere, signs in (after the per-person wait for the wrong codes).
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2)):
        elsewhere = password_sign_in(coordinator, address="203.0.113.10")
        assert elsewhere.post(VERIFY, {"code": code_for(_device(coordinator))}).status_code == 302


def test_wrong_codes_from_many_addresses_make_the_person_wait(coordinator):
    """django-otp's per-person throttle: after n wrong codes in a row no code is accepted for 2^(n-1) seconds,
    from any address, so spreading guesses over addresses does not speed them up."""
    for n in range(3):
        password_sign_in(coordinator, address=f"198.51.100.{n}").post(VERIFY, {"code": "000000"})

    client = password_sign_in(coordinator, address="203.0.113.10")
    refused = client.post(VERIFY, {"code": code_for(_device(coordinator))})
    assert refused.status_code == 400
    assert "Wait" in refused.content.decode()

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=30)):
        assert client.post(VERIFY, {"code": code_for(_device(coordinator))}).status_code == 302


def test_the_code_form_answers_in_spanish(coordinator):
    client = password_sign_in(coordinator)
    client.cookies["django_language"] = "es"

    response = client.post(VERIFY, {"code": "12345"})

    assert response.status_code == 400
    assert "Ese código no es correcto" in response.content.decode()


def test_the_second_factor_adds_no_query_to_a_staff_page(coordinator, settings):
    client = password_sign_in(coordinator)
    client.post(VERIFY, {"code": code_for(_device(coordinator))})
    client.get("/cases/")  # the session's activity stamp settles

    with CaptureQueriesContext(connection) as with_middleware:
        assert client.get("/cases/").status_code == 200
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "two_factor" not in m]
    with CaptureQueriesContext(connection) as without_it:
        assert client.get("/cases/").status_code == 200

    assert len(with_middleware) == len(without_it)


def test_a_paralegal_without_an_app_in_an_office_that_does_not_require_it_signs_in_with_the_password(paralegal_a):
    client = password_sign_in(paralegal_a)

    assert client.get("/").status_code == 200
