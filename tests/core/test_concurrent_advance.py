"""Two people advancing the same case at the same moment: one wins, the other is told the case moved.

Needs real row locks, so it runs on PostgreSQL only.
"""

import threading

import pytest
from django.db import connection, connections

from cases.core.errors import StaleCase
from cases.core.services.cases import case_advance
from cases.core.stages import Stage
from cases.models import Case, CaseEvent, EventKind
from tests.factories import CaseFactory, ConsentFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no SELECT ... FOR UPDATE, so the race cannot be staged",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_simultaneous_advances_give_one_transition_and_one_stale_case(office_a, coordinator_a, paralegal_a):
    case = CaseFactory(office=office_a, actor=coordinator_a)
    ConsentFactory(claimant=case.claimant, actor=coordinator_a)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[object] = []

    def advance(actor):
        try:
            barrier.wait()
            case_advance(actor=actor, case_id=case.pk, to_stage=Stage.EVIDENCE, expected_stage=Stage.INTAKE)
            outcomes.append("moved")
        except Exception as exc:  # collected and asserted below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=advance, args=(actor,)) for actor in (coordinator_a, paralegal_a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    assert outcomes.count("moved") == 1, outcomes
    [loser] = [outcome for outcome in outcomes if outcome != "moved"]
    assert isinstance(loser, StaleCase), loser
    assert loser.current_stage == Stage.EVIDENCE
    stored = Case.objects.get(pk=case.pk)
    assert (stored.stage, stored.version) == (Stage.EVIDENCE, 2)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.STAGE_CHANGED).count() == 1
