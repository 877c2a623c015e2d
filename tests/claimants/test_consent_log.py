"""The consent log is append-only and the latest record for a purpose decides."""

from claimants.models import ConsentPurpose, ConsentRecord
from tests.factories import ClaimantFactory, ConsentFactory


def test_no_record_means_no_consent(db):
    assert not ClaimantFactory().has_consent(ConsentPurpose.DATA_PROCESSING)


def test_the_latest_record_for_a_purpose_wins(coordinator_a):
    claimant = ClaimantFactory()

    ConsentFactory(claimant=claimant, actor=coordinator_a)
    assert claimant.has_consent(ConsentPurpose.DATA_PROCESSING)

    ConsentFactory(claimant=claimant, actor=coordinator_a, given=False)
    assert not claimant.has_consent(ConsentPurpose.DATA_PROCESSING)
    # A withdrawal adds a record; the earlier one is kept.
    assert list(ConsentRecord.objects.filter(claimant=claimant).values_list("given", flat=True)) == [False, True]


def test_purposes_are_independent(coordinator_a):
    claimant = ClaimantFactory()

    ConsentFactory(claimant=claimant, actor=coordinator_a, purpose=ConsentPurpose.CONTACT)

    assert claimant.has_consent(ConsentPurpose.CONTACT)
    assert not claimant.has_consent(ConsentPurpose.DATA_PROCESSING)


def test_the_record_keeps_who_recorded_it(coordinator_a):
    record = ConsentFactory(actor=coordinator_a, note="Explained in Kyrgyz.")

    assert (record.recorded_by, record.note, record.given) == (coordinator_a, "Explained in Kyrgyz.", True)
