from django.db import migrations

# Staff search workers by the start of their name (``full_name__istartswith``), which PostgreSQL
# runs as ``UPPER(full_name::text) LIKE 'ABC%'``. Only an index on that exact expression with a
# pattern operator class serves it, whatever the database's collation. SQLite has no equivalent.
INDEX = "claimant_full_name_upper_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON claimants_claimant (UPPER(full_name::text) text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("claimants", "0002_initial")]
    operations = [migrations.RunPython(create, drop)]
