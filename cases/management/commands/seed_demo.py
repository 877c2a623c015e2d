"""Demo data: offices in four corridors, staff for each role, ~200 cases moved through the real services.

Idempotent: staff and offices are matched by name, and cases are created only when the
demo organisation has none yet, so ``make run`` can call it every time. Everything is
generated from a fixed seed, case references included (so the README can name one), and
every stage change goes through ``cases.core.services.cases`` so the timelines are real. Refuses to
run with DEBUG off (the demo password is public).

The logins and one status-check reference + PIN per office are printed and written to
``var/demo-logins.txt``, which ``config.devserver`` prints once the server is up.
"""

import base64
import hashlib
import hmac
import random
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases.core.office_time import local_to_utc
from cases.core.pins import PIN_LENGTH, check_pin, hash_pin
from cases.core.references import ALPHABET, RANDOM_LENGTH, reference_with_check
from cases.core.services import cases as services
from cases.core.stages import Outcome, Stage
from cases.deadlines.services import deadlines
from cases.deadlines.tasks import run_periodic_rules
from cases.models import (
    Case,
    Deadline,
    DeadlineKind,
    EntryKind,
    ExchangeRate,
    Respondent,
    RespondentAlias,
    RespondentKind,
    Route,
    Sector,
)
from cases.money.services import ledger
from claimants.models import ChannelKind, Claimant, ConsentMethod, ConsentPurpose, ContactChannel, Gender
from claimants.services import consent_record
from paralegals.models import Language, Office, Organisation, Role, User
from paralegals.two_factor.services import demo_device_install

ORGANISATION = "Redress Demo Network"
DEMO_PASSWORD = "redress-demo-2026"  # noqa: S105 (printed on purpose: demo only)
CASE_COUNT = 200
DEMO_SEED = 2026
# Coordinators and the admin must sign in with a code from an authenticator app; in the demo they all share this key
# (printed in the logins block, and `manage.py demo_code` prints the current code for testers without a phone).
DEMO_TOTP_KEY = "REDRESSDEMOTOTPKEYFORTESTERSONLY"  # base32, 20 bytes
# What config.devserver prints last, in settings.VAR_DIR.
SUMMARY_FILE = "demo-logins.txt"

# office name -> (country of work, city, currency, origin nationalities, staff languages)
OFFICES = {
    "Bangkok": ("TH", "Bangkok", "THB", ["MM", "KH"], ["th", "my", "km", "en"]),
    "Kuala Lumpur": ("MY", "Kuala Lumpur", "MYR", ["NP", "BD", "ID", "MM"], ["en", "ne", "bn", "id"]),
    "Doha": ("QA", "Doha", "QAR", ["NP", "BD", "PH"], ["en", "ar", "ne", "tl"]),
    "Moscow": ("RU", "Moscow", "RUB", ["KG", "UZ"], ["ru", "ky", "uz"]),
}
OFFICE_ZONES = {
    "Bangkok": "Asia/Bangkok",
    "Kuala Lumpur": "Asia/Kuala_Lumpur",
    "Doha": "Asia/Qatar",
    "Moscow": "Europe/Moscow",
}
LANGUAGE_OF = {"MM": "my", "KH": "km", "NP": "ne", "BD": "bn", "ID": "id", "PH": "tl", "KG": "ky", "UZ": "uz"}
GIVEN = {
    "MM": ["Aung", "Hnin", "Kyaw", "Thandar", "Zaw", "Ei"],
    "KH": ["Sokha", "Dara", "Sreymom", "Vannak", "Chenda"],
    "NP": ["Sita", "Ram", "Bishnu", "Maya", "Suman", "Gita"],
    "BD": ["Rahim", "Ayesha", "Kamal", "Nasrin", "Jamal"],
    "ID": ["Siti", "Agus", "Dewi", "Budi", "Wulan"],
    "PH": ["Maria", "Jose", "Rowena", "Mark", "Liza"],
    "KG": ["Aibek", "Aizada", "Nurlan", "Cholpon", "Bakyt"],
    "UZ": ["Dilnoza", "Rustam", "Shahnoza", "Jasur", "Malika"],
}
FAMILY = {
    "MM": ["Win", "Htun", "Oo", "Aye", "Naing"],
    "KH": ["Chan", "Sok", "Kim", "Heng", "Phan"],
    "NP": ["Tamang", "Gurung", "Rai", "Magar", "Thapa"],
    "BD": ["Hossain", "Begum", "Islam", "Akter", "Rahman"],
    "ID": ["Wati", "Santoso", "Lestari", "Saputra", "Rahayu"],
    "PH": ["Santos", "Reyes", "Cruz", "Garcia", "Bautista"],
    "KG": ["Asanov", "Toktogulova", "Abdraev", "Sydykova", "Mamatov"],
    "UZ": ["Karimova", "Yusupov", "Rakhimova", "Tashkentov", "Nazarova"],
}
EMPLOYERS = {
    "TH": [
        ("Siam Coastal Seafood Co.", ["Siam Coastal", "SC Seafood"]),
        ("Chonburi Garment Works", []),
        ("Golden Rice Farms", ["GR Farms"]),
        ("Bangna Construction Ltd", []),
    ],
    "MY": [
        ("Klang Valley Gloves Sdn Bhd", ["KV Gloves"]),
        ("Peninsula Palm Estates", ["PPE Plantations"]),
        ("Selangor Electronics Assembly", []),
        ("Mega Security Services", []),
    ],
    "QA": [
        ("Gulf Star Contracting W.L.L.", ["Gulf Star", "GSC Qatar"]),
        ("Pearl Facilities Management", []),
        ("Lusail Hospitality Group", []),
    ],
    "RU": [("StroyMontazh LLC", ["SMU-12"]), ("Moskva Logistic Park", []), ("Severny Market Traders", [])],
}
RECRUITERS = [
    ("Himalayan Overseas Manpower", "NP"),
    ("Dhaka Global Recruiting", "BD"),
    ("Yangon Bright Future Agency", "MM"),
    ("Osh Labour Link", "KG"),
    ("Manila Skyway Placement", "PH"),
]
SECTORS = [
    Sector.CONSTRUCTION,
    Sector.MANUFACTURING,
    Sector.AGRICULTURE,
    Sector.FISHING,
    Sector.DOMESTIC,
    Sector.HOSPITALITY,
    Sector.CLEANING,
    Sector.SECURITY,
]
# Where demo cases end up: (final stage, outcome) with weights.
DESTINATIONS = [
    ((Stage.INTAKE, ""), 30),
    ((Stage.EVIDENCE, ""), 45),
    ((Stage.ASSIGNMENT, ""), 30),
    ((Stage.REDRESS, ""), 55),
    ((Stage.CLOSED, Outcome.RECOVERED_FULL), 12),
    ((Stage.CLOSED, Outcome.RECOVERED_PART), 12),
    ((Stage.CLOSED, Outcome.NOTHING), 6),
    ((Stage.CLOSED, Outcome.WITHDRAWN), 5),
    ((Stage.CLOSED, Outcome.UNREACHABLE), 5),
]
VIEW_MODELS = [
    "case",
    "caseevent",
    "caserespondent",
    "respondent",
    "respondentalias",
    "jurisdiction",
    "ruleversion",
    "limitationrule",
    "calculationsnapshot",
    "ledgerentry",
    "exchangerate",
    "instalmentplan",
    "instalment",
]


class Command(BaseCommand):
    help = "Load demo offices, staff and ~200 cases (idempotent; refuses to run with DEBUG off)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (never in production).")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates accounts with a public password; it runs only with DEBUG on.")
        self.verbosity = options["verbosity"]
        with transaction.atomic():
            organisation, _ = Organisation.objects.get_or_create(name=ORGANISATION)
            offices = {name: self._office(organisation, name, spec) for name, spec in OFFICES.items()}
            staff = self._staff(offices)
            for user in staff["admin"] + staff["coordinators"]:
                demo_device_install(user=user, key_hex=base64.b32decode(DEMO_TOTP_KEY).hex())
            call_command("seed_jurisdictions", stdout=self.stdout if self.verbosity else StringIO())
            if Case.objects.filter(office__organisation=organisation).exists():
                self._say("Demo cases already loaded; nothing to add.")
            else:
                created = self._cases(offices, staff)
                self._say(self.style.SUCCESS(f"Created {created} demo cases."))
            status_checks = self._status_check_pins(organisation)
            self._working_day(organisation, offices, staff)
            # What beat does every few minutes, once now: escalations, quiet cases, departures and instalments are in
            # the outbox (and, after the next sweep, in the inbox) when the demo opens. Idempotent.
            run_periodic_rules(timezone.now())
        summary = demo_summary(staff, status_checks)
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        (Path(settings.VAR_DIR) / SUMMARY_FILE).write_text(summary, encoding="utf-8")
        self._say(summary)

    def _say(self, message: str) -> None:
        """Progress and the logins; nothing at --verbosity 0 (make run prints the logins last, from the file)."""
        if self.verbosity:
            self.stdout.write(message)

    # --- the working day: what each demo person has on their plate now ----------------------------------------

    def _working_day(self, organisation, offices: dict[str, Office], staff: dict[str, list[User]]) -> None:
        """Near-term deadlines and tasks for each office's first paralegal and its coordinator, relative to today,
        so My work, Home, the calendar and the reminders show a real week: a hearing next week, a worker leaving in
        twelve days, a filing due, a call to make tomorrow. Added once (when the demo has no task yet), through the
        services, in each office's own time."""
        if Deadline.objects.filter(case__office__organisation=organisation, kind=DeadlineKind.TASK).exists():
            return
        today = timezone.now().date()
        for name, office in offices.items():
            slug = name.lower().replace(" ", "")
            paralegal = next(p for p in staff["paralegals"] if p.username == f"para.{slug}1")
            coordinator = next(c for c in staff["coordinators"] if c.office_id == office.pk)
            theirs = list(
                Case.objects.filter(office=office, assigned_to=paralegal)
                .exclude(stage=Stage.CLOSED)
                .order_by("-stage_changed_at", "pk")[:3]
            )
            unassigned = Case.objects.filter(office=office, assigned_to=None).exclude(stage=Stage.CLOSED).first()

            def at(days: int, hour: int, minute: int = 0, zone=office.timezone):
                return local_to_utc(today + timedelta(days=days), time(hour, minute), zone)

            if theirs:
                deadlines.deadline_add(
                    actor=paralegal,
                    case_id=theirs[0].pk,
                    kind=DeadlineKind.HEARING,
                    due_at=at(6, 9, 30),
                    note="Labour court, room 4",
                )
                deadlines.task_add(
                    actor=paralegal,
                    case_id=theirs[0].pk,
                    title="Call the worker back about the payslips",
                    assignee=paralegal,
                    due_at=at(1, 11),
                )
            if len(theirs) > 1:
                case = Case.objects.get(pk=theirs[1].pk)
                services.case_update_details(
                    actor=paralegal,
                    case_id=case.pk,
                    expected_version=case.version,
                    changes={"departure_date": today + timedelta(days=12)},
                )
                deadlines.task_add(
                    actor=paralegal,
                    case_id=case.pk,
                    title="Copy the evidence and sign the power of attorney",
                    assignee=paralegal,
                    due_at=at(9, 15),
                )
            if len(theirs) > 2:
                deadlines.deadline_add(
                    actor=paralegal, case_id=theirs[2].pk, kind=DeadlineKind.FILING_DUE, due_at=at(20, 17)
                )
            if unassigned is not None:
                deadlines.task_add(
                    actor=coordinator,
                    case_id=unassigned.pk,
                    title="Find a paralegal who speaks the worker's language",
                    assignee=coordinator,
                    due_at=at(2, 10),
                )
        self._say("Added this week's demo deadlines and tasks.")

    # --- offices and staff -------------------------------------------------------------------------

    def _office(self, organisation, name, spec) -> Office:
        country, city, *_ = spec
        office, _ = Office.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={"country": country, "city": city, "phone": "+00 0000 0000", "whatsapp": "+00 0000 0000"},
        )
        # The demo shows paralegals taking unassigned cases, and deadlines in each office's own time; a demo database
        # made before these settings gets them too.
        changed = []
        if not office.paralegals_may_take_cases:
            office.paralegals_may_take_cases = True
            changed.append("paralegals_may_take_cases")
        if office.timezone == "UTC" and OFFICE_ZONES.get(name):
            office.timezone = OFFICE_ZONES[name]
            changed.append("timezone")
        if changed:
            office.save(update_fields=changed)
        return office

    def _staff(self, offices: dict[str, Office]) -> dict[str, list[User]]:
        groups = self._groups()
        staff: dict[str, list[User]] = {"admin": [], "coordinators": [], "paralegals": []}
        staff["admin"].append(self._user("admin", "Ada", "Admin", Role.ADMIN, None, [], groups, superuser=True))
        staff["coordinators"].append(
            self._user("coordinator", "Grace", "Global", Role.COORDINATOR, None, ["en", "ru"], groups, glob=True)
        )
        for name, office in offices.items():
            slug = name.lower().replace(" ", "")
            languages = OFFICES[name][4]
            staff["coordinators"].append(
                self._user(f"coord.{slug}", "Coordinator", name, Role.COORDINATOR, office, languages[:2], groups)
            )
            for n in (1, 2):
                staff["paralegals"].append(
                    self._user(
                        f"para.{slug}{n}",
                        f"Paralegal {n}",
                        name,
                        Role.PARALEGAL,
                        office,
                        languages[n - 1 : n + 1],
                        groups,
                    )
                )
        return staff

    def _groups(self) -> dict[str, Group]:
        codenames = [f"view_{model}" for model in VIEW_MODELS]
        view = Permission.objects.filter(content_type__app_label="cases", codename__in=codenames)
        paralegals, _ = Group.objects.get_or_create(name="Paralegals")
        paralegals.permissions.set(view)
        coordinators, _ = Group.objects.get_or_create(name="Coordinators")
        coordinators.permissions.set(
            [
                *view,
                *Permission.objects.filter(
                    content_type__app_label="cases",
                    codename__in=["change_respondent", "add_respondentalias", "change_respondentalias"],
                ),
            ]
        )
        return {Role.PARALEGAL: paralegals, Role.COORDINATOR: coordinators}

    def _user(self, username, first, last, role, office, languages, groups, superuser=False, glob=False) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "office": office,
                "email": f"{username}@demo.redress.invalid",  # reminders by email (printed by the console backend)
                "is_staff": True,
                "is_superuser": superuser,
                "is_global_coordinator": glob,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.languages.set(Language.objects.filter(code__in=languages))
            if role in groups:
                user.groups.add(groups[role])
        return user

    # --- cases -------------------------------------------------------------------------------------

    def _cases(self, offices: dict[str, Office], staff: dict[str, list[User]]) -> int:
        rng = random.Random(DEMO_SEED)
        respondents = self._respondents()
        destinations = [d for d, _ in DESTINATIONS]
        weights = [w for _, w in DESTINATIONS]
        start = timezone.now() - timedelta(days=540)
        _demo_exchange_rates(start.date() - timedelta(days=31), timezone.now().date())
        office_names = list(offices)
        references = demo_references(DEMO_SEED)
        for index in range(CASE_COUNT):
            name = office_names[index % len(office_names)]
            office = offices[name]
            country, _, currency, nationalities, _ = OFFICES[name]
            locals_ = [p for p in staff["paralegals"] if p.office_id == office.pk]
            coordinator = next(c for c in staff["coordinators"] if c.office_id == office.pk)
            clock = _Clock(start + timedelta(days=540 * index / CASE_COUNT, hours=rng.randint(8, 17)))
            final_stage, outcome = rng.choices(destinations, weights)[0]
            with clock.patched(), mock.patch("cases.core.services.cases.new_reference", references):
                self._one_case(
                    rng,
                    clock,
                    office,
                    country,
                    currency,
                    rng.choice(nationalities),
                    respondents,
                    locals_,
                    coordinator,
                    final_stage,
                    outcome,
                )
        return CASE_COUNT

    def _respondents(self) -> dict[str, list[Respondent]]:
        by_country: dict[str, list[Respondent]] = {}
        for country, employers in EMPLOYERS.items():
            for name, aliases in employers:
                respondent = Respondent.objects.create(kind=RespondentKind.EMPLOYER, name=name, country=country)
                RespondentAlias.objects.bulk_create(RespondentAlias(respondent=respondent, name=a) for a in aliases)
                by_country.setdefault(country, []).append(respondent)
        for name, country in RECRUITERS:
            by_country.setdefault(country, []).append(
                Respondent.objects.create(kind=RespondentKind.RECRUITER, name=name, country=country)
            )
        return by_country

    def _one_case(
        self,
        rng,
        clock,
        office,
        country,
        currency,
        nationality,
        respondents,
        paralegals,
        coordinator,
        final_stage,
        outcome,
    ) -> None:
        author = rng.choice(paralegals)
        claimant = Claimant.objects.create(
            full_name=f"{rng.choice(GIVEN[nationality])} {rng.choice(FAMILY[nationality])}",
            preferred_language=LANGUAGE_OF[nationality],
            gender=rng.choice([Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, ""]),
            nationality=nationality,
            id_document_type="passport",
            id_document_number=f"{nationality}{rng.randint(1000000, 9999999)}",
        )
        ContactChannel.objects.create(
            claimant=claimant,
            kind=ChannelKind.WHATSAPP,
            value=f"+{rng.randint(10**10, 10**11 - 1)}",
            consent=True,
            safe_to_contact=rng.random() > 0.15,
            in_home_country=rng.random() > 0.6,
        )
        against = [(rng.choice(respondents[country]), RespondentKind.EMPLOYER)]
        if nationality in respondents and rng.random() < 0.4:
            against.append((rng.choice(respondents[nationality]), RespondentKind.RECRUITER))
        worked = rng.randint(3, 30)
        ended = clock.now.date() - timedelta(days=rng.randint(5, 120))
        case = services.case_open(
            actor=author,
            claimant=claimant,
            office=office,
            respondents=against,
            country_of_work=country,
            sector=rng.choice(SECTORS),
            job_title="",
            work_started_on=ended - timedelta(days=30 * worked),
            work_ended_on=ended,
            departure_date=_maybe_date(rng, clock.now.date()),
            summary="Demo case: wages unpaid for several months; final pay withheld.",
            estimated_amount=Decimal(rng.randint(500, 20000) * 10),
            estimated_currency=currency,
            flag_unsafe_contact=rng.random() < 0.1,
            flag_do_not_contact_employer=rng.random() < 0.15,
            flag_waiver_under_pressure=rng.random() < 0.05,
        )
        if not (final_stage == Stage.INTAKE or (outcome == Outcome.WITHDRAWN and rng.random() < 0.5)):
            clock.tick(rng)
            consent_record(
                actor=author, claimant=claimant, purpose=ConsentPurpose.DATA_PROCESSING, method=ConsentMethod.VERBAL
            )
            consent_record(actor=author, claimant=claimant, purpose=ConsentPurpose.CONTACT, method=ConsentMethod.VERBAL)
        path = [Stage.EVIDENCE, Stage.ASSIGNMENT, Stage.REDRESS]
        reach = {Stage.INTAKE: 0, Stage.EVIDENCE: 1, Stage.ASSIGNMENT: 2, Stage.REDRESS: 3}
        steps = (
            3
            if final_stage == Stage.CLOSED
            and outcome in (Outcome.RECOVERED_FULL, Outcome.RECOVERED_PART, Outcome.NOTHING)
            else reach.get(final_stage, 0)
        )
        if final_stage == Stage.CLOSED and outcome in (Outcome.WITHDRAWN, Outcome.UNREACHABLE):
            steps = rng.randint(0, 2) if claimant.consents.exists() else 0
        for stage in path[:steps]:
            clock.tick(rng)
            wants_assignee = stage == Stage.REDRESS or (stage == Stage.ASSIGNMENT and rng.random() < 0.5)
            if wants_assignee and case.assigned_to_id is None:
                case = services.case_assign(actor=coordinator, case_id=case.pk, assignee=rng.choice(paralegals))
            case = services.case_advance(actor=case.assigned_to or author, case_id=case.pk, to_stage=stage)
            if rng.random() < 0.3:
                services.case_add_note(
                    actor=case.assigned_to or author,
                    case_id=case.pk,
                    text="Called the worker; documents promised by Friday.",
                )
        if steps == 3:  # it reached redress: money claimed, perhaps awarded, paid and handed to the worker
            _demo_money(clock, case, against[0][0], outcome, actor=case.assigned_to or author)
        if final_stage == Stage.CLOSED:
            clock.tick(rng)
            services.case_close(
                actor=case.assigned_to or author, case_id=case.pk, outcome=outcome, reason=str(Outcome(outcome).label)
            )

    def _status_check_pins(self, organisation) -> list[tuple[Case, str]]:
        """One open case per office (redress stage) gets a known PIN and shows its amounts on the status check."""
        chosen = []
        for office in Office.objects.filter(organisation=organisation).order_by("name"):
            case = (
                Case.objects.filter(office=office, stage=Stage.REDRESS)
                .select_related("claimant", "office")
                .order_by("opened_at", "id")
                .first()
            )
            if case is None:
                continue
            pin = _demo_pin(case.reference)
            if not case.portal_show_amounts or not check_pin(pin, case.pin_hash):
                case.pin_hash, case.portal_show_amounts = hash_pin(pin), True
                case.save(update_fields=["pin_hash", "portal_show_amounts"])
            chosen.append((case, pin))
        return chosen


def demo_references(seed: int) -> Callable[[], str]:
    """The demo's case references: the same sequence for the same seed, so a README can name one.

    Demo only: drawn from ``random``, so guessable. Real intake keeps ``cases.core.references.new_reference``
    (``secrets``).
    """
    rng = random.Random(f"{seed}:references")
    return lambda: reference_with_check("".join(rng.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))


def demo_summary(staff: dict[str, list[User]], status_checks: list[tuple[Case, str]]) -> str:
    """How to try the demo, in a few lines: the password, the logins, and per office a reference + PIN that work."""
    by_office: dict[int, list[User]] = {}
    for user in staff["coordinators"] + staff["paralegals"]:
        if user.office_id is not None:
            by_office.setdefault(user.office_id, []).append(user)
    rows = [
        (case.office.name, " ".join(user.username for user in by_office.get(case.office_id, [])), case.reference, pin)
        for case, pin in status_checks
    ]
    width = max([len("Logins"), *(len(logins) for _, logins, _, _ in rows)])
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}): admin (everything), coordinator (every office)"]
    key = " ".join(DEMO_TOTP_KEY[i : i + 4] for i in range(0, len(DEMO_TOTP_KEY), 4))
    lines.append(
        f"Coordinators and admin also type a code: add the key {key} (time-based) to an authenticator app, "
        "or run .venv/bin/python manage.py demo_code"
    )
    lines.append(f"  {'Office':<14} {'Logins':<{width}}  Worker status check (/status/)")
    lines.extend(f"  {office:<14} {logins:<{width}}  {reference}  PIN {pin}" for office, logins, reference, pin in rows)
    return "\n".join(lines) + "\n"


def _demo_pin(reference: str) -> str:
    """A PIN derived from the reference and SECRET_KEY: the same on every run, so the demo can print it.

    Demo only (seed_demo refuses to run with DEBUG off); real PINs come from ``secrets`` at intake.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), f"demo-pin:{reference}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**PIN_LENGTH:0{PIN_LENGTH}d}"


def _maybe_date(rng: random.Random, today: date) -> date | None:
    return today + timedelta(days=rng.randint(-60, 45)) if rng.random() < 0.6 else None


# Roughly how many US dollars one unit was worth: demo values, not real rates.
DEMO_RATES_TO_USD = {"THB": "0.0285", "MYR": "0.2210", "QAR": "0.2747", "RUB": "0.0112"}


def _demo_exchange_rates(first: date, last: date) -> None:
    """One made-up rate a month per demo currency (wobbling a little), marked as demo values."""
    rates = []
    for code, base in DEMO_RATES_TO_USD.items():
        if code == settings.REPORTING_CURRENCY:
            continue
        day, month = first.replace(day=1), 0
        while day <= last:
            wobble = Decimal(1) + Decimal((month * 7) % 11 - 5) / 200
            rates.append(
                ExchangeRate(date=day, currency=code, rate=(Decimal(base) * wobble).quantize(Decimal("0.000001")))
            )
            day, month = (day + timedelta(days=32)).replace(day=1), month + 1
    for rate in rates:
        rate.source = "Demo value (not a real rate)"
    ExchangeRate.objects.bulk_create(rates, ignore_conflicts=True)


def _demo_money(clock, case: Case, employer: Respondent, outcome: str, *, actor: User) -> None:
    """A plausible money story for a case in redress: claimed, then (often) awarded, paid and disbursed.

    Uses its own random stream (seeded by the case) so the rest of the demo stays as it was.
    """
    rng = random.Random(case.pk)
    claimed = case.estimated_amount
    currency = case.estimated_currency
    route = rng.choice([Route.NEGOTIATION, Route.LABOUR_INSPECTORATE, Route.LABOUR_COURT, Route.MEDIATION])
    cent = Decimal("0.01")

    def record(kind: str, amount: Decimal, **extra) -> None:
        clock.tick(rng)
        ledger.ledger_record(
            actor=actor,
            case_id=case.pk,
            kind=kind,
            amount=amount,
            currency=currency,
            entry_date=clock.now.date(),
            source=route,
            **extra,
        )

    record(EntryKind.CLAIMED, claimed)
    recovered = outcome in (Outcome.RECOVERED_FULL, Outcome.RECOVERED_PART)
    if not recovered and rng.random() < 0.5:
        return
    awarded = (claimed * Decimal(rng.randint(55, 100)) / 100).quantize(cent)
    record(EntryKind.SETTLED if route == Route.NEGOTIATION else EntryKind.AWARDED, awarded, respondent=employer)
    if outcome == Outcome.NOTHING:
        record(EntryKind.WRITTEN_OFF, awarded, note="Employer closed down; nothing left to collect.")
        return
    share = 100 if outcome == Outcome.RECOVERED_FULL else rng.randint(20, 80) if recovered else rng.randint(0, 60)
    paid = (awarded * share / 100).quantize(cent)
    if paid > 0:
        for part in (paid / 2).quantize(cent), paid - (paid / 2).quantize(cent):
            record(EntryKind.PAID, part, respondent=employer)
            record(EntryKind.DISBURSED, part, note="Bank transfer to the worker's home account.")
    if not recovered and awarded > paid and rng.random() < 0.6:
        # The rest in three monthly instalments; older demo cases show them missed.
        third = ((awarded - paid) / 3).quantize(cent)
        due = clock.now.date()
        ledger.instalment_plan_create(
            actor=actor,
            case_id=case.pk,
            currency=currency,
            instalments=[(due + timedelta(days=30 * n), third) for n in (1, 2)]
            + [(due + timedelta(days=90), awarded - paid - 2 * third)],
            respondent=employer,
            source=route,
            note="Agreed at the labour office.",
        )


class _Clock:
    """A fake 'now' that moves forward, so demo timelines spread over months, not seconds."""

    def __init__(self, start: datetime):
        self.now = start
        self.limit = timezone.now()

    def tick(self, rng: random.Random) -> None:
        self.now = min(self.now + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8)), self.limit)

    @contextmanager
    def patched(self):
        with mock.patch("django.utils.timezone.now", lambda: self.now):
            yield
