"""``rotate_encryption_keys`` moves every encrypted value to the newest key in batches, survives being stopped, and
never decrypts a row already on the newest key."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from cases.core.services.intake import find_claimant_matches
from cases.portal.models import PhoneChangeRequest
from cases.portal.services import phone_change_request
from claimants import fields, rotation
from claimants.models import ChannelKind, Claimant, ContactChannel
from tests.factories import ClaimantFactory

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
ENCRYPTED = [
    (Claimant, "home_country_address"),
    (Claimant, "alternate_contact_name"),
    (Claimant, "alternate_contact_relationship"),
    (Claimant, "alternate_contact_phone"),
    (Claimant, "id_document_number"),
    (ContactChannel, "value"),
    (PhoneChangeRequest, "new_phone"),
]


def raw_values(model, field_name: str) -> list[str]:
    table, column = model._meta.db_table, model._meta.get_field(field_name).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> '' ORDER BY id")  # noqa: S608 (names from _meta)
        return [row[0] for row in cursor.fetchall()]


def key_ids() -> set[str]:
    return {fields.key_id_of(value) for model, name in ENCRYPTED for value in raw_values(model, name)}


def rotate(**options) -> str:
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def old_rows(settings, make_case):
    """Five workers with every encrypted field filled, a phone change request, all under the old key; one worker's
    document number is a legacy token (no key id), as written before key ids existed."""
    settings.FIELD_ENCRYPTION_KEYS = [f"old:{OLD}"]
    case = make_case()
    workers = [case.claimant] + [ClaimantFactory() for _ in range(4)]
    for n, worker in enumerate(workers):
        worker.home_country_address = f"House {n}, Osh"
        worker.alternate_contact_name, worker.alternate_contact_relationship = f"Contact {n}", "sister"
        worker.alternate_contact_phone = f"+996 555 00{n}"
        worker.save()
        ContactChannel.objects.create(claimant=worker, kind=ChannelKind.PHONE, value=f"+60 12 345 00{n}")
    phone_change_request(case_id=case.pk, phone="+60 11 222 3333")
    legacy = Fernet(OLD.encode()).encrypt(b"LEGACY001").decode()
    Claimant.objects.filter(pk=workers[-1].pk).update(id_document_digest=fields.blind_index("LEGACY001"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claimants_claimant SET id_document_number = %s WHERE id = %s", [legacy, workers[-1].pk])
    clear = snapshot()
    settings.FIELD_ENCRYPTION_KEYS = [f"new:{NEW}", f"old:{OLD}"]
    return clear


def snapshot() -> dict:
    """Every encrypted value, decrypted through the ORM."""
    return {
        (model.__name__, name): list(model._base_manager.order_by("pk").values_list(name, flat=True))
        for model, name in ENCRYPTED
    }


def test_every_encrypted_field_is_found_through_the_app_registry():
    found = {
        (model, field.name) for model, model_fields in rotation.encrypted_fields().items() for field in model_fields
    }

    assert found == set(ENCRYPTED)


def test_rotation_moves_every_value_to_the_newest_key_and_they_still_decrypt(old_rows):
    assert key_ids() == {"old", None}

    output = rotate(batch_size=2)

    assert key_ids() == {"new"}
    assert snapshot() == old_rows
    # 5 workers, 5 channels, 1 phone change request; progress batch by batch, and the rate at the end.
    assert "11 rows re-encrypted with new" in output and "rows/s" in output
    assert "claimants.Claimant                    2 / 5" in output
    assert all(Fernet(NEW.encode()).decrypt(value.removeprefix("new$").encode()) for value in raw_values(*ENCRYPTED[0]))


def test_a_run_stopped_midway_keeps_the_batches_done_and_a_second_run_finishes(old_rows, monkeypatch):
    real, calls = rotation.reencrypt_batch, []

    def fails_on_the_second_batch(model, model_fields, rows):
        calls.append(len(rows))
        real(model, model_fields, rows)  # written, then undone with its transaction
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(rotation, "reencrypt_batch", fails_on_the_second_batch)
    with pytest.raises(Exception, match="Stopped: the batches done are kept"):
        rotate(batch_size=2)

    claimant_ids = [fields.key_id_of(value) for value in raw_values(Claimant, "home_country_address")]
    assert claimant_ids == ["new", "new", "old", "old", "old"]  # the first batch only
    assert snapshot() == old_rows

    monkeypatch.setattr(rotation, "reencrypt_batch", real)
    output = rotate(batch_size=2)

    assert "9 rows re-encrypted" in output  # the 3 workers left, 5 channels, 1 request
    assert key_ids() == {"new"}
    assert snapshot() == old_rows


def test_rows_already_on_the_newest_key_are_neither_read_nor_decrypted(old_rows, monkeypatch):
    rotate(batch_size=100)
    decrypted = []
    real = fields.decrypt
    monkeypatch.setattr(fields, "decrypt", lambda stored: decrypted.append(stored) or real(stored))

    output = rotate(batch_size=100)

    assert "0 rows re-encrypted" in output
    assert decrypted == []


def test_dry_run_counts_and_writes_nothing(old_rows):
    before = raw_values(ContactChannel, "value")

    output = rotate(dry_run=True)

    assert "claimants.Claimant" in output and "5 rows to re-encrypt with new" in output
    assert "cases.PhoneChangeRequest" in output and "1 rows to re-encrypt" in output
    assert raw_values(ContactChannel, "value") == before


def test_status_counts_the_values_on_each_key_id(old_rows):
    ContactChannel.objects.create(claimant=ClaimantFactory(), kind=ChannelKind.EMAIL, value="new@example.org")

    lines = rotate(status=True).splitlines()

    assert lines[0] == "Keys, newest first: new, old"
    assert any("claimants.ContactChannel.value" in line and " old " in line and line.endswith(" 5") for line in lines)
    assert any("claimants.ContactChannel.value" in line and " new " in line and line.endswith(" 1") for line in lines)
    assert any("id_document_number" in line and "(no key id)" in line for line in lines)


def test_reindex_recomputes_blind_indexes_after_the_blind_index_key_changes(old_rows, settings, paralegal_a):
    settings.BLIND_INDEX_KEY = "a new blind index secret"
    assert find_claimant_matches(actor=paralegal_a, phone="+60 12 345 000") == []

    output = rotate(reindex=True, batch_size=3)

    assert "blind indexes recomputed" in output
    [match] = find_claimant_matches(actor=paralegal_a, phone="+60 12 345 000")
    assert match.same_phone
    worker = Claimant.objects.exclude(id_document_digest="").order_by("-pk").first()
    assert worker.id_document_digest == fields.blind_index(worker.id_document_number)


def test_a_batch_size_below_one_is_refused(db):
    with pytest.raises(Exception, match="at least 1"):
        rotate(batch_size=0)
