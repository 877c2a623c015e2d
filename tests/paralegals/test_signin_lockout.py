"""Guessing passwords and API keys: a (username, address) pair is locked after AXES_FAILURE_LIMIT failures.

Through the real sign-in pages, the admin's sign-in page, the API's token check and the admin's lockout list:
30 wrong passwords then the right one from the same address is refused; the right password from another address
still signs in (the victim is not locked out from elsewhere); an administrator sees the lockout and lifts it.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from paralegals.models import ApiToken
from tests.factories import PASSWORD

ATTACKER = "198.51.100.66"
VICTIM = "203.0.113.10"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 5


def _client(address: str, **headers) -> Client:
    return Client(REMOTE_ADDR=address, **headers)


def _guess(client: Client, url: str, username: str, times: int = 30) -> list[int]:
    return [client.post(url, {"username": username, "password": f"guess-{i}"}).status_code for i in range(times)]


def _signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_thirty_wrong_passwords_then_the_right_one_from_that_address_is_refused(url, superuser):
    attacker = _client(ATTACKER)

    statuses = _guess(attacker, url, superuser.username)
    right = attacker.post(url, {"username": superuser.username, "password": PASSWORD})

    # The first four are the ordinary "wrong password" form; from the fifth the pair is locked.
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    assert right.status_code == 429
    assert right["Retry-After"] == "900"
    assert "Too many failed sign-in attempts" in right.content.decode()
    assert not _signed_in(attacker)


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_the_right_password_from_another_address_still_signs_in(url, superuser):
    _guess(_client(ATTACKER), url, superuser.username)

    victim = _client(VICTIM)
    response = victim.post(url, {"username": superuser.username, "password": PASSWORD})

    assert response.status_code == 302
    assert _signed_in(victim)
    # The lockout check signs nobody in: the office-loading backend still does.
    assert victim.session[BACKEND_SESSION_KEY] == "paralegals.backends.OfficeModelBackend"


def test_another_username_from_the_locked_address_is_not_locked(paralegal_a, paralegal_b):
    shared_office = _client(ATTACKER)
    _guess(shared_office, LOGIN, paralegal_a.username)

    response = shared_office.post(LOGIN, {"username": paralegal_b.username, "password": PASSWORD})

    assert response.status_code == 302


def test_the_lockout_page_speaks_the_persons_language(paralegal_a):
    spanish = _client(ATTACKER, HTTP_ACCEPT_LANGUAGE="es")
    _guess(spanish, LOGIN, paralegal_a.username, times=6)

    response = spanish.post(LOGIN, {"username": paralegal_a.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.content.decode()


def test_the_password_is_not_kept_with_the_failed_attempts(paralegal_a):
    _client(ATTACKER).post(LOGIN, {"username": paralegal_a.username, "password": "my-secret-guess"})

    attempt = AccessAttempt.objects.get(username=paralegal_a.username, ip_address=ATTACKER)
    assert "my-secret-guess" not in attempt.post_data
    assert AccessFailureLog.objects.filter(username=paralegal_a.username, ip_address=ATTACKER).count() == 1


def test_an_administrator_sees_the_lockout_and_lifts_it(paralegal_a, superuser):
    locked = _client(ATTACKER)
    _guess(locked, LOGIN, paralegal_a.username)
    admin = Client()
    admin.force_login(superuser)

    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert paralegal_a.username in listing.content.decode()
    assert ATTACKER in listing.content.decode()

    attempt = AccessAttempt.objects.get(username=paralegal_a.username, ip_address=ATTACKER)
    lifted = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "lift_lockout", "_selected_action": [attempt.pk]},
    )
    assert lifted.status_code == 302

    response = locked.post(LOGIN, {"username": paralegal_a.username, "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(locked)


def test_a_paralegal_cannot_lift_a_lockout(paralegal_a, coordinator_a):
    _guess(_client(ATTACKER), LOGIN, paralegal_a.username)
    coordinator = Client()
    coordinator.force_login(coordinator_a)

    response = coordinator.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 302  # to the admin's sign-in page
    assert AccessAttempt.objects.filter(username=paralegal_a.username).exists()


# --- The API's token check ---------------------------------------------------------------------------------------

API_URL = "/api/v1/cases/"


def _api(address: str, key: str) -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_thirty_wrong_api_keys_then_a_right_one_from_that_address_is_refused(paralegal_a):
    _token, key = ApiToken.objects.issue(user=paralegal_a, name="Partner intake form")

    statuses = [_api(ATTACKER, f"guessed-key-{i}").get(API_URL).status_code for i in range(30)]
    right = _api(ATTACKER, key).get(API_URL)

    assert statuses[:4] == [401] * 4
    assert set(statuses[4:]) == {429}
    assert right.status_code == 429
    assert right.json()["code"] == "locked_out"
    assert right["Retry-After"] == "900"


def test_a_right_api_key_from_another_address_still_works(paralegal_a):
    _token, key = ApiToken.objects.issue(user=paralegal_a, name="Partner intake form")
    for i in range(30):
        _api(ATTACKER, f"guessed-key-{i}").get(API_URL)

    response = _api(VICTIM, key).get(API_URL)

    assert response.status_code == 200


def test_an_administrator_lifts_an_api_lockout(paralegal_a, superuser):
    _token, key = ApiToken.objects.issue(user=paralegal_a, name="Partner intake form")
    for i in range(6):
        _api(ATTACKER, f"guessed-key-{i}").get(API_URL)
    assert _api(ATTACKER, key).get(API_URL).status_code == 429
    admin = Client()
    admin.force_login(superuser)

    attempt = AccessAttempt.objects.get(ip_address=ATTACKER)
    admin.post(
        reverse("admin:axes_accessattempt_changelist"), {"action": "lift_lockout", "_selected_action": [attempt.pk]}
    )

    assert _api(ATTACKER, key).get(API_URL).status_code == 200


def test_the_api_lockout_answers_in_the_callers_language(paralegal_a):
    for i in range(6):
        _api(ATTACKER, f"guessed-key-{i}").get(API_URL)

    response = _api(ATTACKER, "another-guess").get(API_URL, HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.json()["detail"]
