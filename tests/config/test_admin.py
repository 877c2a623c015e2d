"""The admin: read-only case data, exact reference search, visible_to for staff, and pages that stay cheap."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.core.services.cases import case_assign
from cases.models import Case, CaseEvent
from claimants.models import Claimant
from config.admin import CappedCountPaginator
from tests.factories import CaseFactory, ClaimantFactory, OfficeFactory, UserFactory

CHANGELISTS = {
    # session, user, offices for the "office" filter (organisation joined), capped count, page
    "cases_case": 2 + 1 + 2,
    # session, user, capped count, page (case and actor joined)
    "cases_caseevent": 4,
    # session, user, capped count, page
    "claimants_claimant": 4,
    # session, user, capped count, page
    "cases_respondent": 4,
}


def changelist_url(name: str) -> str:
    return reverse(f"admin:{name}_changelist")


def add_cases(count, *, offices, actor, assignees):
    """``count`` cases spread over ``offices``, every third one assigned, so every listed relation is filled."""
    for index in range(count):
        office = offices[index % len(offices)]
        case = CaseFactory(office=office, actor=actor)
        if index % 3 == 0:
            case_assign(actor=actor, case_id=case.pk, assignee=assignees[office.pk])


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", CHANGELISTS)
def test_change_lists_cost_the_same_queries_with_30_and_60_cases(
    client, superuser, administrator, office_a, office_b, paralegal_a, paralegal_b, name
):
    client.force_login(superuser)
    spread = {
        "offices": [office_a, office_b],
        "actor": administrator,
        "assignees": {office_a.pk: paralegal_a, office_b.pk: paralegal_b},
    }

    add_cases(30, **spread)
    with_30 = queries_for(client, changelist_url(name))
    add_cases(30, **spread)
    with_60 = queries_for(client, changelist_url(name))

    # Anything per row (an N+1 on office, organisation, actor, case) would make these differ.
    assert Case.objects.count() == 60
    assert with_30 == with_60 == CHANGELISTS[name]


def test_the_case_change_list_does_not_query_once_per_office(client, superuser):
    client.force_login(superuser)
    OfficeFactory()
    with_one_office = queries_for(client, changelist_url("cases_case"))
    OfficeFactory.create_batch(10)

    assert queries_for(client, changelist_url("cases_case")) == with_one_office


def test_change_lists_count_at_most_the_configured_cap(client, superuser, make_case, settings):
    settings.ADMIN_COUNT_CAP = 3
    for _ in range(5):
        make_case()
    client.force_login(superuser)

    response = client.get(changelist_url("cases_case"))

    changelist = response.context["cl"]
    assert changelist.result_count == 4  # cap + 1: "more than 3"
    assert changelist.full_result_count is None
    assert len(changelist.result_list) == 5


def test_every_model_admin_uses_the_capped_paginator_without_a_full_count():
    for model, model_admin in admin.site._registry.items():
        assert model_admin.paginator is CappedCountPaginator, model
        assert model_admin.show_full_result_count is False, model


def reference_as_typed(reference: str) -> str:
    return reference.replace("-", "").lower()


def test_searching_cases_by_a_reference_typed_loosely_finds_exactly_that_case(client, superuser, make_case):
    cases = [make_case() for _ in range(4)]
    wanted = cases[2]
    client.force_login(superuser)

    response = client.get(changelist_url("cases_case"), {"q": reference_as_typed(wanted.reference)})

    assert [case.pk for case in response.context["cl"].result_list] == [wanted.pk]


def test_searching_events_by_reference_finds_only_that_cases_events(client, superuser, make_case):
    cases = [make_case("evidence") for _ in range(3)]
    wanted = cases[1]
    client.force_login(superuser)

    response = client.get(changelist_url("cases_caseevent"), {"q": reference_as_typed(wanted.reference)})

    found = {event.pk for event in response.context["cl"].result_list}
    assert found == set(CaseEvent.objects.filter(case=wanted).values_list("pk", flat=True))
    assert len(found) == 2  # opened, stage changed


@pytest.mark.parametrize("term", ["not a reference", "ABCD-EFGH-JK", "%"])
def test_searching_with_something_that_is_not_a_reference_finds_nothing(client, superuser, make_case, term):
    make_case()
    client.force_login(superuser)

    response = client.get(changelist_url("cases_case"), {"q": term})

    assert list(response.context["cl"].result_list) == []


@pytest.fixture
def staff_paralegal_a(office_a):
    user = UserFactory(username="staff_paralegal_a", office=office_a, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_case", "view_caseevent"]))
    return user


def test_a_paralegal_in_the_admin_sees_only_the_cases_visible_to_them(
    client, staff_paralegal_a, make_case, office_b, global_coordinator
):
    own = make_case()
    other_office = make_case(office=office_b)
    assigned_elsewhere = make_case(office=office_b)
    case_assign(actor=global_coordinator, case_id=assigned_elsewhere.pk, assignee=staff_paralegal_a)
    client.force_login(staff_paralegal_a)

    cases = client.get(changelist_url("cases_case")).context["cl"].result_list
    events = client.get(changelist_url("cases_caseevent")).context["cl"].result_list

    assert {case.pk for case in cases} == {own.pk, assigned_elsewhere.pk}
    assert {event.case_id for event in events} == {own.pk, assigned_elsewhere.pk}
    hidden = client.get(reverse("admin:cases_case_change", args=[other_office.pk]))
    assert hidden.status_code == 302  # "doesn't exist", back to the admin index
    assert other_office.reference not in hidden.content.decode()
    # An exact search for the hidden case's reference does not reveal it either.
    searched = client.get(changelist_url("cases_case"), {"q": other_office.reference})
    assert list(searched.context["cl"].result_list) == []


def test_a_paralegal_in_the_admin_does_not_see_claimants_of_other_offices(client, office_a, make_case, office_b):
    user = UserFactory(office=office_a, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_claimant"))
    own = make_case()
    other_office = make_case(office=office_b)
    client.force_login(user)

    claimants = client.get(changelist_url("claimants_claimant")).context["cl"].result_list

    assert {claimant.pk for claimant in claimants} == {own.claimant_id}
    assert Claimant.objects.filter(pk=other_office.claimant_id).exists()


def test_nobody_can_add_change_or_delete_cases_in_the_admin(client, superuser, make_case, rf):
    case = make_case()
    client.force_login(superuser)
    request = rf.get("/")
    request.user = superuser
    case_admin = admin.site._registry[Case]

    assert client.get(reverse("admin:cases_case_add")).status_code == 403
    assert case_admin.has_add_permission(request) is False
    assert case_admin.has_change_permission(request, case) is False
    assert case_admin.has_delete_permission(request, case) is False
    assert admin.site._registry[CaseEvent].has_add_permission(request) is False


def test_the_case_page_renders_read_only_for_a_superuser(client, superuser, make_case):
    case = make_case("redress")
    client.force_login(superuser)

    response = client.get(reverse("admin:cases_case_change", args=[case.pk]))

    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert not response.context["has_change_permission"]


def test_the_claimant_page_renders_for_a_superuser(client, superuser):
    claimant = ClaimantFactory()
    client.force_login(superuser)

    response = client.get(reverse("admin:claimants_claimant_change", args=[claimant.pk]))

    assert response.status_code == 200
    assert claimant.full_name in response.content.decode()
