"""Roles decide who coordinates and who sees every office; only coordinators and admins may be global."""

import pytest
from django.db import IntegrityError, transaction

from paralegals.models import Role
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("traits", "is_coordinator", "sees_all_offices"),
    [
        ({}, False, False),
        ({"coordinator": True}, True, False),
        ({"global_coordinator": True}, True, True),
        ({"administrator": True}, True, True),
        ({"superuser": True}, True, True),  # a superuser may assign and reopen, whatever its role
    ],
    ids=["paralegal", "coordinator", "global-coordinator", "admin", "superuser"],
)
def test_role_properties(db, traits, is_coordinator, sees_all_offices):
    user = UserFactory(**traits)

    assert (user.is_coordinator, user.sees_all_offices) == (is_coordinator, sees_all_offices)


def test_a_paralegal_cannot_be_a_global_coordinator(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.PARALEGAL, is_global_coordinator=True)
