"""seed_demo: realistic demo data through the real services, loaded once however often make run calls it."""

import base64
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client
from django_otp.oath import TOTP

from cases.core.references import normalise_reference
from cases.core.stages import Stage
from cases.management.commands.seed_demo import CASE_COUNT, DEMO_PASSWORD, DEMO_SEED, OFFICES, demo_references
from cases.models import Case, CaseEvent, Respondent
from claimants.models import Claimant
from config.devserver import final_block
from paralegals.models import Office, User

README = Path(__file__).resolve().parents[2] / "README.md"
REFERENCE_AND_PIN = r"([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])  PIN (\d{8})"


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
def test_seed_demo_loads_cases_in_every_stage_and_a_second_run_adds_nothing(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
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
    printed = re.findall(REFERENCE_AND_PIN, first_output.getvalue())
    assert len(printed) == 4
    assert printed == re.findall(REFERENCE_AND_PIN, second_output.getvalue())
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


def test_demo_references_are_the_same_for_the_same_seed_valid_and_distinct():
    first, second = demo_references(DEMO_SEED), demo_references(DEMO_SEED)
    references = [first() for _ in range(CASE_COUNT)]

    assert references == [second() for _ in range(CASE_COUNT)]
    assert len(set(references)) == CASE_COUNT
    assert all(normalise_reference(reference) == reference for reference in references)
    assert demo_references(DEMO_SEED + 1)() != references[0]


@pytest.mark.django_db
def test_the_demo_has_the_readme_example_reference_and_the_devserver_block_shows_how_to_try_it(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", verbosity=0, stdout=StringIO())

    # The demo's references come from the demo seed, so an empty database gets the same ones every time.
    expected = demo_references(DEMO_SEED)
    assert set(Case.objects.values_list("reference", flat=True)) == {expected() for _ in range(CASE_COUNT)}
    # The README names a reference that exists, and it is one whose PIN make run prints.
    readme = README.read_text(encoding="utf-8")
    readme_references = set(re.findall(r"`([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])`", readme)) - {"XXXX-XXXX-C"}  # the format
    assert readme_references
    assert Case.objects.filter(reference__in=readme_references).count() == len(readme_references)

    block = final_block("http://127.0.0.1:8000/", tmp_path)

    assert block.strip().splitlines()[1].startswith("Redress is running on http://127.0.0.1:8000/")
    assert DEMO_PASSWORD in block
    for username in ("admin", "coordinator", "coord.bangkok", "para.bangkok1", "para.moscow2"):
        assert re.search(rf"(^|\s){re.escape(username)}(\s|$)", block, re.MULTILINE), username
    shown = re.findall(rf"^  (\S.*?) {{2,}}\S.* {REFERENCE_AND_PIN}$", block, re.MULTILINE)
    assert sorted(office for office, _, _ in shown) == sorted(OFFICES)
    assert readme_references <= {reference for _, reference, _ in shown}
    client = Client()
    for office, reference, pin in shown:
        assert Case.objects.get(reference=reference).office.name == office
        assert client.post("/status/", {"reference": reference, "pin": pin}).status_code == 302
        assert client.post("/status/claim/done/").status_code in (200, 302)


@pytest.mark.django_db
@pytest.mark.second_factor
def test_demo_coordinators_sign_in_with_the_printed_key_or_the_demo_code_command(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", verbosity=0, stdout=StringIO())
    block = final_block("http://127.0.0.1:8000/", tmp_path)
    printed_key = re.search(r"add the key ([A-Z2-7 ]+) \(time-based\)", block).group(1).replace(" ", "")
    out = StringIO()
    call_command("demo_code", stdout=out)
    code = out.getvalue().split()[0]
    assert code == f"{TOTP(base64.b32decode(printed_key)).token():06d}"

    client = Client()
    client.post("/accounts/login/", {"username": "coord.bangkok", "password": DEMO_PASSWORD})
    assert client.get("/")["Location"].startswith("/accounts/two-factor/verify/")
    assert client.post("/accounts/two-factor/verify/", {"code": code}).status_code == 302
    assert client.get("/").status_code == 200
    # A paralegal of a demo office signs in with the password only.
    paralegal = Client()
    paralegal.post("/accounts/login/", {"username": "para.bangkok1", "password": DEMO_PASSWORD})
    assert paralegal.get("/").status_code == 200


def test_the_devserver_block_says_how_to_load_the_demo_when_it_was_not_loaded(tmp_path):
    block = final_block("http://127.0.0.1:8000/", tmp_path)

    assert "Redress is running on http://127.0.0.1:8000/" in block
    assert "manage.py seed_demo" in block
