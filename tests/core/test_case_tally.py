"""The case tally (cases.core.tally) agrees with the cases after every kind of write, and Home's figures and the
assignment suggestions read it (counted through the real services and pages, not built by hand)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse

from cases.core.assignment import suggest_assignees
from cases.core.models import Case, CaseTally
from cases.core.services.cases import case_assign, case_assign_bulk, case_close, case_reopen
from cases.core.stages import Stage
from cases.core.tally import compact, home_figures, install
from cases.core.tasks import compact_case_tallies
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tally() -> dict[tuple[int, int, str], int]:
    """The tally's counts per (office, assignee, stage), zero sums left out."""
    sums: dict[tuple[int, int, str], int] = {}
    for row in CaseTally.objects.all():
        key = (row.office_id, row.assignee_id, row.stage)
        sums[key] = sums.get(key, 0) + row.n
    return {key: n for key, n in sums.items() if n}


def counted() -> dict[tuple[int, int, str], int]:
    """The same counted on the cases."""
    rows = Case.objects.values_list("office_id", "assigned_to_id", "stage").annotate(n=Count("pk")).order_by()
    return {(office, assignee or 0, stage): n for office, assignee, stage, n in rows}


def test_every_service_write_keeps_the_tally_right(make_case, administrator, paralegal_a, coordinator_a, office_b):
    assert tally() == counted() == {}
    cases = [make_case(stage) for stage in (Stage.INTAKE, Stage.EVIDENCE, Stage.ASSIGNMENT, Stage.REDRESS)]
    make_case(Stage.INTAKE, office=office_b)
    assert tally() == counted()
    case_assign(actor=administrator, case_id=cases[2].pk, assignee=paralegal_a)
    case_assign_bulk(actor=coordinator_a, case_ids=[cases[0].pk, cases[1].pk], assignee=coordinator_a)
    assert tally() == counted()
    case_close(actor=administrator, case_id=cases[3].pk, outcome="nothing", reason="Gone.")
    assert tally() == counted()
    case_reopen(actor=administrator, case_id=cases[3].pk, reason="Found them.")
    assert tally() == counted()


def test_bulk_updates_and_compaction_keep_it_right(make_case, paralegal_a, office_b):
    for _ in range(3):
        make_case(Stage.EVIDENCE)
    # Writers that bypass the services (the admin, a data fix, a script) are counted too: the triggers see them.
    Case.objects.filter(stage=Stage.EVIDENCE).update(assigned_to=paralegal_a)
    Case.objects.filter(pk=Case.objects.order_by("pk").first().pk).update(office=office_b)
    before = CaseTally.objects.count()
    assert tally() == counted()
    removed = compact_case_tallies.delay().get()
    assert removed > 0
    assert CaseTally.objects.count() == before - removed == len(counted())
    assert tally() == counted()
    assert compact() == 0  # nothing left to fold


def test_a_save_that_changes_nothing_counted_adds_no_row(make_case, administrator):
    case = make_case()
    rows = CaseTally.objects.count()
    case.summary = "More detail."
    case.save()
    case.save_bumping_version(["summary"])
    assert CaseTally.objects.count() == rows


def test_migrate_reinstalls_the_triggers_and_recounts(make_case):
    make_case()
    CaseTally.objects.all().delete()  # as if the tally were lost (a SQLite table rebuild drops triggers, too)
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS cases_case_tally_insert"
            + (" ON cases_case" if connection.vendor == "postgresql" else "")
        )
    call_command("migrate", verbosity=0)
    assert tally() == counted() != {}
    make_case()  # the insert trigger is back
    assert tally() == counted()


def test_install_is_idempotent(make_case):
    make_case()
    install()
    install()
    assert tally() == counted()


def expected_home_figures(user) -> dict[str, int]:
    open_cases = Case.objects.visible_to(user).exclude(stage=Stage.CLOSED)
    return open_cases.aggregate(
        mine=Count("pk", filter=Q(assigned_to=user)),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
        open=Count("pk"),
    )


def test_home_figures_match_what_each_person_may_see(
    client, make_case, office_a, office_b, paralegal_a, paralegal_b, coordinator_a, global_coordinator, administrator
):
    make_case(Stage.INTAKE)
    make_case(Stage.REDRESS)  # assigned to paralegal_a on the way
    make_case(Stage.CLOSED)
    make_case(Stage.EVIDENCE, office=office_b)
    visiting = make_case(Stage.INTAKE, office=office_b)
    case_assign(actor=administrator, case_id=visiting.pk, assignee=paralegal_a)  # a case of another office
    nobody_office = UserFactory(office=None)
    case_assign(actor=administrator, case_id=make_case().pk, assignee=nobody_office)
    for person in (paralegal_a, paralegal_b, coordinator_a, global_coordinator, nobody_office):
        expected = expected_home_figures(person)
        assert home_figures(person) == expected, person.username
        client.force_login(person)
        assert client.get(reverse("home")).context["figures"] == expected, person.username
    assert home_figures(paralegal_a) == {"mine": 2, "unassigned": 1, "open": 4}


def test_suggestions_count_open_cases_across_offices(make_case, office_b, administrator, paralegal_a, coordinator_a):
    case_assign(actor=administrator, case_id=make_case(Stage.EVIDENCE).pk, assignee=paralegal_a)
    case_assign(actor=administrator, case_id=make_case(Stage.EVIDENCE, office=office_b).pk, assignee=paralegal_a)
    make_case(Stage.CLOSED, closed_from=Stage.REDRESS)  # assigned to paralegal_a, then closed: not counted
    candidates = {c.user.pk: c.open_cases for c in suggest_assignees(make_case(), actor=coordinator_a)}
    assert candidates[paralegal_a.pk] == Case.objects.filter(assigned_to=paralegal_a).exclude(stage="closed").count()
    assert candidates[paralegal_a.pk] == 2
    assert candidates[coordinator_a.pk] == 0
