"""The case page: every section of the case, each rendered by the package that owns it, and a menu to reach them.

The actions live with their sections (``cases.core.views.case``, ``cases.money.views``, ``cases.deadlines.views``,
``cases.portal.staff``) and answer in place (``cases.core.web``). Evidence and filings belong to the documents app,
a higher layer: the page loads their sections by URL with htmx, without importing them.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cases.audit.services import AccessKind, Via, record_access, request_address
from cases.core.views.sections import ASSIGNMENT, DETAILS, NOTES, STAGE, SUMMARY
from cases.core.web import get_case
from cases.deadlines.views.deadlines import DEADLINES
from cases.deadlines.views.reminders import REMINDERS
from cases.money.views.calculation import CALCULATION
from cases.money.views.ledger import MONEY
from cases.portal.staff import STATUS_CHECK

# The two columns of a wide screen (one after the other on a phone), in the order they are read.
MAIN = (STAGE, DEADLINES, CALCULATION, MONEY, NOTES)
SIDE = (ASSIGNMENT, STATUS_CHECK, REMINDERS, DETAILS)
# The documents app's sections, loaded by URL: (anchor, heading), placed after the stage.
LOADED = (("evidence-panel", _("Evidence")), ("filings-panel", _("Filings (PDF)")))


@login_required
@require_GET
def case_detail(request, pk: int):
    case = get_case(request, pk)
    # The read audit: one INSERT per full page view. A section's own GET (htmx reloads after a write, the page's
    # evidence and filings panels) is part of a page already recorded and is not (docs/security.md, Read audit).
    record_access(
        user=request.user, address=request_address(request), what=AccessKind.CASE_PAGE, via=Via.WEB, case=case
    )
    menu = [(STAGE.anchor, STAGE.title), *LOADED, *((s.anchor, s.title) for s in (*MAIN[1:], *SIDE))]
    context = {
        "case": case,
        "summary": SUMMARY.render(request, case),
        "stage": STAGE.render(request, case),
        "main": [section.render(request, case) for section in MAIN[1:]],
        "side": [section.render(request, case) for section in SIDE],
        "menu": menu,
        "can_see_access_log": request.user.is_coordinator,
    }
    return render(request, "pages/case_detail.html", context)
