"""The landing page: the signed-in person's work at a glance, in a fixed number of queries."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from cases.core.filters import OPEN_STAGES, UNASSIGNED
from cases.core.models import Case, CaseEvent
from cases.core.stages import Stage
from cases.core.tally import home_figures
from cases.deadlines.my_work import count_of, first_rows, responsible_parts, soon_horizon
from cases.deadlines.views.deadlines import decorate_rows
from paralegals.models import Office

SHOWN_CASES = 10
SHOWN_EVENTS = 15
SHOWN_DEADLINES = 10


@login_required
def home(request):
    user = request.user
    visible = Case.objects.visible_to(user)
    open_cases = visible.exclude(stage=Stage.CLOSED)
    # From the tally the triggers keep (cases.core.tally): a few rows per office, not a walk of its open cases.
    figures = home_figures(user)
    # Every service saves the case when it acts on it (a note too), so updated_at is its latest activity.
    mine = open_cases.filter(assigned_to=user).select_related("claimant").order_by("-updated_at", "-id")[:SHOWN_CASES]
    waiting = None
    if user.is_coordinator:
        # Longest waiting first: the stage clock says how long the case has been where it is.
        waiting = (
            # The same condition as the partial index case_waiting, so it walks that index in order.
            open_cases.filter(Q(stage=Stage.ASSIGNMENT) | Q(assigned_to__isnull=True))
            .select_related("claimant", "office", "assigned_to")
            .order_by("stage_changed_at", "id")[:SHOWN_CASES]
        )
    activity = (
        CaseEvent.objects.filter(case__in=visible)
        .select_related("case", "actor")
        .order_by("-created_at", "-id")[:SHOWN_EVENTS]
    )
    # One query for the office line instead of two (office, then its organisation); its zone says what "this week" is.
    office = Office.objects.select_related("organisation").filter(pk=user.office_id).first() if user.office_id else None
    # The person's own deadlines and tasks (My work's rows) overdue or due this week: overdue first, then soonest.
    now = timezone.now()
    horizon = soon_horizon(now, office.timezone if office else settings.TIME_ZONE)
    # Read as a UNION ALL of index-friendly parts (cases.deadlines.my_work.responsible_parts): the person's rows only.
    branches = responsible_parts(user)
    deadlines = decorate_rows(first_rows([b.filter(due_at__lt=horizon) for b in branches], SHOWN_DEADLINES), now)
    # How many My work holds in all, and for a coordinator how many are on the office's unassigned cases.
    work = {"total": count_of(branches), "unassigned": None}
    if len(branches) > 1:  # a coordinator's second part: the office's items nobody is assigned to
        work["unassigned"] = count_of(branches[1:])
    return render(
        request,
        "pages/home.html",
        {
            "office": office,
            "figures": figures,
            "mine": mine,
            "waiting": waiting,
            "activity": activity,
            "deadlines": deadlines,
            "work": work,
            "unassigned_filter": UNASSIGNED,
            "open_filter": OPEN_STAGES,
        },
    )
