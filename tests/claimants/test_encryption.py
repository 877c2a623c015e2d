"""Identity document numbers are encrypted at rest and found through a keyed digest, never by their text."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from claimants.fields import blind_index, decrypt, derived_key_id
from claimants.models import Claimant
from tests.factories import ClaimantFactory

NUMBER = "AB1234567"


def raw_columns(claimant) -> tuple[str, str]:
    table = Claimant._meta.db_table
    number_column = Claimant._meta.get_field("id_document_number").column
    digest_column = Claimant._meta.get_field("id_document_digest").column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {number_column}, {digest_column} FROM {table} WHERE id = %s",  # noqa: S608 (names from _meta)
            [claimant.pk],
        )
        return cursor.fetchone()


def test_the_document_number_is_not_stored_in_clear_and_decrypts_back(db):
    claimant = ClaimantFactory(id_document_number=NUMBER)

    stored, _digest = raw_columns(claimant)

    assert NUMBER not in stored
    assert "1234567" not in stored
    assert decrypt(stored) == NUMBER
    assert Claimant.objects.get(pk=claimant.pk).id_document_number == NUMBER


def test_the_same_number_encrypts_differently_each_time(db):
    first, second = ClaimantFactory(id_document_number=NUMBER), ClaimantFactory(id_document_number=NUMBER)

    assert raw_columns(first)[0] != raw_columns(second)[0]


def test_the_digest_matches_the_same_number_written_differently(db):
    claimant = ClaimantFactory(id_document_number=NUMBER)

    _stored, digest = raw_columns(claimant)

    assert len(digest) == 64
    assert NUMBER not in digest
    assert digest == claimant.id_document_digest == blind_index("ab-123 4567") == blind_index(" Ab 1234567 ")
    assert digest != blind_index("AB1234568")
    assert Claimant.objects.filter(id_document_digest=blind_index("ab 123 4567")).get() == claimant


def test_saving_only_the_number_updates_the_digest_too(db):
    claimant = ClaimantFactory(id_document_number=NUMBER)

    claimant.id_document_number = "XY7654321"
    claimant.save(update_fields=["id_document_number"])

    assert raw_columns(claimant)[1] == blind_index("XY7654321")


def test_an_empty_number_stores_no_ciphertext_and_no_digest(db):
    claimant = ClaimantFactory(id_document_number="")

    assert raw_columns(claimant) == ("", "")
    assert Claimant.objects.get(pk=claimant.pk).id_document_number == ""


@pytest.mark.parametrize("lookup", ["exact", "iexact", "contains", "icontains", "startswith", "in"])
def test_lookups_on_the_encrypted_field_are_refused(db, lookup):
    value = [NUMBER] if lookup == "in" else NUMBER

    with pytest.raises(NotImplementedError, match=lookup):
        Claimant.objects.filter(**{f"id_document_number__{lookup}": value})


def test_isnull_is_the_one_lookup_allowed(db):
    ClaimantFactory(id_document_number=NUMBER)

    assert Claimant.objects.filter(id_document_number__isnull=False).count() == 1


def test_rows_encrypted_with_an_older_key_still_decrypt_after_rotation(db, settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    claimant = ClaimantFactory(id_document_number=NUMBER)
    digest_before = raw_columns(claimant)[1]

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    assert Claimant.objects.get(pk=claimant.pk).id_document_number == NUMBER
    # Without BLIND_INDEX_KEY, digests are keyed with the oldest key, so adding a newer one keeps lookups working.
    assert blind_index(NUMBER) == digest_before
    claimant.save()
    key_id, _, token = raw_columns(claimant)[0].partition("$")
    assert key_id == derived_key_id(new_key)
    assert Fernet(new_key.encode()).decrypt(token.encode()).decode() == NUMBER


def test_a_row_encrypted_with_an_unknown_key_fails_loudly(db, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    claimant = ClaimantFactory(id_document_number=NUMBER)

    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ValueError, match="FIELD_ENCRYPTION_KEYS"):
        Claimant.objects.get(pk=claimant.pk)
