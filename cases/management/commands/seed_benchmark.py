"""A large, realistic data set for benchmarks: ``manage.py seed_benchmark --cases 1000000`` (PostgreSQL only).

Offices, staff and the organisation go through the ORM (a few dozen rows, matched by name, so they are reused);
claimants, respondents (with aliases and successors), cases, their respondents, ledger entries (with some reversals)
and deadlines are generated in the database with ``INSERT ... SELECT ... FROM generate_series`` (SQL in
``_benchmark_data``), all in one transaction. Without ``--reset`` it adds cases to what is there; ``--reset`` first
empties the case tables, and refuses when the database holds cases of any office outside the benchmark organisation.
Claimants carry no identity document (the encrypted field and its blind index stay empty) and cases no PIN; their
home-country address, alternate contact and one phone or WhatsApp channel are real ciphertext under the newest key of
``FIELD_ENCRYPTION_KEYS`` with real blind indexes, drawn from pools encrypted once each (``contact_pools``).
"""

import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cases.core import tally
from cases.core.references import ALPHABET
from cases.management.commands import _benchmark_data as data
from cases.models import CaseTally, StatCase, StatDuration, StatFact, StatParalegal, StatPending, StatRespondent
from cases.money.currencies import CURRENCIES
from cases.statistics.models import StatDurationBand
from claimants.fields import encrypt
from claimants.models import ChannelKind, ContactChannel
from paralegals.models import Office, Organisation, Role, User

ORGANISATION = "Redress Benchmark Network"
PARALEGALS_PER_OFFICE = 8
GLOBAL_COORDINATOR = "bench_global"
# Tables emptied by --reset: TRUNCATE ... CASCADE also empties every table that points at them (events, documents,
# portal rows, reminders, calculations); the summary tables have no foreign keys and are named explicitly.
RESET_TABLES = ["cases_case", "claimants_claimant", "cases_respondent"] + [
    model._meta.db_table
    for model in (
        CaseTally,
        StatCase,
        StatFact,
        StatDuration,
        StatDurationBand,
        StatRespondent,
        StatParalegal,
        StatPending,
    )
]
BULK_THRESHOLD = 20_000
BULK_TABLES = [
    "claimants_claimant",
    "claimants_contactchannel",
    "cases_case",
    "cases_caserespondent",
    "cases_ledgerentry",
    "cases_deadline",
]
ANALYZE_TABLES = [
    "claimants_claimant",
    "claimants_contactchannel",
    "cases_respondent",
    "cases_respondentalias",
    "cases_case",
    "cases_caserespondent",
    "cases_ledgerentry",
    "cases_deadline",
]


def slug(name: str) -> str:
    return name.lower().replace(" ", "_")


def benchmark_staff() -> tuple[list[Office], dict[int, tuple[User, list[User]]], User]:
    """The benchmark organisation's offices, each with its coordinator and paralegals, and a global coordinator."""
    organisation, _ = Organisation.objects.get_or_create(name=ORGANISATION)
    offices, staff = [], {}
    for name, country, city, _currency, zone, _origins, _sectors in data.OFFICES:
        office, _ = Office.objects.get_or_create(
            organisation=organisation, name=name, defaults={"country": country, "city": city, "timezone": zone}
        )
        coordinator = _user(f"bench_coord_{slug(name)}", role=Role.COORDINATOR, office=office)
        paralegals = [
            _user(f"bench_para_{slug(name)}_{n}", role=Role.PARALEGAL, office=office)
            for n in range(1, PARALEGALS_PER_OFFICE + 1)
        ]
        offices.append(office)
        staff[office.pk] = (coordinator, paralegals)
    global_coordinator = _user(GLOBAL_COORDINATOR, role=Role.COORDINATOR, office=None, is_global_coordinator=True)
    return offices, staff, global_coordinator


def _user(username: str, **fields) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@benchmark.invalid", **fields)
        user.set_unusable_password()  # benchmark staff never log in with a password
        user.save()
    return user


class Command(BaseCommand):
    help = "Generate a large benchmark data set in PostgreSQL (cases, claimants, respondents, ledger, deadlines)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000, help="How many cases to add (default 100,000).")
        parser.add_argument("--reset", action="store_true", help="Empty the case tables first (benchmark data only).")
        parser.add_argument("--seed", type=float, default=0.42, help="Seed for random() between -1 and 1.")

    def handle(self, *args, cases: int, reset: bool, seed: float, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_benchmark needs PostgreSQL (it generates rows with generate_series); set DATABASE_URL."
            )
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        started = time.perf_counter()
        offices, staff, _global = benchmark_staff()
        if reset:
            self._reset(offices)
        generate(offices, staff, cases=cases, seed=seed, step=self._step)
        # The rows were written in SQL, past the model signals: the next statistics refresh rebuilds the summary.
        StatPending.objects.create(everything=True)
        with self._step("ANALYZE"), connection.cursor() as cursor:
            for table in ANALYZE_TABLES:
                cursor.execute(f"ANALYZE {table}")
        self.stdout.write(
            self.style.SUCCESS(f"{cases:,} cases generated in {time.perf_counter() - started:.1f} s ({_sizes()}).")
        )

    def _reset(self, offices: list[Office]) -> None:
        ids = [office.pk for office in offices]
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM cases_case WHERE NOT (office_id = ANY(%s)))", [ids])
            if cursor.fetchone()[0]:
                raise CommandError("--reset refused: this database holds cases of offices outside the benchmark.")
            with self._step("reset (TRUNCATE)"):
                cursor.execute(f"TRUNCATE {', '.join(RESET_TABLES)} CASCADE")

    @contextmanager
    def _step(self, label: str):
        started = time.perf_counter()
        yield
        self.stdout.write(f"  {label:<28} {time.perf_counter() - started:7.2f} s")


def generate(offices, staff, *, cases: int, seed: float, step) -> None:
    """Add ``cases`` cases (and their claimants, respondents, money and deadlines) in one transaction."""
    workers = max(1, round(cases * 0.85))  # about one worker in seven comes back with another case
    with step("total, with commit"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        skip_triggers = cursor.fetchone()[0]
        if skip_triggers:
            # Foreign keys are checked row by row by triggers: for millions of rows, most of the time. A superuser
            # may skip the triggers; every reference is then checked at once, set-wise, before the commit.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SELECT setseed(%s)", [seed])
        bases = _bases(cursor)
        _temp_tables(cursor, offices, staff, cases=cases, bases=bases)
        # Building an index once, sorted, is much faster than inserting a million rows into it one by one.
        dropped = _drop_plain_indexes(cursor) if cases >= BULK_THRESHOLD else []
        params = {
            **bases,
            "cases": cases,
            "workers": workers,
            "office_count": len(offices),
            "reporting": settings.REPORTING_CURRENCY,
            "adjectives": data.EMPLOYER_WORDS[0].split(),
            "nouns": data.EMPLOYER_WORDS[1].split(),
            "alphabet": ALPHABET,
            "multiplier": data.REF_MULTIPLIER,
            "space": data.REF_SPACE,
        }
        with step("contact pools encrypted"):
            params.update(contact_pools(cursor, workers))
        for label, statement in [
            ("workers (temporary)", data.WORKERS),
            ("claimants", data.CLAIMANTS),
            ("contact channels", data.CHANNELS),
            ("respondents", data.RESPONDENTS),
            ("respondent aliases", data.ALIASES),
            ("plan (temporary)", data.PLAN),
            ("cases", data.CASES),
            ("case respondents", data.CASE_RESPONDENTS),
            ("exchange rates", data.EXCHANGE_RATES),
            ("ledger entries", data.LEDGER),
            ("ledger mistakes", data.MISTAKES),
            ("ledger reversals", data.REVERSALS),
            ("deadlines", data.DEADLINES),
        ]:
            with step(label):
                cursor.execute(statement, params)
        for table in ("cases_case", "claimants_claimant", "cases_respondent"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608 (our own table names) # nosec B608
        with step(f"{len(dropped)} indexes rebuilt"):
            for definition in dropped:
                cursor.execute(definition)
        with step("foreign keys checked"):
            check_foreign_keys(cursor, bases)
        if skip_triggers:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        with step("case tally recounted"):
            # Its triggers were skipped with the others (or counted part of the rows): count it from the cases.
            tally.install()
        for table in data.TEMP_TABLES:
            cursor.execute(f"DROP TABLE {table}")


PHONE_POOL = 20_000
TOWNS = "Pokhara Sylhet Mandalay Cebu Osh Samarkand Kandy Batangas Chittagong Khujand Iloilo Battambang Surabaya"
RELATIONSHIPS = ["mother", "father", "sister", "brother", "spouse", "cousin", "neighbour"]


def contact_pools(cursor, workers: int) -> dict[str, int]:
    """Temporary tables of ciphertext for the encrypted columns (and the phones' blind indexes), each value
    encrypted once; returns the pool sizes.

    Up to 20,000 distinct numbers: a number is shared by one worker in ``workers / 20,000`` at most, so duplicate
    checks at intake find a handful of workers, as a real register would.
    """
    phones = [f"+{880 + n % 97} {700_000_000 + n * 7_919 % 299_999_989}" for n in range(min(workers, PHONE_POOL))]
    towns = TOWNS.split()
    addresses = [f"House {n % 97 + 1}, Ward {n % 13 + 1}, {towns[n % len(towns)]}" for n in range(500)]
    names = [f"{given} {family}" for _lang, givens, families in data.NAMES.values()
             for given, family in zip(givens.split(), families.split(), strict=False)]  # fmt: skip
    cursor.execute("CREATE TEMP TABLE bench_phone (idx int PRIMARY KEY, value text, digest text)")
    cursor.execute(
        "INSERT INTO bench_phone SELECT * FROM unnest(%s::int[], %s::text[], %s::text[])",
        [
            list(range(len(phones))),
            [encrypt(phone) for phone in phones],
            [ContactChannel.lookup_for(ChannelKind.PHONE, phone) for phone in phones],
        ],
    )
    cursor.execute("CREATE TEMP TABLE bench_address (idx int PRIMARY KEY, value text)")
    cursor.execute(
        "INSERT INTO bench_address SELECT * FROM unnest(%s::int[], %s::text[])",
        [list(range(len(addresses))), [encrypt(address) for address in addresses]],
    )
    cursor.execute("CREATE TEMP TABLE bench_alternate (idx int PRIMARY KEY, name text, relationship text)")
    cursor.execute(
        "INSERT INTO bench_alternate SELECT * FROM unnest(%s::int[], %s::text[], %s::text[])",
        [
            list(range(len(names))),
            [encrypt(name) for name in names],
            [encrypt(RELATIONSHIPS[n % len(RELATIONSHIPS)]) for n in range(len(names))],
        ],
    )
    return {"phone_pool": len(phones), "address_pool": len(addresses), "alternate_pool": len(names)}


def _drop_plain_indexes(cursor) -> list[str]:
    """Drop the indexes of the big tables that back no constraint; return their definitions, to recreate them."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = (quote_ident(i.indexname))::regclass)""",
        [BULK_TABLES],
    )
    rows = cursor.fetchall()
    for name, _definition in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def check_foreign_keys(cursor, bases: dict) -> None:
    """Raise if a new row points at a row that does not exist (what the skipped triggers would have caught)."""
    for table, column, target, since in data.FOREIGN_KEYS:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} t WHERE t.id > %s AND t.{column} IS NOT NULL "  # noqa: S608 (our own names) # nosec B608
            f"AND NOT EXISTS (SELECT 1 FROM {target} x WHERE x.id = t.{column})",
            [bases[since]],
        )
        missing = cursor.fetchone()[0]
        if missing:
            raise CommandError(f"{missing} rows of {table}.{column} point at no {target} row.")


def _bases(cursor) -> dict:
    """The highest ids before this run: new rows are numbered after them."""
    bases = {}
    for name, table in [
        ("case_base", "cases_case"),
        ("claimant_base", "claimants_claimant"),
        ("channel_base", "claimants_contactchannel"),
        ("respondent_base", "cases_respondent"),
        ("ledger_base", "cases_ledgerentry"),
        ("case_respondent_base", "cases_caserespondent"),
        ("alias_base", "cases_respondentalias"),
        ("deadline_base", "cases_deadline"),
    ]:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (our own table names) # nosec B608
        bases[name] = cursor.fetchone()[0]
    return bases


def _temp_tables(cursor, offices, staff, *, cases: int, bases: dict) -> None:
    cursor.execute(
        "CREATE TEMP TABLE bench_office (idx int, office_id bigint, country text, currency text, exponent int, "
        "base_rate numeric, tz text, origins text[], sectors text[], paralegals bigint[], coordinator_id bigint)"
    )
    for idx, (office, spec) in enumerate(zip(offices, data.OFFICES, strict=True), start=1):
        _name, country, _city, currency, zone, origins, sectors = spec
        coordinator, paralegals = staff[office.pk]
        cursor.execute(
            "INSERT INTO bench_office VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                idx,
                office.pk,
                country,
                currency,
                CURRENCIES[currency].exponent,
                data.RATES[currency],
                zone,
                origins,
                sectors,
                [p.pk for p in paralegals],
                coordinator.pk,
            ],
        )
    cursor.execute("CREATE TEMP TABLE bench_names (nationality text, lang text, given text[], family text[])")
    for nationality, (language, given, family) in data.NAMES.items():
        cursor.execute(
            "INSERT INTO bench_names VALUES (%s, %s, %s, %s)", [nationality, language, given.split(), family.split()]
        )
    # Monthly rates around the middle rate, from before the oldest case to this month.
    cursor.execute(
        """CREATE TEMP TABLE bench_rate AS
        SELECT o.currency, m.month::date AS month, round(o.base_rate * (1 + 0.04 * sin(m.n))::numeric, 10) AS rate
        FROM bench_office o CROSS JOIN LATERAL (
            SELECT month, row_number() OVER (ORDER BY month) AS n
            FROM generate_series(date_trunc('month', now() - interval '1830 days'), date_trunc('month', now()),
                                 interval '1 month') AS month) AS m"""
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_block (country text, kind text, first_id bigint, size int, legal_form text)"
    )
    next_id = bases["respondent_base"] + 1
    blocks = [(spec[1], "employer", max(5, cases // 500), data.LEGAL_FORM[spec[1]]) for spec in data.OFFICES]
    origins = sorted({origin for spec in data.OFFICES for origin in spec[5]})
    blocks += [(origin, "recruiter", max(3, cases // 2000), "") for origin in origins]
    for country, kind, size, legal_form in blocks:
        cursor.execute(
            "INSERT INTO bench_block VALUES (%s, %s, %s, %s, %s)", [country, kind, next_id, size, legal_form]
        )
        next_id += size


def _sizes() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return f"database size {cursor.fetchone()[0]}"
