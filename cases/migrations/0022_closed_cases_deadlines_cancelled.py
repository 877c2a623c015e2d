from django.db import migrations


class Migration(migrations.Migration):
    """A closed case's deadlines and tasks are closed too (cases.deadlines cancels them when the case closes); the
    hand-entered ones of cases closed before that rule are cancelled here, with the same reason."""

    dependencies = [("cases", "0021_deadline_open_indexes")]

    operations = [
        migrations.RunSQL(
            """
            UPDATE cases_deadline SET status = 'cancelled', status_reason = 'The case was closed.'
            WHERE status IN ('open', 'missed')
              AND case_id IN (SELECT id FROM cases_case WHERE stage = 'closed')
            """,
            migrations.RunSQL.noop,
        ),
    ]
