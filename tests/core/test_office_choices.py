"""The case list's office filter offers the offices a person can see cases in, and finds them without reading
another office's cases (issue #17: at 1M cases the old check walked every other office's cases)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.core.filters import offices_with_visible_cases
from cases.core.services.cases import case_assign
from tests.factories import OfficeFactory, UserFactory


def offered(user) -> set[int]:
    return {office.pk for office in offices_with_visible_cases(user)}


def test_a_paralegal_is_offered_their_office_and_the_offices_of_cases_still_assigned_to_them(
    make_case, paralegal_b, office_a, office_b, administrator
):
    make_case(office=OfficeFactory())  # nothing of theirs there
    assert offered(paralegal_b) == {office_b.pk}  # their own office, even before it has a case

    # Assigned in office B, then moved to office A: the case stays theirs until someone reassigns it.
    kept = make_case(office=office_b)
    case_assign(actor=administrator, case_id=kept.pk, assignee=paralegal_b)
    paralegal_b.office = office_a
    paralegal_b.save(update_fields=["office"])

    assert offered(paralegal_b) == {office_a.pk, office_b.pk}


def test_an_office_coordinator_is_offered_their_office_only(make_case, coordinator_a, office_a, office_b):
    make_case(office=office_b)

    assert offered(coordinator_a) == {office_a.pk}


def test_someone_who_sees_every_office_is_offered_each_office_that_has_a_case(
    make_case, global_coordinator, administrator, office_a, office_b
):
    OfficeFactory()  # no case yet: not offered
    make_case(office=office_b)

    assert offered(global_coordinator) == offered(administrator) == {office_b.pk}


def test_staff_without_an_office_are_offered_the_offices_of_the_cases_assigned_to_them(
    make_case, paralegal_b, office_b, administrator
):
    assert offered(UserFactory(office=None)) == set()

    case = make_case(office=office_b)
    case_assign(actor=administrator, case_id=case.pk, assignee=paralegal_b)
    paralegal_b.office = None
    paralegal_b.save(update_fields=["office"])

    assert offered(paralegal_b) == {office_b.pk}


def test_the_choices_are_one_query_whatever_the_number_of_offices(paralegal_a, make_case):
    for _ in range(5):
        make_case(office=OfficeFactory())

    with CaptureQueriesContext(connection) as queries:
        list(offices_with_visible_cases(paralegal_a))

    assert len(queries) == 1  # offices with their organisation
