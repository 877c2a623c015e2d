"""Migration 0004 encrypts the contact values, addresses and alternate contacts already stored in clear, recomputes
the channels' lookup values as blind indexes, changes nothing when run again, and decrypts when reversed."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from claimants.fields import decrypt, looks_encrypted
from claimants.models import ChannelKind, Claimant, ContactChannel

BEFORE = ("claimants", "0003_name_prefix_index")
AFTER = ("claimants", "0004_encrypt_contact_values")
migration = import_module("claimants.migrations.0004_encrypt_contact_values")


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def migrate_to_latest() -> None:
    """Every app's latest migration: going back to BEFORE also unapplied the migrations that depend on it (other apps'
    too), which the tests after this one need."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def clear_rows(transactional_db):
    """A worker and two channels written in clear, as before the migration."""
    migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO claimants_claimant (id, full_name, preferred_language, gender, nationality, "
            "home_country_address, alternate_contact_name, alternate_contact_relationship, alternate_contact_phone, "
            "id_document_type, id_document_number, id_document_digest, created_at, updated_at) "
            "VALUES (901, 'Aibek T', 'ky', '', 'KG', 'House 12, Osh', 'Cholpon', 'sister', '+996 555 987 654', "
            "'', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
        for pk, kind, value, lookup in [
            (911, "phone", "+60 12-345 6789", "60123456789"),
            (912, "email", "Aibek.T@Example.org", "aibek.t@example.org"),
        ]:
            cursor.execute(
                "INSERT INTO claimants_contactchannel (id, claimant_id, kind, value, lookup_value, consent, "
                "safe_to_contact, in_home_country, created_at) VALUES (%s, 901, %s, %s, %s, true, true, false, "
                "CURRENT_TIMESTAMP)",
                [pk, kind, value, lookup],
            )
    yield
    migrate_to_latest()


def stored() -> list[tuple]:
    return rows(
        "SELECT home_country_address, alternate_contact_name, alternate_contact_relationship, alternate_contact_phone "
        "FROM claimants_claimant WHERE id = 901"
    ) + rows("SELECT value, lookup_value FROM claimants_contactchannel ORDER BY id")


def test_the_migration_encrypts_clear_rows_and_turns_lookup_values_into_blind_indexes(clear_rows):
    migrate(AFTER)

    (address, name, relationship, phone), (phone_value, phone_lookup), (email_value, email_lookup) = stored()
    for value in (address, name, relationship, phone, phone_value, email_value):
        assert looks_encrypted(value) and "$" in value
    assert [decrypt(v) for v in (address, name, relationship, phone)] == ["House 12, Osh", "Cholpon", "sister",
                                                                          "+996 555 987 654"]  # fmt: skip
    assert phone_lookup == ContactChannel.lookup_for(ChannelKind.PHONE, "+60 12 345 6789")
    assert email_lookup == ContactChannel.lookup_for(ChannelKind.EMAIL, "aibek.t@example.org")
    # Only this column: later migrations (retention's anonymised_at) are not applied at this point.
    claimant = Claimant.objects.only("home_country_address").get(pk=901)
    assert claimant.home_country_address == "House 12, Osh"
    assert sorted(claimant.channels.values_list("value", flat=True)) == ["+60 12-345 6789", "Aibek.T@Example.org"]


def test_running_the_data_step_again_changes_nothing(clear_rows):
    migrate(AFTER)
    first = stored()

    with connection.schema_editor() as editor:
        migration.encrypt_clear_rows(None, editor)

    assert stored() == first


def test_reversing_the_migration_puts_the_clear_values_back(clear_rows):
    migrate(AFTER)

    migrate(BEFORE)

    assert stored() == [
        ("House 12, Osh", "Cholpon", "sister", "+996 555 987 654"),
        ("+60 12-345 6789", "60123456789"),
        ("Aibek.T@Example.org", "aibek.t@example.org"),
    ]
