"""The money ledger on the case page: entries, totals, instalment plans, and the actions that write them.

Each action fetches the case through ``visible_to`` (404 otherwise), validates a form, calls one service in
``cases.money.services.ledger`` and redirects back to the case. Bad input — and a service refusal such as a missing
exchange rate or
an unconfirmed payment above the award — re-renders the case page with the form, what was typed and the field
error, with 400; nothing is saved. The page costs the same queries however many entries a case has: entries (one
query), totals (one SQL SUM), instalments with their plans (one query).
"""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.core.errors import CaseError
from cases.core.models import Case
from cases.core.stages import Stage
from cases.money.forms.ledger import InstalmentPlanForm, LedgerEntryForm, MarkPaidForm, ReverseForm
from cases.money.models import EntryKind, Instalment, InstalmentStatus, LedgerEntry
from cases.money.services import ledger
from cases.money.services.ledger import LedgerInputError, OverRemaining

# Bound forms of a refused action travel to ledger_context on the request (the page renderer is case_page's).
_FORMS_ATTRIBUTE = "_ledger_forms"


def ledger_context(request, case: Case) -> dict:
    """The ledger section of the case page: three queries whatever the number of entries."""
    bound = getattr(request, _FORMS_ATTRIBUTE, {})
    today = timezone.localdate()
    entries = list(
        LedgerEntry.objects.filter(case=case)
        .select_related("actor", "respondent", "reversed_by", "instalment")
        .order_by("entry_date", "id")
    )
    for entry in entries:
        entry.reverse_form = bound.get(("reverse", entry.pk)) or ReverseForm(entry_id=entry.pk)
    instalments = list(
        Instalment.objects.filter(plan__case=case)
        .select_related("plan__respondent", "plan__created_by", "paid_entry")
        .order_by("plan__created_at", "plan_id", "due_date", "id")
    )
    plans = []
    for plan, rows in groupby(instalments, key=lambda instalment: instalment.plan):
        rows = list(rows)
        for instalment in rows:
            instalment.current_status = instalment.status(today)
            instalment.paid_form = bound.get(("paid", instalment.pk)) or MarkPaidForm(instalment_id=instalment.pk)
        plan.rows = rows
        plan.missed = sum(1 for row in rows if row.current_status == InstalmentStatus.MISSED)
        plans.append(plan)
    is_open = case.stage != Stage.CLOSED
    return {
        "ledger": {
            "entries": entries,
            # No entries, nothing to sum: the totals query runs only when there is something to add up.
            "totals": _totals_table(ledger.ledger_totals(case) if entries else ledger.LedgerTotals.nothing()),
            "plans": plans,
            "is_open": is_open,
            "entry_form": bound.get("entry") or (LedgerEntryForm(case=case) if is_open else None),
            "plan_form": bound.get("plan") or (InstalmentPlanForm(case=case) if is_open else None),
            "kinds": EntryKind,
        }
    }


def _percent(ratio) -> str:
    if ratio is None:
        return "—"
    return f"{number_format(ratio * 100, decimal_pos=2, use_l10n=True)}\N{NO-BREAK SPACE}%"


def _totals_table(totals: ledger.LedgerTotals) -> dict:
    """Rows of figures (claimed … held, then recovery rates) with a column per currency and the reporting currency."""
    columns = list(totals.by_currency)
    if [figures.currency for figures in columns] != [totals.reporting.currency]:
        columns.append(totals.reporting)  # "all of it, in the reporting currency"
    names = [
        ("claimed", _("Claimed")),
        ("awarded", _("Awarded or settled")),
        ("paid", _("Paid by the respondent")),
        ("disbursed", _("Disbursed to the worker")),
        ("written_off", _("Written off")),
        ("outstanding", _("Outstanding (awarded − paid)")),
        ("held", _("Held for the worker (paid − disbursed)")),
    ]
    rows = [(label, [figures.display(name) for figures in columns]) for name, label in names]
    rows.append((_("Recovery: disbursed ÷ awarded"), [_percent(f.recovery_vs_awarded) for f in columns]))
    rows.append((_("Recovery: disbursed ÷ claimed"), [_percent(f.recovery_vs_claimed) for f in columns]))
    return {
        "empty": totals.empty,
        "columns": [(f.currency, f is totals.reporting) for f in columns],
        "rows": rows,
        "complete": totals.complete,
        "reporting_currency": totals.reporting.currency,
    }


def _page(request, case: Case, status: int, forms: dict, error: str = ""):
    """The case page again, with the ledger's bound forms (case_page renders every section)."""
    from cases.pages.case_page import _render  # case_page imports this module for ledger_context

    setattr(request, _FORMS_ATTRIBUTE, forms)
    return _render(request, case, status=status, error=error)


def _case(request, pk: int) -> Case:
    from cases.pages.case_page import _get_case  # one way to load the page's case (through visible_to, else 404)

    return _get_case(request, pk)


def _refused(request, case: Case, form, key, exc: CaseError):
    """Show a service's refusal on ``form``: on its field when the service named one, else on the page."""
    if isinstance(exc, OverRemaining):
        form.needs_confirmation = True
    field = getattr(exc, "field", None)
    if isinstance(exc, LedgerInputError) and field in form.fields:
        form.add_error(field, str(exc.message))
        error = ""
    else:
        error = str(exc.message)
    status = 400 if isinstance(exc, LedgerInputError) else 409
    return _page(request, case, status, {key: form}, error)


@login_required
@require_POST
def ledger_record_view(request, pk: int):
    case = _case(request, pk)
    form = LedgerEntryForm(request.POST, case=case)
    if not form.is_valid():
        return _page(request, case, 400, {"entry": form})
    data = form.cleaned_data
    try:
        ledger.ledger_record(
            actor=request.user,
            case_id=pk,
            kind=data["kind"],
            amount=data["amount"],
            currency=data["currency"],
            entry_date=data["entry_date"],
            source=data["source"],
            respondent=data["respondent"],
            note=data["note"],
            confirm_over_award=data["confirm_over_award"],
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _refused(request, case, form, "entry", exc)
    messages.success(request, _("Recorded: %(kind)s.") % {"kind": EntryKind(data["kind"]).label})
    return redirect("case_detail", pk=pk)


@login_required
@require_POST
def ledger_reverse_view(request, pk: int, entry_id: int):
    case = _case(request, pk)
    form = ReverseForm(request.POST, entry_id=entry_id)
    if not form.is_valid():
        return _page(request, case, 400, {("reverse", entry_id): form})
    try:
        ledger.ledger_reverse(actor=request.user, case_id=pk, entry_id=entry_id, reason=form.cleaned_data["reason"])
    except (Case.DoesNotExist, LedgerEntry.DoesNotExist) as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _refused(request, case, form, ("reverse", entry_id), exc)
    messages.success(request, _("The entry is reversed; the correction is in the ledger."))
    return redirect("case_detail", pk=pk)


@login_required
@require_POST
def instalment_plan_create_view(request, pk: int):
    case = _case(request, pk)
    more_rows = "more_rows" in request.POST
    form = InstalmentPlanForm(request.POST, case=case, more_rows=more_rows)
    if more_rows:
        # Only more blank rows were asked for: show the form again, nothing saved and no errors yet.
        return _page(request, case, 200, {"plan": form})
    if not form.is_valid():
        return _page(request, case, 400, {"plan": form})
    data = form.cleaned_data
    try:
        ledger.instalment_plan_create(
            actor=request.user,
            case_id=pk,
            currency=data["currency"],
            instalments=form.instalments,
            respondent=data["respondent"],
            source=data["source"],
            note=data["note"],
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _refused(request, case, form, "plan", exc)
    messages.success(request, _("The instalment plan is saved."))
    return redirect("case_detail", pk=pk)


@login_required
@require_POST
def instalment_plan_sum_view(request, pk: int):
    """The running total of the plan form's rows (htmx), computed exactly on the server."""
    case = _case(request, pk)
    form = InstalmentPlanForm(request.POST, case=case)
    return render(request, "money/ledger_plan_sum.html", {"sum": form.preview()})


@login_required
@require_POST
def instalment_mark_paid_view(request, pk: int, instalment_id: int):
    case = _case(request, pk)
    form = MarkPaidForm(request.POST, instalment_id=instalment_id)
    if not form.is_valid():
        return _page(request, case, 400, {("paid", instalment_id): form})
    try:
        ledger.instalment_mark_paid(
            actor=request.user,
            case_id=pk,
            instalment_id=instalment_id,
            entry_date=form.cleaned_data["entry_date"],
            confirm_over_award=form.cleaned_data["confirm_over_award"],
        )
    except (Case.DoesNotExist, Instalment.DoesNotExist) as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _refused(request, case, form, ("paid", instalment_id), exc)
    messages.success(request, _("The instalment is marked paid and the payment recorded."))
    return redirect("case_detail", pk=pk)


urlpatterns = [
    path("cases/<int:pk>/ledger/", ledger_record_view, name="ledger_record"),
    path("cases/<int:pk>/ledger/<int:entry_id>/reverse/", ledger_reverse_view, name="ledger_reverse"),
    path("cases/<int:pk>/instalments/", instalment_plan_create_view, name="instalment_plan_create"),
    path("cases/<int:pk>/instalments/sum/", instalment_plan_sum_view, name="instalment_plan_sum"),
    path(
        "cases/<int:pk>/instalments/<int:instalment_id>/paid/", instalment_mark_paid_view, name="instalment_mark_paid"
    ),
]
