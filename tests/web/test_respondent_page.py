"""The respondent page: its details, its other names and successors, and the visible cases against it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.core.stages import Stage
from cases.models import RespondentAlias, RespondentKind
from tests.factories import RespondentFactory


def url(respondent) -> str:
    return reverse("respondent_detail", args=[respondent.pk])


@pytest.fixture
def employer(db):
    return RespondentFactory(name="Golden Palm Plantation", country="MY", registration_number="201901012345")


def test_anonymous_visitors_are_sent_to_sign_in(client, employer):
    response = client.get(url(employer))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_respondent_is_not_found(client, paralegal_a):
    client.force_login(paralegal_a)

    assert client.get(reverse("respondent_detail", args=[999_999])).status_code == 404


def test_the_page_shows_the_details_aliases_and_links_to_predecessor_and_successors(client, paralegal_a, employer):
    RespondentAlias.objects.create(respondent=employer, name="GPP Holdings")
    predecessor = RespondentFactory(name="Palm Estates")
    successor = RespondentFactory(name="New Palm Agro")
    employer.successor_of = predecessor
    employer.save(update_fields=["successor_of"])
    successor.successor_of = employer
    successor.save(update_fields=["successor_of"])
    client.force_login(paralegal_a)

    page = client.get(url(employer)).content.decode()

    assert "Golden Palm Plantation" in page
    assert "Employer" in page and "Malaysia" in page and "201901012345" in page
    assert "GPP Holdings" in page
    assert f'href="{url(predecessor)}">Palm Estates</a>' in page
    assert f'href="{url(successor)}">New Palm Agro</a>' in page


def test_the_page_lists_the_visible_cases_with_role_stage_and_counts(
    client, make_case, paralegal_a, employer, office_b
):
    evidence = make_case(Stage.EVIDENCE, respondents=[(employer, RespondentKind.EMPLOYER)])
    redress = make_case(
        Stage.REDRESS, respondents=[(employer, RespondentKind.EMPLOYER), (employer, RespondentKind.SPONSOR)]
    )
    hidden = make_case(Stage.EVIDENCE, office=office_b, respondents=[(employer, RespondentKind.EMPLOYER)])
    make_case(Stage.INTAKE)  # against someone else
    client.force_login(paralegal_a)

    response = client.get(url(employer))

    assert [entry["case"].pk for entry in response.context["entries"]] == [redress.pk, evidence.pk]
    assert response.context["entries"][0]["roles"] == ["Employer", "Sponsor"]
    assert response.context["total"] == 2
    counts = {stage: count for _label, stage, count in response.context["stage_counts"]}
    assert counts == {"intake": 0, "evidence": 1, "assignment": 0, "redress": 1, "closed": 0}
    page = response.content.decode()
    assert f'href="{reverse("case_detail", args=[evidence.pk])}">{evidence.reference}</a>' in page
    assert "Employer, Sponsor" in page
    assert hidden.reference not in page
    assert f'href="{reverse("case_list")}?respondent={employer.pk}"' in page


def test_a_respondent_with_no_visible_case_still_shows_its_details(client, make_case, paralegal_b, employer):
    hidden = make_case(Stage.EVIDENCE, respondents=[(employer, RespondentKind.EMPLOYER)])
    client.force_login(paralegal_b)

    response = client.get(url(employer))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Golden Palm Plantation" in page
    assert "You cannot see any case against this respondent." in page
    assert hidden.reference not in page
    assert response.context["total"] == 0


def test_the_case_list_links_respondent_names_to_this_page(client, make_case, paralegal_a, employer):
    make_case(respondents=[(employer, RespondentKind.EMPLOYER)])
    client.force_login(paralegal_a)

    page = client.get(reverse("case_list")).content.decode()

    assert f'<a href="{url(employer)}">Golden Palm Plantation</a>' in page


def test_the_page_costs_the_same_queries_with_one_case_or_many(
    client, make_case, paralegal_a, employer, django_assert_num_queries
):
    client.force_login(paralegal_a)
    make_case(respondents=[(employer, RespondentKind.EMPLOYER)])
    RespondentAlias.objects.create(respondent=employer, name="GPP Holdings")

    with CaptureQueriesContext(connection) as one_case:
        client.get(url(employer))
    for stage in (Stage.EVIDENCE, Stage.REDRESS, Stage.CLOSED, Stage.ASSIGNMENT):
        make_case(stage, respondents=[(employer, RespondentKind.EMPLOYER), (employer, RespondentKind.BRAND)])
    RespondentAlias.objects.create(respondent=employer, name="Golden Palm Sdn Bhd")

    with CaptureQueriesContext(connection) as many_cases:
        client.get(url(employer))

    assert len(one_case) == len(many_cases)
    # session, user, respondent and predecessor, aliases, successors, counts per stage, cases and roles, the header
    with django_assert_num_queries(8):
        client.get(url(employer))
