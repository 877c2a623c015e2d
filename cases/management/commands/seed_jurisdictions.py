"""Demo jurisdictions for the four demo corridors (TH, MY, QA, RU): rule versions and limitation periods.

Every row is flagged ``is_demo`` and its source says so: the figures resemble each country's
rules so that the demo calculates something plausible, but nobody has checked them against the
law, and the case page warns whenever a calculation used one. Idempotent and careful: a
jurisdiction that already has rule versions (or limitation periods) is left alone, so an
administrator's verified figures are never overwritten by a later run.
"""

from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.models import Jurisdiction, LimitationRule, LimitationTrigger, RuleVersion, WageBasis

DEMO_SOURCE = "DEMO VALUE — verify against the official source before use"

# country -> (name, currency, normal hours/day, hours/week, days/week, (overtime, rest day, holiday) multipliers,
#             [(effective from, effective to, minimum wage, basis)], [(forum, months, days, trigger)])
DEMO: dict[str, tuple] = {
    "TH": (
        "Thailand (demo values)",
        "THB",
        ("8", "48", "6"),
        ("1.5", "2", "2"),
        [
            (date(2022, 10, 1), date(2023, 12, 31), "353.00", WageBasis.DAY),
            (date(2024, 1, 1), None, "363.00", WageBasis.DAY),
        ],
        [("Labour court", 24, None, LimitationTrigger.END_OF_CONTRACT)],
    ),
    "MY": (
        "Malaysia (demo values)",
        "MYR",
        ("8", "45", "6"),
        ("1.5", "2", "3"),
        [
            (date(2022, 5, 1), date(2025, 1, 31), "1500.00", WageBasis.MONTH),
            (date(2025, 2, 1), None, "1700.00", WageBasis.MONTH),
        ],
        [("Labour department (claim for wages)", 12, None, LimitationTrigger.TERMINATION)],
    ),
    "QA": (
        "Qatar (demo values)",
        "QAR",
        ("8", "48", "6"),
        ("1.25", "1.5", "1.5"),
        [
            (date(2020, 1, 1), date(2021, 3, 19), "750.00", WageBasis.MONTH),
            (date(2021, 3, 20), None, "1000.00", WageBasis.MONTH),
        ],
        [("Labour dispute settlement committee", 12, None, LimitationTrigger.END_OF_CONTRACT)],
    ),
    "RU": (
        "Russia (demo values)",
        "RUB",
        ("8", "40", "5"),
        ("1.5", "2", "2"),
        [
            (date(2024, 1, 1), date(2024, 12, 31), "19242.00", WageBasis.MONTH),
            (date(2025, 1, 1), None, "22440.00", WageBasis.MONTH),
        ],
        [
            ("Court (unpaid wages)", 12, None, LimitationTrigger.END_OF_CONTRACT),
            ("Court (dismissal)", 1, None, LimitationTrigger.TERMINATION),
        ],
    ),
}


@transaction.atomic
def load_demo_jurisdictions() -> tuple[int, int]:
    """Create whatever demo rows are missing; return (rule versions, limitation periods) created."""
    versions_created = limits_created = 0
    for country, (name, currency, normal, multipliers, versions, limits) in DEMO.items():
        jurisdiction, _ = Jurisdiction.objects.get_or_create(country=country, region="", defaults={"name": name})
        hours_day, hours_week, days_week = (Decimal(n) for n in normal)
        overtime, rest_day, holiday = (Decimal(m) for m in multipliers)
        if not jurisdiction.rule_versions.exists():
            RuleVersion.objects.bulk_create(
                RuleVersion(
                    jurisdiction=jurisdiction,
                    effective_from=start,
                    effective_to=end,
                    currency=currency,
                    minimum_wage=Decimal(minimum),
                    minimum_basis=basis,
                    normal_hours_per_day=hours_day,
                    normal_hours_per_week=hours_week,
                    normal_days_per_week=days_week,
                    overtime_multiplier=overtime,
                    rest_day_multiplier=rest_day,
                    holiday_multiplier=holiday,
                    source=DEMO_SOURCE,
                    last_verified=None,
                    is_demo=True,
                )
                for start, end, minimum, basis in versions
            )
            versions_created += len(versions)
        if not jurisdiction.limitation_rules.exists():
            LimitationRule.objects.bulk_create(
                LimitationRule(
                    jurisdiction=jurisdiction,
                    forum=forum,
                    period_months=months,
                    period_days=days,
                    trigger=trigger,
                    source=DEMO_SOURCE,
                    is_demo=True,
                )
                for forum, months, days, trigger in limits
            )
            limits_created += len(limits)
    return versions_created, limits_created


class Command(BaseCommand):
    help = "Load demo jurisdictions (TH, MY, QA, RU) flagged as demo values; never overwrites existing rules."

    def handle(self, *args, **options):
        versions, limits = load_demo_jurisdictions()
        if versions or limits:
            self.stdout.write(
                self.style.WARNING(
                    f"Created {versions} demo rule versions and {limits} demo limitation periods "
                    "(DEMO VALUES: verify against the official sources before use)."
                )
            )
        else:
            self.stdout.write("Demo jurisdictions already loaded; nothing to add.")
