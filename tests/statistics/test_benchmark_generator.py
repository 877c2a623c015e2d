"""The benchmark generator (``seed_benchmark``) makes valid rows, and on them the summary equals the direct figures."""

from datetime import date
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from cases.core.references import normalise_reference
from cases.core.stages import RECOVERY_OUTCOMES, Stage
from cases.models import Case, CaseRespondent, Deadline, LedgerEntry, Respondent, RespondentAlias
from cases.statistics.direct import direct_figures
from cases.statistics.refresh import statistics_refresh
from cases.statistics.selection import Selection, add_months, month_start
from cases.statistics.summary import summary_figures
from claimants.fields import key_id_of, newest_key_id
from claimants.models import Claimant, ContactChannel
from paralegals.models import Office, User

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="seed_benchmark generates rows with PostgreSQL's generate_series"
)

CASES = 2_000


@pytest.fixture
def benchmark(db):
    call_command("seed_benchmark", cases=CASES, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_it_makes_the_cases_asked_for_with_their_workers_respondents_money_and_deadlines(benchmark):
    assert Case.objects.count() == CASES
    assert Office.objects.filter(organisation__name="Redress Benchmark Network").count() == 10
    assert 0.8 * CASES <= Claimant.objects.count() < CASES  # some workers come back with a second case
    assert Respondent.objects.exists() and RespondentAlias.objects.exists()
    assert Respondent.objects.filter(successor_of__isnull=False).exists()
    assert CaseRespondent.objects.filter(role="employer").count() == CASES
    assert LedgerEntry.objects.count() > 2 * CASES
    assert LedgerEntry.objects.filter(reverses__isnull=False).exists()
    now = timezone.now()
    assert Deadline.objects.overdue(now).exists() and Deadline.objects.open().filter(due_at__gte=now).exists()
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)


def test_references_are_unique_and_valid(benchmark):
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    assert all(normalise_reference(reference) == reference for reference in references)


def test_rows_keep_the_rules_the_services_keep(benchmark):
    assert not Case.objects.filter(stage=Stage.CLOSED, outcome="").exists()
    assert not Case.objects.exclude(stage=Stage.CLOSED).exclude(outcome="").exists()
    assert not Case.objects.filter(stage=Stage.CLOSED, closed_at__isnull=True).exists()
    assert _count("SELECT COUNT(*) FROM cases_case WHERE closed_at < opened_at OR work_ended_on < work_started_on") == 0
    assert not Case.objects.filter(stage=Stage.REDRESS, assigned_to__isnull=True).exists()
    # "Recovered" only with money handed to the worker, and never money dated after the case closed or in the future.
    recovered = Case.objects.filter(outcome__in=RECOVERY_OUTCOMES)
    with_disbursement = LedgerEntry.objects.filter(kind="disbursed").standing().values("case_id")
    assert recovered.exists() and not recovered.exclude(pk__in=with_disbursement).exists()
    assert (
        _count(
            "SELECT COUNT(*) FROM cases_ledgerentry l JOIN cases_case c ON c.id = l.case_id "
            "WHERE l.entry_date > COALESCE(c.closed_at, now())::date OR l.entry_date < c.opened_at::date"
        )
        == 0
    )
    reversals = LedgerEntry.objects.filter(reverses__isnull=False)
    assert not reversals.filter(reason="").exists()
    assert all(r.kind == r.reverses.kind and r.amount_minor == r.reverses.amount_minor for r in reversals)
    # Foreign keys (checked set-wise by the command, since it skips the row-by-row triggers).
    assert _count("SELECT COUNT(*) FROM cases_case c LEFT JOIN claimants_claimant w ON w.id = c.claimant_id "
                  "WHERE w.id IS NULL") == 0  # fmt: skip
    assert _count("SELECT COUNT(*) FROM cases_ledgerentry l LEFT JOIN cases_case c ON c.id = l.case_id "
                  "WHERE c.id IS NULL") == 0  # fmt: skip
    # Claimants have no identity document: the encrypted field and its blind index stay empty.
    assert _count("SELECT COUNT(*) FROM claimants_claimant WHERE id_document_number <> ''") == 0
    assert not Claimant.objects.exclude(id_document_digest="").exists()


def test_contact_values_are_real_ciphertext_that_decrypts_with_real_blind_indexes(benchmark):
    workers = Claimant.objects.count()
    assert ContactChannel.objects.count() == workers
    with_alternate = _count("SELECT COUNT(*) FROM claimants_claimant WHERE alternate_contact_phone <> ''")
    assert abs(with_alternate - 0.4 * workers) <= 2  # two in five
    with connection.cursor() as cursor:
        cursor.execute("SELECT home_country_address, alternate_contact_phone FROM claimants_claimant")
        raw = [value for row in cursor.fetchall() for value in row if value]
    assert {key_id_of(value) for value in raw} == {newest_key_id()}
    for worker in Claimant.objects.prefetch_related("channels").order_by("?")[:50]:
        assert worker.home_country_address.startswith("House ")
        [channel] = worker.channels.all()
        assert channel.value.startswith("+") and channel.kind in ("phone", "whatsapp")
        assert channel.lookup_value == ContactChannel.lookup_for(channel.kind, channel.value)


def test_adding_more_cases_continues_the_numbering(benchmark):
    call_command("seed_benchmark", cases=100, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Case.objects.count() == CASES + 100
    assert Case.objects.values("reference").distinct().count() == CASES + 100


def test_reset_refuses_when_other_offices_have_cases(benchmark, make_case):
    make_case()
    with pytest.raises(CommandError, match="outside the benchmark"):
        call_command("seed_benchmark", cases=10, reset=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize(
    "months, filters",
    [(12, {}), (60, {}), (61, {"country": "TH"}), (24, {"sector": "construction"}), (1, {})],
)
def test_summary_figures_equal_the_direct_computation_for_a_global_coordinator(benchmark, months, filters):
    user = User.objects.get(username="bench_global")
    refresh = statistics_refresh(now=timezone.now())
    this_month = month_start(date.today())
    offices = tuple(Office.objects.order_by("pk").values_list("pk", flat=True))
    selection = Selection(start=add_months(this_month, 1 - months), end=this_month, offices=offices, **filters)
    summary = summary_figures(selection, refresh.offices)  # the all-offices rows where they serve
    assert summary.headline.opened > 0
    assert summary == direct_figures(selection, user, now=refresh.refreshed_at)
    assert summary_figures(selection) == summary  # the per-office rows


def test_summary_equals_what_an_office_coordinator_sees_directly(benchmark):
    user = User.objects.get(username="bench_coord_doha")
    refresh = statistics_refresh()
    this_month = month_start(date.today())
    selection = Selection(start=add_months(this_month, -59), end=this_month, offices=(user.office_id,))
    assert summary_figures(selection, refresh.offices) == direct_figures(selection, user, now=refresh.refreshed_at)


def test_after_changes_through_the_services_the_incremental_refresh_equals_a_rebuild(
    benchmark, django_capture_on_commit_callbacks
):
    from cases.management.commands.benchmark_statistics import make_changes
    from cases.models import StatPending
    from cases.statistics import incremental
    from cases.statistics.incremental import statistics_update
    from tests.statistics.test_incremental import _snapshot

    statistics_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        make_changes(User.objects.get(username="bench_global"), 60)  # 48 ledger entries and 12 closings
    assert StatPending.objects.count() >= 60
    with mock.patch.object(incremental, "rebuild") as rebuild:
        statistics_update()
    rebuild.assert_not_called()
    updated = _snapshot()
    statistics_refresh()
    assert _snapshot() == updated
