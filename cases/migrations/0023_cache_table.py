from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Without Redis the cache is a database table (CACHES in config/settings.py) that seed_demo and the statistics
    # refresh write to; creating it here makes `migrate` alone enough. createcachetable is idempotent and does
    # nothing for a cache that is not a database one.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    """The database cache's table, so that `manage.py migrate` alone makes a working site."""

    dependencies = [("cases", "0022_closed_cases_deadlines_cancelled")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
