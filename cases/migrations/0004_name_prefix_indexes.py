from django.db import migrations

# Case-list and intake searches match respondents by the start of a name or alias
# (``__istartswith``), i.e. ``UPPER(col::text) LIKE 'ABC%'`` on PostgreSQL; these expression
# indexes with a pattern operator class serve it. SQLite has no equivalent.
INDEXES = {
    "respondent_name_upper_prefix": ("cases_respondent", "name"),
    "alias_name_upper_prefix": ("cases_respondentalias", "name"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, column) in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} (UPPER({column}::text) text_pattern_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_pin_and_intake_token")]
    operations = [migrations.RunPython(create, drop)]
