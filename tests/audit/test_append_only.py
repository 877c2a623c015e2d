"""The access log is append-only: the model and its QuerySet refuse changes, and on PostgreSQL so does a trigger."""

import pytest
from django.db import DatabaseError, connection, transaction

from cases.audit.services import AccessKind, Via, record_access
from cases.models import AccessRecord

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


@pytest.fixture
def record(make_case, paralegal_a):
    case = make_case()
    return record_access(user=paralegal_a, address="192.0.2.1", what=AccessKind.CASE_PAGE, via=Via.WEB, case=case)


def test_a_saved_record_cannot_be_saved_again_or_deleted(record):
    record.what = AccessKind.CASE_API
    with pytest.raises(TypeError, match="append-only"):
        record.save()
    with pytest.raises(TypeError, match="append-only"):
        record.delete()
    assert AccessRecord.objects.get().what == AccessKind.CASE_PAGE


def test_the_queryset_refuses_update_and_delete(record):
    with pytest.raises(TypeError, match="append-only"):
        AccessRecord.objects.filter(pk=record.pk).update(address="10.0.0.1")
    with pytest.raises(TypeError, match="append-only"):
        AccessRecord.objects.all().delete()
    assert AccessRecord.objects.get().address == "192.0.2.1"


@on_postgresql
def test_on_postgresql_an_update_in_raw_sql_is_refused_by_the_trigger(record):
    refused = pytest.raises(DatabaseError, match="append-only: UPDATE refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_accessrecord SET address = '10.0.0.1' WHERE id = %s", [record.pk])
    assert AccessRecord.objects.get().address == "192.0.2.1"


@on_postgresql
def test_on_postgresql_a_delete_in_raw_sql_is_refused_by_the_trigger(record):
    refused = pytest.raises(DatabaseError, match="append-only: DELETE refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_accessrecord")
    assert AccessRecord.objects.count() == 1


@on_postgresql
def test_on_postgresql_an_insert_is_still_allowed_in_raw_sql(record):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_accessrecord (at, user_id, case_id, what, via, detail) "
            "SELECT now(), user_id, case_id, what, via, detail FROM cases_accessrecord"
        )
    assert AccessRecord.objects.count() == 2
