"""The SQL behind ``seed_benchmark``: every large table filled by ``INSERT ... SELECT ... FROM generate_series``.

PostgreSQL only. Per-case decisions are drawn once into a temporary table (``bench_plan``) and every table is filled
from it, so the rows agree with each other: a closed case has an outcome and a closing date after its opening, a
"recovered" case has a disbursement, money is paid after it was awarded and never in the future. ``random()`` is
seeded, so the same arguments on an empty database give the same data.

Case references are not random here: the body is ``id × a multiplier coprime to 29⁸, mod 29⁸`` written in the
reference alphabet, followed by the real check character (``cases.core.references``) — unique because the map is a
bijection, and valid for ``normalise_reference``. Fine for a benchmark; real cases keep using ``new_reference``.
"""

from cases.core.references import ALPHABET

REF_SPACE = len(ALPHABET) ** 8
REF_MULTIPLIER = 2_654_435_761  # odd, not a multiple of 29: a bijection of 0..29⁸-1

# name, country, city, currency, time zone, origin nationalities, sectors (most common first)
OFFICES = [
    ("Bangkok", "TH", "Bangkok", "THB", "Asia/Bangkok", ["MM", "KH", "LA"],
     ["fishing", "agriculture", "manufacturing", "domestic", "construction"]),
    ("Kuala Lumpur", "MY", "Kuala Lumpur", "MYR", "Asia/Kuala_Lumpur", ["NP", "BD", "ID", "MM"],
     ["manufacturing", "agriculture", "security", "construction", "cleaning"]),
    ("Doha", "QA", "Doha", "QAR", "Asia/Qatar", ["NP", "BD", "PH", "IN"],
     ["construction", "hospitality", "domestic", "security", "transport"]),
    ("Moscow", "RU", "Moscow", "RUB", "Europe/Moscow", ["KG", "UZ", "TJ"],
     ["construction", "transport", "retail", "cleaning"]),
    ("Riyadh", "SA", "Riyadh", "SAR", "Asia/Riyadh", ["PH", "ID", "ET", "KE"],
     ["domestic", "construction", "care", "cleaning"]),
    ("Dubai", "AE", "Dubai", "AED", "Asia/Dubai", ["IN", "PK", "NP", "PH"],
     ["construction", "hospitality", "transport", "domestic", "security"]),
    ("Kuwait City", "KW", "Kuwait City", "KWD", "Asia/Kuwait", ["PH", "LK", "IN", "EG"],
     ["domestic", "construction", "care"]),
    ("Almaty", "KZ", "Almaty", "KZT", "Asia/Almaty", ["UZ", "KG", "TJ"], ["construction", "agriculture", "retail"]),
    ("Seoul", "KR", "Seoul", "KRW", "Asia/Seoul", ["KH", "NP", "VN", "MM"],
     ["agriculture", "fishing", "manufacturing"]),
    ("Singapore", "SG", "Singapore", "SGD", "Asia/Singapore", ["BD", "IN", "MM", "PH"],
     ["construction", "domestic", "cleaning", "care"]),
]  # fmt: skip

# Units of USD for one unit of the currency (the middle of the generated monthly rates).
RATES = {
    "THB": "0.028", "MYR": "0.22", "QAR": "0.2747", "RUB": "0.011", "SAR": "0.2667", "AED": "0.2723",
    "KWD": "3.25", "KZT": "0.0021", "KRW": "0.00074", "SGD": "0.74",
}  # fmt: skip

# nationality -> (claimant language, given names, family names)
NAMES = {
    "MM": ("my", "Aung Hnin Kyaw Thandar Zaw Ei Myo Su", "Win Htun Oo Aye Naing Soe Lwin"),
    "KH": ("km", "Sokha Dara Sreymom Vannak Chenda Pisey", "Chan Sok Kim Heng Phan Meas"),
    "LA": ("en", "Bounmy Khamla Somphone Vilay Noy", "Phommachanh Sisavath Keomany Vongsa"),
    "NP": ("ne", "Sita Ram Bishnu Maya Suman Gita Hari", "Tamang Gurung Rai Magar Thapa Shrestha"),
    "BD": ("bn", "Rahim Ayesha Kamal Nasrin Jamal Shirin", "Hossain Begum Islam Akter Rahman Uddin"),
    "ID": ("id", "Siti Agus Dewi Budi Wulan Eko Sri", "Wati Santoso Lestari Saputra Rahayu Hidayat"),
    "PH": ("tl", "Maria Jose Rowena Mark Liza Joy Ramon", "Santos Reyes Cruz Garcia Bautista Mendoza"),
    "IN": ("en", "Ravi Lakshmi Suresh Anita Manoj Priya", "Kumar Nair Reddy Singh Pillai Das"),
    "KG": ("ky", "Aibek Aizada Nurlan Cholpon Bakyt Gulnara", "Asanov Toktogulova Abdraev Sydykova Mamatov"),
    "UZ": ("uz", "Dilnoza Rustam Shahnoza Jasur Malika Bobur", "Karimova Yusupov Rakhimova Tashkentov Nazarova"),
    "TJ": ("ru", "Firuz Zarina Davron Madina Sherzod", "Rahimov Nazarova Saidov Karimova Sharipov"),
    "ET": ("en", "Tigist Abebe Hana Dawit Meron Yonas", "Bekele Tesfaye Alemu Girma Haile"),
    "KE": ("en", "Wanjiru Otieno Akinyi Kamau Njeri", "Mwangi Ochieng Wambui Kiprop Mutua"),
    "PK": ("en", "Imran Sana Bilal Ayesha Usman Hina", "Khan Ahmed Malik Hussain Iqbal"),
    "LK": ("en", "Nimal Kumari Chaminda Dilani Ruwan", "Perera Fernando Silva Jayawardena Bandara"),
    "EG": ("ar", "Ahmed Mona Mahmoud Fatma Karim Salma", "Hassan Ibrahim Mostafa Abdelrahman Farouk"),
    "VN": ("en", "Nguyen Lan Minh Hoa Tuan Thu", "Tran Le Pham Hoang Vu Dang"),
}

EMPLOYER_WORDS = (
    "Golden Eastern Pacific Royal United Star Crescent Pearl Delta Summit Harbour Lotus Phoenix Silver Green Grand",
    "Harvest Coastal Builders Seafood Garments Gloves Estates Logistics Facilities Hospitality Security Cleaning "
    "Palm Steel Textile Poultry Fisheries Marine Electronics Services",
)
LEGAL_FORM = {
    "TH": "Co., Ltd.", "MY": "Sdn Bhd", "QA": "W.L.L.", "RU": "LLC", "SA": "Est.", "AE": "L.L.C.", "KW": "Co. W.L.L.",
    "KZ": "LLP", "KR": "Co., Ltd.", "SG": "Pte Ltd",
}  # fmt: skip

# (table, column, table pointed at, which base id new rows of the table start after): checked after the inserts.
FOREIGN_KEYS = [
    ("cases_respondent", "successor_of_id", "cases_respondent", "respondent_base"),
    ("cases_respondentalias", "respondent_id", "cases_respondent", "alias_base"),
    ("claimants_contactchannel", "claimant_id", "claimants_claimant", "channel_base"),
    ("cases_case", "claimant_id", "claimants_claimant", "case_base"),
    ("cases_case", "office_id", "paralegals_office", "case_base"),
    ("cases_case", "assigned_to_id", "paralegals_user", "case_base"),
    ("cases_case", "opened_by_id", "paralegals_user", "case_base"),
    ("cases_caserespondent", "case_id", "cases_case", "case_respondent_base"),
    ("cases_caserespondent", "respondent_id", "cases_respondent", "case_respondent_base"),
    ("cases_ledgerentry", "case_id", "cases_case", "ledger_base"),
    ("cases_ledgerentry", "claimant_id", "claimants_claimant", "ledger_base"),
    ("cases_ledgerentry", "respondent_id", "cases_respondent", "ledger_base"),
    ("cases_ledgerentry", "actor_id", "paralegals_user", "ledger_base"),
    ("cases_ledgerentry", "reverses_id", "cases_ledgerentry", "ledger_base"),
    ("cases_deadline", "case_id", "cases_case", "deadline_base"),
    ("cases_deadline", "entered_by_id", "paralegals_user", "deadline_base"),
    ("cases_deadline", "assignee_id", "paralegals_user", "deadline_base"),
    ("cases_deadline", "office_id", "paralegals_office", "deadline_base"),
]

TEMP_TABLES = (
    "bench_phone",
    "bench_address",
    "bench_alternate",
    "bench_office",
    "bench_names",
    "bench_rate",
    "bench_block",
    "bench_worker",
    "bench_plan",
)

WORKERS = """
CREATE TEMP TABLE bench_worker AS
WITH drawn AS (
    SELECT w, 1 + floor(power(random(), 1.3) * %(office_count)s)::int AS office_idx, random() AS r_origin,
           random() AS r_gender, random() AS r_given, random() AS r_family
    FROM generate_series(1, %(workers)s) AS w
)
SELECT d.w, d.office_idx, o.origins[1 + floor(d.r_origin * cardinality(o.origins))::int] AS nationality,
       (ARRAY['woman', 'woman', 'man', 'man', 'man', 'other', 'undisclosed', ''])[1 + floor(d.r_gender * 8)::int]
           AS gender,
       d.r_given, d.r_family
FROM drawn d JOIN bench_office o ON o.idx = d.office_idx
"""

# Encrypted columns hold real ciphertext (under the newest key), drawn from pools that were encrypted once each
# (temporary tables ``bench_phone``, ``bench_address``, ``bench_alternate`` filled by seed_benchmark): encrypting a
# million values one by one would dominate the run. Two in five workers name an alternate contact.
CLAIMANTS = """
INSERT INTO claimants_claimant (id, full_name, preferred_language, gender, nationality, home_country_address,
    alternate_contact_name, alternate_contact_relationship, alternate_contact_phone, id_document_type,
    id_document_number, id_document_digest, created_at, updated_at)
SELECT %(claimant_base)s + w.w,
       n.given[1 + floor(w.r_given * cardinality(n.given))::int] || ' '
           || n.family[1 + floor(w.r_family * cardinality(n.family))::int],
       n.lang, w.gender, w.nationality, a.value,
       CASE WHEN w.w %% 5 < 2 THEN alt.name ELSE '' END,
       CASE WHEN w.w %% 5 < 2 THEN alt.relationship ELSE '' END,
       CASE WHEN w.w %% 5 < 2 THEN p.value ELSE '' END,
       '', '', '', now(), now()
FROM bench_worker w JOIN bench_names n ON n.nationality = w.nationality
JOIN bench_address a ON a.idx = w.w %% %(address_pool)s
JOIN bench_alternate alt ON alt.idx = w.w %% %(alternate_pool)s
JOIN bench_phone p ON p.idx = (w.w + 1) %% %(phone_pool)s
"""

# One phone or WhatsApp channel per worker: its ciphertext and its blind index come from the same pool row.
CHANNELS = """
INSERT INTO claimants_contactchannel (claimant_id, kind, value, lookup_value, consent, safe_to_contact,
    in_home_country, created_at)
SELECT %(claimant_base)s + w.w, CASE WHEN w.w %% 10 < 3 THEN 'whatsapp' ELSE 'phone' END, p.value, p.digest,
       w.r_family < 0.8, w.r_given < 0.7, false, now()
FROM bench_worker w JOIN bench_phone p ON p.idx = w.w %% %(phone_pool)s
"""

RESPONDENTS = """
INSERT INTO cases_respondent (id, kind, name, country, registration_number, address, preferred_language,
    created_at, successor_of_id)
SELECT b.first_id + i,
       b.kind,
       CASE WHEN b.kind = 'employer'
            THEN (%(adjectives)s::text[])[1 + floor(random() * cardinality(%(adjectives)s::text[]))::int] || ' '
                 || (%(nouns)s::text[])[1 + floor(random() * cardinality(%(nouns)s::text[]))::int] || ' '
                 || b.legal_form
            ELSE (%(adjectives)s::text[])[1 + floor(random() * cardinality(%(adjectives)s::text[]))::int]
                 || ' Manpower Agency ' || b.country END,
       b.country, 'REG-' || (b.first_id + i), '', '', now(),
       -- Some companies renamed or re-registered to dodge claims: the successor points at the one it replaced.
       CASE WHEN i > 0 AND random() < 0.05 THEN GREATEST(b.first_id, b.first_id + i - 1 - floor(random() * 10)::int) END
FROM bench_block b CROSS JOIN LATERAL generate_series(0, b.size - 1) AS i
"""

ALIASES = """
INSERT INTO cases_respondentalias (respondent_id, name)
SELECT r.id, a.name FROM cases_respondent r
CROSS JOIN LATERAL (VALUES (1, upper(left(r.name, 1)) || upper(substr(split_part(r.name, ' ', 2), 1, 1)) || ' '
                             || split_part(r.name, ' ', 3)),
                           (2, 'The ' || split_part(r.name, ' ', 1) || ' ' || split_part(r.name, ' ', 2))) AS a(n, name)
WHERE r.id > %(respondent_base)s AND (a.n = 1 AND random() < 0.10 OR a.n = 2 AND random() < 0.03)
"""

# One row per case: every random decision, drawn once.
PLAN = """
CREATE TEMP TABLE bench_plan AS
WITH s AS (
    SELECT g, CASE WHEN g <= %(workers)s THEN g ELSE 1 + (g::bigint * 7919) %% %(workers)s END AS w,
           1826 * (1 - sqrt(random())) AS age, random() AS r_stage, random() AS r_outcome, random() AS r_sector,
           random() AS r_employer, random() AS r_amount, random() AS r_share, random() AS r_assign,
           random() AS r_close, random() AS r_misc
    FROM generate_series(1, %(cases)s) AS g
), t AS (
    SELECT s.*, w.office_idx, w.nationality, LEAST(0.93, 0.03 + s.age / 500) AS p_closed
    FROM s JOIN bench_worker w ON w.w = s.w
), u AS (
    SELECT t.*, o.office_id, o.country, o.currency, o.tz, o.paralegals, o.coordinator_id,
           CASE WHEN r_stage < p_closed THEN 'closed'
                WHEN (r_stage - p_closed) / (1 - p_closed) < 0.2 THEN 'intake'
                WHEN (r_stage - p_closed) / (1 - p_closed) < 0.45 THEN 'evidence'
                WHEN (r_stage - p_closed) / (1 - p_closed) < 0.6 THEN 'assignment'
                ELSE 'redress' END AS stage,
           o.sectors[1 + floor(power(r_sector, 1.5) * cardinality(o.sectors))::int] AS sector,
           date_trunc('second', now() - age * interval '1 day') AS opened_at
    FROM t JOIN bench_office o ON o.idx = t.office_idx
), v AS (
    SELECT u.*,
           CASE WHEN stage <> 'closed' THEN ''
                WHEN r_outcome < 0.18 THEN 'recovered_full' WHEN r_outcome < 0.42 THEN 'recovered_part'
                WHEN r_outcome < 0.65 THEN 'nothing' WHEN r_outcome < 0.75 THEN 'withdrawn'
                WHEN r_outcome < 0.85 THEN 'referred' ELSE 'unreachable' END AS outcome,
           CASE WHEN stage = 'closed' THEN opened_at + age * (0.05 + 0.9 * r_close * r_close) * interval '1 day' END
               AS closed_at
    FROM u
)
SELECT %(case_base)s + g AS id, %(claimant_base)s + w AS claimant_id, office_id, v.country, currency, tz, sector,
       stage, outcome, opened_at, closed_at, nationality,
       CASE WHEN stage = 'redress' OR (stage = 'assignment' AND r_assign < 0.5) OR (stage = 'evidence'
                 AND r_assign < 0.1) OR (stage = 'closed' AND r_assign < 0.75)
            THEN paralegals[1 + floor(r_assign * 997)::int %% cardinality(paralegals)] END AS assigned_to_id,
       CASE WHEN r_misc < 0.3 THEN coordinator_id
            ELSE paralegals[1 + floor(r_misc * 991)::int %% cardinality(paralegals)] END AS opened_by_id,
       e.first_id + floor(power(r_employer, 2.5) * e.size)::int AS employer_id,
       CASE WHEN r_misc > 0.7 THEN a.first_id + floor(r_share * a.size)::int END AS recruiter_id,
       -- USD cents claimed (200 to 8,200 dollars), and how the money went.
       (20000 + floor(r_amount * r_amount * 800000))::bigint AS claimed_usd,
       0.4 + 0.6 * r_share AS award_share,
       EXTRACT(EPOCH FROM COALESCE(closed_at, now()) - opened_at) / 86400 AS span,
       r_misc, r_share, r_close
FROM v
JOIN bench_block e ON e.country = v.country AND e.kind = 'employer'
JOIN bench_block a ON a.country = v.nationality AND a.kind = 'recruiter'
"""

_CASES = """
INSERT INTO cases_case (id, reference, claimant_id, office_id, country_of_work, sector, job_title, work_started_on,
    work_ended_on, departure_date, summary, estimated_amount, estimated_currency, stage, stage_changed_at, outcome,
    outcome_reason, assigned_to_id, flag_unsafe_contact, flag_do_not_contact_employer, flag_waiver_under_pressure,
    portal_show_amounts, pin_hash, intake_token, version, opened_at, closed_at, updated_at, opened_by_id,
    furthest_stage)
SELECT p.id, left(ref.body, 4) || '-' || right(ref.body, 4) || '-' || ref.check_char,
       p.claimant_id, p.office_id, p.country, p.sector, initcap(p.sector) || ' worker',
       (p.opened_at - (60 + p.r_share * 700) * interval '1 day')::date,
       CASE WHEN p.r_misc < 0.9 THEN (p.opened_at - p.r_close * 50 * interval '1 day')::date END,
       CASE WHEN p.r_misc < 0.4 THEN (p.opened_at + p.r_share * 40 * interval '1 day')::date END,
       '', round(p.claimed_usd / 100.0 / r.base_rate, 2), p.currency, p.stage,
       COALESCE(p.closed_at, p.opened_at + p.span * p.r_close * interval '1 day'), p.outcome,
       CASE WHEN p.stage = 'closed' THEN 'Benchmark data.' ELSE '' END,
       p.assigned_to_id, p.r_misc < 0.05, p.r_misc > 0.97, p.r_share < 0.02, false, '', NULL, 1,
       p.opened_at, p.closed_at, COALESCE(p.closed_at, p.opened_at + p.span * p.r_close * interval '1 day'),
       p.opened_by_id,
       -- A closed case reached redress if it recovered money or had a paralegal assigned, else it stopped earlier.
       CASE WHEN p.stage <> 'closed' THEN p.stage
            WHEN p.outcome IN ('recovered_full', 'recovered_part') OR p.assigned_to_id IS NOT NULL THEN 'redress'
            WHEN p.r_misc < 0.4 THEN 'assignment' WHEN p.r_misc < 0.7 THEN 'evidence' ELSE 'intake' END
FROM bench_plan p
JOIN bench_office r ON r.country = p.country
CROSS JOIN LATERAL (SELECT ((p.id * %(multiplier)s) %% %(space)s)::bigint AS n) AS scrambled
CROSS JOIN LATERAL (SELECT {digits}) AS d
CROSS JOIN LATERAL (
    SELECT {body} AS body, substr(%(alphabet)s, ((29 - ({weighted}) %% 29) %% 29)::int + 1, 1) AS check_char
) AS ref
"""

# The reference's eight digits in base 29 (most significant first), written out: cheaper than a subquery per row.
CASES = _CASES.format(
    digits=", ".join(f"((scrambled.n / {29 ** (7 - k)}) %% 29)::int AS d{k}" for k in range(8)),
    body=" || ".join(f"substr(%(alphabet)s, d.d{k} + 1, 1)" for k in range(8)),
    weighted=" + ".join(f"d.d{k} * {2 ** (8 - k)}" for k in range(8)),
)

CASE_RESPONDENTS = """
INSERT INTO cases_caserespondent (case_id, respondent_id, role)
SELECT id, employer_id, 'employer' FROM bench_plan
UNION ALL
SELECT id, recruiter_id, 'recruiter' FROM bench_plan WHERE recruiter_id IS NOT NULL
"""

EXCHANGE_RATES = """
INSERT INTO cases_exchangerate (date, currency, rate, source, updated_at)
SELECT m.month, o.currency, r.rate, 'Benchmark data', now()
FROM bench_office o
JOIN bench_rate r ON r.currency = o.currency
JOIN (SELECT DISTINCT month FROM bench_rate) AS m ON m.month = r.month
ON CONFLICT (currency, date) DO NOTHING
"""

# Every entry in the case's office currency (one in ten in US dollars), at the month's rate.
LEDGER = """
INSERT INTO cases_ledgerentry (kind, amount_minor, currency, entry_date, source, note, reporting_currency,
    reporting_amount_minor, exchange_rate, rate_date, reason, created_at, actor_id, case_id, claimant_id,
    respondent_id, reverses_id)
SELECT e.kind, e.amount_minor, e.currency, e.entry_date, e.source, '', %(reporting)s,
       round(e.amount_minor * e.rate * power(10, 2 - e.exponent))::bigint, e.rate,
       CASE WHEN e.currency <> %(reporting)s THEN e.month END, '', e.entry_date + interval '17 hours',
       e.actor_id, e.case_id, e.claimant_id, e.respondent_id, NULL
FROM (
    SELECT m.kind, m.entry_date, m.respondent_id, p.id AS case_id, p.claimant_id,
           COALESCE(p.assigned_to_id, p.opened_by_id) AS actor_id,
           CASE WHEN p.r_close < 0.1 THEN %(reporting)s ELSE p.currency END AS currency,
           CASE WHEN p.r_close < 0.1 THEN 1 ELSE r.rate END AS rate,
           CASE WHEN p.r_close < 0.1 THEN 2 ELSE o.exponent END AS exponent,
           date_trunc('month', m.entry_date)::date AS month,
           GREATEST(1, round(m.usd_cents / (CASE WHEN p.r_close < 0.1 THEN 1 ELSE r.rate END)
                             * power(10, (CASE WHEN p.r_close < 0.1 THEN 2 ELSE o.exponent END) - 2)))::bigint
               AS amount_minor,
           CASE WHEN m.kind = 'claimed' THEN 'negotiation'
                ELSE (ARRAY['negotiation', 'labour_inspectorate', 'labour_court', 'mediation'])[
                     1 + floor(p.r_share * 4)::int] END AS source
    FROM bench_plan p
    JOIN bench_office o ON o.country = p.country
    CROSS JOIN LATERAL (VALUES
        ('claimed', p.claimed_usd, 0.02,
         p.stage <> 'intake' OR p.r_misc < 0.3, NULL::bigint),
        (CASE WHEN p.r_share < 0.3 THEN 'settled' ELSE 'awarded' END,
         floor(p.claimed_usd * p.award_share), 0.45,
         p.outcome IN ('recovered_full', 'recovered_part') OR (p.outcome = 'nothing' AND p.r_misc < 0.5)
             OR (p.stage = 'redress' AND p.r_misc < 0.45), p.employer_id),
        ('paid_by_respondent',
         floor(p.claimed_usd * p.award_share * CASE WHEN p.outcome = 'recovered_full' THEN 1 ELSE 0.6 END), 0.7,
         p.outcome IN ('recovered_full', 'recovered_part') OR (p.stage = 'redress' AND p.r_misc < 0.25),
         p.employer_id),
        ('disbursed',
         floor(p.claimed_usd * p.award_share * CASE WHEN p.outcome = 'recovered_full' THEN 1 ELSE 0.55 END), 0.85,
         p.outcome IN ('recovered_full', 'recovered_part') OR (p.stage = 'redress' AND p.r_misc < 0.2), NULL)
    ) AS k(kind, usd_cents, at, wanted, respondent_id)
    CROSS JOIN LATERAL (
        SELECT k.kind, k.usd_cents, k.respondent_id,
               LEAST(current_date, (p.opened_at + p.span * k.at * interval '1 day')::date) AS entry_date
    ) AS m
    JOIN bench_rate r ON r.currency = p.currency AND r.month = date_trunc('month', m.entry_date)::date
    WHERE k.wanted
) AS e
"""

# A mistake in about one case in a hundred with money: a duplicate entry, then the entry that reverses it.
MISTAKES = """
INSERT INTO cases_ledgerentry (kind, amount_minor, currency, entry_date, source, note, reporting_currency,
    reporting_amount_minor, exchange_rate, rate_date, reason, created_at, actor_id, case_id, claimant_id,
    respondent_id, reverses_id)
SELECT kind, amount_minor, currency, entry_date, source, 'Entered twice by mistake.', reporting_currency,
       reporting_amount_minor, exchange_rate, rate_date, '', created_at + interval '5 minutes', actor_id, case_id,
       claimant_id, respondent_id, NULL
FROM cases_ledgerentry WHERE id > %(ledger_base)s AND random() < 0.01
"""

REVERSALS = """
INSERT INTO cases_ledgerentry (kind, amount_minor, currency, entry_date, source, note, reporting_currency,
    reporting_amount_minor, exchange_rate, rate_date, reason, created_at, actor_id, case_id, claimant_id,
    respondent_id, reverses_id)
SELECT kind, amount_minor, currency, entry_date, source, '', reporting_currency, reporting_amount_minor,
       exchange_rate, rate_date, 'Entered twice.', created_at + interval '1 day', actor_id, case_id, claimant_id,
       respondent_id, id
FROM cases_ledgerentry WHERE id > %(ledger_base)s AND note = 'Entered twice by mistake.'
"""

# A computed limitation deadline for every case whose work ended; follow-ups and hearings entered by hand for open
# cases (some of them overdue); tasks for the assigned paralegal on a third of the assigned open cases.
DEADLINES = """
INSERT INTO cases_deadline (kind, due_at, timezone, computed_from, rule_key, status, note, title, status_reason,
    created_at, updated_at, case_id, entered_by_id, assignee_id, office_id)
SELECT 'limitation', (c.work_ended_on + interval '2 years' + interval '23 hours 59 minutes') AT TIME ZONE p.tz,
       p.tz, jsonb_build_object('rule', NULL, 'trigger', 'end_of_contract',
                                'trigger_date', c.work_ended_on::text, 'source', 'Benchmark data'),
       '', CASE WHEN p.stage = 'closed' THEN 'cancelled' ELSE 'open' END, '', '', '', p.opened_at, p.opened_at, p.id,
       NULL::bigint, p.assigned_to_id, p.office_id
FROM bench_plan p JOIN cases_case c ON c.id = p.id WHERE c.work_ended_on IS NOT NULL
UNION ALL
SELECT 'follow_up', date_trunc('hour', now() + (p.r_share * 50 - 20) * interval '1 day'), p.tz, NULL, '',
       'open', '', '', '', p.opened_at, p.opened_at, p.id, COALESCE(p.assigned_to_id, p.opened_by_id), p.assigned_to_id,
       p.office_id
FROM bench_plan p WHERE p.stage <> 'closed' AND p.r_close < 0.5
UNION ALL
SELECT 'hearing', date_trunc('hour', now() + (5 + p.r_misc * 85) * interval '1 day'), p.tz, NULL, '',
       'open', '', '', '', p.opened_at, p.opened_at, p.id, COALESCE(p.assigned_to_id, p.opened_by_id), p.assigned_to_id,
       p.office_id
FROM bench_plan p WHERE p.stage = 'redress' AND p.r_share < 0.4
UNION ALL
SELECT 'task', date_trunc('hour', now() + (p.r_close * 40 - 10) * interval '1 day'), p.tz, NULL, '',
       'open', '', 'Collect the payslips', '', p.opened_at, p.opened_at, p.id, p.assigned_to_id, p.assigned_to_id,
       p.office_id
FROM bench_plan p WHERE p.stage <> 'closed' AND p.assigned_to_id IS NOT NULL AND p.r_misc < 0.3
"""
