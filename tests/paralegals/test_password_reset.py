"""Password reset by email: the same answer for every address, a link on SITE_URL that works once."""

import re
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

RESET = "/accounts/password-reset/"
NEW_PASSWORD = "a-brand-new-passphrase-42"


def _ask(email: str, **headers):
    return Client(**headers).post(RESET, {"email": email})


def _link_path(message) -> str:
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    assert link.startswith(settings.SITE_URL)
    return urlparse(link).path


def test_the_sign_in_page_offers_the_reset(client):
    assert f'href="{RESET}"' in client.get("/accounts/login/").content.decode()


def test_the_answer_is_the_same_whether_the_address_exists_or_not(paralegal_a):
    known = _ask(paralegal_a.email)
    unknown = _ask("nobody-here@example.org")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == "/accounts/password-reset/sent/"
    assert [message.to for message in mail.outbox] == [[paralegal_a.email]]


def test_the_link_works_once_and_not_twice(paralegal_a):
    _ask(paralegal_a.email)
    path = _link_path(mail.outbox[0])

    person = Client()
    form = person.get(path)
    assert form.status_code == 302  # Django hides the token from the page's address
    done = person.post(form["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/reset/done/"

    signed_in = Client()
    signed_in.post("/accounts/login/", {"username": paralegal_a.username, "password": NEW_PASSWORD})
    assert SESSION_KEY in signed_in.session

    again = Client().get(path, follow=True)
    assert "This link has already been used or has expired" in again.content.decode()
    assert "new_password1" not in again.content.decode()


def test_the_email_is_in_the_persons_language(paralegal_a):
    paralegal_a.language = "es"
    paralegal_a.save(update_fields=["language"])

    _ask(paralegal_a.email)

    assert mail.outbox[0].subject == "Redress: restablezca su contraseña"


def test_an_inactive_account_gets_no_email(paralegal_a):
    paralegal_a.is_active = False
    paralegal_a.save(update_fields=["is_active"])

    response = _ask(paralegal_a.email)

    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []
