"""Signing in lands on the home page, which counts only the cases the person may see, at a fixed cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.services import case_assign
from cases.stages import Stage
from tests.factories import PASSWORD, CaseFactory


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


def test_home_counts_only_the_open_cases_the_user_can_see(client, make_case, office_b, paralegal_a, administrator):
    make_case(Stage.REDRESS)  # office A, assigned to paralegal_a
    make_case(Stage.EVIDENCE)  # office A, unassigned
    make_case(Stage.INTAKE)  # office A, unassigned
    make_case(Stage.CLOSED)  # office A, closed: not counted
    assigned_elsewhere = make_case(Stage.INTAKE, office=office_b)
    hidden = [make_case(Stage.INTAKE, office=office_b), make_case(Stage.REDRESS, office=office_b)]
    case_assign(actor=administrator, case_id=assigned_elsewhere.pk, assignee=paralegal_a)
    client.force_login(paralegal_a)

    response = client.get(reverse("home"))

    assert response.context["figures"] == {"mine": 2, "unassigned": 2, "open": 4}
    listed = [case.reference for case in response.context["recent"]]
    assert assigned_elsewhere.reference in listed
    assert len(listed) == 5  # the closed case is recent too; office B's other cases are not
    page = response.content.decode()
    assert all(case.reference not in page for case in hidden)


def test_home_for_someone_who_sees_every_office_counts_everything(client, make_case, office_b, superuser):
    make_case(Stage.INTAKE)
    make_case(Stage.INTAKE, office=office_b)
    client.force_login(superuser)

    assert client.get(reverse("home")).context["figures"] == {"mine": 0, "unassigned": 2, "open": 2}


@pytest.mark.parametrize("user", ["paralegal_a", "superuser"])
def test_home_costs_the_same_queries_with_few_or_many_cases(client, request, office_a, coordinator_a, user):
    user = request.getfixturevalue(user)
    client.force_login(user)

    def home_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    CaseFactory.create_batch(2, office=office_a, actor=coordinator_a)
    with_few = home_queries()
    CaseFactory.create_batch(13, office=office_a, actor=coordinator_a)
    with_many = home_queries()

    # session, user, the three counts in one aggregate, the 10 most recent cases with their office;
    # a user with an office adds their office and its organisation (shown under the greeting).
    expected = 4 + (2 if user.office_id else 0)
    assert with_few == with_many == expected
