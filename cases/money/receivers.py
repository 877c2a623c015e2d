"""The money package hears the case core (``cases.core.signals``); connected in ``CasesConfig.ready``."""

from django.utils.translation import gettext as _

from cases.core.errors import GuardFailed
from cases.core.signals import case_closing
from cases.core.stages import RECOVERY_OUTCOMES
from cases.money.models import LedgerEntry


def refuse_recovered_without_disbursement(sender, *, case, outcome, **kwargs) -> None:
    """A "recovered" outcome needs a recorded disbursement to the worker: money awarded, or paid to the office, is
    not yet recovered for the worker."""
    if outcome in RECOVERY_OUTCOMES and not LedgerEntry.objects.disbursements_to_worker(case).exists():
        raise GuardFailed(
            _("Record the money handed to the worker (a disbursement) before closing the case as recovered."),
            current_stage=case.stage,
        )


def connect() -> None:
    case_closing.connect(refuse_recovered_without_disbursement, dispatch_uid="cases.money.recovered_needs_disbursement")
