# Worker status check (issue 7): event kinds for PIN re-issue, lockouts and "my phone changed".
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_deadlines")]

    operations = []
