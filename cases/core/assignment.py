"""Who could take a case: paralegals ranked by language, office and current caseload; whom a coordinator may assign."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from cases.core.models import Case
from cases.core.stages import Stage
from cases.core.tally import open_cases_of
from paralegals.models import Role, User


@dataclass(frozen=True)
class Candidate:
    user: User
    speaks_language: bool
    same_office: bool
    open_cases: int


def suggest_assignees(case: Case, *, actor, limit: int = 20) -> list[Candidate]:
    """Active paralegals and coordinators the actor may assign, best first.

    Best = speaks the worker's language, then works in the case's office, then has the
    fewest open cases. One query, whatever the number of staff or cases.
    """
    language = case.claimant.preferred_language
    people = User.objects.filter(is_active=True, role__in=[Role.PARALEGAL, Role.COORDINATOR])
    if not actor.sees_all_offices:
        people = people.filter(office_id=case.office_id)
    people = people.annotate(
        # From the tally (cases.core.tally): counting each person's cases took 200 ms at 1M cases.
        open_cases=open_cases_of(),
        speaks=Exists(User.languages.through.objects.filter(user_id=OuterRef("pk"), language_id=language)),
    ).select_related("office")
    candidates = [
        Candidate(user=p, speaks_language=p.speaks, same_office=p.office_id == case.office_id, open_cases=p.open_cases)
        for p in people
    ]
    candidates.sort(key=lambda c: (not c.speaks_language, not c.same_office, c.open_cases, c.user.username))
    return candidates[:limit]


def assignable_staff(actor):
    """The people ``actor`` may assign cases to from the case list: active paralegals and coordinators.

    Those of the actor's office, or of every office for administrators and global coordinators (the same reach
    as case_assign). Nobody for someone who is not a coordinator, or a coordinator without an office.
    """
    if not actor.is_coordinator:
        return User.objects.none()
    people = User.objects.filter(is_active=True, role__in=[Role.PARALEGAL, Role.COORDINATOR])
    if not actor.sees_all_offices:
        if actor.office_id is None:
            return User.objects.none()
        people = people.filter(office_id=actor.office_id)
    return people.select_related("office").order_by("office__name", "first_name", "last_name", "username")


def offers_take(user, case: Case) -> bool:
    """Whether to offer ``user`` a "Take this case" button (case_take makes the real check under the lock).

    Paralegals only: coordinators assign themselves with the assign form. ``case.office`` should be loaded.
    """
    return (
        user.is_active
        and user.role == Role.PARALEGAL
        and user.office_id == case.office_id
        and case.assigned_to_id is None
        and case.stage != Stage.CLOSED
        and case.office.paralegals_may_take_cases
    )
