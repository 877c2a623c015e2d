"""``Case.furthest_stage``: the furthest open stage a case reached, which the statistics' funnel counts."""

import importlib

from django.apps import apps

from cases.core.services.cases import case_advance, case_close, case_reopen
from cases.core.stages import Outcome, Stage
from cases.models import Case

history = importlib.import_module("cases.migrations.0017_case_furthest_stage")


def test_it_follows_the_case_forward_and_stays_when_it_moves_back_closes_or_reopens(make_case, administrator):
    case = make_case(Stage.REDRESS)
    assert Case.objects.get(pk=case.pk).furthest_stage == Stage.REDRESS
    case_advance(actor=administrator, case_id=case.pk, to_stage=Stage.EVIDENCE, reason="Payslips missing.")
    case_close(actor=administrator, case_id=case.pk, outcome=Outcome.WITHDRAWN, reason="Worker withdrew.")
    case_reopen(actor=administrator, case_id=case.pk, reason="Worker came back.", to_stage=Stage.INTAKE)
    assert Case.objects.get(pk=case.pk).furthest_stage == Stage.REDRESS
    assert make_case(Stage.INTAKE).furthest_stage == Stage.INTAKE


def test_the_migration_works_it_out_from_the_timeline(make_case, administrator):
    went_back = make_case(Stage.ASSIGNMENT)
    case_advance(actor=administrator, case_id=went_back.pk, to_stage=Stage.EVIDENCE, reason="Wrong worker.")
    closed_from_evidence = make_case(Stage.CLOSED, closed_from=Stage.EVIDENCE)
    never_moved = make_case(Stage.INTAKE)
    Case.objects.update(furthest_stage=Stage.INTAKE)

    history.furthest_from_history(apps, None)

    furthest = dict(Case.objects.values_list("pk", "furthest_stage"))
    assert furthest[went_back.pk] == Stage.ASSIGNMENT
    assert furthest[closed_from_evidence.pk] == Stage.EVIDENCE
    assert furthest[never_moved.pk] == Stage.INTAKE
