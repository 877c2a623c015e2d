"""A document's snapshot turned into print HTML, in the document's language.

The snapshot holds codes, ISO dates and amounts as strings; here they become words, dates and numbers of the
document's language (country names, labels of the cases app's choices, ``DATE_FORMAT``, grouped amounts) inside
``translation.override``. Every value from the case goes through Django's autoescaping; the few values marked safe
are built here from constants (the QR code's SVG, CSS strings escaped by ``css_string``).
"""

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

import segno
from django.apps import apps
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext
from django_countries import countries

from cases.core.stages import Outcome, Stage
from cases.models import LineCategory, RespondentKind, Sector
from cases.money import currencies

from .models import Document, DocumentKind

TEMPLATES = {kind: f"documents/filings/{kind}.html" for kind in DocumentKind.values}
# Every script a claimant language uses: Latin, Cyrillic, Arabic, Thai, Burmese, Khmer, Devanagari,
# Bengali. Set on the body and on the page's margin boxes (print.css), where the page numbers are.
FONT_STACK = (
    '"Noto Sans", "Noto Sans Arabic", "Noto Sans Thai", "Noto Sans Myanmar", "Noto Sans Khmer", '
    '"Noto Sans Devanagari", "Noto Sans Bengali", sans-serif'
)


def render_html(document: Document) -> str:
    """The print HTML of ``document``, from its snapshot alone, in its language."""
    with translation.override(document.language):
        context = print_context(document.snapshot, kind=document.kind)
        return render_to_string(TEMPLATES[document.kind], context)


def print_context(snapshot: dict, *, kind: str) -> dict:
    """The template context for ``snapshot`` in the active language."""
    s = snapshot
    context = {
        "kind": kind,
        "lang": translation.get_language(),
        "rtl": translation.get_language_bidi(),
        "reference": s["reference"],
        "requested_on": _date(s["requested_on"]),
        "office": s["office"] | {"country_name": _country(s["office"].get("country"))},
        "claimant": s.get("claimant", {}),
        "font_stack": mark_safe(FONT_STACK),  # noqa: S308 (a constant) # nosec B308 B703
        # Word order differs between languages ("Page 1 of 3", "1 / 3"); the pattern is translated whole.
        "page_counter": page_counter_css(pgettext("filing", "Page %(page)s of %(pages)s")),
        "reference_css": css_string(s["reference"]),
    }
    if kind == DocumentKind.INTAKE_RECEIPT:
        context["portal_url"] = s["portal_url"]
        context["qr_svg"] = qr_svg(s["portal_url"])
        return context
    context["claimant"] = context["claimant"] | {"nationality_name": _country(context["claimant"].get("nationality"))}
    context["respondents"] = [_respondent(r) for r in s.get("respondents", [])]
    context["employment"] = _employment(s["employment"])
    context["prepared_by"] = s.get("prepared_by", "")
    if "addressee" in s:
        context["addressee"] = _respondent(s["addressee"])
        context["pay_by"] = _date(s["pay_by"])
        context["pay_within_days"] = s["pay_within_days"]
    if s.get("calculation"):
        context["calculation"] = _calculation(s["calculation"])
    if "evidence" in s:
        context["evidence"] = _evidence(s["evidence"])
    if kind == DocumentKind.CASE_SUMMARY:
        context |= _internal(s)
    return context


# --- values in the active language ------------------------------------------------------------------------------


def _date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def _country(code: str | None) -> str:
    return str(countries.name(code)) if code else ""


def _label(choices, value: str) -> str:
    """The translated label of ``value`` in a TextChoices, or the value itself if it is not one of them."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def money(amount: str | Decimal, currency: str) -> str:
    """``"1234.5"``, ``"MYR"`` → "1,234.50 MYR" in the active language's number format."""
    try:
        places = currencies.get_currency(currency).exponent
    except (KeyError, LookupError, ValueError):
        places = 2
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError):
        return f"{amount} {currency}"
    return f"{number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)}\N{NO-BREAK SPACE}{currency}"


def direction(text: str) -> str:
    """ "rtl" or "ltr" from the first letter with a strong direction, as ``dir="auto"`` would (WeasyPrint has no
    auto): a worker's account in Arabic reads right to left in an English complaint, and English in an Arabic one
    left to right."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "rtl" if translation.get_language_bidi() else "ltr"


def _respondent(respondent: dict) -> dict:
    return respondent | {
        "role_label": _label(RespondentKind, respondent.get("role", "")),
        "country_name": _country(respondent.get("country")),
    }


def _employment(employment: dict) -> dict:
    return employment | {
        "country_name": _country(employment.get("country_of_work")),
        "sector_label": _label(Sector, employment.get("sector", "")),
        "started": _date(employment.get("work_started_on")),
        "ended": _date(employment.get("work_ended_on")),
        "departed": _date(employment.get("departure_date")),
        "summary_dir": direction(employment.get("summary", "")),
    }


def _calculation(calculation: dict) -> dict:
    currency = calculation["currency"]
    return calculation | {
        "calculated": _date(calculation.get("calculated_on")),
        "basis_dir": direction(calculation.get("basis_note", "")),
        "lines": [line | {"amount_text": money(line["amount"], currency)} for line in calculation["lines"]],
        "subtotal_rows": [
            (_label(LineCategory, category), money(amount, currency))
            for category, amount in calculation["subtotals"].items()
        ],
        "gross_text": money(calculation["gross_owed"], currency),
        "received_text": money(calculation["total_received"], currency),
        "withheld_text": money(calculation["total_withheld"], currency),
        "paid_text": money(calculation["total_paid"], currency),
        "owed_text": money(calculation["total_owed"], currency),
        "rules": [
            rule | {"from": _date(rule.get("effective_from")), "to": _date(rule.get("effective_to")),
                    "verified": _date(rule.get("last_verified"))}
            for rule in calculation.get("rules_cited", [])
        ],
    }  # fmt: skip


def _evidence_labels() -> dict[str, str]:
    """The evidence locker's kind labels in the active language (none when the locker is not installed)."""
    try:
        field = apps.get_model("documents", "EvidenceFile")._meta.get_field("kind")
    except LookupError:
        return {}
    return {value: str(label) for value, label in (field.choices or [])}


def _evidence(rows: list[dict]) -> list[dict]:
    labels = _evidence_labels()
    return [
        row | {"kind_label": labels.get(row["kind"], row["kind"]), "received": _date(row["received_on"])}
        for row in rows
    ]


def _internal(s: dict) -> dict:
    return {
        "stage_label": _label(Stage, s["stage"]),
        "outcome_label": _label(Outcome, s["outcome"]) if s.get("outcome") else "",
        "opened": _date(s.get("opened_on")),
        "assigned_to": s.get("assigned_to", ""),
        "claimant_language": _language_name(s.get("claimant_language", "")),
        "flags": s.get("flags", {}),
        "estimated_text": money(s["estimated"]["amount"], s["estimated"]["currency"]) if s.get("estimated") else "",
        "money_rows": [
            {
                "currency": row["currency"],
                **{
                    name: currencies.format_money(row[name], row["currency"])
                    for name in ("claimed", "awarded", "paid", "disbursed", "written_off")
                },
            }
            for row in s.get("money", [])
        ],
        "timeline": [
            event | {"on_date": _date(event["on"]), "kind_label": _event_label(event["kind"]),
                     "from_label": _label(Stage, event["from_stage"]) if event["from_stage"] else "",
                     "to_label": _label(Stage, event["to_stage"]) if event["to_stage"] else ""}
            for event in s.get("timeline", [])
        ],
    }  # fmt: skip


def _event_label(kind: str) -> str:
    from cases.models import EventKind

    return _label(EventKind, kind)


def _language_name(code: str) -> str:
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return code


# --- print helpers -----------------------------------------------------------------------------------------------

_CSS_UNSAFE = frozenset("\"'\\<>&{}();@/*")


def css_string(text: str) -> SafeString:
    """``text`` as a double-quoted CSS string, safe inside a ``<style>`` element.

    Quotes, backslashes, ``<``, ``>`` and other CSS syntax, and every control or format character (newlines,
    bidi controls) become CSS hex escapes, so no text can end the string, the rule or the style element; letters
    and marks of every script stay as they are.
    """
    escaped = "".join(
        f"\\{ord(char):x} " if char in _CSS_UNSAFE or unicodedata.category(char).startswith("C") else char
        for char in str(text)
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 (escaped above) # nosec B308 B703


def page_counter_css(pattern: str) -> SafeString:
    """A translated "Page %(page)s of %(pages)s" as a CSS ``content`` value with page counters, in its own order."""
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", pattern):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return mark_safe(" ".join(parts))  # noqa: S308 (built from escaped parts) # nosec B308 B703


def qr_svg(url: str) -> SafeString:
    """A QR code of ``url`` as inline SVG (segno writes only paths; the URL is a setting, never case data)."""
    code = segno.make(url, error="m", micro=False)
    return mark_safe(code.svg_inline(border=2, omitsize=True, svgclass="qr", lineclass=None))  # noqa: S308 (segno draws only paths) # nosec B308 B703
