from django.db import migrations


class Migration(migrations.Migration):
    """Existing deadlines: the case's office, and (for deadlines, not tasks) the case's paralegal.

    A migration of its own: PostgreSQL refuses the index creation Django defers to the end of 0019 while this
    update's foreign-key checks are pending in the same transaction.
    """

    dependencies = [("cases", "0019_deadline_owner_and_office")]

    operations = [
    migrations.RunSQL(
        """
        UPDATE cases_deadline SET
            office_id = (SELECT c.office_id FROM cases_case c WHERE c.id = cases_deadline.case_id),
            assignee_id = CASE WHEN kind = 'task' THEN assignee_id
                ELSE (SELECT c.assigned_to_id FROM cases_case c WHERE c.id = cases_deadline.case_id) END
        """,
        migrations.RunSQL.noop,
    ),
    ]
