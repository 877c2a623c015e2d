"""The scenarios of `make bench` (bench/run.py): imported in the measuring process, after django.setup().

Each scenario is a request (or a call) as its user causes it, and where one exists a floor: the least any
implementation must do for the same answer (the same rows by one raw SQL query and a minimal template, the same case
by its unique index, WeasyPrint on the same HTML). Writes (intake, the sweep's rows) happen inside a transaction
that is rolled back, so the data set stays the same from run to run and size to size.
"""

import base64
import gc
import json
import statistics
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import connection, transaction
from django.template import Context, Engine
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from run import summarise  # bench/run.py, on the path of the measuring process
from weasyprint import HTML

from cases.core.filters import encode_cursor
from cases.core.forms_intake import IntakeForm, respondent_rows
from cases.core.models import Case
from cases.core.services.intake import intake_submit
from cases.deadlines.models import Reminder, ReminderChannel, StaffReminderKind
from cases.deadlines.reminders import messages as reminder_texts
from cases.deadlines.reminders.sweep import send_due_reminders
from cases.statistics.warm import warm_respondent_statistics
from documents import filings_print
from documents import pdf as pdf_module
from documents.filings import document_request
from documents.models import DocumentKind
from paralegals.models import Office, User
from tests.documents.filings_support import calculate

PARALEGAL = "bench_para_bangkok_1"
COORDINATOR = "bench_coord_bangkok"
GLOBAL = "bench_global"
ADMIN = "bench_admin"
ROLES = {"paralegal": PARALEGAL, "office coordinator": COORDINATOR, "global coordinator": GLOBAL}
PIN = "48151623"

LIST_TARGET = {"ratio": 1.5}
WEB_PAGE = 25  # the case list's default page size (the API's is 50)
# The minimal page of the floor: the same columns as the case list, nothing else.
FLOOR_TEMPLATE = Engine(autoescape=True).from_string(
    '<!doctype html><title>Cases</title><table>{% for r in rows %}<tr><td><a href="/cases/{{ r.0 }}/">{{ r.1 }}</a>'
    "</td><td>{{ r.6 }}</td><td>{{ r.12 }}</td><td>{{ r.2 }}</td><td>{{ r.8 }}</td><td>{{ r.9 }} {{ r.10 }}</td>"
    "<td>{{ r.4 }}</td><td>{{ r.5 }}</td><td>{{ r.7 }}</td><td>{{ r.3|date:'j M Y' }}</td></tr>{% endfor %}</table>"
)
FLOOR_SQL = """
SELECT c.id, c.reference, c.stage, c.opened_at, c.country_of_work, c.sector, w.full_name, w.preferred_language,
       o.name, u.first_name, u.last_name, u.username,
       (SELECT string_agg(r.name, ', ' ORDER BY r.name) FROM cases_caserespondent cr
          JOIN cases_respondent r ON r.id = cr.respondent_id WHERE cr.case_id = c.id) AS respondents
  FROM cases_case c
  JOIN claimants_claimant w ON w.id = c.claimant_id
  JOIN paralegals_office o ON o.id = c.office_id
  LEFT JOIN paralegals_user u ON u.id = c.assigned_to_id
 WHERE {visible} {after}
 ORDER BY c.opened_at DESC, c.id DESC
 LIMIT %(limit)s
"""


# --- people and their sessions ---------------------------------------------------------------------------------------


def signed_in(username: str) -> Client:
    """A client signed in as ``username`` with the second step done (a confirmed TOTP device in the session)."""
    user = User.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client = Client(REMOTE_ADDR="203.0.113.10")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def bench_admin() -> User:
    user = User.objects.filter(username=ADMIN).first()
    if user is None:
        user = User.objects.create_superuser(ADMIN, "bench-admin@example.org", "bench-admin-password-2026")
    return user


def visible_where(user: User) -> tuple[str, dict]:
    if user.sees_all_offices:
        return "TRUE", {}
    return "(c.office_id = %(office)s OR c.assigned_to_id = %(user)s)", {"office": user.office_id, "user": user.pk}


def deep_row(user: User) -> tuple:
    """(opened_at, id) of the row half-way down the user's newest-first list: the start of a deep page."""
    where, params = visible_where(user)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM cases_case c WHERE {where}", params)  # noqa: S608 - our own SQL
        half = cursor.fetchone()[0] // 2
        cursor.execute(
            f"SELECT c.opened_at, c.id FROM cases_case c WHERE {where} "  # noqa: S608
            "ORDER BY c.opened_at DESC, c.id DESC OFFSET %(half)s LIMIT 1",
            {**params, "half": half},
        )
        return cursor.fetchone()


def floor_rows(user: User, after: tuple | None, limit: int) -> list[tuple]:
    where, params = visible_where(user)
    clause = "AND (c.opened_at, c.id) < (%(at)s, %(id)s)" if after else ""
    with connection.cursor() as cursor:
        cursor.execute(
            FLOOR_SQL.format(visible=where, after=clause),
            {**params, "limit": limit, **({"at": after[0], "id": after[1]} if after else {})},
        )
        return cursor.fetchall()


def api_cursor(opened_at) -> str:
    """DRF's cursor for 'the rows after this position' in CasesNewestFirst's order."""
    return base64.b64encode(urlencode({"p": str(opened_at)}).encode()).decode()


# --- timing ----------------------------------------------------------------------------------------------------------


@contextmanager
def rolled_back():
    """Whatever the block writes is undone (and its on_commit work never queued)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _time(call) -> float:
    """How long ``call`` took (ms), or what it says it took when it returns a time (setup left out)."""
    started = time.perf_counter()
    result = call()
    return result if isinstance(result, float) else (time.perf_counter() - started) * 1000


def scenario(name, project, floor=None, *, repeat: int, target: dict | None = None, prepare=None) -> dict:
    """Warm up once, then ``repeat`` interleaved runs of project and floor; the query count from one more run."""
    for call in (project, floor):
        if call:
            (prepare or (lambda: None))()
            call()
    project_times, floor_times = [], []
    gc.collect()
    for _ in range(repeat):
        (prepare or (lambda: None))()
        project_times.append(_time(project))
        if floor:
            floor_times.append(_time(floor))
    (prepare or (lambda: None))()
    with CaptureQueriesContext(connection) as captured:
        project()
    row = summarise(name, project_times, floor_times or None, len(captured), target or {})
    print(
        f"  {name:<48} {statistics.median(project_times):8.1f} ms"
        + (f"   floor {row['floor']:7.1f} ms  {row['ratio']:6.2f}x" if floor else "")
        + f"   {len(captured)} queries",
        flush=True,
    )
    return row


def get(client: Client, url: str, status: int = 200, **extra):
    def call():
        response = client.get(url, secure=True, **extra)
        assert response.status_code == status, (url, response.status_code)

    return call


# --- the scenarios ---------------------------------------------------------------------------------------------------


def lists(repeat: int) -> list[dict]:
    rows = []
    for role, username in ROLES.items():
        user = User.objects.get(username=username)
        client = signed_in(username)
        deep = deep_row(user)

        def web_floor(after=None, user=user):
            html = FLOOR_TEMPLATE.render(Context({"rows": floor_rows(user, after, WEB_PAGE + 1)[:WEB_PAGE]}))
            assert html

        def api_floor(after=None, user=user):
            names = ("id", "reference", "stage", "opened_at", "country", "sector", "worker", "language", "office")
            body = json.dumps(
                [dict(zip(names, row, strict=False)) for row in floor_rows(user, after, 51)[:50]], default=str
            )
            assert body

        web_deep = "/cases/?" + urlencode({"cursor": encode_cursor("-opened", "next", list(deep))})
        api_deep = "/api/v1/cases/?" + urlencode({"cursor": api_cursor(deep[0])})
        rows += [
            scenario(f"case list p1, {role}", get(client, "/cases/"), web_floor, repeat=repeat, target=LIST_TARGET),
            scenario(
                f"case list deep, {role}",
                get(client, web_deep),
                lambda deep=deep, floor=web_floor: floor(deep),
                repeat=repeat,
                target=LIST_TARGET,
            ),
            scenario(
                f"API list p1, {role}", get(client, "/api/v1/cases/"), api_floor, repeat=repeat, target=LIST_TARGET
            ),
            scenario(
                f"API list deep, {role}",
                get(client, api_deep),
                lambda deep=deep, floor=api_floor: floor(deep),
                repeat=repeat,
                target=LIST_TARGET,
            ),
        ]
    return rows


def pages(repeat: int) -> list[dict]:
    bangkok = Office.objects.get(name="Bangkok")
    # A case waiting for assignment, so coordinators' case pages show the assignment suggestions.
    case = Case.objects.filter(office=bangkok, stage="assignment", assigned_to__isnull=True).order_by("-id").first()
    rows = []
    for role, username in ROLES.items():
        client = signed_in(username)
        rows.append(scenario(f"Home, {role}", get(client, "/"), repeat=repeat, target={"ms": 50}))
    for role, username in ROLES.items():
        client = signed_in(username)
        rows.append(scenario(f"case page, {role}", get(client, f"/cases/{case.pk}/"), repeat=repeat, target={"ms": 60}))
    admin = signed_in(bench_admin().username)
    rows.append(scenario("admin case changelist", get(admin, "/admin/cases/case/"), repeat=repeat))
    return rows


def statistics_pages(repeat: int) -> list[dict]:
    """The dashboard from the summary with nothing cached, and filtered by the busiest respondent: computed on a
    first view (nothing cached), and as a reader finds it after a refresh (whose task computes the busiest
    respondents' dashboards ahead: cases.statistics.warm)."""
    client = signed_in(GLOBAL)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT respondent_id FROM cases_caserespondent GROUP BY respondent_id ORDER BY COUNT(*) DESC LIMIT 1"
        )
        busiest = cursor.fetchone()[0]
    filtered = get(client, f"/statistics/?respondent={busiest}")
    rows = [
        scenario(
            "statistics dashboard, nothing cached", get(client, "/statistics/"), repeat=repeat, prepare=cache.clear
        ),
        scenario(
            "statistics by the busiest respondent, first view",
            filtered,
            repeat=max(3, repeat // 2),
            prepare=cache.clear,
        ),
    ]
    cache.clear()
    warm_respondent_statistics()
    rows.append(
        scenario("statistics by the busiest respondent, after a refresh", filtered, repeat=repeat, target={"ms": 500})
    )
    return rows


def status_check(repeat: int) -> list[dict]:
    """The worker's lookup (POST reference + PIN) and the status page it leads to, from a fresh browser."""
    slow, fast = Case.objects.filter(stage="redress").order_by("id")[:2]
    Case.objects.filter(pk=slow.pk).update(pin_hash=make_password(PIN))
    rows = []
    counter = iter(range(10**6))

    # One client whose cookies are cleared before each check: a fresh browser each time, without the test client's
    # own cost of building a handler (WhiteNoise reads every static file when a handler starts: ~45 ms).
    browser = Client()

    def lookup(case):
        def call():
            browser.cookies.clear()
            address = f"198.51.100.{next(counter) % 250 + 1}"
            data = {"reference": case.reference, "pin": PIN}
            response = browser.post("/status/", data, secure=True, REMOTE_ADDR=address)
            assert response.status_code == 302, response.status_code
            assert browser.get(response["Location"], secure=True, REMOTE_ADDR=address).status_code == 200

        return call

    status_template = Engine(autoescape=True).from_string(
        "<!doctype html><title>Your claim</title><p>{{ r.1 }}</p><p>{{ r.2 }}</p><p>{{ r.3|date:'j M Y' }}</p>"
    )

    def floor(case):
        def call():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id, reference, stage, stage_changed_at, pin_hash FROM cases_case WHERE reference = %s",
                    [case.reference],
                )
                assert status_template.render(Context({"r": cursor.fetchone()}))

        return call

    rows.append(scenario("status check (lookup + page), with PIN hash", lookup(slow), floor(slow), repeat=repeat))
    fast_hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(PASSWORD_HASHERS=fast_hashers):
        Case.objects.filter(pk=fast.pk).update(pin_hash=make_password(PIN))
        rows.append(
            scenario(
                "status check, without the PIN hash",
                lookup(fast),
                floor(fast),
                repeat=repeat,
                target={"ratio": 2.0},
            )
        )
    return rows


def sweep(repeat: int) -> list[dict]:
    """The reminder outbox sweep over 1,000 due "no activity" reminders to the paralegal (in-app: read on the site),
    made with the rules' own context builder and rolled back each run: its queries must not depend on the number of
    cases."""
    user = User.objects.get(username=PARALEGAL)
    cases = list(Case.objects.exclude(stage="closed").select_related("office").order_by("-id")[:1000])
    assert len(cases) == 1000
    now = timezone.now()
    since = now - timedelta(days=30)

    def call() -> float:
        """The sweep's time alone (the rows are made first, in the same rolled-back transaction)."""
        with rolled_back():
            Reminder.objects.bulk_create(
                Reminder(
                    idempotency_key=f"bench:{case.pk}",
                    case=case,
                    template=StaffReminderKind.INACTIVE,
                    context=reminder_texts.inactivity_context(case, since=since, days=30, zone=case.office.timezone),
                    channel=ReminderChannel.APP,
                    recipient_user=user,
                    language="",
                    due_at=now,
                    next_attempt_at=now,
                )
                for case in cases
            )
            started = time.perf_counter()
            sent = send_due_reminders(now=now, batch=1000)
            elapsed = (time.perf_counter() - started) * 1000
            assert sum(sent.values()) >= len(cases), sent
        return elapsed

    return [scenario("reminder sweep, 1,000 due rows", call, repeat=max(3, repeat // 3))]


def intake(repeat: int) -> list[dict]:
    """A complete intake as the browser posts it (a new worker and employer each run, so no duplicate to choose),
    against the intake service called with the same data (forms already cleaned); both rolled back."""
    user = User.objects.get(username=PARALEGAL)
    client = signed_in(PARALEGAL)
    office = Office.objects.get(name="Bangkok")

    def data() -> dict:
        unique = uuid.uuid4().hex[:8]
        return {
            "token": str(uuid.uuid4()),
            "full_name": f"Bench Worker {unique}",
            "preferred_language": "my",
            "nationality": "MM",
            "id_document_type": "passport",
            "id_document_number": f"MB{unique}",
            "phone": f"+66 81 {int(unique, 16) % 10**7:07d}",
            "phone_consent": "on",
            "phone_safe": "on",
            "consents": ["data_processing", "contact"],
            "consent_method": "verbal",
            "office": str(office.pk),
            "country_of_work": "TH",
            "sector": "fishing",
            "job_title": "Deckhand",
            "work_started_on": "2025-01-06",
            "work_ended_on": "2025-06-30",
            "estimated_amount": "45000.00",
            "estimated_currency": "thb",
            "summary": "Four months unpaid.",
            "respondent-0-name": f"Bench Marine {unique}",
            "respondent-0-kind": "employer",
            "respondent-0-country": "TH",
            # Had the searches found someone, the paralegal would have chosen "a new record" (the searches still run).
            "matches_shown": "on",
            "claimant_match": "new",
            "respondent_match_0": "new",
        }

    def web():
        with rolled_back():
            response = client.post("/cases/new/", data(), secure=True)
            assert response.status_code == 302, response.status_code

    def service():
        posted = data()
        form = IntakeForm(posted, user=user)
        rows = respondent_rows(posted)
        assert form.is_valid() and all(row.is_valid() for row in rows), form.errors
        arguments = {
            "actor": user,
            "token": form.cleaned_data["token"],
            "office": form.cleaned_data["office"],
            "claimant": None,
            "claimant_data": form.claimant_data(),
            "channels": form.channels(),
            "consents": form.cleaned_data["consents"],
            "consent_method": form.cleaned_data["consent_method"],
            "respondents": [row.respondent_data(None) for row in rows if row.is_filled],
            "case_data": form.case_data(),
        }
        return arguments

    prepared: list[dict] = []

    def service_call():
        with rolled_back():
            assert intake_submit(**prepared.pop()).created

    def prepare():
        prepared.append(service())

    # The floor is the service itself, called with arguments already cleaned (prepared outside the timing).
    return [
        scenario(
            "intake, web submit (floor: the service alone)",
            web,
            service_call,
            repeat=repeat,
            prepare=prepare,
            target={"ratio": 1.3},
        ),
    ]


def pdf(repeat: int) -> list[dict]:
    """A complaint rendered as the worker task does (HTML from the case and its calculation, then the project's
    WeasyPrint call with its static-only fetcher), against WeasyPrint writing the same HTML. The case gets a year of
    pay periods and a calculation through the services first (the filings tests' helper), all rolled back."""
    user = User.objects.get(username=PARALEGAL)
    case = Case.objects.filter(office__name="Bangkok", stage="evidence", anonymised_at=None).order_by("-id").first()
    with rolled_back():
        calculate(case, user, periods=12)
        document = document_request(actor=user, case_id=case.pk, kind=DocumentKind.COMPLAINT, language="my")
        html = filings_print.render_html(document)

        def project():
            assert pdf_module.render(filings_print.render_html(document), pdf_module.BASE_URL)

        def floor():
            assert HTML(string=html, base_url=pdf_module.BASE_URL).write_pdf()

        return [
            scenario("complaint PDF, Burmese (floor: WeasyPrint alone)", project, floor, repeat=max(3, repeat // 2))
        ]


def run_all(*, repeat: int, size: int) -> list[dict]:
    assert not settings.DEBUG, "measure with DEBUG off (bench/run.py sets it)"
    rows = []
    for part in (lists, pages, intake, statistics_pages, status_check, sweep, pdf):
        try:
            rows += part(repeat)
        except Exception as exc:
            print(f"  {part.__name__}: FAILED {exc!r}", flush=True)
            rows.append(
                {
                    "name": f"{part.__name__} (failed: {type(exc).__name__})",
                    "median": None,
                    "p95": None,
                    "queries": "",
                    "met": False,
                }
            )
    return rows
