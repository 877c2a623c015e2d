"""Recording money: what is stored, the event it writes, and the input it refuses (nothing saved)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.core.errors import IllegalTransition
from cases.core.stages import Stage
from cases.models import Case, CaseEvent, EntryKind, EventKind, LedgerEntry, Route
from cases.money.services.ledger import LedgerInputError
from tests.factories import RespondentFactory

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_an_entry_keeps_exact_minor_units_who_recorded_it_and_an_event_without_amounts(case, record, administrator):
    respondent = case.case_respondents.get().respondent
    version = case.version

    entry = record(case, EntryKind.AWARDED, "1234.56", "myr", respondent=respondent, note="Labour court order 12/25")

    entry.refresh_from_db()
    assert (entry.kind, entry.amount_minor, entry.currency, entry.entry_date) == ("awarded", 123456, "MYR", DAY)
    assert (entry.respondent, entry.actor, entry.claimant_id) == (respondent, administrator, case.claimant_id)
    assert entry.amount == Decimal("1234.56")
    event = CaseEvent.objects.filter(case=case).first()
    assert event.kind == EventKind.LEDGER_ENTRY and event.actor == administrator
    # Ids and kinds only: amounts and notes stay off the widely read timeline.
    assert event.payload == {"entry": entry.pk, "kind": "awarded"} and event.reason == ""
    case.refresh_from_db()
    assert case.version == version + 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-10.00"}, "amount"),
        ({"amount": "10.001"}, "amount"),
        ({"amount": "10.5", "currency": "JPY"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": ""}, "currency"),
        ({"kind": "donation"}, "kind"),
        ({"source": "lottery"}, "source"),
        ({"entry_date": timezone.localdate() + timedelta(days=1)}, "entry_date"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(case, record, changes, field):
    arguments = {"kind": EntryKind.CLAIMED, "amount": "10.00", "currency": "MYR", **changes}
    events = CaseEvent.objects.filter(case=case).count()

    with pytest.raises(LedgerInputError) as refused:
        record(case, **arguments)

    assert refused.value.field == field
    assert not LedgerEntry.objects.exists()
    assert CaseEvent.objects.filter(case=case).count() == events


def test_the_respondent_must_be_one_of_the_cases(case, record):
    with pytest.raises(LedgerInputError) as refused:
        record(case, EntryKind.PAID, "10.00", respondent=RespondentFactory(), confirm_over_award=True)
    assert refused.value.field == "respondent"


def test_someone_of_another_office_cannot_record_money(case, record, paralegal_b):
    with pytest.raises(Case.DoesNotExist):
        record(case, actor=paralegal_b)
    assert not LedgerEntry.objects.exists()


def test_a_closed_case_takes_no_money_until_it_is_reopened(make_case, record):
    closed = make_case(Stage.CLOSED)
    with pytest.raises(IllegalTransition, match="Reopen"):
        record(closed)


def test_every_route_and_kind_can_be_recorded(case, record):
    for kind in (EntryKind.CLAIMED, EntryKind.AWARDED, EntryKind.SETTLED, EntryKind.WRITTEN_OFF):
        for route in Route.values:
            record(case, kind, "1.00", source=route)
    assert LedgerEntry.objects.filter(case=case).count() == 4 * len(Route.values)
