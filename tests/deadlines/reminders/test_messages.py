"""Reminder texts: every template the rules write renders in every language, and none carries a PIN, an amount or
the employer's name. The contexts come from the rules themselves (``one_of_each``), never built to suit the reader.
"""

import re

import pytest
from django.conf import settings

from cases.core.stages import Stage
from cases.deadlines.reminders import messages as reminder_messages
from cases.deadlines.reminders.messages import BadContext, UnknownTemplate, render

from .conftest import EMPLOYER

LANGUAGES = sorted({code for code, _name in settings.LANGUAGES} | {code for code, _name in settings.CLAIMANT_LANGUAGES})
PIN_LIKE = re.compile(r"\d{8}")
# Currency signs and codes, and the instalment's 1250.00 however it might be formatted (1250, 1,250.00, 1 250).
MONEY = re.compile(r"[$€£¥₹₽฿]|\b(?:MYR|USD|EUR|NPR|KGS|RM|THB)\b|1[.,\s\u00a0\u202f]?250|125000")
# What a careless rule might add to a context: none of it may reach the text.
NOISE = {"pin": "48213907", "amount": "1250.00", "amount_minor": 125000, "currency": "MYR", "employer": EMPLOYER}

pytestmark = pytest.mark.django_db


def rendered(row, language, context=None):
    return render(
        template=row.template,
        context=row.context if context is None else context,
        language=language,
        case_reference=row.case.reference,
        case_id=row.case_id,
    )


def test_the_rules_write_every_template_the_messages_know(one_of_each):
    assert {row.template for row in one_of_each} == reminder_messages.TEMPLATES


def test_no_rendered_message_contains_a_pin_an_amount_or_the_employer(one_of_each):
    for row in one_of_each:
        for language in LANGUAGES:
            message = rendered(row, language)
            text = f"{message.subject}\n{message.body}"
            assert not PIN_LIKE.search(text), text
            assert not MONEY.search(text), text
            assert "Acme" not in text, text


def test_values_a_rule_did_not_name_never_reach_the_text(one_of_each):
    for row in one_of_each:
        assert rendered(row, "en", {**row.context, **NOISE}) == rendered(row, "en")


def test_a_kind_that_is_not_a_deadline_kind_is_not_repeated(one_of_each):
    hearing = next(row for row in one_of_each if row.template == "deadline")

    message = rendered(hearing, "en", {**hearing.context, "kind": EMPLOYER})

    assert "Acme" not in message.subject + message.body
    assert "Deadline" in message.subject


@pytest.mark.parametrize("missing", ["due_at", "days_before"])
def test_a_reminder_missing_its_date_or_day_count_is_refused_not_sent_with_a_blank(one_of_each, missing):
    hearing = next(row for row in one_of_each if row.template == "deadline")

    with pytest.raises(BadContext):
        rendered(hearing, "en", {key: value for key, value in hearing.context.items() if key != missing})


def test_the_workers_notice_names_neither_the_case_nor_the_employer_and_has_no_link(one_of_each):
    notice = next(row for row in one_of_each if row.template == "status_notice")

    message = rendered(notice, "en")

    assert message.body == "Redress: We are gathering the evidence for your claim."
    assert notice.case.reference not in message.subject + message.body
    assert notice.context == {"stage": Stage.EVIDENCE}


def test_an_unknown_template_is_refused():
    with pytest.raises(UnknownTemplate):
        render(template="nope", context={}, language="en")
