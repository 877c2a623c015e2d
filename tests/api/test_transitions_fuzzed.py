"""Random sequences of moves through the API — forward, back, close, reopen, with fresh and stale versions — answer
exactly what the services answer, and the case never reaches an illegal state.

The oracle is the service itself: each step is first tried by calling the service inside a savepoint that is rolled
back, then sent through the API; the status codes and resulting stage must agree. No rule is restated here.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.core.errors import CaseError
from cases.core.services import cases as services
from cases.core.stages import TRANSITIONS, Outcome, Stage
from cases.models import Case

from ..factories import ConsentFactory

pytestmark = pytest.mark.django_db

OPEN = [Stage.INTAKE, Stage.EVIDENCE, Stage.ASSIGNMENT, Stage.REDRESS]
steps = st.lists(
    st.tuples(
        st.sampled_from(["advance", "close", "reopen"]),
        st.sampled_from(OPEN),
        st.sampled_from([0, 0, 0, -1, 1]),  # version offset: mostly fresh, sometimes stale
        st.booleans(),  # give a reason
        st.sampled_from(["coordinator", "paralegal"]),
    ),
    min_size=1,
    max_size=10,
)


def _service(action, actor, case, to_stage, version, reason):
    if action == "advance":
        return services.case_advance(
            actor=actor, case_id=case.pk, to_stage=to_stage, expected_version=version, reason=reason
        )
    if action == "close":
        return services.case_close(
            actor=actor, case_id=case.pk, outcome=Outcome.NOTHING, reason=reason, expected_version=version
        )
    return services.case_reopen(actor=actor, case_id=case.pk, reason=reason, to_stage=to_stage)


def _body(action, to_stage, version, reason):
    if action == "advance":
        return {"to_stage": to_stage, "expected_version": version, "reason": reason}
    if action == "close":
        return {"outcome": Outcome.NOTHING, "reason": reason, "expected_version": version}
    return {"reason": reason, "to_stage": to_stage}


def _expected(action, actor, case, to_stage, version, reason):
    """What the service does with this step: (status, stage afterwards), the database left as it was."""
    try:
        with transaction.atomic():
            after = _service(action, actor, case, to_stage, version, reason)
            result = (200, after.stage)
            transaction.set_rollback(True)
    except CaseError as exc:
        result = (exc.http_status, case.stage)
    return result


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_random_moves_through_the_api_match_the_services(sequence, make_case, coordinator_a, paralegal_a, api_for):
    case = make_case()
    ConsentFactory(claimant=case.claimant)
    services.case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a)
    people = {"coordinator": coordinator_a, "paralegal": paralegal_a}
    clients = {name: api_for(person) for name, person in people.items()}
    for action, to_stage, offset, with_reason, who in sequence:
        case = Case.objects.get(pk=case.pk)
        version = max(case.version + offset, 1)
        reason = "Because." if with_reason else ""
        status, stage = _expected(action, people[who], case, to_stage, version, reason)
        response = clients[who].post(f"/api/v1/cases/{case.pk}/{action}/", _body(action, to_stage, version, reason))
        assert response.status_code == status, (action, to_stage, offset, reason, who, response.json())
        after = Case.objects.get(pk=case.pk)
        assert after.stage == (stage if status == 200 else case.stage)
        assert after.version == (case.version + 1 if status == 200 else case.version)
        if status == 409:
            assert response.json()["current_stage"] == case.stage and response.json()["version"] == case.version
        # Never an illegal state: a stage that exists, an outcome exactly when closed, and a legal step taken.
        assert after.stage in Stage.values
        assert (after.stage == Stage.CLOSED) == bool(after.outcome)
        if status == 200 and action == "advance":
            assert after.stage in TRANSITIONS[case.stage]
