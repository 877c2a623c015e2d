# Statistics at a million cases (issue 8): indexes for the summary tables and the refresh.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_statistics")]

    operations = [
        migrations.CreateModel(
            name="StatDurationBand",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("country_of_work", models.CharField(max_length=2)),
                ("sector", models.CharField(max_length=20)),
                ("measure", models.CharField(max_length=12)),
                ("month", models.DateField()),
                ("band", models.IntegerField()),
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
                "indexes": [
                    models.Index(
                        fields=["measure", "country_of_work", "sector", "month"],
                        include=("office_id", "band", "cases"),
                        name="statband_measure_month",
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="statduration",
            index=models.Index(
                fields=["measure", "days", "month"],
                include=("office_id", "country_of_work", "sector", "cases"),
                name="statduration_measure_days",
            ),
        ),
        migrations.AddIndex(
            model_name="statrespondent",
            index=models.Index(
                fields=["country_of_work", "sector", "office_id"],
                include=("respondent_id", "open_claims", "unpaid"),
                name="statrespondent_filters",
            ),
        ),
    ]
