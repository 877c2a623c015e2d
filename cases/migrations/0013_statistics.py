# Recovery statistics (issue 8): the summary tables rebuilt by the Celery refresh.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_portal"),
        ("paralegals", "0002_languages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StatRefresh",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("refreshed_at", models.DateTimeField(null=True)),
                ("duration_ms", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="StatParalegal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("country_of_work", models.CharField(max_length=2)),
                ("sector", models.CharField(max_length=20)),
                ("open_cases", models.IntegerField(default=0)),
                ("overdue", models.IntegerField(default=0)),
                (
                    "office",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="paralegals.office",
                    ),
                ),
                (
                    "paralegal",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="StatRespondent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("country_of_work", models.CharField(max_length=2)),
                ("sector", models.CharField(max_length=20)),
                ("open_claims", models.IntegerField(default=0)),
                ("unpaid", models.BigIntegerField(default=0)),
                (
                    "office",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="paralegals.office",
                    ),
                ),
                (
                    "respondent",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cases.respondent",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="StatDuration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("country_of_work", models.CharField(max_length=2)),
                ("sector", models.CharField(max_length=20)),
                ("measure", models.CharField(max_length=12)),
                ("month", models.DateField()),
                ("days", models.IntegerField()),
                ("cases", models.IntegerField()),
                (
                    "office",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="paralegals.office",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["measure", "month"], name="statduration_measure_month")],
            },
        ),
        migrations.CreateModel(
            name="StatFact",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("country_of_work", models.CharField(max_length=2)),
                ("sector", models.CharField(max_length=20)),
                ("month", models.DateField()),
                ("dim", models.CharField(max_length=10)),
                ("value", models.CharField(blank=True, max_length=20)),
                ("opened", models.IntegerField(default=0)),
                ("closed", models.IntegerField(default=0)),
                ("first_cases", models.IntegerField(default=0)),
                ("claimed", models.BigIntegerField(default=0)),
                ("awarded", models.BigIntegerField(default=0)),
                ("paid", models.BigIntegerField(default=0)),
                ("disbursed", models.BigIntegerField(default=0)),
                (
                    "office",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="paralegals.office",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["dim", "month"], name="statfact_dim_month")],
            },
        ),
    ]
