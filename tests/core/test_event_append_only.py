"""The case timeline is append-only: events cannot be changed or deleted, one by one or in bulk."""

import pytest
from django.db import transaction
from django.db.models.deletion import ProtectedError

from cases.core.stages import Stage
from cases.models import Case, CaseEvent, EventKind


@pytest.fixture
def event(make_case):
    return make_case(Stage.EVIDENCE).events.get(kind=EventKind.STAGE_CHANGED)


def test_saving_an_existing_event_raises(event):
    event.reason = "Rewritten history."

    with pytest.raises(TypeError, match="append-only"):
        event.save()

    assert CaseEvent.objects.get(pk=event.pk).reason == ""


def test_deleting_an_event_raises(event):
    with pytest.raises(TypeError, match="append-only"):
        event.delete()

    assert CaseEvent.objects.filter(pk=event.pk).exists()


def test_updating_events_in_bulk_raises(event):
    with pytest.raises(TypeError, match="append-only"):
        CaseEvent.objects.filter(pk=event.pk).update(reason="Rewritten history.")
    with pytest.raises(TypeError, match="append-only"):
        event.case.events.update(actor=None)
    event.reason = "Rewritten history."
    # bulk_update runs in its own atomic block; a savepoint keeps the test's transaction usable.
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        CaseEvent.objects.bulk_update([event], ["reason"])

    assert CaseEvent.objects.get(pk=event.pk).reason == ""


def test_deleting_events_in_bulk_raises(event):
    count = CaseEvent.objects.count()

    with pytest.raises(TypeError, match="append-only"):
        CaseEvent.objects.all().delete()
    with pytest.raises(TypeError, match="append-only"):
        event.case.events.all().delete()

    assert CaseEvent.objects.count() == count


def test_a_case_with_events_cannot_be_deleted(event):
    with pytest.raises(ProtectedError):
        event.case.delete()

    assert Case.objects.filter(pk=event.case_id).exists()
