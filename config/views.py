from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from cases.models import Case
from cases.stages import Stage


@login_required
def home(request):
    """A first landing page: the signed-in person's caseload at a glance."""
    visible = Case.objects.visible_to(request.user)
    figures = visible.exclude(stage=Stage.CLOSED).aggregate(
        mine=Count("pk", filter=Q(assigned_to=request.user)),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
        open=Count("pk"),
    )
    recent = visible.select_related("office").order_by("-opened_at", "-id")[:10]
    return render(request, "config/home.html", {"figures": figures, "recent": recent})
