"""The demo jurisdictions: one per demo corridor, every row flagged as demo, loaded once, never over real rules."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from cases.management.commands.seed_jurisdictions import DEMO_SOURCE, load_demo_jurisdictions
from cases.models import Jurisdiction, LimitationRule, RuleVersion

from .conftest import rule_version

pytestmark = pytest.mark.django_db


def test_it_loads_two_versions_for_each_demo_country_all_flagged_as_demo():
    load_demo_jurisdictions()

    assert set(Jurisdiction.objects.values_list("country", flat=True)) == {"TH", "MY", "QA", "RU"}
    for jurisdiction in Jurisdiction.objects.all():
        versions = list(jurisdiction.rule_versions.order_by("effective_from"))
        assert len(versions) == 2
        assert versions[0].minimum_wage < versions[1].minimum_wage  # a minimum-wage change
        for version in versions:
            version.full_clean()  # consistent: no overlap, valid currency
        assert jurisdiction.limitation_rules.exists()
    assert not RuleVersion.objects.filter(is_demo=False).exists()
    assert not LimitationRule.objects.filter(is_demo=False).exists()
    assert set(RuleVersion.objects.values_list("source", flat=True)) == {DEMO_SOURCE}
    assert set(LimitationRule.objects.values_list("source", flat=True)) == {DEMO_SOURCE}
    assert "DEMO VALUE" in DEMO_SOURCE
    assert not RuleVersion.objects.filter(last_verified__isnull=False).exists()


def test_running_it_again_adds_nothing():
    first = load_demo_jurisdictions()
    counts = (Jurisdiction.objects.count(), RuleVersion.objects.count(), LimitationRule.objects.count())

    out = StringIO()
    call_command("seed_jurisdictions", stdout=out)

    assert first == (8, 5)
    assert (Jurisdiction.objects.count(), RuleVersion.objects.count(), LimitationRule.objects.count()) == counts
    assert "nothing to add" in out.getvalue()


def test_it_never_touches_a_jurisdiction_whose_rules_an_administrator_entered():
    malaysia = Jurisdiction.objects.create(country="MY", name="Malaysia")
    verified = rule_version(malaysia, date(2025, 2, 1), None, Decimal(1700), last_verified=date(2025, 5, 1))

    load_demo_jurisdictions()

    assert list(malaysia.rule_versions.all()) == [verified]
    assert not malaysia.rule_versions.filter(is_demo=True).exists()
    malaysia.refresh_from_db()
    assert malaysia.name == "Malaysia"
    assert Jurisdiction.objects.get(country="TH").rule_versions.count() == 2


def test_seed_demo_loads_the_demo_jurisdictions(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path  # seed_demo writes demo-logins.txt there, not in the real var/
    call_command("seed_demo", stdout=StringIO())
    assert RuleVersion.objects.filter(is_demo=True).count() == 8
