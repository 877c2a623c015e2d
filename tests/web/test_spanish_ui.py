"""The staff interface in Spanish: pages render from the catalog, and the catalog is complete and well formed.

The language comes from the cookie Django's ``set_language`` view writes, the same way the switcher in the
header does it. The catalog checks parse both Spanish catalogs in Python (no gettext tools needed): the staff UI's
``config/locale/es`` and the documents app's ``documents/locale/es`` (printed filings, context "filing", and the
filings panel); ``msgfmt --check`` and ``msgattrib`` run too when gettext is installed.
"""

import gettext
import re
import shutil
import subprocess
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from cases.core.services.cases import case_add_note
from cases.core.stages import Stage
from cases.models import EntryKind, Route, WageBasis
from cases.money.services.calculations import calculation_period_add
from cases.money.services.ledger import ledger_record
from documents.evidence import evidence_upload
from documents.models import EvidenceKind, ProvidedBy
from tests.pdf_samples import real_pdf

# Every Spanish catalog: the staff UI's, and the documents app's (Django merges them; config/locale wins).
CATALOG_DIRS = {
    "config": Path(settings.BASE_DIR) / "config" / "locale" / "es" / "LC_MESSAGES",
    "documents": Path(settings.BASE_DIR) / "documents" / "locale" / "es" / "LC_MESSAGES",
}
# Fewer entries than this means a catalog was truncated or emptied.
MINIMUM_ENTRIES = {"config": 400, "documents": 150}


@pytest.fixture(autouse=True)
def english_again_afterwards():
    """LocaleMiddleware leaves the request's language active in the thread; later tests expect English."""
    yield
    translation.deactivate()


@pytest.fixture
def spanish_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def assert_translated(html: str, spanish: list[str], english: list[str]) -> None:
    missing = [text for text in spanish if text not in html]
    assert not missing, f"Spanish strings missing: {missing}"
    leftover = [text for text in english if text in html]
    assert not leftover, f"English strings still shown: {leftover}"


# --- Pages -----------------------------------------------------------------------


def test_the_login_page_is_in_spanish(spanish_client):
    html = page(spanish_client.get(reverse("login")))

    assert '<html lang="es"' in html
    assert_translated(
        html,
        spanish=["Iniciar sesión", "Nombre de usuario", "Contraseña", "Idioma", "Español"],
        english=["Sign in", "Username", "Password"],
    )


def test_the_login_page_stays_in_english_without_the_cookie(client):
    html = page(client.get(reverse("login")))

    assert '<html lang="en"' in html
    assert "Sign in" in html
    assert "Iniciar sesión" not in html


def test_the_language_switcher_turns_the_interface_spanish(client, paralegal_a):
    client.force_login(paralegal_a)

    response = client.post(reverse("set_language"), {"language": "es", "next": reverse("home")})

    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert "Mis casos abiertos" in page(client.get(reverse("home")))


def test_the_home_page_is_in_spanish(spanish_client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    case_add_note(actor=paralegal_a, case_id=case.pk, text="Llamamos a la persona trabajadora.")
    spanish_client.force_login(paralegal_a)

    html = page(spanish_client.get(reverse("home")))

    assert_translated(
        html,
        spanish=[
            "Le damos la bienvenida,",
            "casos abiertos asignados a usted",
            "Mis casos abiertos",
            "Plazos de esta semana",
            "Actividad reciente",
            "Reparación",
            "Nueva admisión",
            "Cerrar sesión",
        ],
        english=[
            "Welcome,",
            "open cases assigned to you",
            "My open cases",
            "Deadlines this week",
            "Recent activity",
            "New intake",
            "Sign out",
        ],
    )


def test_the_case_list_is_in_spanish(spanish_client, make_case, paralegal_a):
    make_case(Stage.EVIDENCE)
    spanish_client.force_login(paralegal_a)

    html = page(spanish_client.get(reverse("case_list")))

    assert_translated(
        html,
        spanish=[
            "Más filtros",
            "Mostrar casos",
            "Quitar todos los filtros",
            "1 caso en esta página.",
            "Persona trabajadora",
            "Partes demandadas",
            "Ordenar por",
            "Más recientes primero",
            "Cualquier etapa",
            "Pruebas",
        ],
        english=[
            "More filters",
            "Show cases",
            "Clear all filters",
            "on this page.",
            "Respondents",
            "Sort by",
            "Newest first",
            "Any stage",
        ],
    )


def test_the_intake_page_is_in_spanish(spanish_client, paralegal_a):
    spanish_client.force_login(paralegal_a)

    html = page(spanish_client.get(reverse("intake")))

    assert_translated(
        html,
        spanish=[
            "Nueva admisión",
            "nunca registre la situación migratoria",
            "Contacto alternativo",
            "Consentimiento",
            "Conservar y usar mi información para tramitar mi reclamación",
            "Parte demandada 1",
            "(obligatorio)",
            "Abrir el caso",
            "Buscar registros existentes",
        ],
        english=[
            "New intake",
            "immigration status",
            "Alternate contact",
            "Keep and use my information",
            "Respondent 1",
            "(required)",
            "Open the case",
            "Check for existing records",
        ],
    )


def test_intake_errors_are_in_spanish(spanish_client, paralegal_a):
    spanish_client.force_login(paralegal_a)
    data = {"token": str(uuid.uuid4()), "phone": "not a number", "phone_safe": "on"}

    html = page(spanish_client.post(reverse("intake"), data))

    assert_translated(
        html,
        spanish=["Corrija lo siguiente", "Escriba el número solo con dígitos"],
        english=["Please correct the following", "Give the number with digits only"],
    )


def test_the_case_page_is_in_spanish(spanish_client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    spanish_client.force_login(paralegal_a)

    html = page(spanish_client.get(reverse("case_detail", args=[case.pk])))

    assert_translated(
        html,
        spanish=[
            f"Caso {case.reference}",
            "Mover el caso",
            "Pasar a Asignación",
            "Volver a Admisión",
            "Cerrar el caso",
            "Elija un resultado",
            "Añadir una nota",
            "Cronología",
            "Caso abierto",
            "Cambio de etapa",
            "Datos",
            "Editar datos",
        ],
        english=[
            "Move the case",
            "Move to",
            "Back to",
            "Close the case",
            "Choose an outcome",
            "Add a note",
            "Timeline",
            "Case opened",
            "Stage changed",
            "Edit details",
        ],
    )


def test_the_calculation_and_money_sections_of_the_case_page_are_in_spanish(spanish_client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    calculation_period_add(
        actor=paralegal_a,
        case_id=case.pk,
        start=date(2025, 3, 1),
        end=date(2025, 3, 31),
        days_worked=Decimal(22),
        normal_hours=Decimal(176),
        agreed_rate=Decimal(1500),
        agreed_basis=WageBasis.MONTH,
        label="Marzo",
    )
    # In the reporting currency, so no exchange rate is needed.
    ledger_record(
        actor=paralegal_a,
        case_id=case.pk,
        kind=EntryKind.CLAIMED,
        amount=Decimal(1500),
        currency=settings.REPORTING_CURRENCY,
        entry_date=date(2025, 4, 1),
        source=Route.NEGOTIATION,
    )
    spanish_client.force_login(paralegal_a)

    html = page(spanish_client.get(reverse("case_detail", args=[case.pk])))

    assert_translated(
        html,
        spanish=[
            "Lo que se adeuda",
            "Períodos de pago",
            "22 días, 176 h",
            "Salario acordado",
            "Conceptos puntuales",
            "Añadir un período de pago",
            "Calcular",
            "Dinero",
            "Libro de movimientos",
            "Reclamado",
            "Negociación / carta de requerimiento",
            "Registrar un movimiento de dinero",
            "Añadir un plan de pago en cuotas",
            "Movimiento de dinero registrado",
        ],
        english=[
            "What is owed",
            "Pay periods",
            "days,",
            "Agreed pay",
            "One-off items",
            "Add a pay period",
            "Every entry, oldest first",
            "Negotiation / demand letter",
            "Record money",
            "Add an instalment plan",
            "Money recorded",
        ],
    )


def test_messages_after_an_action_are_in_spanish(spanish_client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    spanish_client.force_login(paralegal_a)

    html = page(spanish_client.post(reverse("case_note", args=[case.pk]), {"text": "Revisé las nóminas."}, follow=True))

    assert "Nota añadida." in html
    assert "Note added." not in html


def test_the_evidence_and_filings_panels_are_in_spanish(spanish_client, make_case, paralegal_a, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    case = make_case(Stage.EVIDENCE)
    pdf = real_pdf()
    evidence_upload(
        actor=paralegal_a,
        case_id=case.pk,
        files=[SimpleUploadedFile("nomina.pdf", pdf, content_type="application/pdf")],
        kind=EvidenceKind.PAYSLIP,
        document_date=date(2025, 3, 31),
        description="",
        provided_by=ProvidedBy.WORKER,
        received_on=date(2025, 4, 2),
    )
    spanish_client.force_login(paralegal_a)

    html = page(spanish_client.get(f"/cases/{case.pk}/evidence/panel/"))

    assert_translated(
        html,
        spanish=[
            "Pruebas",
            "Nómina",
            "Aportado por",
            "La persona trabajadora",
            "SHA-256 del original",
            "Abrir en el navegador",
            "Retirar de las pruebas",
            "Añadir pruebas",
            "archivos a la vez",
            "Subir",
        ],
        english=[
            "Evidence",
            "Payslip",
            "Provided by",
            "The worker",
            "Open in the browser",
            "Remove from the evidence",
            "Add evidence",
            "files at once",
            "Upload",
        ],
    )

    html = page(spanish_client.get(f"/cases/{case.pk}/filings/panel/"))

    assert_translated(
        html,
        spanish=[
            "Escritos (PDF)",
            "Todavía no hay documentos",
            "Generar un documento",
            "Comprobante de admisión (para la persona trabajadora)",
            "Carta de requerimiento (a una parte demandada)",
            "Automático",
            "Dirigida a",
            "Generar el PDF",
        ],
        english=[
            "Filings (PDF)",
            "No documents yet",
            "Make a document",
            "Intake receipt",
            "Demand letter",
            "Automatic",
            "Addressed to",
            "Make the PDF",
        ],
    )


# --- The catalog -------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(line: str) -> str:
    line = line.strip()
    assert line.startswith('"') and line.endswith('"'), line
    return re.sub(r"\\(.)", lambda match: ESCAPES[match.group(1)], line[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Every entry as {"flags": set, "msgid": str, "msgid_plural": str | None, "msgstr": [str, ...]}."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, key = {"flags": set(), "msgid_plural": None, "msgstr": []}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (.*)$", line):
                key = match.group(1)
                if key.startswith("msgstr"):
                    entry["msgstr"].append(_unquote(match.group(2)))
                else:
                    entry[key] = _unquote(match.group(2))
            elif key and key.startswith("msgstr"):
                entry["msgstr"][-1] += _unquote(line)
            else:
                entry[key] += _unquote(line)
        entries.append(entry)
    return entries


def read_catalog(name: str) -> tuple[dict, list[dict]]:
    header, *entries = parse_po(CATALOG_DIRS[name] / "django.po")
    assert header["msgid"] == ""
    fields = dict(line.split(": ", 1) for line in header["msgstr"][0].splitlines() if line)
    return fields, entries


@pytest.fixture(scope="module", params=list(CATALOG_DIRS))
def catalog_name(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def catalog(catalog_name) -> tuple[dict, list[dict]]:
    return read_catalog(catalog_name)


def test_the_catalog_header_says_spanish_utf8_and_two_plural_forms():
    header, _entries = read_catalog("config")

    assert header["Language"] == "es"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_the_documents_catalog_header_says_spanish_utf8():
    """Its Plural-Forms is Django's own for Spanish (three forms); the config catalog keeps two."""
    header, _entries = read_catalog("documents")

    assert header["Language"] == "es"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"].startswith("nplurals=")


def test_every_entry_is_translated_and_none_is_fuzzy(catalog_name, catalog):
    _header, entries = catalog

    assert len(entries) > MINIMUM_ENTRIES[catalog_name]
    untranslated = [entry["msgid"] for entry in entries if not all(entry["msgstr"])]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


def _nplurals(header: dict) -> int:
    return int(re.match(r"nplurals=(\d+);", header["Plural-Forms"]).group(1))


def test_plural_entries_have_every_form(catalog):
    header, entries = catalog

    plurals = [entry for entry in entries if entry["msgid_plural"] is not None]
    assert plurals
    assert all(len(entry["msgstr"]) == _nplurals(header) for entry in plurals)


def test_translations_keep_every_placeholder(catalog):
    _header, entries = catalog

    broken = []
    for entry in entries:
        wanted = set(PLACEHOLDER.findall(entry["msgid"]))
        if entry["msgid_plural"] is None:
            if set(PLACEHOLDER.findall(entry["msgstr"][0])) != wanted:
                broken.append(entry["msgid"])
            continue
        allowed = wanted | set(PLACEHOLDER.findall(entry["msgid_plural"]))
        for form in entry["msgstr"]:
            found = set(PLACEHOLDER.findall(form))
            if not wanted <= found or not found <= allowed:
                broken.append(entry["msgid"])
    assert not broken, broken


def test_the_compiled_catalog_matches_the_po_file(catalog_name, catalog):
    """Catches a .po edited without running compilemessages."""
    header, entries = catalog
    with (CATALOG_DIRS[catalog_name] / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    # A number that selects each plural form (Spanish in Django's own catalogs has a third, for millions).
    numbers = {}
    for n in [*range(11), 1_000_000]:
        numbers.setdefault(compiled.plural(n), n)
    forms = [numbers[index] for index in range(_nplurals(header))]

    stale = []
    for entry in entries:
        context, msgid, plural = entry.get("msgctxt"), entry["msgid"], entry["msgid_plural"]
        if plural is None:
            found = [compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)]
        elif context:
            found = [compiled.npgettext(context, msgid, plural, n) for n in forms]
        else:
            found = [compiled.ngettext(msgid, plural, n) for n in forms]
        if found != entry["msgstr"]:
            stale.append((context, msgid))
    assert not stale, stale


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
@pytest.mark.parametrize("name", list(CATALOG_DIRS))
def test_msgfmt_accepts_the_catalog(name):
    po_file = CATALOG_DIRS[name] / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po_file)], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext is not installed")
@pytest.mark.parametrize("name", list(CATALOG_DIRS))
@pytest.mark.parametrize("option", ["--untranslated", "--only-fuzzy"])
def test_msgattrib_finds_nothing_untranslated_or_fuzzy(option, name):
    po_file = CATALOG_DIRS[name] / "django.po"
    result = subprocess.run(["msgattrib", option, str(po_file)], capture_output=True, text=True, check=True)

    assert result.stdout == ""
