"""Writes about claimants."""

from django.db import transaction

from .models import Claimant, ConsentRecord


@transaction.atomic
def consent_record(
    *, actor, claimant: Claimant, purpose: str, given: bool = True, method: str, note: str = ""
) -> ConsentRecord:
    """Record that the worker gave (or withdrew) consent for ``purpose``."""
    return ConsentRecord.objects.create(
        claimant=claimant, purpose=purpose, given=given, method=method, recorded_by=actor, note=note
    )
