"""Helpers for the filings tests: a calculated case, requesting and rendering documents, and looking inside PDFs.

PDFs are checked with poppler-utils: ``pdffonts`` for the embedded fonts, ``pdftoppm`` for a page image,
``pdftotext`` for Latin text (it is not a glyph check for complex scripts).
"""

import re
import shutil
import subprocess
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from cases.models import CalculationSnapshot, Case, Jurisdiction, RuleVersion, WageBasis
from cases.money.services.calculations import calculation_period_add, calculation_run, calculation_settings_update
from documents import filings
from documents.models import Document

POPPLER = all(shutil.which(tool) for tool in ("pdffonts", "pdftoppm", "pdftotext"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="needs poppler-utils (pdffonts, pdftoppm, pdftotext)")

# The Noto family each script must be set in (pdffonts names them "Noto-Sans-Thai"; compared without hyphens).
SCRIPT_FONTS = {
    "en": "NotoSans",
    "es": "NotoSans",
    "ru": "NotoSans",
    "ky": "NotoSans",
    "uz": "NotoSans",
    "id": "NotoSans",
    "tl": "NotoSans",
    "ht": "NotoSans",
    "fr": "NotoSans",
    "ar": "NotoSansArabic",
    "th": "NotoSansThai",
    "my": "NotoSansMyanmar",
    "km": "NotoSansKhmer",
    "ne": "NotoSansDevanagari",
    "bn": "NotoSansBengali",
}


def malaysia() -> Jurisdiction:
    jurisdiction, _ = Jurisdiction.objects.get_or_create(country="MY", name="Malaysia (filings test)")
    if not jurisdiction.rule_versions.exists():
        RuleVersion.objects.create(
            jurisdiction=jurisdiction,
            effective_from=date(2020, 1, 1),
            effective_to=None,
            minimum_wage=Decimal(1500),
            minimum_basis=WageBasis.MONTH,
            currency="MYR",
            normal_hours_per_day=Decimal(8),
            normal_hours_per_week=Decimal(45),
            normal_days_per_week=Decimal(6),
            overtime_multiplier=Decimal("1.5"),
            rest_day_multiplier=Decimal(2),
            holiday_multiplier=Decimal(3),
            source="Minimum Wages Order 2022 (test)",
            last_verified=date(2025, 3, 1),
        )
    return jurisdiction


def calculate(case: Case, actor, *, periods: int = 2) -> CalculationSnapshot:
    """Give ``case`` ``periods`` monthly pay periods (below the minimum, with overtime) and run the calculator."""
    calculation_settings_update(actor=actor, case_id=case.pk, changes={"jurisdiction": malaysia(), "currency": "MYR"})
    start = date(2023, 1, 1)
    for _ in range(periods):
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        calculation_period_add(
            actor=actor,
            case_id=case.pk,
            label=f"{start:%B %Y}",
            start=start,
            end=end,
            days_worked=Decimal(26),
            normal_hours=Decimal(180),
            overtime_hours=Decimal(12),
            agreed_rate=Decimal(1200),
            agreed_basis=WageBasis.MONTH,
            amount_paid=Decimal(900),
        )
        start = end + timedelta(days=1)
    return calculation_run(actor=actor, case_id=case.pk)


def request_and_render(django_capture_on_commit_callbacks, **kwargs) -> Document:
    """``document_request`` with the after-commit render run (eagerly, as the test settings make Celery)."""
    with django_capture_on_commit_callbacks(execute=True):
        document = filings.document_request(**kwargs)
    document.refresh_from_db()
    return document


def pdf_fonts(data: bytes) -> set[str]:
    """The embedded font families, without subset prefixes and hyphens: {"NotoSans", "NotoSansThai"}."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        output = subprocess.run(["pdffonts", file.name], capture_output=True, text=True, check=True).stdout
    fonts = set()
    for line in output.splitlines()[2:]:
        name = line.split()[0].split("+", 1)[-1].replace("-", "")
        fonts.add(re.sub(r"(Bold|Regular|Italic)$", "", name))
    return fonts


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        return subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def first_page_dark_share(data: bytes) -> float:
    """The share of dark pixels on page 1 rendered at 50 dpi: ink, not a blank page (or a page of boxes only)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", str(source), str(Path(folder) / "p")],
            check=True,
        )
        histogram = Image.open(Path(folder) / "p.png").convert("L").histogram()
    return sum(histogram[:128]) / sum(histogram)
