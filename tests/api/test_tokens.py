"""API tokens: hashed at rest, per user, revocable, may expire; Bearer or Token; last use written sparingly."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from paralegals.models import ApiToken

pytestmark = pytest.mark.django_db


def _client(key: str, keyword: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def test_a_token_is_stored_only_as_its_sha256_with_a_short_visible_prefix(paralegal_a):
    token, key = ApiToken.objects.issue(user=paralegal_a, name="Partner intake")
    token.refresh_from_db()
    assert token.key_digest == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8] and len(key) >= 40
    assert key not in {str(value) for value in ApiToken.objects.values_list(flat=True)}
    assert key not in str(ApiToken.objects.values().get())


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_both_keywords_authenticate_as_the_tokens_user(paralegal_a, make_case, keyword):
    case = make_case()
    _token, key = ApiToken.objects.issue(user=paralegal_a, name="x")
    response = _client(key, keyword).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    assert response.json()["reference"] == case.reference


def test_no_credentials_are_a_401_with_a_bearer_challenge(anonymous):
    response = anonymous.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("key", ["not-a-key", "x" * 500])
def test_an_unknown_key_is_a_401(db, key):
    response = _client(key).get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_revoked_token_is_a_401(paralegal_a):
    token, key = ApiToken.objects.issue(user=paralegal_a, name="x")
    token.revoke()
    assert _client(key).get("/api/v1/cases/").status_code == 401


def test_an_expired_token_is_a_401_and_one_not_yet_expired_works(paralegal_a):
    _token, key = ApiToken.objects.issue(user=paralegal_a, name="x", expires_at=timezone.now() + timedelta(hours=1))
    assert _client(key).get("/api/v1/cases/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert _client(key).get("/api/v1/cases/").status_code == 401


def test_the_token_of_a_deactivated_user_is_a_401(paralegal_a):
    _token, key = ApiToken.objects.issue(user=paralegal_a, name="x")
    paralegal_a.is_active = False
    paralegal_a.save(update_fields=["is_active"])
    assert _client(key).get("/api/v1/cases/").status_code == 401


def test_last_use_is_written_at_most_once_a_minute(paralegal_a, django_assert_num_queries):
    token, key = ApiToken.objects.issue(user=paralegal_a, name="x")
    client = _client(key)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/api/v1/jurisdictions/")
        token.refresh_from_db()
        assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get("/api/v1/jurisdictions/")
        token.refresh_from_db()
        assert token.last_used_at == start  # not written again within the minute
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get("/api/v1/jurisdictions/")
        token.refresh_from_db()
        assert token.last_used_at == start + timedelta(seconds=61)


def test_the_management_command_prints_a_working_key_once(paralegal_a, capsys):
    call_command("create_api_token", paralegal_a.username, "SMS gateway", "--days", "30")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert token.name == "SMS gateway" and token.expires_at > timezone.now() + timedelta(days=29)
    assert _client(key).get("/api/v1/cases/").status_code == 200


def test_the_admin_shows_a_new_key_once_and_revokes_tokens(admin_client, paralegal_a):
    response = admin_client.post(
        "/admin/paralegals/apitoken/add/",
        {"user": paralegal_a.pk, "name": "Partner", "expires_at_0": "", "expires_at_1": ""},
    )
    assert response.status_code == 200, response.content[:2000]
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    key = response.context["key"]
    assert key.startswith(token.prefix) and key.encode() in response.content
    assert _client(key).get("/api/v1/cases/").status_code == 200

    changelist = admin_client.get("/admin/paralegals/apitoken/")
    assert key.encode() not in changelist.content
    admin_client.post("/admin/paralegals/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _client(key).get("/api/v1/cases/").status_code == 401
