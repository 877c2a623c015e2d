# Worker status check (issue 7): event kinds for PIN re-issue, lockouts and "my phone changed"; the amounts flag;
# the limiter's database counters; phone number change requests.
import claimants.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_deadlines"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RateCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=80, unique=True)),
                ('count', models.PositiveIntegerField(default=0)),
                ('window_ends_at', models.DateTimeField(db_index=True)),
            ],
            options={
                'verbose_name': 'rate counter',
                'verbose_name_plural': 'rate counters',
            },
        ),
        migrations.AddField(
            model_name='case',
            name='portal_show_amounts',
            field=models.BooleanField(default=False, help_text='Amounts paid by the respondent and paid out to the worker, on the status check.', verbose_name="show amounts on the worker's status page"),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='kind',
            field=models.CharField(choices=[('opened', 'Case opened'), ('stage_changed', 'Stage changed'), ('assigned', 'Assigned'), ('note', 'Note'), ('closed', 'Closed'), ('reopened', 'Reopened'), ('details_changed', 'Details changed'), ('calculation_changed', 'Calculation inputs changed'), ('calculated', 'Wages calculated'), ('ledger_entry', 'Money recorded'), ('ledger_reversed', 'Money entry corrected'), ('instalment_plan', 'Instalment plan agreed'), ('evidence_added', 'Evidence added'), ('evidence_downloaded', 'Evidence viewed or downloaded'), ('evidence_removed', 'Evidence removed'), ('document_requested', 'Document requested'), ('document_ready', 'Document ready'), ('document_failed', 'Document failed'), ('document_downloaded', 'Document downloaded'), ('deadline_added', 'Deadline added'), ('deadline_changed', 'Deadline changed'), ('pin_reissued', 'New status-check PIN issued'), ('portal_locked', 'Status check locked after too many tries'), ('portal_unlocked', 'Status check unlocked'), ('phone_change_requested', 'Worker reported a new phone number'), ('phone_change_handled', 'New phone number checked')], max_length=30, verbose_name='event'),
        ),
        migrations.CreateModel(
            name='PhoneChangeRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('new_phone', claimants.fields.EncryptedTextField(verbose_name='new phone number')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='received')),
                ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='handled')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='phone_requests', to='cases.case', verbose_name='case')),
                ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
            ],
            options={
                'verbose_name': 'phone number change request',
                'verbose_name_plural': 'phone number change requests',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['case', 'handled_at'], name='phonerequest_case_handled')],
            },
        ),
    ]
