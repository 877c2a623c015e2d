"""Each filing renders in the languages of the people it is for, in fonts that have their script.

The intake receipt in every claimant language; the demand letter, the complaint and the case summary in the
languages with a catalog for them in each script: Latin, Cyrillic, Arabic (right to left), Thai, Burmese, Khmer and
Devanagari. Each PDF must embed the Noto family of its script (``pdffonts``) and page 1 must have ink on it
(``pdftoppm`` at 50 dpi); no English sentence of a template may be left in a translated filing.
"""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

from cases.core.stages import Stage
from documents import filings, filings_print
from documents.models import DocumentKind, DocumentStatus

from .filings_support import (
    SCRIPT_FONTS,
    calculate,
    first_page_dark_share,
    needs_poppler,
    pdf_fonts,
    pdf_text,
    request_and_render,
)

LOCALE_DIR = Path(filings.__file__).resolve().parent / "locale"

RECEIPT_LANGUAGES = ["en", "es", "ru", "ar", "th", "my", "km", "ne", "ky", "uz", "id", "tl", "ht", "bn"]
# The demand letter, the complaint and the case summary: one language at least per script a claimant language uses
# (Bengali aside: no catalog has these filings in it yet).
FILING_LANGUAGES = ["en", "es", "ru", "ar", "th", "my", "km", "ne"]
FILING_KINDS = [DocumentKind.DEMAND_LETTER, DocumentKind.COMPLAINT, DocumentKind.CASE_SUMMARY]


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


def filing_request(case, actor, kind, language) -> dict:
    """What ``document_request`` needs for ``case``'s filing of ``kind`` in ``language``, once the case is calculated
    (a demand letter goes to the case's respondent)."""
    calculate(case, actor)
    respondent = case.case_respondents.get().respondent_id if kind == DocumentKind.DEMAND_LETTER else None
    return {"actor": actor, "case_id": case.pk, "kind": kind, "language": language, "respondent_id": respondent}


@needs_poppler
@pytest.mark.parametrize("language", FILING_LANGUAGES)
@pytest.mark.parametrize("kind", FILING_KINDS)
def test_the_letter_complaint_and_summary_render_in_each_script_with_its_font(
    filing_case, paralegal_a, django_capture_on_commit_callbacks, kind, language
):
    document = request_and_render(
        django_capture_on_commit_callbacks, **filing_request(filing_case, paralegal_a, kind, language)
    )

    assert document.status == DocumentStatus.READY, document.error
    data = document.path.read_bytes()
    assert SCRIPT_FONTS[language] in pdf_fonts(data)
    assert document.pages >= 1
    assert first_page_dark_share(data) > 0.005


# Sentences of demand_letter.html, looked for in the PDF's text (pdftotext reads Latin text reliably).
ENGLISH_IN_THE_DEMAND_LETTER = [
    "who worked for you or through you",
    "Our calculation shows that",
    "Deadline to pay",
    "Yours faithfully",
]


@needs_poppler
@pytest.mark.parametrize("language", FILING_LANGUAGES)
def test_the_demand_letter_pdf_has_no_english_sentence_of_the_template_but_in_english(
    filing_case, paralegal_a, django_capture_on_commit_callbacks, language
):
    document = request_and_render(
        django_capture_on_commit_callbacks,
        **filing_request(filing_case, paralegal_a, DocumentKind.DEMAND_LETTER, language),
    )

    text = " ".join(pdf_text(document.path.read_bytes()).split())
    found = [sentence for sentence in ENGLISH_IN_THE_DEMAND_LETTER if sentence in text]
    # In English every sentence is there: the search would see one left untranslated.
    assert found == (ENGLISH_IN_THE_DEMAND_LETTER if language == "en" else [])


# English of each filing's template and of the labels it prints (the cases app's subtotals, roles, sectors, stages
# and timeline events), as it appears in the print HTML of the test case. The calculation's own lines, formulas and
# rounding note stay in English on purpose (``class="ltr"``), so nothing here may occur in them.
ENGLISH_ON_THE_FILINGS = {
    DocumentKind.DEMAND_LETTER: [
        "Demand for payment of wages owed",
        "who worked for you or through you",
        "Our calculation shows that",
        "Deadline to pay",
        "How to pay",
        "Quote the reference",
        "competent labour authority",
        "Yours faithfully",
        "Country of work",
        "Total owed",
        "Unpaid wages",
        "Overtime",
        "Construction",
        '"Page "',
    ],
    DocumentKind.COMPLAINT: [
        "Complaint and statement of claim",
        "jointly and severally",
        "Request and signatures",
        "to the best of their knowledge",
        "Worker (claimant)",
        "Represented by",
        "Employer",
        "No evidence files are listed",
        "Total owed",
        "Unpaid wages",
        "Overtime",
        '"Page "',
    ],
    DocumentKind.CASE_SUMMARY: [
        "Internal: for staff only",
        "Assigned paralegal",
        "Recent timeline",
        "No money recorded yet",
        "Case opened",
        "Stage changed",
        "Calculation inputs changed",
        "Wages calculated",
        "Intake",
        "Evidence",
        "Employer",
        "Construction",
        '"Page "',
    ],
}


@pytest.mark.parametrize("language", FILING_LANGUAGES)
@pytest.mark.parametrize("kind", FILING_KINDS)
def test_every_line_of_the_letter_complaint_and_summary_is_in_the_chosen_language(
    filing_case, paralegal_a, kind, language
):
    document = filings.document_request(**filing_request(filing_case, paralegal_a, kind, language))

    html = filings_print.render_html(document)

    assert f'lang="{language}"' in html
    english = ENGLISH_ON_THE_FILINGS[kind]
    assert [text for text in english if text in html] == (english if language == "en" else [])
    assert ('dir="rtl"' in html) == (language == "ar")


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
