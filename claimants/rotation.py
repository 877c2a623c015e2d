"""Moving encrypted fields to the newest key, and recomputing blind indexes, in resumable batches.

Every model field that is an ``EncryptedTextField`` is found through the app registry (identity document numbers,
contact values, home-country addresses, alternate contacts, phone change requests, and whatever is added later). A
row is stale when one of its encrypted columns is not empty and does not start with ``"<newest key id>$"``: that is
decided in SQL on the raw column, so rows already on the newest key are never read or decrypted. Stale rows are
taken in primary-key order, a batch at a time, each batch locked (``SELECT ... FOR UPDATE``), decrypted and written
back under the newest key in its own transaction. Stopping the command loses at most the batch in flight; running it
again finds only the rows still stale.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Cast, Left, StrIndex

from .fields import SEPARATOR, EncryptedTextField, blind_index, newest_key_id
from .models import Claimant, ContactChannel

NO_KEY_ID = "(no key id)"


def encrypted_fields() -> dict[type[models.Model], list[EncryptedTextField]]:
    """Every concrete model with encrypted fields, and those fields."""
    found = {}
    for model in apps.get_models():
        fields = [field for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
        if fields and not model._meta.proxy:
            found[model] = fields
    return found


def _raw(field: EncryptedTextField) -> Cast:
    # The column as plain text: an expression whose output field does not decrypt, so SQL can compare it.
    return Cast(F(field.name), output_field=models.TextField())


def stale_rows(model: type[models.Model], fields: list[EncryptedTextField]) -> models.QuerySet:
    """Rows with at least one encrypted value not written with the newest key (the test runs in SQL)."""
    prefix = newest_key_id() + SEPARATOR
    annotations, stale = {}, Q()
    for field in fields:
        annotations[f"_raw_{field.name}"] = _raw(field)
        annotations[f"_prefix_{field.name}"] = Left(_raw(field), len(prefix))
        # Left(...) = prefix rather than LIKE 'prefix%': SQLite's LIKE ignores case, key ids do not.
        stale |= Q(**{f"_raw_{field.name}__gt": ""}) & ~Q(**{f"_prefix_{field.name}": prefix})
    return model._base_manager.annotate(**annotations).filter(stale)


def _write(model: type[models.Model], fields: list[models.Field], rows: list[models.Model]) -> None:
    """UPDATE ``fields`` of ``rows`` in one statement (``bulk_update``'s CASE expressions cost ten times more in
    Python than the encryption itself; one UPDATE per row costs a round trip each)."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = [quote(field.column) for field in fields]
    params = [
        [row.pk, *(field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields)] for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            placeholders = ", ".join(["(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"] * len(rows))
            cursor.execute(
                f"UPDATE {table} SET {', '.join(f'{column} = v.{column}' for column in columns)} "  # noqa: S608 (names from _meta) # nosec B608
                f"FROM (VALUES {placeholders}) AS v(pk, {', '.join(columns)}) WHERE {table}.{pk} = v.pk",
                [value for row in params for value in row],
            )
        else:
            assignments = ", ".join(f"{column} = %s" for column in columns)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608 (names from _meta) # nosec B608
                [[*values, row_pk] for row_pk, *values in params],
            )


def reencrypt_batch(model: type[models.Model], fields: list[EncryptedTextField], rows: list[models.Model]) -> None:
    """Write the (decrypted) values of ``rows`` back: preparing them for the database encrypts with the newest key."""
    _write(model, fields, rows)


@dataclass
class Progress:
    model: type[models.Model]
    done: int
    total: int


def _in_batches(
    model: type[models.Model],
    queryset: models.QuerySet,
    *,
    batch_size: int,
    only: list[str],
    write: Callable[[list[models.Model]], None],
    report: Callable[[Progress], None],
) -> int:
    """Lock ``queryset``'s rows in pk order, ``batch_size`` at a time, and ``write`` each batch in its own
    transaction; returns how many rows were written.

    Keyset pagination (pk > the last one done) means rows leaving the queryset never shift the next batch. An error
    or a stop rolls back the batch in flight only.
    """
    total, done, last_pk = queryset.count(), 0, None
    while True:
        with transaction.atomic():
            batch = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
            rows = list(batch.select_for_update().only("pk", *only).order_by("pk")[:batch_size])
            if not rows:
                return done
            write(rows)
        last_pk, done = rows[-1].pk, done + len(rows)
        report(Progress(model, done, total))


def rotate(*, batch_size: int, report: Callable[[Progress], None] = lambda progress: None) -> int:
    """Re-encrypt every stale row of every model with the newest key; returns how many rows were rewritten."""
    rewritten = 0
    for model, fields in encrypted_fields().items():
        rewritten += _in_batches(
            model,
            stale_rows(model, fields),
            batch_size=batch_size,
            only=[field.name for field in fields],
            write=lambda rows, model=model, fields=fields: reencrypt_batch(model, fields, rows),
            report=report,
        )
    return rewritten


def pending() -> dict[type[models.Model], int]:
    """How many rows of each model ``rotate`` would rewrite."""
    return {model: stale_rows(model, fields).count() for model, fields in encrypted_fields().items()}


def key_ids_in_use() -> list[tuple[str, str, str, int]]:
    """(model label, field, key id, rows) for every encrypted field: which keys the stored values need."""
    found = []
    for model, fields in encrypted_fields().items():
        for field in fields:
            raw = _raw(field)
            position = StrIndex(raw, Value(SEPARATOR))
            key_id = models.Case(
                models.When(Q(_position__gt=1), then=Left(raw, F("_position") - 1)),
                default=Value(NO_KEY_ID),
                output_field=models.TextField(),
            )
            rows = (
                model._base_manager.annotate(_raw=raw, _position=position, _key_id=key_id)
                .filter(_raw__gt="")
                .values("_key_id")
                .annotate(rows=Count("pk"))
                .order_by("_key_id")
            )
            found += [(model._meta.label, field.name, row["_key_id"], row["rows"]) for row in rows]
    return found


def reindex(*, batch_size: int, report: Callable[[Progress], None] = lambda progress: None) -> int:
    """Recompute every blind index with the current ``BLIND_INDEX_KEY`` (after changing it); returns rows written.

    Idempotent: a stopped run can be started again from the beginning.
    """

    def digest(claimant: Claimant) -> str:
        return blind_index(claimant.id_document_number) if claimant.id_document_number else ""

    def lookup(channel: ContactChannel) -> str:
        return ContactChannel.lookup_for(channel.kind, channel.value)

    written = 0
    steps = [
        # A digest is set exactly when there is a number: rows without one have nothing to recompute.
        (
            Claimant,
            Claimant.objects.exclude(id_document_digest=""),
            ["id_document_number"],
            "id_document_digest",
            digest,
        ),
        (ContactChannel, ContactChannel.objects.all(), ["kind", "value"], "lookup_value", lookup),
    ]

    for model, queryset, only, index, compute in steps:

        def write(rows, model=model, index=index, compute=compute):
            for row in rows:
                setattr(row, index, compute(row))
            _write(model, [model._meta.get_field(index)], rows)

        written += _in_batches(model, queryset, batch_size=batch_size, only=[*only, index], write=write, report=report)
    return written
