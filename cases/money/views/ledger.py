"""The money ledger on the case page: entries, totals, instalment plans, and the actions that write them.

Each action (``cases.core.web.case_view``: the case through ``visible_to``, else 404) validates a form, calls one
service in ``cases.money.services.ledger`` and answers with the money section: in place for htmx, else a redirect
to the section on the case page. Bad input — and a service refusal such as a missing exchange rate or an
unconfirmed payment above the award — shows the section again with the form, what was typed and the field error,
with 400; a closed case 409; nothing is saved. The section costs the same queries however many entries a case has:
entries (one query), totals (one SQL SUM), instalments with their plans (one query).
"""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.core.models import Case
from cases.core.stages import Stage
from cases.core.views.sections import Section
from cases.core.web import Done, Refused, case_view, get_case, section_response, section_view, submit
from cases.money.forms.ledger import InstalmentPlanForm, LedgerEntryForm, MarkPaidForm, ReverseForm
from cases.money.models import EntryKind, Instalment, InstalmentStatus, LedgerEntry
from cases.money.services import ledger
from cases.money.services.ledger import OverRemaining


def ledger_context(request, case: Case, *, forms: dict | None = None, error: str = "") -> dict:
    """The money section of the case page: three queries whatever the number of entries.

    ``forms`` holds a refused action's bound form: "entry", "plan", ("reverse", entry id) or ("paid", instalment id).
    """
    bound = forms or {}
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
        },
        "error": error,
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


MONEY = Section("money", gettext_lazy("Money"), "money/_ledger.html", ledger_context, "section_money")


def _submit(form, perform, key):
    """``submit`` for the ledger's forms: an amount above what remains asks for a confirmation on the form."""
    try:
        return submit(form, perform, bound={"forms": {key: form}})
    except Refused as refused:
        if isinstance(refused.__cause__, OverRemaining):
            form.needs_confirmation = True
        raise


@case_view(MONEY)
def ledger_record_view(request, case: Case):
    form = LedgerEntryForm(request.POST, case=case)
    entry = _submit(
        form,
        lambda data: ledger.ledger_record(
            actor=request.user,
            case_id=case.pk,
            kind=data["kind"],
            amount=data["amount"],
            currency=data["currency"],
            entry_date=data["entry_date"],
            source=data["source"],
            respondent=data["respondent"],
            note=data["note"],
            confirm_over_award=data["confirm_over_award"],
        ),
        "entry",
    )
    return Done(_("Recorded: %(kind)s.") % {"kind": EntryKind(entry.kind).label})


@case_view(MONEY)
def ledger_reverse_view(request, case: Case, entry_id: int):
    form = ReverseForm(request.POST, entry_id=entry_id)
    _submit(
        form,
        lambda data: ledger.ledger_reverse(
            actor=request.user, case_id=case.pk, entry_id=entry_id, reason=data["reason"]
        ),
        ("reverse", entry_id),
    )
    return Done(_("The entry is reversed; the correction is in the ledger."))


@case_view(MONEY)
def instalment_plan_create_view(request, case: Case):
    more_rows = "more_rows" in request.POST
    form = InstalmentPlanForm(request.POST, case=case, more_rows=more_rows)
    if more_rows:
        # Only more blank rows were asked for: show the form again, nothing saved and no errors yet.
        return section_response(request, case, MONEY, forms={"plan": form})
    _submit(
        form,
        lambda data: ledger.instalment_plan_create(
            actor=request.user,
            case_id=case.pk,
            currency=data["currency"],
            instalments=form.instalments,
            respondent=data["respondent"],
            source=data["source"],
            note=data["note"],
        ),
        "plan",
    )
    return Done(_("The instalment plan is saved."))


@login_required
@require_POST
def instalment_plan_sum_view(request, pk: int):
    """The running total of the plan form's rows (htmx), computed exactly on the server."""
    case = get_case(request, pk)
    form = InstalmentPlanForm(request.POST, case=case)
    return render(request, "money/ledger_plan_sum.html", {"sum": form.preview()})


@case_view(MONEY)
def instalment_mark_paid_view(request, case: Case, instalment_id: int):
    form = MarkPaidForm(request.POST, instalment_id=instalment_id)
    _submit(
        form,
        lambda data: ledger.instalment_mark_paid(
            actor=request.user,
            case_id=case.pk,
            instalment_id=instalment_id,
            entry_date=data["entry_date"],
            confirm_over_award=data["confirm_over_award"],
        ),
        ("paid", instalment_id),
    )
    return Done(_("The instalment is marked paid and the payment recorded."))


urlpatterns = [
    path("cases/<int:pk>/section/money/", section_view(MONEY), name=MONEY.url_name),
    path("cases/<int:pk>/ledger/", ledger_record_view, name="ledger_record"),
    path("cases/<int:pk>/ledger/<int:entry_id>/reverse/", ledger_reverse_view, name="ledger_reverse"),
    path("cases/<int:pk>/instalments/", instalment_plan_create_view, name="instalment_plan_create"),
    path("cases/<int:pk>/instalments/sum/", instalment_plan_sum_view, name="instalment_plan_sum"),
    path(
        "cases/<int:pk>/instalments/<int:instalment_id>/paid/", instalment_mark_paid_view, name="instalment_mark_paid"
    ),
]
