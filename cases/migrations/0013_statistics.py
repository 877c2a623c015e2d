# Recovery statistics (issue 8): the summary table refreshed by Celery.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_portal")]

    operations = []
