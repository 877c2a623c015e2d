"""Calendar fixtures: a frozen clock, office A in Bangkok, and deadlines added through the service at any time."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.core.stages import Stage
from cases.deadlines.services import deadlines
from cases.deadlines.services.deadlines import deadline_add
from cases.models import Deadline, DeadlineKind

# Wednesday 10 March 2027, 10:00 UTC (17:00 in Bangkok).
NOW = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def bangkok(office_a):
    office_a.timezone = "Asia/Bangkok"
    office_a.save(update_fields=["timezone"])
    return office_a


@pytest.fixture
def case_a(frozen, bangkok, make_case):
    """A case of office A (Bangkok) in redress, assigned to paralegal_a."""
    return make_case(Stage.REDRESS)


@pytest.fixture
def case_b(frozen, make_case, office_b):
    """A case of office B in redress, assigned to paralegal_b."""
    return make_case(Stage.REDRESS, office=office_b)


def add_deadline(case, *, actor, due_at, kind=DeadlineKind.HEARING, note=""):
    """A deadline entered through ``deadline_add``; one already past is entered the day before it fell due."""
    if due_at <= timezone.now():
        with time_machine.travel(due_at - timedelta(days=1), tick=False):
            return deadline_add(actor=actor, case_id=case.pk, kind=kind, due_at=due_at, note=note)
    return deadline_add(actor=actor, case_id=case.pk, kind=kind, due_at=due_at, note=note)


def add_task(case, *, actor, assignee, title, due_at):
    """A task through ``cases.deadlines.services.deadlines.task_add`` (issue #14's task service, from the My work
    branch) when it is there; until that branch is merged, the row as the model's constraints require (a title and an
    assignee)."""
    task_add = getattr(deadlines, "task_add", None)
    if task_add is not None:
        return task_add(actor=actor, case_id=case.pk, title=title, assignee=assignee, due_at=due_at)
    return Deadline.objects.create(
        case=case,
        kind=DeadlineKind.TASK,
        title=title,
        assignee=assignee,
        due_at=due_at,
        timezone=case.office.timezone,
        entered_by=actor,
    )


def day_html(content: bytes | str, day: str) -> str:
    """The markup of one day of the calendar (``day-2027-03-15``) up to the next day."""
    text = content.decode() if isinstance(content, bytes) else content
    start = text.index(f'id="day-{day}"')
    following = text.find('id="day-', start + 1)
    return text[start : following if following != -1 else len(text)]
