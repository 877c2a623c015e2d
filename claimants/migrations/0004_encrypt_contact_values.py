"""Contact values, the home-country address and the alternate contact become encrypted at rest.

The columns change type first (ciphertext is longer than the values they held), then every row still in clear is
encrypted and a contact channel's ``lookup_value`` becomes the blind index of its normalised value. Rows that already
hold ciphertext are left alone, so running the data step again changes nothing. Reversing decrypts them (with the
keys configured at the time) and puts the clear lookup values back.
"""

from django.db import migrations

import claimants.fields
from claimants.fields import decrypt, encrypt, keyed_digest, looks_encrypted

CLAIMANT_COLUMNS = ["home_country_address", "alternate_contact_name", "alternate_contact_relationship",
                    "alternate_contact_phone"]  # fmt: skip
BATCH = 2000


def normalise(kind: str, value: str) -> str:
    # ContactChannel.normalise as of this migration (frozen here: a later change must not change what it does).
    if kind == "email":
        return value.strip().lower()
    return "".join(ch for ch in value if ch.isdigit())


def _rows(cursor, table: str, columns: list[str]):
    """Every row of ``table`` (id first), read in id order a batch at a time."""
    last = 0
    while True:
        cursor.execute(
            f"SELECT id, {', '.join(columns)} FROM {table} WHERE id > %s ORDER BY id LIMIT {BATCH}",  # noqa: S608 # nosec B608 (our own names)
            [last],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def encrypt_clear_rows(apps, schema_editor) -> None:
    """Encrypt what is still in clear; recompute the channels' blind indexes. Idempotent."""
    with schema_editor.connection.cursor() as cursor:
        assignments = ", ".join(f"{column} = %s" for column in CLAIMANT_COLUMNS)
        for rows in _rows(cursor, "claimants_claimant", CLAIMANT_COLUMNS):
            changed = []
            for pk, *values in rows:
                new = [value if not value or looks_encrypted(value) else encrypt(value) for value in values]
                if new != values:
                    changed.append([*new, pk])
            if changed:
                cursor.executemany(f"UPDATE claimants_claimant SET {assignments} WHERE id = %s", changed)  # noqa: S608 # nosec B608
        for rows in _rows(cursor, "claimants_contactchannel", ["kind", "value"]):
            changed = []
            for pk, kind, value in rows:
                if value and not looks_encrypted(value):
                    normalised = normalise(kind, value)
                    changed.append([encrypt(value), keyed_digest("contact:" + normalised) if normalised else "", pk])
            if changed:
                cursor.executemany(
                    "UPDATE claimants_contactchannel SET value = %s, lookup_value = %s WHERE id = %s", changed
                )


def decrypt_rows(apps, schema_editor) -> None:
    """The reverse: clear values and clear lookup values again."""
    with schema_editor.connection.cursor() as cursor:
        assignments = ", ".join(f"{column} = %s" for column in CLAIMANT_COLUMNS)
        for rows in _rows(cursor, "claimants_claimant", CLAIMANT_COLUMNS):
            changed = []
            for pk, *values in rows:
                new = [decrypt(value) if value and looks_encrypted(value) else value for value in values]
                if new != values:
                    changed.append([*new, pk])
            if changed:
                cursor.executemany(f"UPDATE claimants_claimant SET {assignments} WHERE id = %s", changed)  # noqa: S608 # nosec B608
        for rows in _rows(cursor, "claimants_contactchannel", ["kind", "value"]):
            changed = []
            for pk, kind, value in rows:
                if value and looks_encrypted(value):
                    clear = decrypt(value)
                    changed.append([clear, normalise(kind, clear), pk])
            if changed:
                cursor.executemany(
                    "UPDATE claimants_contactchannel SET value = %s, lookup_value = %s WHERE id = %s", changed
                )


class Migration(migrations.Migration):

    dependencies = [
        ('claimants', '0003_name_prefix_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='claimant',
            name='alternate_contact_name',
            field=claimants.fields.EncryptedTextField(blank=True, max_length=200, verbose_name='alternate contact'),
        ),
        migrations.AlterField(
            model_name='claimant',
            name='alternate_contact_phone',
            field=claimants.fields.EncryptedTextField(blank=True, max_length=40, verbose_name='alternate contact phone'),
        ),
        migrations.AlterField(
            model_name='claimant',
            name='alternate_contact_relationship',
            field=claimants.fields.EncryptedTextField(blank=True, max_length=100, verbose_name='relationship'),
        ),
        migrations.AlterField(
            model_name='claimant',
            name='home_country_address',
            field=claimants.fields.EncryptedTextField(blank=True, help_text='Where the worker can be reached after going home.', verbose_name='home-country address'),
        ),
        migrations.AlterField(
            model_name='contactchannel',
            name='value',
            field=claimants.fields.EncryptedTextField(max_length=200, verbose_name='number or address'),
        ),
        migrations.RunPython(encrypt_clear_rows, decrypt_rows),
    ]
