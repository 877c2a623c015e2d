"""A small data set made through the real services, with figures worked out by hand (see ``test_hand_computed``).

Office A (Kuala Lumpur): cases 1-3 and 5; office B (Bishkek): case 4. The clock is moved to each case's dates.

1. MY, construction, KG woman. Opened 2026-01-10. Claimed 1,000.00 USD; awarded 50,000 THB (rate 0.03 →
   1,500.00 USD) on 01-20; paid 600.00 USD by the employer on 02-10; disbursed 500.00 USD on 02-20.
   Closed "recovered in part" on 2026-03-05 (54 days; first disbursement after 41 days).
2. MY, construction, KG man. Opened 2026-01-15. Claimed 80,000 THB (2,400.00 USD) on 01-15; awarded 999.00 USD by
   mistake, reversed, then awarded 300.00 USD, all on 02-01. No disbursement. Still open (redress).
3. TH, domestic, NP woman. Opened 2026-02-03. Claimed 700.00 USD on 02-03; disbursed 100.00 USD on 03-13 (38
   days), the same day 100.00 USD more which was then reversed. Closed "recovered in full" 2026-04-02 (58 days).
4. Office B: KG, agriculture, KG man. Opened 2026-02-20, closed "nothing" 2026-02-25 (5 days).
5. MY, construction, the same worker as case 1, opened 2026-03-20: not a new worker. Intake.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache

from cases.core.services.cases import case_close
from cases.core.stages import Outcome, Stage
from cases.models import EntryKind, ExchangeRate, Route, Sector
from cases.money.services.ledger import ledger_record, ledger_reverse
from claimants.models import Gender
from tests.factories import ClaimantFactory, RespondentFactory


def _at(day: str):
    return time_machine.travel(f"{day} 09:00Z", tick=False)


def record_money(actor, case, kind, amount: str, currency: str, day: str, respondent=None):
    """A ledger entry through the service, negotiated, on ``day`` (ISO)."""
    return ledger_record(
        actor=actor,
        case_id=case.pk,
        kind=kind,
        amount=Decimal(amount),
        currency=currency,
        entry_date=date.fromisoformat(day),
        source=Route.NEGOTIATION,
        respondent=respondent,
        confirm_over_award=True,
    )


@pytest.fixture
def dataset(make_case, office_a, office_b, administrator):
    ExchangeRate.objects.create(date=date(2026, 1, 1), currency="THB", rate=Decimal("0.03"))
    employer = RespondentFactory(name="Sunrise Builders Sdn Bhd")
    renamed = RespondentFactory(name="Sunrise Construction", successor_of=employer)
    agency = RespondentFactory(name="Bright Future Agency", country="NP")
    worker_1 = ClaimantFactory(nationality="KG", gender=Gender.WOMAN)

    def money(case, kind, amount, currency, day, respondent=None):
        return record_money(administrator, case, kind, amount, currency, day, respondent)

    with _at("2026-01-10"):
        case_1 = make_case(Stage.REDRESS, claimant=worker_1, respondents=[(employer, "employer")])
    money(case_1, EntryKind.CLAIMED, "1000.00", "USD", "2026-01-10")
    money(case_1, EntryKind.AWARDED, "50000.00", "THB", "2026-01-20", employer)
    money(case_1, EntryKind.PAID, "600.00", "USD", "2026-02-10", employer)
    money(case_1, EntryKind.DISBURSED, "500.00", "USD", "2026-02-20")
    with _at("2026-03-05"):
        case_close(actor=administrator, case_id=case_1.pk, outcome=Outcome.RECOVERED_PART, reason="Part paid.")

    with _at("2026-01-15"):
        case_2 = make_case(
            Stage.REDRESS,
            claimant=ClaimantFactory(nationality="KG", gender=Gender.MAN),
            respondents=[(renamed, "employer")],
        )
    money(case_2, EntryKind.CLAIMED, "80000.00", "THB", "2026-01-15")
    wrong = money(case_2, EntryKind.AWARDED, "999.00", "USD", "2026-02-01", renamed)
    ledger_reverse(actor=administrator, case_id=case_2.pk, entry_id=wrong.pk, reason="Typo.")
    money(case_2, EntryKind.AWARDED, "300.00", "USD", "2026-02-01", renamed)

    with _at("2026-02-03"):
        case_3 = make_case(
            Stage.REDRESS,
            claimant=ClaimantFactory(nationality="NP", gender=Gender.WOMAN),
            respondents=[(agency, "agency")],
            country_of_work="TH",
            sector=Sector.DOMESTIC,
        )
    money(case_3, EntryKind.CLAIMED, "700.00", "USD", "2026-02-03")
    money(case_3, EntryKind.DISBURSED, "100.00", "USD", "2026-03-13")
    extra = money(case_3, EntryKind.DISBURSED, "100.00", "USD", "2026-03-13")
    ledger_reverse(actor=administrator, case_id=case_3.pk, entry_id=extra.pk, reason="Counted twice.")
    with _at("2026-04-02"):
        case_close(actor=administrator, case_id=case_3.pk, outcome=Outcome.RECOVERED_FULL, reason="Paid.")

    with _at("2026-02-20"):
        case_4 = make_case(
            Stage.INTAKE,
            office=office_b,
            claimant=ClaimantFactory(nationality="KG", gender=Gender.MAN),
            country_of_work="KG",
            sector=Sector.AGRICULTURE,
        )
    with _at("2026-02-25"):
        case_close(actor=administrator, case_id=case_4.pk, outcome=Outcome.NOTHING, reason="Unreachable.")

    with _at("2026-03-20"):
        case_5 = make_case(Stage.INTAKE, claimant=worker_1, respondents=[(employer, "employer")])
    return {
        "cases": [case_1, case_2, case_3, case_4, case_5],
        "employer": employer,
        "renamed": renamed,
        "agency": agency,
    }


@pytest.fixture
def cached(settings):
    """The dashboard's cache on (the test settings turn it off), empty before and after."""
    settings.STATISTICS_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()
