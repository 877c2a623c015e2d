"""The admin edits jurisdiction rules: inline versions checked for overlaps, lists that filter by country."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import RuleVersion

pytestmark = pytest.mark.django_db

FIELDS = {
    "currency": "MYR",
    "minimum_basis": "month",
    "normal_hours_per_day": "8",
    "normal_hours_per_week": "45",
    "normal_days_per_week": "6",
    "overtime_multiplier": "1.5",
    "rest_day_multiplier": "2",
    "holiday_multiplier": "3",
    "source": "Minimum Wages Order",
}


def _formset_data(jurisdiction, versions: list[dict]) -> dict:
    data = {
        "country": jurisdiction.country.code,
        "region": jurisdiction.region,
        "name": jurisdiction.name,
        "rule_versions-TOTAL_FORMS": str(len(versions)),
        "rule_versions-INITIAL_FORMS": str(sum(1 for v in versions if v.get("id"))),
        "rule_versions-MIN_NUM_FORMS": "0",
        "rule_versions-MAX_NUM_FORMS": "1000",
        "limitation_rules-TOTAL_FORMS": "0",
        "limitation_rules-INITIAL_FORMS": "0",
        "limitation_rules-MIN_NUM_FORMS": "0",
        "limitation_rules-MAX_NUM_FORMS": "1000",
    }
    for i, version in enumerate(versions):
        for name, value in {**FIELDS, **version}.items():
            data[f"rule_versions-{i}-{name}"] = value if value is not None else ""
        data[f"rule_versions-{i}-jurisdiction"] = jurisdiction.pk
    return data


def _existing(malaysia) -> list[dict]:
    return [
        {
            "id": v.pk,
            "effective_from": v.effective_from.isoformat(),
            "effective_to": v.effective_to.isoformat() if v.effective_to else "",
            "minimum_wage": str(v.minimum_wage),
        }
        for v in malaysia.rule_versions.order_by("effective_from")
    ]


def test_the_lists_and_the_jurisdiction_page_open(client, superuser, malaysia):
    client.force_login(superuser)
    for name in ("jurisdiction", "ruleversion", "limitationrule", "calculationsnapshot"):
        assert client.get(reverse(f"admin:cases_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:cases_jurisdiction_change", args=[malaysia.pk]))
    assert page.status_code == 200
    assert "Minimum Wages Order" in page.content.decode()
    assert client.get(reverse("admin:cases_ruleversion_changelist"), {"jurisdiction__country": "MY"}).status_code == 200


def test_closing_the_current_version_and_adding_the_next_in_one_save_is_accepted(client, superuser, malaysia):
    client.force_login(superuser)
    versions = _existing(malaysia)
    versions[1]["effective_to"] = "2025-12-31"
    versions.append({"effective_from": "2026-01-01", "effective_to": "", "minimum_wage": "1800"})

    response = client.post(
        reverse("admin:cases_jurisdiction_change", args=[malaysia.pk]), _formset_data(malaysia, versions)
    )

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert malaysia.rule_versions.get(effective_from=date(2026, 1, 1)).minimum_wage == 1800


def test_an_overlapping_version_added_inline_is_refused(client, superuser, malaysia):
    client.force_login(superuser)
    versions = [*_existing(malaysia), {"effective_from": "2026-01-01", "effective_to": "", "minimum_wage": "1800"}]

    response = client.post(
        reverse("admin:cases_jurisdiction_change", args=[malaysia.pk]), _formset_data(malaysia, versions)
    )

    assert response.status_code == 200
    assert "overlap" in response.content.decode()
    assert RuleVersion.objects.filter(jurisdiction=malaysia).count() == 2


def test_the_stand_alone_version_form_checks_overlaps_against_the_database(client, superuser, malaysia):
    client.force_login(superuser)
    data = {**FIELDS, "jurisdiction": malaysia.pk, "effective_from": "2025-03-01", "minimum_wage": "1800"}

    response = client.post(reverse("admin:cases_ruleversion_add"), data)

    assert response.status_code == 200
    assert "overlap" in response.content.decode()
    assert RuleVersion.objects.filter(jurisdiction=malaysia).count() == 2
