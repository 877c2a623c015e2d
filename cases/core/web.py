"""One way to write a case view: load the case the user may see, run the action, answer with its section.

The case page is made of sections (``Section``), each owned by its package: a template, a context function and a
GET URL that returns the section alone. An action view is decorated with ``case_view(section)``: the decorator
loads the case through ``Case.objects.visible_to`` (404 otherwise), calls the view with it, and turns what comes
back into a response:

- the view returns ``Done(message)`` — htmx gets the section again with the message in its live region, plus,
  out of band, the core parts every write changes (the summary, the stage and assignment forms that carry the
  case's version, the timeline); a stage change also tells the other sections to reload themselves (the
  ``case-stage-changed`` event). A plain POST is redirected to the section's anchor on the case page.
- the view raises ``Refused`` (built by ``submit`` from a form that did not validate or a service's ``CaseError``)
  or lets a ``CaseError`` through — the section comes back with the field errors or the reason, with 400, 403 or
  409. Without htmx the same section is shown alone on a page of its own.
- ``ObjectDoesNotExist`` (the case, or a row of it, is gone or not visible) is a 404.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from cases.core.errors import CaseError
from cases.core.models import Case, CaseRespondent
from cases.core.views.sections import AFTER_WRITE, Section

# What the case page's sections read of the case itself: one query, whatever section asks.
CASE_RELATED = ("claimant", "office__organisation", "assigned_to", "opened_by")

# The header that marks an answer as a section, so the page swaps it in even with an error status (400, 403, 409).
SECTION_HEADER = "X-Case-Section"

# The htmx event a stage change sends: sections outside the core reload themselves on it (they can be closed now).
STAGE_CHANGED_EVENT = "case-stage-changed"


def case_queryset(user, *, respondents: bool = True):
    """The cases ``user`` may see, with what sections show of the case: its people, office and respondents."""
    cases = Case.objects.visible_to(user).select_related(*CASE_RELATED)
    if respondents:
        rows = CaseRespondent.objects.select_related("respondent").order_by("id")
        cases = cases.prefetch_related(Prefetch("case_respondents", queryset=rows))
    return cases


def get_case(request, pk: int, *, respondents: bool = True) -> Case:
    """The case ``pk`` if the user may see it, else 404; ``respondents=False`` for a view that shows none of them."""
    return get_object_or_404(case_queryset(request.user, respondents=respondents), pk=pk)


@dataclass
class Done:
    """What a successful action returns: the message to show, where to land without JavaScript, what it changed."""

    message: str
    anchor: str = ""  # a row inside the section, when that is a better place to land than the section's top
    stage_changed: bool = False
    url: str = ""  # without JavaScript, land here instead (the page the form was on, when not the case page)


@dataclass(eq=False)
class Refused(Exception):
    """An action that did not happen: the status, the reason (when not on a field) and the bound forms to show."""

    status: int
    error: str = ""
    bound: Mapping[str, Any] = field(default_factory=dict)


def submit(form, perform: Callable[[dict], Any], *, bound: Mapping[str, Any], error_field: str | None = None):
    """Validate ``form`` and return ``perform(cleaned_data)`` (one service call); raise ``Refused`` otherwise.

    Bad input is a 400 with the form's errors. A service's refusal of the input (400) goes on the field it names
    (``exc.field``, or each of ``exc.field_errors``), else on ``error_field`` when given; any other refusal (403,
    409) is shown at the top of the section. The status is the error's.
    """
    if not form.is_valid():
        raise Refused(400, bound=bound)
    try:
        return perform(form.cleaned_data)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        raise refusal(exc, form=form, bound=bound, error_field=error_field) from exc


def refusal(exc: CaseError, *, form=None, bound: Mapping[str, Any] | None = None, error_field=None) -> Refused:
    """``exc`` as a ``Refused``: its message on the form's fields where it names them, else for the section."""
    bound = dict(bound or {})
    placed = False
    if form is not None and exc.http_status == 400:  # bad input goes with the input; a conflict above the section
        field_errors = getattr(exc, "field_errors", None) or {}
        named = getattr(exc, "field", None)
        if named and not field_errors:
            field_errors = {named: [str(exc.message)]}
        for name, problems in field_errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
            placed = True
        if not placed and error_field is not None:
            form.add_error(error_field if error_field in form.fields else None, str(exc.message))
            placed = True
    return Refused(exc.http_status, error="" if placed else str(exc.message), bound=bound)


def section_response(request, case: Case, section: Section, *, status: int = 200, **bound) -> HttpResponse:
    """The section alone for htmx; without htmx (an error of a plain POST) a page with that section alone."""
    if request.htmx:
        response = HttpResponse(section.render(request, case, **bound), status=status)
    else:
        context = {"case": case, "section": section, "section_html": section.render(request, case, **bound)}
        response = render(request, "core/section_page.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # one URL, two answers: keep caches from mixing them up
    response[SECTION_HEADER] = section.anchor  # an error answer that is a section: static/redress/case-page.js swaps it
    return response


def section_done(request, case: Case, section: Section, done: Done) -> HttpResponse:
    """After a write: the fresh section (and what else changed, out of band) for htmx, else back to the anchor."""
    if not request.htmx:
        messages.success(request, done.message)
        return redirect(done.url or f"{reverse('case_detail', args=[case.pk])}#{done.anchor or section.anchor}")
    case = get_case(request, case.pk)  # the write changed it (its version at least)
    parts = [section.render(request, case, message=done.message)]
    done_here = {section.anchor, *section.covers}
    parts += [other.render(request, case, oob=True) for other in AFTER_WRITE if other.anchor not in done_here]
    response = HttpResponse("\n".join(parts))
    if done.stage_changed:
        response["HX-Trigger-After-Swap"] = STAGE_CHANGED_EVENT
    patch_vary_headers(response, ["HX-Request"])
    return response


def case_view(section: Section, *, case_pk: Callable[..., int] | None = None):
    """Decorate a POST action ``view(request, case, **kwargs)`` of ``section`` (see the module's docstring).

    The case is the URL's ``pk``, or for a URL about one of its rows, ``case_pk(request, **kwargs)`` (which reads
    the row through ``visible_to``; a row the user may not see is a 404).
    """

    def decorator(view):
        @wraps(view)
        @login_required
        @require_POST
        def wrapper(request, **kwargs):
            try:
                pk = case_pk(request, **kwargs) if case_pk else kwargs.pop("pk")
            except ObjectDoesNotExist as exc:
                raise Http404 from exc
            case = get_case(request, pk)
            try:
                outcome = view(request, case, **kwargs)
            except ObjectDoesNotExist as exc:
                raise Http404 from exc
            except Refused as refused:
                return section_response(
                    request, case, section, status=refused.status, error=refused.error, **refused.bound
                )
            except CaseError as exc:
                return section_response(request, case, section, status=exc.http_status, error=str(exc.message))
            if isinstance(outcome, Done):
                return section_done(request, case, section, outcome)
            return outcome

        return wrapper

    return decorator


def section_view(section: Section):
    """The GET view that returns ``section`` alone (what htmx reloads, and what a test reads)."""

    @login_required
    @require_GET
    def view(request, pk: int):
        return HttpResponse(section.render(request, get_case(request, pk)))

    view.__name__ = view.__qualname__ = f"{section.anchor.replace('-', '_')}_section"
    return view
