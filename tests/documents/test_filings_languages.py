"""Each filing renders in the languages of the people it is for, in fonts that have their script.

The intake receipt in every claimant language; the demand letter, the complaint and the case summary in English
and in Arabic (right to left). Each PDF must embed the Noto family of its script (``pdffonts``) and page 1 must
have ink on it (``pdftoppm`` at 50 dpi).
"""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

from cases.stages import Stage
from documents import filings, filings_print
from documents.models import DocumentKind, DocumentStatus

from .filings_support import (
    SCRIPT_FONTS,
    calculate,
    first_page_dark_share,
    needs_poppler,
    pdf_fonts,
    request_and_render,
)

LOCALE_DIR = Path(filings.__file__).resolve().parent / "locale"

RECEIPT_LANGUAGES = ["en", "es", "ru", "ar", "th", "my", "km", "ne", "ky", "uz", "id", "tl", "ht", "bn"]


@pytest.fixture
def filing_case(make_case, paralegal_a, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return make_case(Stage.EVIDENCE)


@needs_poppler
@pytest.mark.parametrize("language", RECEIPT_LANGUAGES)
def test_the_intake_receipt_renders_in_the_workers_language_with_its_script_font(
    filing_case, paralegal_a, django_capture_on_commit_callbacks, language
):
    document = request_and_render(
        django_capture_on_commit_callbacks,
        actor=paralegal_a,
        case_id=filing_case.pk,
        kind=DocumentKind.INTAKE_RECEIPT,
        language=language,
    )

    assert document.status == DocumentStatus.READY, document.error
    data = document.path.read_bytes()
    assert SCRIPT_FONTS[language] in pdf_fonts(data)
    assert first_page_dark_share(data) > 0.005


@needs_poppler
@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("kind", [DocumentKind.DEMAND_LETTER, DocumentKind.COMPLAINT, DocumentKind.CASE_SUMMARY])
def test_the_letter_complaint_and_summary_render_in_english_and_in_arabic(
    filing_case, paralegal_a, django_capture_on_commit_callbacks, kind, language
):
    calculate(filing_case, paralegal_a)
    respondent = filing_case.case_respondents.get().respondent_id if kind == DocumentKind.DEMAND_LETTER else None

    document = request_and_render(
        django_capture_on_commit_callbacks,
        actor=paralegal_a,
        case_id=filing_case.pk,
        kind=kind,
        language=language,
        respondent_id=respondent,
    )

    assert document.status == DocumentStatus.READY, document.error
    data = document.path.read_bytes()
    assert SCRIPT_FONTS[language] in pdf_fonts(data)
    assert document.pages >= 1
    assert first_page_dark_share(data) > 0.005


ENGLISH_ON_THE_RECEIPT = [
    "Receipt: your claim is registered",
    "Case reference",
    "Keep this paper",
    "What happens next",
    "work out how much you are owed",
    "only in the ways you told us are safe",
    "You do not need to do anything now",
    "How to check your claim",
    "scan the code",
    "enter your case reference and your PIN",
    "Your PIN is not printed on this paper",
    "Contact us",
    '"Page "',
]


@pytest.mark.parametrize("language", [code for code in RECEIPT_LANGUAGES if code != "en"])
def test_every_line_of_the_receipt_is_in_the_workers_language(filing_case, paralegal_a, language):
    document = filings.document_request(
        actor=paralegal_a, case_id=filing_case.pk, kind=DocumentKind.INTAKE_RECEIPT, language=language
    )

    html = filings_print.render_html(document)

    assert f'lang="{language}"' in html
    assert [text for text in ENGLISH_ON_THE_RECEIPT if text in html] == []
    assert ('dir="rtl"' in html) == (language == "ar")


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="needs gettext (msgfmt)")
def test_the_documents_catalogs_are_well_formed_and_compiled(tmp_path):
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po")):
        fresh = tmp_path / f"{po.parts[-3]}.mo"
        subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
        with fresh.open("rb") as compiled, po.with_suffix(".mo").open("rb") as committed:
            assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(compiled)._catalog, po
