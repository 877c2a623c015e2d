"""The calculation editor on the case page: settings, pay periods, one-off items, and the latest result.

Each action (``cases.core.web.case_view``) validates a form, calls one service in
``cases.money.services.calculations`` and answers with the calculation section: an htmx request gets the section
alone (swapped in place), any other request is redirected back to the case page (POST/redirect/GET). Bad input
answers 400 with the field errors and what was typed, and saves nothing; a closed case answers 409; a case outside
``visible_to`` is a 404. Without JavaScript, an edit is shown on the calculation's own page, an error on a page with
the section alone.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cases.core.models import Case
from cases.core.stages import Stage
from cases.core.views.sections import Section
from cases.core.web import Done, Refused, case_view, get_case, section_response, section_view, submit
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


CALCULATION = Section(
    "calculation", gettext_lazy("What is owed"), "money/_calculation.html", calculation_context, "section_calculation"
)


def _period(case: Case, period_id: int) -> PayPeriodRow:
    return get_object_or_404(PayPeriodRow, case=case, pk=period_id)


# --- views ---------------------------------------------------------------------------------------


@login_required
@require_GET
def calculation_page(request, pk: int):
    """The editor on its own page (the section alone for htmx); ``?edit=<period id>`` opens that row for editing."""
    case = get_case(request, pk)
    editing = request.GET.get("edit", "")
    editing = int(editing) if editing.isdigit() else None
    if request.htmx:
        return section_response(request, case, CALCULATION, editing=editing)
    context = {"case": case, **calculation_context(request, case, editing=editing)}
    response = render(request, "money/calculation_page.html", context)
    patch_vary_headers(response, ["HX-Request"])  # one URL, two answers: keep caches from mixing them up
    return response


@case_view(CALCULATION)
def period_add(request, case: Case):
    form = PayPeriodForm.for_new(request.POST)
    submit(
        form,
        lambda data: calculations.calculation_period_add(actor=request.user, case_id=case.pk, **data),
        bound={"period_form": form},
        error_field=NON_FIELD,
    )
    return Done(_("Pay period added."))


@case_view(CALCULATION)
def period_update(request, case: Case, period_id: int):
    form = PayPeriodForm.for_row(_period(case, period_id), request.POST)
    submit(
        form,
        lambda data: calculations.calculation_period_update(
            actor=request.user, case_id=case.pk, period_id=period_id, changes=data
        ),
        bound={"editing": period_id, "edit_form": form},
        error_field=NON_FIELD,
    )
    return Done(_("Pay period saved."))


@case_view(CALCULATION)
def period_delete(request, case: Case, period_id: int):
    calculations.calculation_period_delete(actor=request.user, case_id=case.pk, period_id=period_id)
    return Done(_("Pay period removed."))


@case_view(CALCULATION)
def item_add(request, case: Case):
    form = OneOffItemForm(request.POST)
    submit(
        form,
        lambda data: calculations.calculation_item_add(actor=request.user, case_id=case.pk, **data),
        bound={"item_form": form},
        error_field=NON_FIELD,
    )
    return Done(_("Item added."))


@case_view(CALCULATION)
def item_delete(request, case: Case, item_id: int):
    calculations.calculation_item_delete(actor=request.user, case_id=case.pk, item_id=item_id)
    return Done(_("Item removed."))


@case_view(CALCULATION)
def settings_update(request, case: Case):
    instance = CalculationSettings.objects.filter(case=case).first() or CalculationSettings(case=case)
    form = CalculationSettingsForm(request.POST, instance=instance)
    submit(
        form,
        lambda data: calculations.calculation_settings_update(actor=request.user, case_id=case.pk, changes=data),
        bound={"settings_form": form},
        error_field=NON_FIELD,
    )
    return Done(_("Calculation settings saved."))


@case_view(CALCULATION)
def run(request, case: Case):
    try:
        snapshot = calculations.calculation_run(actor=request.user, case_id=case.pk)
    except CalculationInputError as exc:
        raise Refused(400, bound={"run_errors": exc.field_errors}) from exc
    return Done(
        _("Calculated: %(total)s %(currency)s owed.") % {"total": snapshot.total_owed, "currency": snapshot.currency}
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
    path("cases/<int:pk>/section/calculation/", section_view(CALCULATION), name=CALCULATION.url_name),
    path("cases/<int:pk>/calculation/", calculation_page, name="calculation"),
    path("cases/<int:pk>/calculation/settings/", settings_update, name="calculation_settings"),
    path("cases/<int:pk>/calculation/periods/", period_add, name="calculation_period_add"),
    path("cases/<int:pk>/calculation/periods/<int:period_id>/", period_update, name="calculation_period_update"),
    path("cases/<int:pk>/calculation/periods/<int:period_id>/delete/", period_delete, name="calculation_period_delete"),
    path("cases/<int:pk>/calculation/items/", item_add, name="calculation_item_add"),
    path("cases/<int:pk>/calculation/items/<int:item_id>/delete/", item_delete, name="calculation_item_delete"),
    path("cases/<int:pk>/calculation/run/", run, name="calculation_run"),
]
