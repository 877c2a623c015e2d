"""The intake page: one form for the worker, contacts, consent, respondents and the case; then the done page.

GET shows an empty form carrying a fresh one-time token. POST validates, offers existing records that may be
the same worker or respondent (and waits for a choice), then calls ``intake_submit`` and redirects to the done
page, which shows the case reference and — once — the PIN. The clear PIN travels only in the session,
encrypted, and is removed the first time it is shown; it is never in a URL.
"""

import uuid

from cryptography.fernet import InvalidToken
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from cases.core.errors import CaseError
from cases.core.forms_intake import (
    COMMON_CURRENCIES,
    NEW,
    IntakeForm,
    MatchForm,
    RespondentRowForm,
    error_summary,
    respondent_rows,
)
from cases.core.models import Case
from cases.core.pins import PIN_SESSION_KEY
from cases.core.services.intake import (
    IntakeResult,
    IntakeTokenUsed,
    case_for_intake_token,
    find_claimant_matches,
    find_respondent_matches,
    intake_submit,
)
from claimants.fields import fernet


@sensitive_post_parameters()  # everything typed at intake is personal data: keep it out of error reports
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def intake(request):
    if request.method == "POST":
        return _submit(request)
    if "done" in request.GET:
        return _done(request, request.GET["done"])
    form = IntakeForm(user=request.user, initial={"token": uuid.uuid4()})
    return _page(request, form, respondent_rows())


def _submit(request):
    form = IntakeForm(request.POST, user=request.user)
    rows = respondent_rows(request.POST)
    valid = all([form.is_valid(), *(row.is_valid() for row in rows)])

    if request.POST.get("check"):
        # "Check for existing records" is a look-up, not a submit: no errors yet, nothing written.
        match_form = _match_form(request, form, rows)
        if request.htmx:
            return render(request, "core/intake_matches.html", _matches_context(match_form, rows, checked=True))
        for each in (form, *rows):
            each.errors.clear()
        return _page(request, form, rows, match_form=match_form, checked=True)
    if not valid:
        return _page(request, form, rows, match_form=_match_form(request, form, rows))

    match_form = None
    try:
        # A double submit: the first one opened the case; don't offer its new records as duplicates of themselves.
        if existing := case_for_intake_token(actor=request.user, token=form.cleaned_data["token"]):
            return _finish(request, form, IntakeResult(case=existing, pin=None, created=False))
        match_form = _match_form(request, form, rows)
        if not match_form.is_decided():
            return _page(request, form, rows, match_form=match_form, choosing=True)
        result = _call_service(request, form, rows, match_form)
    except IntakeTokenUsed as exc:
        data = request.POST.copy()
        data["token"] = str(uuid.uuid4())
        form = IntakeForm(data, user=request.user)
        form.is_valid()
        form.add_error(None, exc.message)
        return _page(request, form, rows)
    except CaseError as exc:
        form.add_error(None, exc.message)
        return _page(request, form, rows, match_form=match_form)
    return _finish(request, form, result)


@sensitive_variables("result")
def _finish(request, form: IntakeForm, result: IntakeResult):
    case = result.case
    if result.pin:
        # Encrypted even in the session store; popped the first time the done page shows it.
        request.session[PIN_SESSION_KEY.format(case_id=case.pk)] = fernet().encrypt(result.pin.encode()).decode()
    if result.created:
        messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
        for warning in form.warnings():
            messages.warning(request, warning)
    else:
        messages.info(request, _("This intake was already submitted. This is the case it opened."))
    return redirect(f"{reverse('intake')}?done={case.pk}")


@sensitive_variables("result")
def _call_service(request, form: IntakeForm, rows: list[RespondentRowForm], match_form: MatchForm):
    data = form.cleaned_data
    return intake_submit(
        actor=request.user,
        token=data["token"],
        office=data["office"],
        claimant=match_form.chosen_claimant(),
        claimant_data=form.claimant_data(),
        channels=form.channels(),
        consents=data["consents"],
        consent_method=data["consent_method"],
        respondents=[
            row.respondent_data(match_form.chosen_respondent(index)) for index, row in enumerate(rows) if row.is_filled
        ],
        case_data=form.case_data(),
    )


def _match_form(request, form: IntakeForm, rows: list[RespondentRowForm]) -> MatchForm:
    """Existing workers and respondents that may be the ones typed (from whatever fields are valid so far)."""
    data = form.cleaned_data
    claimant_matches = find_claimant_matches(
        actor=request.user,
        phone=data.get("phone", ""),
        whatsapp=data.get("whatsapp", ""),
        document_number=data.get("id_document_number", ""),
    )
    respondent_matches = {
        index: find_respondent_matches(name=row.cleaned_data["name"])
        for index, row in enumerate(rows)
        if row.cleaned_data.get("name")
    }
    return MatchForm(request.POST, claimant_matches=claimant_matches, respondent_matches=respondent_matches)


def _matches_context(match_form: MatchForm | None, rows, *, checked: bool = False, choosing: bool = False) -> dict:
    if match_form is None or not match_form.has_matches:
        return {"match_form": None, "checked": checked}
    return {
        "match_form": match_form,
        "claimant_section": match_form.claimant_section(),
        "respondent_sections": match_form.respondent_sections(rows),
        "checked": checked,
        "choosing": choosing,
        "new": NEW,
    }


def _page(request, form, rows, *, match_form=None, checked=False, choosing=False):
    user = request.user
    context = {
        "form": form,
        "rows": rows,
        "summary": error_summary(form, rows) if form.is_bound else [],
        "can_open": bool(user.sees_all_offices or user.office_id),
        "currencies": COMMON_CURRENCIES,
        **_matches_context(match_form, rows, checked=checked, choosing=choosing),
    }
    return render(request, "core/intake.html", context)


@sensitive_variables("pin", "stored")
def _done(request, raw_pk: str):
    try:
        pk = int(raw_pk)
    except ValueError:
        raise Http404 from None
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    stored = request.session.pop(PIN_SESSION_KEY.format(case_id=case.pk), None)
    pin = None
    if stored:
        try:
            pin = fernet().decrypt(stored.encode()).decode()
        except InvalidToken:  # the encryption key changed since: the PIN can be re-issued later
            pin = None
    pin_display = f"{pin[:4]} {pin[4:]}" if pin else ""
    # A fresh key per page view: printing the receipt twice from one page makes one document.
    context = {"case": case, "pin": pin_display, "receipt_key": uuid.uuid4()}
    return render(request, "core/intake_done.html", context)
