"""The calculation editor on the case page: settings, pay periods, one-off items, and the latest result.

Each action validates a form, calls one service in ``cases.money.services.calculations`` and answers with the
calculation section: an htmx request gets the section alone (swapped in place), any other request is
redirected back to the case page (POST/redirect/GET). Bad input answers 400 with the field errors and
what was typed, and saves nothing; a closed case answers 409; a case outside ``visible_to`` is a 404.
Without JavaScript, an error or an edit is shown on the calculation's own page.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.core.errors import CaseError
from cases.core.models import Case
from cases.core.stages import Stage
from cases.money import wages
from cases.money.forms.calculation import CalculationSettingsForm, OneOffItemForm, PayPeriodForm
from cases.money.models import (
    CalculationMode,
    CalculationSettings,
    CalculationSnapshot,
    Jurisdiction,
    LineCategory,
    OneOffItemRow,
    PayPeriodRow,
    WageBasis,
)
from cases.money.services import calculations
from cases.money.services.calculations import NON_FIELD, CalculationInputError


def _get_case(request, pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user), pk=pk)


# --- what the section shows -----------------------------------------------------------------------


@dataclass(frozen=True)
class ResultView:
    """The latest snapshot, ready for the template: lines and subtotals with translated category labels."""

    snapshot: CalculationSnapshot
    result: wages.Result
    lines: list[tuple[wages.Line, str]]
    subtotals: list[tuple[str, Decimal]]
    rules: list[dict]
    stale: bool


def _result_view(snapshot: CalculationSnapshot | None, settings: CalculationSettings | None) -> ResultView | None:
    if snapshot is None:
        return None
    result = wages.Result.from_dict(snapshot.result)
    labels = dict(LineCategory.choices)
    return ResultView(
        snapshot=snapshot,
        result=result,
        lines=[(line, labels.get(str(line.category), str(line.category))) for line in result.lines],
        subtotals=[(labels[value], result.subtotals[wages.Category(value)]) for value in LineCategory.values],
        rules=[{**rule, "basis": WageBasis(rule["minimum_basis"]).label} for rule in snapshot.rules_cited],
        stale=settings is not None and settings.updated_at > snapshot.created_at,
    )


def _settings_form(
    case: Case, settings: CalculationSettings | None, form: CalculationSettingsForm | None
) -> CalculationSettingsForm:
    """The settings form, its jurisdiction choices read once (they also give a first visit its default)."""
    jurisdictions = list(Jurisdiction.objects.order_by("name"))
    if form is None and settings is not None:
        form = CalculationSettingsForm(instance=settings)
    elif form is None:
        # First visit: guess the rules of the country of work and the currency given at intake.
        guess = next((j for j in jurisdictions if j.country == case.country_of_work and not j.region), None)
        initial = {"currency": case.estimated_currency, "jurisdiction": guess.pk if guess else None}
        form = CalculationSettingsForm(instance=CalculationSettings(case=case), initial=initial)
    form.fields["jurisdiction"].widget.choices = [("", "---------"), *((j.pk, j.name) for j in jurisdictions)]
    return form


def calculation_context(
    request,
    case: Case,
    *,
    editing: int | None = None,
    edit_form: PayPeriodForm | None = None,
    period_form: PayPeriodForm | None = None,
    item_form: OneOffItemForm | None = None,
    settings_form: CalculationSettingsForm | None = None,
    run_errors: Mapping[str, list[str]] | None = None,
    error: str = "",
) -> dict:
    """The calculation section's context: a fixed number of queries however many rows the case has."""
    settings = CalculationSettings.objects.select_related("jurisdiction").filter(case=case).first()
    periods = list(PayPeriodRow.objects.filter(case=case))
    items = list(OneOffItemRow.objects.filter(case=case))
    snapshots = CalculationSnapshot.objects.filter(case=case).select_related("created_by")
    snapshot = snapshots.order_by("-created_at", "-id").first()
    rows = []
    for period in periods:
        form = None
        if period.pk == editing:
            form = edit_form or PayPeriodForm.for_row(period)
        rows.append((period, form))
    return {
        "calculation": {
            "editable": case.stage != Stage.CLOSED,
            "settings": settings,
            "estimate_mode": settings is not None and settings.mode == CalculationMode.ESTIMATE,
            "settings_form": _settings_form(case, settings, settings_form),
            "periods": rows,
            "items": items,
            "period_form": period_form or PayPeriodForm.for_new(),
            "item_form": item_form or OneOffItemForm(),
            "latest": _result_view(snapshot, settings),
            "run_errors": _described(run_errors, periods, items) if run_errors else [],
            "error": error,
        }
    }


# --- answering -----------------------------------------------------------------------------------


def _section(request, case: Case, *, status: int = 200, **context):
    """The section alone for htmx; the calculation's own page otherwise."""
    template = "money/_calculation.html" if request.htmx else "money/calculation_page.html"
    response = render(request, template, {"case": case, **calculation_context(request, case, **context)}, status=status)
    patch_vary_headers(response, ["HX-Request"])  # one URL, two answers: keep caches from mixing them up
    return response


def _done(request, case: Case, message: str):
    if request.htmx:
        return _section(request, case)
    messages.success(request, message)
    return redirect(reverse("case_detail", args=[case.pk]) + "#calculation")


def _refused(request, case: Case, exc: CaseError, *, form=None, **context):
    """Show the service's reason: 400 for bad input (on the form's fields where it names them), 403, else 409."""
    status = exc.http_status
    if form is not None and isinstance(exc, CalculationInputError):
        for name, problems in exc.field_errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
    elif form is not None:
        form.add_error(None, str(exc.message))
    if form is None or status != 400:
        context["error"] = str(exc.message)
    return _section(request, case, status=status, **context)


def _period(case: Case, period_id: int) -> PayPeriodRow:
    return get_object_or_404(PayPeriodRow, case=case, pk=period_id)


# --- views ---------------------------------------------------------------------------------------


@login_required
@require_GET
def calculation_page(request, pk: int):
    """The editor on its own page; ``?edit=<period id>`` opens that row for editing."""
    case = _get_case(request, pk)
    editing = request.GET.get("edit", "")
    return _section(request, case, editing=int(editing) if editing.isdigit() else None)


@login_required
@require_POST
def period_add(request, pk: int):
    case = _get_case(request, pk)
    form = PayPeriodForm.for_new(request.POST)
    if not form.is_valid():
        return _section(request, case, status=400, period_form=form)
    try:
        calculations.calculation_period_add(actor=request.user, case_id=case.pk, **form.cleaned_data)
    except CaseError as exc:
        return _refused(request, case, exc, form=form, period_form=form)
    return _done(request, case, _("Pay period added."))


@login_required
@require_POST
def period_update(request, pk: int, period_id: int):
    case = _get_case(request, pk)
    form = PayPeriodForm.for_row(_period(case, period_id), request.POST)
    if not form.is_valid():
        return _section(request, case, status=400, editing=period_id, edit_form=form)
    try:
        calculations.calculation_period_update(
            actor=request.user, case_id=case.pk, period_id=period_id, changes=form.cleaned_data
        )
    except PayPeriodRow.DoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _refused(request, case, exc, form=form, editing=period_id, edit_form=form)
    return _done(request, case, _("Pay period saved."))


@login_required
@require_POST
def period_delete(request, pk: int, period_id: int):
    case = _get_case(request, pk)
    try:
        calculations.calculation_period_delete(actor=request.user, case_id=case.pk, period_id=period_id)
    except PayPeriodRow.DoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _refused(request, case, exc)
    return _done(request, case, _("Pay period removed."))


@login_required
@require_POST
def item_add(request, pk: int):
    case = _get_case(request, pk)
    form = OneOffItemForm(request.POST)
    if not form.is_valid():
        return _section(request, case, status=400, item_form=form)
    try:
        calculations.calculation_item_add(actor=request.user, case_id=case.pk, **form.cleaned_data)
    except CaseError as exc:
        return _refused(request, case, exc, form=form, item_form=form)
    return _done(request, case, _("Item added."))


@login_required
@require_POST
def item_delete(request, pk: int, item_id: int):
    case = _get_case(request, pk)
    try:
        calculations.calculation_item_delete(actor=request.user, case_id=case.pk, item_id=item_id)
    except OneOffItemRow.DoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _refused(request, case, exc)
    return _done(request, case, _("Item removed."))


@login_required
@require_POST
def settings_update(request, pk: int):
    case = _get_case(request, pk)
    instance = CalculationSettings.objects.filter(case=case).first() or CalculationSettings(case=case)
    form = CalculationSettingsForm(request.POST, instance=instance)
    if not form.is_valid():
        return _section(request, case, status=400, settings_form=form)
    try:
        calculations.calculation_settings_update(actor=request.user, case_id=case.pk, changes=form.cleaned_data)
    except CaseError as exc:
        return _refused(request, case, exc, form=form, settings_form=form)
    return _done(request, case, _("Calculation settings saved."))


@login_required
@require_POST
def run(request, pk: int):
    case = _get_case(request, pk)
    try:
        snapshot = calculations.calculation_run(actor=request.user, case_id=case.pk)
    except CalculationInputError as exc:
        return _section(request, case, status=400, run_errors=exc.field_errors)
    except CaseError as exc:
        return _refused(request, case, exc)
    return _done(
        request,
        case,
        _("Calculated: %(total)s %(currency)s owed.") % {"total": snapshot.total_owed, "currency": snapshot.currency},
    )


def _described(errors: Mapping[str, list[str]], periods: list[PayPeriodRow], items: list[OneOffItemRow]) -> list[str]:
    """The run's complaints in words, each naming the setting or the row it is about."""
    settings_fields = CalculationSettingsForm.base_fields
    rows = {f"period-{period.pk}": period for period in periods} | {f"item-{item.pk}": item for item in items}
    described = []
    for key, problems in errors.items():
        row_key, _dot, field = key.partition(".")
        if key == NON_FIELD:
            where = ""
        elif key in settings_fields:
            where = str(settings_fields[key].label)
        elif row_key in rows:
            row = rows[row_key]
            what = _("Pay period %(name)s") if isinstance(row, PayPeriodRow) else _("Item %(name)s")
            where = what % {"name": row}
            if field and field in {f.name for f in row._meta.fields}:
                where += f", {row._meta.get_field(field).verbose_name}"
        else:
            where = ""
        described += [f"{where}: {problem}" if where else problem for problem in problems]
    return described


urlpatterns = [
    path("cases/<int:pk>/calculation/", calculation_page, name="calculation"),
    path("cases/<int:pk>/calculation/settings/", settings_update, name="calculation_settings"),
    path("cases/<int:pk>/calculation/periods/", period_add, name="calculation_period_add"),
    path("cases/<int:pk>/calculation/periods/<int:period_id>/", period_update, name="calculation_period_update"),
    path("cases/<int:pk>/calculation/periods/<int:period_id>/delete/", period_delete, name="calculation_period_delete"),
    path("cases/<int:pk>/calculation/items/", item_add, name="calculation_item_add"),
    path("cases/<int:pk>/calculation/items/<int:item_id>/delete/", item_delete, name="calculation_item_delete"),
    path("cases/<int:pk>/calculation/run/", run, name="calculation_run"),
]
