# Statistics PDF reports for funders (issue 8).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import documents.models.statistics_report


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_filings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StatisticsReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="requested")),
                ("parameters", models.JSONField(default=dict, verbose_name="filters")),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "Being prepared"), ("ready", "Ready"), ("failed", "Failed")],
                        default="pending",
                        editable=False,
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("error", models.TextField(blank=True, editable=False, verbose_name="what went wrong")),
                (
                    "storage_name",
                    models.CharField(
                        default=documents.models.statistics_report.new_report_name,
                        editable=False,
                        max_length=64,
                        unique=True,
                    ),
                ),
                ("sha256", models.CharField(blank=True, editable=False, max_length=64, verbose_name="SHA-256")),
                (
                    "pages",
                    models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name="pages"),
                ),
                ("ready_at", models.DateTimeField(blank=True, editable=False, null=True, verbose_name="ready")),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
            options={
                "verbose_name": "statistics report",
                "verbose_name_plural": "statistics reports",
                "indexes": [models.Index(fields=["requested_by", "-requested_at"], name="statreport_requester_latest")],
            },
        ),
    ]
