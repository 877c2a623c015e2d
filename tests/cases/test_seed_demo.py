"""seed_demo: realistic demo data through the real services, loaded once however often make run calls it."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from cases.models import Case, CaseEvent, Respondent
from cases.stages import Stage
from claimants.models import Claimant
from paralegals.models import Office, User


def counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "claimants": Claimant.objects.count(),
        "respondents": Respondent.objects.count(),
        "users": User.objects.count(),
        "offices": Office.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_loads_cases_in_every_stage_and_a_second_run_adds_nothing(settings):
    settings.DEBUG = True
    first_output = StringIO()
    call_command("seed_demo", stdout=first_output)
    after_first = counts()
    # The demo lets paralegals take unassigned cases in every office; a demo database made before the setting (here:
    # one office switched off) gets it on the next run.
    assert set(Office.objects.values_list("paralegals_may_take_cases", flat=True)) == {True}
    Office.objects.filter(pk=Office.objects.order_by("pk").first().pk).update(paralegals_may_take_cases=False)

    second_output = StringIO()
    call_command("seed_demo", stdout=second_output)

    assert counts() == after_first
    assert set(Office.objects.values_list("paralegals_may_take_cases", flat=True)) == {True}
    assert after_first["cases"] == 200
    assert after_first["offices"] == 4
    stages = dict(Case.objects.values_list("stage").annotate(n=Count("pk")))
    assert set(stages) == set(Stage.values)
    assert Case.objects.values("claimant__preferred_language").distinct().count() >= 6
    assert Case.objects.values("country_of_work").distinct().count() == 4
    # Every case got its timeline from the services: an "opened" event at least, more as it moved.
    assert after_first["events"] > after_first["cases"]
    assert "already loaded" in second_output.getvalue()
    for output in (first_output, second_output):
        assert "para.bangkok1" in output.getvalue()
        assert "redress-demo-2026" in output.getvalue()
    # The demo prints one reference + PIN per office for the status check; the same ones on every run, and they work.
    printed = re.findall(r"([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])  PIN (\d{8})", first_output.getvalue())
    assert len(printed) == 4
    assert printed == re.findall(r"([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])  PIN (\d{8})", second_output.getvalue())
    client = Client()
    for reference, pin in printed:
        assert client.post("/status/", {"reference": reference, "pin": pin}).status_code == 302
        assert client.post("/status/claim/done/").status_code in (200, 302)


@pytest.mark.django_db
def test_seed_demo_refuses_to_create_public_logins_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == 0
