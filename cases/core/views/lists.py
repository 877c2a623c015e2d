"""The case list (filtered, sorted, keyset-paginated) and the respondent page.

Every read starts from ``Case.objects.visible_to(request.user)``. The list never counts and
never skips rows with OFFSET: a page is "the next ``size`` rows after this one" in the sort
order, with ``id`` as tie-breaker, so page 2000 costs what page 1 costs and a case opened
while someone pages does not shift the rows under them.
"""

import secrets
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cases.core.assignment import assignable_staff, offers_take
from cases.core.filters import SORTS, STAGE_RANK, CaseFilterForm, Sort, encode_cursor
from cases.core.forms import BulkAssignForm
from cases.core.models import Case, CaseRespondent, Respondent, RespondentKind, Sector
from cases.core.services import cases as services
from cases.core.stages import ORDER, Stage

# The respondent page lists this many cases; the case list (linked from it) pages through the rest.
RESPONDENT_CASES_SHOWN = 100


def _beyond(sort: Sort, values: list, *, reverse: bool) -> Q:
    """Rows strictly after ``values`` in ``sort`` order (strictly before them when ``reverse``).

    For keys (a, id): ``a ≤ v AND (a < v OR (a = v AND id < i))`` for a descending order. The
    leading range on the first key lets the database walk its index from the cursor.
    """
    keys = sort.keys
    clauses = []
    for position, (field, descending) in enumerate(keys):
        equal = {name: values[i] for i, (name, _descending) in enumerate(keys[:position])}
        operator = "lt" if descending != reverse else "gt"
        clauses.append(Q(**equal, **{f"{field}__{operator}": values[position]}))
    first_field, first_descending = keys[0]
    bound = Q(**{f"{first_field}__{'lte' if first_descending != reverse else 'gte'}": values[0]})
    return bound & reduce(or_, clauses)


def _page(cases, sort: Sort, size: int, cursor: tuple[str, list] | None):
    """One page of ``cases`` and the cursors either side of it: (rows, previous_values, next_values)."""
    backwards = cursor is not None and cursor[0] == "prev"
    if cursor is not None:
        cases = cases.filter(_beyond(sort, cursor[1], reverse=backwards))
    # One row more than the page shows tells whether there is a page beyond it, without a COUNT.
    rows = list(cases.order_by(*sort.order_by(reverse=backwards))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_previous = more if backwards else cursor is not None
    has_next = True if backwards else more
    first = [getattr(rows[0], field) for field, _descending in sort.keys] if rows else None
    last = [getattr(rows[-1], field) for field, _descending in sort.keys] if rows else None
    return rows, (first if has_previous else None), (last if has_next else None)


# Table columns that sort when their heading is clicked: column -> the sort a first click asks for.
SORTABLE_COLUMNS = {"reference": "reference", "stage": "stage", "opened": "-opened"}


def _column_sorts(current: str) -> dict[str, dict]:
    """For each sortable column: the sort its link asks for, and its aria-sort state now."""
    columns = {}
    for column, first_click in SORTABLE_COLUMNS.items():
        if current.lstrip("-") == column:
            descending = current.startswith("-")
            columns[column] = {
                "sort": column if descending else f"-{column}",
                "aria": "descending" if descending else "ascending",
            }
        else:
            columns[column] = {"sort": first_click, "aria": None}
    return columns


def _choice_names() -> dict[str, dict[str, str]]:
    return {
        "stage": {key: str(label) for key, label in Stage.choices},
        "sector": {key: str(label) for key, label in Sector.choices},
        "language": {key: str(label) for key, label in settings.CLAIMANT_LANGUAGES},
    }


def _with_respondents(cases):
    return cases.select_related("claimant", "office", "assigned_to").prefetch_related(
        Prefetch(
            "case_respondents",
            queryset=CaseRespondent.objects.select_related("respondent").order_by("respondent__name", "pk"),
        )
    )


# Search text is often the start of a worker's name: it never travels in a URL (history, logs,
# referrers). The form posts it; it is kept in the session under a random token, and links carry
# only ``s=<token>``.
SEARCHES_SESSION_KEY = "case_list_searches"
SEARCHES_KEPT = 20


def _remember_search(request) -> str:
    """Store the posted filters' search text in the session; the GET URL to show them (without it)."""
    params = request.POST.copy()
    for name in ("csrfmiddlewaretoken", "cursor", "s"):
        params.pop(name, None)
    text = " ".join(params.pop("q", [""])[-1].split())
    if text:
        token = secrets.token_urlsafe(9)
        searches = request.session.get(SEARCHES_SESSION_KEY, {})
        searches = dict(list(searches.items())[-(SEARCHES_KEPT - 1) :]) | {token: text}
        request.session[SEARCHES_SESSION_KEY] = searches
        params["s"] = token
    query = params.urlencode()
    return reverse("case_list") + (f"?{query}" if query else "")


def _filter_params(request):
    params = request.GET.copy()
    if token := params.get("s"):
        params["q"] = request.session.get(SEARCHES_SESSION_KEY, {}).get(token, "")
    return params


@login_required
def case_list(request):
    if request.method == "POST":
        return redirect(_remember_search(request))
    form = CaseFilterForm(_filter_params(request), user=request.user)
    context = {"form": form, "cases": []}
    if form.is_valid():
        sort_key = form.cleaned_data["sort"]
        sort = SORTS[sort_key]
        cases = form.filter(Case.objects.visible_to(request.user))
        if any(field == "stage_rank" for field, _descending in sort.keys):
            cases = cases.annotate(stage_rank=STAGE_RANK)
        rows, previous_values, next_values = _page(
            _with_respondents(cases), sort, form.cleaned_data["size"], form.cleaned_data["cursor"]
        )
        # Choice labels looked up once per page: get_FOO_display() rebuilds (and translates) the whole choice list on
        # every call, which cost more than the list's queries.
        names = _choice_names()
        for case in rows:
            case.stage_name = names["stage"].get(case.stage, case.stage)
            case.sector_name = names["sector"].get(case.sector, case.sector)
            case.language_name = names["language"].get(
                case.claimant.preferred_language, case.claimant.preferred_language
            )
            # A respondent named in two roles is listed once.
            named = {row.respondent_id: row.respondent for row in case.case_respondents.all()}
            case.respondent_list = list(named.values())
            case.offers_take = offers_take(request.user, case)
        if rows and request.user.is_coordinator:
            # Bulk assignment works on the ticked rows of this page (one query: the people to assign to).
            context["bulk_form"] = BulkAssignForm(
                people=assignable_staff(request.user), initial={"next": request.get_full_path()}
            )
            context["bulk_max"] = services.BULK_ASSIGN_MAX
        context.update(
            cases=rows,
            sort_key=sort_key,
            columns=_column_sorts(sort_key),
            previous_cursor=previous_values and encode_cursor(sort_key, "prev", previous_values),
            next_cursor=next_values and encode_cursor(sort_key, "next", next_values),
            filtered_respondent=form.cleaned_data.get("respondent"),
        )
    elif form.cleaned_data.get("respondent"):
        context["filtered_respondent"] = form.cleaned_data["respondent"]
    # A history restore needs the whole page; any other htmx request gets the part it swaps.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "core/_case_rows.html" if partial else "core/case_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back_to_list(next_url: str | None, request) -> str:
    """Where the bulk assignment returns: the list page it came from (with its filters), never another site."""
    list_url = reverse("case_list")
    if (
        next_url
        and next_url.startswith(list_url)
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
    ):
        return next_url
    return list_url


@login_required
@require_POST
def case_bulk_assign(request):
    """Assign the cases ticked on a page of the list to one person: each through case_assign, one by one.

    All assigned: back to the list with a message. Some refused: a page naming each one and why.
    """
    if not request.user.is_coordinator:
        raise PermissionDenied
    form = BulkAssignForm(request.POST, people=assignable_staff(request.user))
    back = _back_to_list(form.data.get("next"), request)
    if not form.is_valid():
        return render(request, "core/bulk_assign.html", {"form": form, "back": back}, status=400)
    assignee = form.cleaned_data["assignee"]
    result = services.case_assign_bulk(actor=request.user, case_ids=form.cleaned_data["cases"], assignee=assignee)
    name = assignee.get_full_name() or assignee.username
    count = len(result.assigned)
    if count:
        template = ngettext("Assigned %(count)d case to %(name)s.", "Assigned %(count)d cases to %(name)s.", count)
        summary = template % {"count": count, "name": name}
    else:
        summary = _("No case was assigned to %(name)s.") % {"name": name}
    if not result.not_assigned:
        messages.success(request, summary)
        return redirect(back)
    return render(
        request, "core/bulk_assign.html", {"summary": summary, "not_assigned": result.not_assigned, "back": back}
    )


@login_required
def respondent_detail(request, pk):
    """A respondent's details (not personal data: shown even with no visible case) and the visible cases against it."""
    respondent = get_object_or_404(
        Respondent.objects.select_related("successor_of").prefetch_related("aliases", "successors"), pk=pk
    )
    visible = Case.objects.visible_to(request.user).filter(
        pk__in=CaseRespondent.objects.filter(respondent=respondent).values("case_id")
    )
    counts = visible.aggregate(
        total=Count("pk"), **{stage.value: Count("pk", filter=Q(stage=stage)) for stage in ORDER}
    )
    roles = (
        CaseRespondent.objects.filter(respondent=respondent, case__in=Case.objects.visible_to(request.user))
        .select_related("case__claimant", "case__office")
        .order_by("-case__opened_at", "-case_id", "role")
    )
    # One row per case, with every role the respondent plays in it.
    shown: dict[int, dict] = {}
    for role in roles[: RESPONDENT_CASES_SHOWN * len(RespondentKind.choices)]:
        entry = shown.setdefault(role.case_id, {"case": role.case, "roles": []})
        entry["roles"].append(role.get_role_display())
    return render(
        request,
        "core/respondent_detail.html",
        {
            "respondent": respondent,
            "stage_counts": [(Stage(stage).label, stage, counts[stage.value]) for stage in ORDER],
            "total": counts["total"],
            "entries": list(shown.values())[:RESPONDENT_CASES_SHOWN],
            "shown_limit": RESPONDENT_CASES_SHOWN,
        },
    )
