"""Request bodies for the matrix's unsafe methods, by name; ``move:a`` is the body ``move`` for the world's case A.

A body only has to look like what the page posts: the matrix checks who gets through (2xx/3xx, or 400/409 for a
persona who is let in but whose input is refused), not validation. ``{placeholders}`` are filled from the world;
``{case}``, ``{case_version}``, ``{respondent}``… are the ids ending in ``_<suffix>``.
"""

import re
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from .world import PDF, World

BODIES = {
    "move": {"to_stage": "evidence", "expected_version": "{case_version}", "reason": "More proof is needed."},
    "advance": {"to_stage": "evidence", "expected_version": "{case_version}"},
    "close": {"outcome": "nothing", "reason": "Worker unreachable.", "expected_version": "{case_version}"},
    "reopen": {"reason": "A new address was found."},
    "assign": {"assignee": "{assignee}", "reason": "", "expected_version": "{case_version}"},
    "take": {"expected_version": "{case_version}"},
    # One case (a body value is a single string) for the assignee of office A, whichever case is named.
    "bulk_assign": {"cases": "{case}", "assignee": "{assignee_a}"},
    "note": {"text": "Worker called."},
    "edit": {"version": "{case_version}", "country_of_work": "MY", "sector": "construction", "job_title": "Welder"},
    "calculation_settings": {
        "settings-jurisdiction": "{jurisdiction}",
        "settings-currency": "MYR",
        "settings-mode": "records",
    },
    "period": {
        "label": "March 2023",
        "start": "2023-03-01",
        "end": "2023-03-31",
        "days_worked": "26",
        "normal_hours": "195",
        "overtime_hours": "0",
        "rest_day_hours": "0",
        "holiday_hours": "0",
        "agreed_rate": "1200",
        "agreed_basis": "month",
        "amount_paid": "900",
        "unlawful_deductions": "0",
        "lawful_deductions": "0",
        "deductions_note": "",
    },
    "item": {"item-kind": "recruitment_fee", "item-amount": "250.00", "item-description": ""},
    "ledger": {
        "kind": "claimed",
        "amount": "50.00",
        "currency": "MYR",
        "entry_date": "2025-03-20",
        "source": "negotiation",
        "respondent": "",
        "note": "",
    },
    "reverse": {"reason": "Typed twice."},
    "plan": {
        "currency": "MYR",
        "respondent": "",
        "source": "negotiation",
        "note": "",
        "instalment-TOTAL_FORMS": "1",
        "instalment-INITIAL_FORMS": "0",
        "instalment-0-due_date": "{today_plus_60}",
        "instalment-0-amount": "100.00",
    },
    "paid": {"entry_date": "2025-03-21", "confirm_over_award": "on"},
    "deadline": {"kind": "hearing", "date": "{today_plus_60}", "time": "", "note": ""},
    "deadline_status": {"status": "met"},
    "deadline_cancel": {"status": "cancelled", "reason": "Entered twice."},
    "task": {"title": "Call back", "assignee": "{assignee}", "date": "{today_plus_60}", "time": "", "note": ""},
    "my_work_status": {"status": "met", "next": "/my-work/?when=week"},
    "evidence": {
        "kind": "payslip",
        "provided_by": "worker",
        "received_on": "2025-03-01",
        "document_date": "",
        "description": "",
        "next": "case",
    },
    "evidence_remove": {"remove-{evidence}-reason": "Uploaded to the wrong case."},
    "filing": {"kind": "case_summary", "language": "en", "request_key": "{uuid}"},
    "empty": {},
    "portal_lookup": {"reference": "AAAA-BBBB-C", "pin": "12345678"},
    "setlang": {"language": "es", "next": "/"},
    "notification_settings": {
        "deadline": "app",
        "deadline_overdue": "email",
        "inactive_case": "email",
        "departure_soon": "email",
        "instalment_due": "email",
        "instalment_missed": "email",
        "language": "en",
    },
    "login": {"username": "nobody", "password": "not-the-password"},
    "password_reset": {"email": "nobody@example.org"},
    "two_factor_code": {"code": "000000"},
    "two_factor_setup": {"device": "1", "code": "000000"},
    "two_factor_saved": {"saved": "on"},
    "intake": {
        "token": "{uuid}",
        "full_name": "Aibek Toktogulov",
        "preferred_language": "ky",
        "nationality": "KG",
        "id_document_type": "passport",
        "id_document_number": "AC7650001",
        "consents": "data_processing",
        "consent_method": "verbal",
        "office": "{office_a}",
        "country_of_work": "MY",
        "sector": "construction",
        "job_title": "Scaffolder",
        "summary": "Three months unpaid.",
        "respondent-0-name": "Bina Jaya Sdn Bhd",
        "respondent-0-kind": "employer",
        "respondent-0-country": "MY",
        "matches_shown": "1",
        "claimant_match": "new",
    },
}
# The API takes JSON (a placeholder that is the whole value keeps its type: "{case_version}" is a number).
API_BODIES = {
    "api_open": {
        "claimant": {"full_name": "Aigul Tokonova", "preferred_language": "ky", "nationality": "KG"},
        "consents": ["data_processing"],
        "consent_method": "verbal",
        "respondents": [{"name": "Sunrise Garments Sdn Bhd", "kind": "employer", "country": "MY"}],
        "country_of_work": "MY",
        "sector": "manufacturing",
        "summary": "Two months unpaid.",
    },
    "api_move": {"to_stage": "evidence", "expected_version": "{case_version}", "reason": "More proof is needed."},
    "api_close": {"outcome": "nothing", "reason": "Worker unreachable.", "expected_version": "{case_version}"},
    "api_reopen": {"reason": "A new address was found."},
    "api_assign": {"assignee": "{assignee}", "expected_version": "{case_version}"},
    "api_take": {"expected_version": "{case_version}"},
    "api_note": {"text": "Worker called."},
    "api_filing": {"kind": "case_summary", "language": "en"},
    "api_settings": {"jurisdiction": "{jurisdiction}", "currency": "MYR"},
    "api_period": {
        "start": "2023-03-01",
        "end": "2023-03-31",
        "days_worked": "26",
        "normal_hours": "195",
        "agreed_rate": "1200",
        "agreed_basis": "month",
        "amount_paid": "900",
    },
    "api_item": {"kind": "recruitment_fee", "amount": "250.00", "description": ""},
    "api_ledger": {
        "kind": "claimed",
        "amount": "50.00",
        "currency": "MYR",
        "entry_date": "2025-03-20",
        "source": "negotiation",
    },
    "api_reason": {"reason": "Typed twice."},
    "api_plan": {"currency": "MYR", "instalments": [{"due_date": "{today_plus_60}", "amount": "100.00"}]},
    "api_deadline": {"kind": "hearing", "due_at": "{today_plus_60}T09:00:00+08:00", "note": ""},
    "api_deadline_status": {"status": "met"},
    "api_deadline_reopen": {"reason": ""},
    "api_empty": {},
    # A well-formed reference (its check character is right) that no case has: the lookup runs and finds nothing.
    "api_status": {"reference": "KQ7M-4TRW-W", "pin": "12345678", "language": "en"},
}
# The API's evidence upload is multipart, like the page's.
BODIES["api_evidence"] = {"kind": "payslip", "provided_by": "worker", "received_on": "2025-03-01"}

# The pay-period form is prefixed: "period-" to add one, "period-<id>-" to change one.
PERIOD = BODIES.pop("period")
BODIES["period_new"] = {f"period-{key}": value for key, value in PERIOD.items()}
BODIES["period_edit"] = {f"period-{{period}}-{key}": value for key, value in PERIOD.items()}
# Bodies that carry files (multipart): name -> field -> (file name, bytes).
FILES = {"evidence": {"files": ("payslip.pdf", PDF)}, "api_evidence": {"files": ("payslip.pdf", PDF)}}


def is_json(spec: str) -> bool:
    return spec.partition(":")[0] in API_BODIES


def _fill(value, context: dict):
    if isinstance(value, dict):
        return {key.format(**context): _fill(item, context) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, context) for item in value]
    if isinstance(value, str) and (whole := re.fullmatch(r"\{(\w+)\}", value)):
        return context[whole[1]]
    return value.format(**context) if isinstance(value, str) else value


def body_for(spec: str, world: World) -> dict | None:
    """The filled body for ``spec`` ("-" for none, "name" or "name:suffix")."""
    if spec == "-":
        return None
    name, _, suffix = spec.partition(":")
    context = {**world.ids, "uuid": str(uuid.uuid4())}
    if suffix:
        context.update(
            {key.replace(f"_{suffix}", "", 1): value for key, value in world.ids.items() if f"_{suffix}" in key}
        )
    if name in API_BODIES:
        return _fill(API_BODIES[name], context)
    body = {key.format(**context): str(value).format(**context) for key, value in BODIES[name].items()}
    for field, (file_name, content) in FILES.get(name, {}).items():
        body[field] = SimpleUploadedFile(file_name, content)
    return body
