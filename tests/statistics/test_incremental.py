"""The incremental refresh (``cases.statistics.incremental``) leaves the summary tables exactly as a full rebuild
would, after each kind of change made through the real services; and it touches only what the changes reach."""

from datetime import date, datetime
from unittest import mock

import pytest
import time_machine
from django.db import models, transaction

from cases.core.services.cases import case_close, case_reopen, case_update_details
from cases.core.stages import Outcome, Stage
from cases.models import (
    Case,
    CaseRespondent,
    EntryKind,
    Sector,
    StatCase,
    StatDuration,
    StatFact,
    StatParalegal,
    StatPending,
    StatRespondent,
)
from cases.money.services.ledger import ledger_reverse
from cases.statistics import incremental, refresh
from cases.statistics.incremental import statistics_update
from cases.statistics.models import StatDurationBand
from cases.statistics.refresh import statistics_refresh
from claimants.models import Gender
from tests.factories import ClaimantFactory, RespondentFactory
from tests.statistics.conftest import record_money

NOW = datetime.fromisoformat("2026-05-01T12:00:00+00:00")
TABLES = (StatCase, StatFact, StatDuration, StatDurationBand, StatRespondent, StatParalegal)


def _snapshot() -> dict:
    """Every summary row, without ids, sorted: what the dashboard can read. (A row whose every figure is zero
    changes nothing the dashboard shows; the incremental refresh may drop or keep one.)"""
    snapshot = {}
    for model in TABLES:
        fields = [f for f in model._meta.concrete_fields if f.name != "id"]
        figures = [f.attname for f in fields if isinstance(f, models.IntegerField) and not f.is_relation]
        rows = model.objects.values(*[f.attname for f in fields])
        snapshot[model.__name__] = sorted(
            tuple(str(value) for value in row.values())
            for row in rows
            if model is StatCase or any(row[name] for name in figures if name not in ("days", "band"))
        )
    return snapshot


@pytest.fixture
def changes(django_capture_on_commit_callbacks):
    """Run ``change`` in a transaction whose commit writes its marks, as a request would."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            change()

    return run


def _assert_update_equals_rebuild(*, expect_rebuild: bool = False):
    assert StatPending.objects.exists()
    with mock.patch.object(incremental, "rebuild", wraps=refresh.rebuild) as rebuilt:
        statistics_update(now=NOW)
    assert rebuilt.called is expect_rebuild
    assert not StatPending.objects.exists()  # the marks are taken in
    updated = _snapshot()
    statistics_refresh(now=NOW)
    assert updated == _snapshot()


def _money(administrator, case, kind, amount, day, respondent=None, currency="USD"):
    return record_money(administrator, case, kind, amount, currency, day, respondent)


@pytest.fixture
def built(dataset):
    statistics_refresh(now=NOW)
    StatPending.objects.all().delete()
    return dataset


def test_new_case_of_a_known_worker_money_and_close(built, changes, make_case, administrator):
    case_1 = built["cases"][0]

    def change():
        with time_machine.travel("2026-04-10 09:00Z", tick=False):
            new = make_case(Stage.REDRESS, claimant=case_1.claimant, respondents=[(built["agency"], "agency")])
        _money(administrator, new, EntryKind.CLAIMED, "400.00", "2026-04-10")
        _money(administrator, new, EntryKind.AWARDED, "9000.00", "2026-04-20", built["agency"], currency="THB")
        _money(administrator, new, EntryKind.DISBURSED, "120.00", "2026-04-25")
        with time_machine.travel("2026-04-28 09:00Z", tick=False):
            case_close(actor=administrator, case_id=new.pk, outcome=Outcome.RECOVERED_PART, reason="Some paid.")

    changes(change)
    _assert_update_equals_rebuild()


def test_reopening_moves_a_closing_out_of_its_old_month(built, changes, administrator):
    case_3 = built["cases"][2]  # closed 2026-04-02
    changes(lambda: case_reopen(actor=administrator, case_id=case_3.pk, reason="Employer paid less than said."))
    _assert_update_equals_rebuild()


def test_reversing_the_first_disbursement_moves_the_median_month(built, changes, administrator):
    case_2 = built["cases"][1]  # open, nothing disbursed yet
    entries = []

    def disburse():
        entries.append(_money(administrator, case_2, EntryKind.DISBURSED, "100.00", "2026-03-05"))
        entries.append(_money(administrator, case_2, EntryKind.DISBURSED, "100.00", "2026-04-15"))

    changes(disburse)
    _assert_update_equals_rebuild()
    changes(lambda: ledger_reverse(actor=administrator, case_id=case_2.pk, entry_id=entries[0].pk, reason="Bounced."))
    _assert_update_equals_rebuild()


def test_moving_a_case_to_another_country_and_sector(built, changes, administrator):
    case_1 = Case.objects.get(pk=built["cases"][0].pk)

    def change():
        case_update_details(
            actor=administrator,
            case_id=case_1.pk,
            expected_version=case_1.version,
            changes={"country_of_work": "SG", "sector": Sector.DOMESTIC},
        )

    changes(change)
    _assert_update_equals_rebuild()
    assert StatCase.objects.get(case_id=case_1.pk).country_of_work == "SG"


def test_respondents_named_and_no_longer_named(built, changes):
    case_2 = built["cases"][1]
    link = CaseRespondent.objects.get(case=case_2)
    other = RespondentFactory(name="Harbour Labour Supply")

    def change():
        link.delete()
        CaseRespondent.objects.create(case=case_2, respondent=other, role="employer")

    changes(change)
    _assert_update_equals_rebuild()


def test_a_worker_whose_origin_and_gender_change(built, changes):
    worker = built["cases"][0].claimant

    def change():
        worker.nationality = "UZ"
        worker.gender = Gender.MAN
        worker.save()

    changes(change)
    _assert_update_equals_rebuild()


def test_many_changes_in_one_batch_across_offices(built, changes, make_case, office_b, administrator):
    def change():
        for day, office in (("2026-04-03", office_b), ("2026-04-04", None), ("2026-01-05", office_b)):
            with time_machine.travel(f"{day} 09:00Z", tick=False):
                case = make_case(
                    Stage.REDRESS,
                    office=office,
                    claimant=ClaimantFactory(nationality="NP", gender=Gender.WOMAN),
                    country_of_work="KG",
                    sector=Sector.AGRICULTURE,
                )
                _money(administrator, case, EntryKind.CLAIMED, "10.00", day)
                case_close(actor=administrator, case_id=case.pk, outcome=Outcome.NOTHING, reason="Gone.")

    changes(change)
    changes(lambda: _money(administrator, built["cases"][1], EntryKind.PAID, "50.00", "2026-04-30", built["renamed"]))
    _assert_update_equals_rebuild()


def test_a_successors_change_rebuilds_everything(built, changes):
    def change():
        built["agency"].successor_of = built["employer"]
        built["agency"].save()

    changes(change)
    _assert_update_equals_rebuild(expect_rebuild=True)


def test_too_many_touched_cases_rebuild_everything(built, changes, administrator, monkeypatch):
    monkeypatch.setattr(incremental, "MAX_TOUCHED_CASES", 1)
    changes(lambda: _money(administrator, built["cases"][1], EntryKind.CLAIMED, "1.00", "2026-04-30"))
    _assert_update_equals_rebuild(expect_rebuild=True)


def test_without_marks_only_the_paralegals_are_recounted(built):
    before = _snapshot()
    with mock.patch.object(incremental, "_take_in") as take_in:
        refreshed = statistics_update(now=NOW)
    take_in.assert_not_called()
    assert refreshed.refreshed_at == NOW
    assert _snapshot() == before


def test_a_rolled_back_change_writes_no_mark(built, make_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        make_case()
        raise RuntimeError
    assert not StatPending.objects.exists()


def test_one_transaction_writes_its_marks_in_one_statement(
    built, administrator, django_capture_on_commit_callbacks, django_assert_num_queries
):
    case_2 = built["cases"][1]
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        _money(administrator, case_2, EntryKind.CLAIMED, "1.00", "2026-04-30")
        _money(administrator, case_2, EntryKind.CLAIMED, "2.00", "2026-04-30")
    assert not StatPending.objects.exists()  # nothing before the commit
    with django_assert_num_queries(1):
        for callback in callbacks:
            callback()
    # Repeated marks are written once. (The test's own transaction also holds the data set's marks: it is the
    # transaction all of them are in.)
    assert StatPending.objects.filter(case_id=case_2.pk, month=date(2026, 4, 1)).count() == 1
