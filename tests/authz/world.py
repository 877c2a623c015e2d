"""The seeded world the authorization matrix runs in: two offices, the five personas, and cases at several stages.

Everything is made through the real services (intake, advance, assign, evidence, calculation, filings, ledger,
deadlines) or, for settings the admin maintains (jurisdictions, rules, exchange rates), the models the admin edits.
``seed_world`` returns the personas and a map of placeholder names to ids; the matrix's URLs and bodies name them
("cases/{case_a}/"). Phone numbers and document numbers of the workers are kept so exposure tests can look for them.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cases.audit.services import AccessKind, Via, record_access
from cases.core.services.cases import case_advance, case_assign, case_close
from cases.core.services.intake import intake_submit
from cases.core.stages import Outcome, Stage
from cases.deadlines.reminders.sweep import send_due_reminders
from cases.deadlines.services.deadlines import deadline_add
from cases.models import (
    Case,
    CaseEvent,
    DeadlineKind,
    EntryKind,
    ExchangeRate,
    ItemKind,
    LimitationRule,
    LimitationTrigger,
    Notification,
    Reminder,
    Route,
)
from cases.money.services.calculations import calculation_item_add
from cases.money.services.ledger import instalment_plan_create, ledger_record
from documents import filings
from documents.evidence import evidence_upload
from documents.models import DocumentKind
from documents.tasks import render_document
from paralegals.models import ApiToken, CalendarFeed, Language
from tests.documents.filings_support import calculate
from tests.factories import OfficeFactory, UserFactory
from tests.pdf_samples import real_pdf

PERSONAS = ("anonymous", "paralegal_a", "paralegal_b", "coordinator_a", "admin")

PDF = real_pdf()


@dataclass
class World:
    users: dict = field(default_factory=dict)  # persona -> User (anonymous absent)
    tokens: dict = field(default_factory=dict)  # persona -> clear API token key
    ids: dict = field(default_factory=dict)  # placeholder -> id (or other value used in URLs and bodies)
    secrets: dict = field(default_factory=dict)  # what must never show in a list: phones, document numbers

    def fill(self, template: str) -> str:
        return template.format(**self.ids)


def _intake(actor, office, *, name: str, phone: str, document: str, respondent: str) -> Case:
    result = intake_submit(
        actor=actor,
        token=uuid.uuid4(),
        office=office,
        claimant=None,
        claimant_data={
            "full_name": name,
            "preferred_language": "ky",
            "nationality": "KG",
            "id_document_type": "passport",
            "id_document_number": document,
        },
        channels=[{"kind": "phone", "value": phone, "consent": True, "safe_to_contact": True}],
        consents=["data_processing", "contact"],
        consent_method="verbal",
        respondents=[{"name": respondent, "kind": "employer", "country": "MY", "aliases": "", "role": "employer"}],
        case_data={
            "country_of_work": "MY",
            "sector": "construction",
            "job_title": "Scaffolder",
            "work_started_on": date(2024, 1, 6),
            "work_ended_on": date(2024, 6, 30),
            "summary": "Three months unpaid.",
        },
    )
    return result.case


def _walk(case: Case, actor, to: str, assignee) -> None:
    for stage in (Stage.EVIDENCE, Stage.ASSIGNMENT, Stage.REDRESS):
        if stage == Stage.REDRESS:
            case_assign(actor=actor, case_id=case.pk, assignee=assignee)
        case_advance(actor=actor, case_id=case.pk, to_stage=stage)
        if stage == to:
            return


def _full_case(world: World, suffix: str, office, paralegal, admin) -> Case:
    """A case in redress with evidence, a calculation, a ready filing, money, an instalment plan and a deadline."""
    case = _intake(
        admin,
        office,
        name=f"Worker {suffix.upper()}",
        phone=f"+60 12-345 67{ord(suffix):02d}",
        document=f"AC76543{ord(suffix):02d}",
        respondent=f"Employer {suffix.upper()} Sdn Bhd",
    )
    world.secrets[f"phone_{suffix}"] = f"+60 12-345 67{ord(suffix):02d}"
    world.secrets[f"document_{suffix}"] = f"AC76543{ord(suffix):02d}"
    _walk(case, admin, Stage.REDRESS, paralegal)
    (evidence,) = evidence_upload(
        actor=paralegal,
        case_id=case.pk,
        files=[SimpleUploadedFile("payslip.pdf", PDF)],
        kind="payslip",
        document_date=None,
        description="",
        provided_by="worker",
        received_on=date(2025, 3, 1),
    )
    snapshot = calculate(case, paralegal)
    item = calculation_item_add(
        actor=paralegal, case_id=case.pk, kind=ItemKind.RECRUITMENT_FEE, amount=Decimal("300.00"), description=""
    )
    document = filings.document_request(actor=paralegal, case_id=case.pk, kind=DocumentKind.CASE_SUMMARY, language="en")
    render_document.run(document.pk)  # the after-commit hook never fires inside the world's transaction
    entry = ledger_record(
        actor=paralegal,
        case_id=case.pk,
        kind=EntryKind.CLAIMED,
        amount=Decimal("1000.00"),
        currency="MYR",
        entry_date=date(2025, 3, 15),
        source=Route.NEGOTIATION,
    )
    plan = instalment_plan_create(
        actor=paralegal,
        case_id=case.pk,
        currency="MYR",
        instalments=[(timezone.localdate() + timedelta(days=30), Decimal("500.00"))],
    )
    deadline = deadline_add(
        actor=paralegal,
        case_id=case.pk,
        kind=DeadlineKind.HEARING,
        due_at=timezone.now() + timedelta(days=30),
        note="",
    )
    case.refresh_from_db()
    world.ids.update(
        {
            f"case_{suffix}": case.pk,
            f"case_{suffix}_version": case.version,
            f"claimant_{suffix}": case.claimant_id,
            f"respondent_{suffix}": case.respondents.get().pk,
            f"event_{suffix}": CaseEvent.objects.filter(case=case).order_by("pk").first().pk,
            f"evidence_{suffix}": evidence.pk,
            f"snapshot_{suffix}": snapshot.pk,
            f"period_{suffix}": case.pay_periods.order_by("pk").first().pk,
            f"item_{suffix}": item.pk,
            f"document_{suffix}": document.pk,
            f"entry_{suffix}": entry.pk,
            f"plan_{suffix}": plan.pk,
            f"instalment_{suffix}": plan.instalments.get().pk,
            f"deadline_{suffix}": deadline.pk,
            f"reminder_{suffix}": Reminder.objects.filter(case=case).order_by("pk").first().pk,
        }
    )
    return case


def seed_world() -> World:
    world = World()
    office_a = OfficeFactory(name="Kuala Lumpur", paralegals_may_take_cases=True)  # office B leaves it off
    office_b = OfficeFactory(name="Bishkek", country="KG", city="Bishkek")
    admin = UserFactory(username="admin", superuser=True, administrator=True)
    world.users = {
        "paralegal_a": UserFactory(username="paralegal_a", office=office_a),
        "paralegal_b": UserFactory(username="paralegal_b", office=office_b),
        "coordinator_a": UserFactory(username="coordinator_a", coordinator=True, office=office_a),
        "admin": admin,
    }
    for persona, user in world.users.items():
        token, world.tokens[persona] = ApiToken.objects.issue(user=user, name=f"{persona} integration")
        world.ids[f"token_{persona}"] = token.pk
    ExchangeRate.objects.create(currency="MYR", date=date(2020, 1, 1), rate=Decimal("0.22"), source="test")
    case_a = _full_case(world, "a", office_a, world.users["paralegal_a"], admin)
    _full_case(world, "b", office_b, world.users["paralegal_b"], admin)

    # Cases at the other stages, in office A: one fresh at intake, one closed (to reopen).
    intake_a = _intake(admin, office_a, name="Worker C", phone="+60 13-111 2222", document="AC1112222", respondent="C")
    closed_a = _intake(admin, office_a, name="Worker D", phone="+60 13-333 4444", document="AC3334444", respondent="D")
    case_close(actor=admin, case_id=closed_a.pk, outcome=Outcome.NOTHING, reason="Worker unreachable.")

    # The hearing's first reminder (14 days before) delivered when it falls due: paralegal A has a notification.
    first = Reminder.objects.filter(case=case_a, recipient_user=world.users["paralegal_a"]).order_by("due_at").first()
    send_due_reminders(now=first.due_at)

    jurisdiction = case_a.calculation_snapshots.get().jurisdiction
    rule = LimitationRule.objects.create(
        jurisdiction=jurisdiction, forum="Labour court", trigger=LimitationTrigger.END_OF_CONTRACT, period_months=6
    )
    world.ids.update(
        {
            "case_intake_a": intake_a.pk,
            "case_intake_a_version": intake_a.version,
            "case_closed_a": closed_a.pk,
            "notification_a": Notification.objects.get(user=world.users["paralegal_a"], case=case_a).pk,
            # A second paralegal per office, for a coordinator to assign (the first one already is).
            "assignee_a": UserFactory(office=office_a).pk,
            "assignee_b": UserFactory(office=office_b).pk,
            "user_a": world.users["paralegal_a"].pk,
            "office_a": office_a.pk,
            "organisation_a": office_a.organisation_id,
            # Languages come from a data migration, which a transactional test earlier in the run may have flushed.
            "language": Language.objects.get_or_create(code="en", defaults={"name": "English"})[0].pk,
            "group": Group.objects.create(name="Readers").pk,
            # Sign-in records (django-axes): a lockout, a sign-in and a failed attempt, as the admin lists them.
            "access_attempt": AccessAttempt.objects.create(
                username="para.a",
                ip_address="203.0.113.9",
                user_agent="",
                http_accept="",
                path_info="/accounts/login/",
                get_data="",
                post_data="",
                failures_since_start=5,
            ).pk,
            "access_log": AccessLog.objects.create(
                username="para.a", ip_address="203.0.113.9", user_agent="", http_accept="", path_info="/accounts/login/"
            ).pk,
            "access_failure_log": AccessFailureLog.objects.create(
                username="para.a", ip_address="203.0.113.9", user_agent="", http_accept="", path_info="/accounts/login/"
            ).pk,
            # A read of case A, as the access log's admin lists it.
            "access_record_a": record_access(
                user=world.users["paralegal_a"],
                address="203.0.113.9",
                what=AccessKind.CASE_PAGE,
                via=Via.WEB,
                case=case_a,
            ).pk,
            "reset_uid_a": urlsafe_base64_encode(force_bytes(world.users["paralegal_a"].pk)),
            "jurisdiction": jurisdiction.pk,
            "rule_version": jurisdiction.rule_versions.get().pk,
            "limitation_rule": rule.pk,
            "exchange_rate": ExchangeRate.objects.get().pk,
            "case_content_type": ContentType.objects.get_for_model(Case).pk,
            "today_plus_60": (timezone.localdate() + timedelta(days=60)).isoformat(),
            # paralegal_a's private calendar feed address (the clear key: the feed's URL needs no sign-in).
            "feed_key_a": CalendarFeed.renew(world.users["paralegal_a"])[1],
        }
    )
    return world
