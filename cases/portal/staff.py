"""The status check on the staff case page: re-issue the PIN, see and lift a lock, see "my phone changed" requests.

Each action is a POST on a case the user may see (``visible_to``; else 404), calls one service in
``cases.portal.services`` and redirects back to the case. A re-issued PIN travels to the case page like the intake
PIN: encrypted in the session, shown once, then gone.
"""

from cryptography.fernet import InvalidToken
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from cases.core.errors import CaseError
from cases.core.models import Case
from cases.core.pins import PIN_SESSION_KEY
from cases.portal import limiter, services
from cases.portal.models import PhoneChangeRequest
from claimants.fields import fernet


@sensitive_variables("stored", "pin")
def portal_context(request, case: Case) -> dict:
    """The case page's status-check panel: a PIN to show once, the lock, pending phone requests (one query)."""
    stored = request.session.pop(PIN_SESSION_KEY.format(case_id=case.pk), None)
    pin = ""
    if stored:
        try:
            pin = fernet().decrypt(stored.encode()).decode()
        except InvalidToken:
            pin = ""
    try:
        locked_until, lock_unknown = limiter.reference_locked_until(case.reference), False
    except limiter.LimiterUnavailable:
        locked_until, lock_unknown = None, True
    return {
        "portal": {
            "pin": f"{pin[:4]} {pin[4:]}" if pin else "",
            "locked_until": locked_until,
            "lock_unknown": lock_unknown,
            "phone_requests": list(PhoneChangeRequest.objects.pending().filter(case=case)),
            "show_amounts": case.portal_show_amounts,
        }
    }


def _done(request, pk: int, perform, success: str):
    try:
        perform()
    except (Case.DoesNotExist, PhoneChangeRequest.DoesNotExist) as exc:
        raise Http404 from exc
    except CaseError as exc:
        messages.error(request, str(exc.message))
        return redirect("case_detail", pk=pk)
    except limiter.LimiterUnavailable:
        messages.error(request, _("The status check's counter store is not reachable. Try again in a moment."))
        return redirect("case_detail", pk=pk)
    messages.success(request, success)
    return redirect("case_detail", pk=pk)


@login_required
@require_POST
@sensitive_variables("pin")
def pin_reissue_view(request, pk: int):
    try:
        pin = services.pin_reissue(actor=request.user, case_id=pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    request.session[PIN_SESSION_KEY.format(case_id=pk)] = fernet().encrypt(pin.encode()).decode()
    messages.success(request, _("A new PIN was issued. The old one no longer works."))
    return redirect("case_detail", pk=pk)


@login_required
@require_POST
def portal_unlock_view(request, pk: int):
    return _done(
        request,
        pk,
        lambda: services.portal_unlock(actor=request.user, case_id=pk),
        _("The status check is unlocked for this case."),
    )


@login_required
@require_POST
def phone_request_handled_view(request, pk: int, request_id: int):
    return _done(
        request,
        pk,
        lambda: services.phone_request_handle(actor=request.user, case_id=pk, request_id=request_id),
        _("The phone number request is marked as checked."),
    )


class AmountsForm(forms.Form):
    show = forms.BooleanField(required=False)


@login_required
@require_POST
def portal_amounts_view(request, pk: int):
    form = AmountsForm(request.POST)
    show = form.is_valid() and form.cleaned_data["show"]
    return _done(
        request,
        pk,
        lambda: services.portal_show_amounts_set(actor=request.user, case_id=pk, show=show),
        _("Saved."),
    )
