"""seed_demo tells a money story through the ledger services: every case closed as recovered has a disbursement."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.core.stages import RECOVERY_OUTCOMES, Stage
from cases.models import Case, EntryKind, ExchangeRate, Instalment, LedgerEntry
from cases.money.services.ledger import ledger_totals

pytestmark = pytest.mark.django_db


def test_demo_cases_in_redress_or_closed_carry_ledger_entries_and_recovered_ones_a_disbursement(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path  # seed_demo writes demo-logins.txt there, not in the real var/
    call_command("seed_demo", stdout=StringIO())

    recovered = Case.objects.filter(stage=Stage.CLOSED, outcome__in=RECOVERY_OUTCOMES)
    assert recovered.exists()
    for case in recovered:
        assert LedgerEntry.objects.disbursements_to_worker(case).exists(), case
        totals = ledger_totals(case)
        assert totals.reporting.disbursed > 0 and totals.reporting.recovery_vs_awarded is not None
    assert not LedgerEntry.objects.filter(case__stage__in=[Stage.INTAKE, Stage.EVIDENCE]).exists()
    assert set(LedgerEntry.objects.values_list("kind", flat=True)) >= {
        EntryKind.CLAIMED,
        EntryKind.PAID,
        EntryKind.DISBURSED,
        EntryKind.WRITTEN_OFF,
    }
    assert ExchangeRate.objects.filter(source__startswith="Demo value").exists()
    assert Instalment.objects.missed(timezone.localdate()).exists()
