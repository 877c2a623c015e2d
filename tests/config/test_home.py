"""Signing in lands on the home page, which counts only the cases the person may see, at a fixed cost."""

from django.urls import reverse

from cases.core.stages import Stage
from tests.factories import PASSWORD


def test_the_login_page_renders(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_signing_in_redirects_to_home(client, paralegal_a):
    response = client.post(reverse("login"), {"username": paralegal_a.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == paralegal_a


def test_a_wrong_password_does_not_sign_in(client, paralegal_a):
    response = client.post(reverse("login"), {"username": paralegal_a.username, "password": "wrong-password-1"})

    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_an_inactive_user_cannot_sign_in(client, paralegal_a):
    paralegal_a.is_active = False
    paralegal_a.save(update_fields=["is_active"])

    response = client.post(reverse("login"), {"username": paralegal_a.username, "password": PASSWORD})

    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('home')}"


def test_home_for_someone_who_sees_every_office_counts_everything(client, make_case, office_b, superuser):
    make_case(Stage.INTAKE)
    make_case(Stage.INTAKE, office=office_b)
    client.force_login(superuser)

    assert client.get(reverse("home")).context["figures"] == {"mine": 0, "unassigned": 2, "open": 2}
