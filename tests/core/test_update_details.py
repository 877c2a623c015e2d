"""Editing case details: only editable fields, only on the current version, and the event names fields, not values."""

import datetime
from decimal import Decimal

import pytest

from cases.core.errors import InvalidInput, StaleCase
from cases.core.services.cases import EDITABLE_FIELDS, case_update_details
from cases.core.stages import Stage
from cases.models import Case, CaseEvent, EventKind, Sector


def test_editing_details_saves_them_bumps_the_version_and_names_the_fields(make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    changes = {
        "job_title": "Fruit picker",
        "summary": "Paid 40% of the agreed wage; employer holds passport AB1234567.",
        "estimated_amount": Decimal("5230.50"),
        "estimated_currency": "MYR",
        "flag_unsafe_contact": True,
    }

    updated = case_update_details(actor=paralegal_a, case_id=case.pk, expected_version=case.version, changes=changes)

    stored = Case.objects.get(pk=case.pk)
    assert {name: getattr(stored, name) for name in changes} == changes
    assert updated.version == stored.version == case.version + 1
    event = stored.events.get(kind=EventKind.DETAILS_CHANGED)
    assert event.actor == paralegal_a
    assert event.payload == {"fields": sorted(changes)}
    # Values may be personal data: they appear nowhere in the event.
    assert "AB1234567" not in str(event.payload) and "AB1234567" not in event.reason
    assert "5230" not in str(event.payload)


def test_only_fields_that_actually_change_are_recorded(make_case, paralegal_a):
    case = make_case(Stage.INTAKE)

    case_update_details(
        actor=paralegal_a,
        case_id=case.pk,
        expected_version=case.version,
        changes={"job_title": case.job_title, "sector": Sector.AGRICULTURE},
    )

    assert case.events.get(kind=EventKind.DETAILS_CHANGED).payload == {"fields": ["sector"]}


def test_an_edit_that_changes_nothing_writes_nothing(make_case, paralegal_a):
    case = make_case(Stage.INTAKE)

    returned = case_update_details(
        actor=paralegal_a, case_id=case.pk, expected_version=case.version, changes={"job_title": case.job_title}
    )

    assert returned.version == Case.objects.get(pk=case.pk).version == case.version
    assert not case.events.filter(kind=EventKind.DETAILS_CHANGED).exists()


def test_an_edit_on_a_stale_version_is_refused(make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)

    with pytest.raises(StaleCase) as raised:
        case_update_details(
            actor=paralegal_a, case_id=case.pk, expected_version=case.version - 1, changes={"job_title": "Cook"}
        )

    assert raised.value.current_stage == Stage.EVIDENCE
    stored = Case.objects.get(pk=case.pk)
    assert (stored.job_title, stored.version) == (case.job_title, case.version)


@pytest.mark.parametrize(
    "field",
    ["stage", "outcome", "outcome_reason", "assigned_to", "reference", "version", "office", "claimant", "opened_by"],
)
def test_fields_with_their_own_service_or_none_cannot_be_edited(make_case, paralegal_a, field):
    assert field not in EDITABLE_FIELDS
    case = make_case(Stage.INTAKE)
    event_count = CaseEvent.objects.count()

    with pytest.raises(InvalidInput) as raised:
        case_update_details(actor=paralegal_a, case_id=case.pk, expected_version=case.version, changes={field: "x"})

    assert field in str(raised.value)
    assert CaseEvent.objects.count() == event_count
    stored = Case.objects.get(pk=case.pk)
    assert (stored.stage, stored.version, stored.reference) == (case.stage, case.version, case.reference)


def test_a_work_period_that_ends_before_it_starts_is_refused(make_case, paralegal_a):
    case = make_case(Stage.INTAKE)

    with pytest.raises(InvalidInput):
        case_update_details(
            actor=paralegal_a,
            case_id=case.pk,
            expected_version=case.version,
            changes={"work_started_on": datetime.date(2024, 5, 1), "work_ended_on": datetime.date(2024, 4, 1)},
        )

    stored = Case.objects.get(pk=case.pk)
    assert (stored.work_started_on, stored.work_ended_on, stored.version) == (None, None, case.version)
