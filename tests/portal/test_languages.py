"""Every claimant language: a complete catalog, and a status page that renders in it (Arabic right-to-left)."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import pgettext

from cases.portal.texts import OUTCOME_TEXTS, STAGE_TEXTS

from .conftest import look_up

ROOT = Path(settings.BASE_DIR)
CATALOGS = ROOT / "cases" / "portal" / "locale"
LANGUAGES = [code for code, _name in settings.CLAIMANT_LANGUAGES]


def _unescape(text: str) -> str:
    return text.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def _code_strings() -> set[str]:
    """Every ("portal", "...") string in the portal's Python modules and templates."""
    found = set()
    for path in (ROOT / "cases" / "portal").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("pgettext", "pgettext_lazy")
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == "portal"
            ):
                found.add(node.args[1].value)
    for path in (ROOT / "cases" / "portal" / "templates" / "portal").glob("*.html"):
        text = path.read_text()
        found.update(re.findall(r'{% translate "([^"]+)" context "portal" %}', text))
        found.update(re.findall(r"{% translate '([^']+)' context 'portal' %}", text))
        for body in re.findall(r'{% blocktranslate context "portal"[^%]*%}(.*?){% endblocktranslate %}', text, re.S):
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", body))
    return found


def _catalog(lang: str) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy) for the "portal" entries of one .po file."""
    entries = {}
    text = (CATALOGS / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if 'msgctxt "portal"' not in block:
            continue
        msgid = _unescape(re.search(r'^msgid "(.*)"$', block, re.M).group(1))
        msgstr = _unescape(re.search(r'^msgstr "(.*)"$', block, re.M).group(1))
        entries[msgid] = (msgstr, "#, fuzzy" in block)
    return entries


def test_the_code_has_the_strings_the_catalogs_translate():
    strings = _code_strings()

    assert len(strings) > 50
    assert strings == set(_catalog("en"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_portal_string_is_translated_and_not_fuzzy(lang):
    catalog = _catalog(lang)
    missing = _code_strings() - set(catalog)
    empty = [msgid for msgid, (msgstr, _fuzzy) in catalog.items() if not msgstr.strip()]
    fuzzy = [msgid for msgid, (_msgstr, is_fuzzy) in catalog.items() if is_fuzzy]
    placeholders = [
        msgid
        for msgid, (msgstr, _fuzzy) in catalog.items()
        if sorted(re.findall(r"%\(\w+\)s", msgid)) != sorted(re.findall(r"%\(\w+\)s", msgstr))
    ]

    assert not missing and not empty and not fuzzy and not placeholders


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_the_compiled_catalog_is_used(lang):
    with translation.override(lang):
        translated = pgettext("portal", "Check your claim")

    assert translated == _catalog(lang)["Check your claim"][0] != "Check your claim"


def test_the_po_files_say_they_need_native_review():
    for lang in LANGUAGES:
        if lang != "en":
            assert "NEEDS NATIVE REVIEW" in (CATALOGS / lang / "LC_MESSAGES" / "django.po").read_text()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_status_page_renders_in_the_workers_language(lang, worker_case, hearing):
    worker_case.claimant.preferred_language = lang
    worker_case.claimant.save(update_fields=["preferred_language"])
    client = Client()

    assert look_up(client, worker_case.reference).status_code == 302
    page = client.get("/status/claim/").content.decode()
    catalog = _catalog(lang)

    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page
    for english in ("Your claim", "What happens next", "Contact the office", "Done"):
        assert escape(catalog[english][0]) in page
    with translation.override("en"):
        stage_now = str(STAGE_TEXTS["redress"].now)
    assert escape(catalog[stage_now][0]) in page


@pytest.mark.django_db
def test_a_language_chosen_before_the_lookup_wins_over_the_workers(worker_case):
    client = Client()

    look_up(client, worker_case.reference, lang="th")  # the worker's language is Kyrgyz

    assert '<html lang="th"' in client.get("/status/claim/").content.decode()


@pytest.mark.django_db
def test_the_status_page_can_switch_language(worker_case):
    client = Client()
    look_up(client, worker_case.reference)

    assert '<html lang="ky"' in client.get("/status/claim/").content.decode()
    assert '<html lang="ar" dir="rtl"' in client.get("/status/claim/ar/").content.decode()
    assert '<html lang="ar"' in client.get("/status/claim/").content.decode()  # and it stays


def test_each_outcome_has_its_own_explanation():
    assert len({str(text) for text in OUTCOME_TEXTS.values()}) == len(OUTCOME_TEXTS) == 6
