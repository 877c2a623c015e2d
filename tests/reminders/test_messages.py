"""Reminder texts: each template renders in each claimant language, and none carries a PIN or an amount."""

import re

import pytest
from django.conf import settings

from cases.reminder_messages import UnknownTemplate, render
from cases.stages import Stage

STAFF_TEMPLATES = ["deadline", "overdue", "inactivity", "departure", "instalment_due", "instalment_missed"]
# What a careless rule might put in the context: none of it may reach the text.
NOISY_CONTEXT = {
    "kind": "filing due",
    "due": "2025-03-10T09:00:00+08:00",
    "days": 7,
    "pin": "48213907",
    "amount": "1250.00",
    "amount_minor": 125000,
    "currency": "MYR",
    "employer": "Acme Plantations Sdn Bhd",
}
PIN_LIKE = re.compile(r"\d{8}")
# Currency signs and codes, and the context's amount however it might be formatted (1250, 1,250.00, 1 250).
MONEY = re.compile(r"[$€£¥₹₽]|\b(?:MYR|USD|EUR|NPR|KGS|RM)\b|1[.,\s\u00a0\u202f]?250|125000")


def all_messages():
    for language, _name in settings.CLAIMANT_LANGUAGES:
        for template in STAFF_TEMPLATES:
            yield render(template=template, context=NOISY_CONTEXT, language=language, case_reference="K7M4-Q9XP-3")
        for stage in [*Stage.values, "unknown"]:
            yield render(template="status_notice", context={**NOISY_CONTEXT, "stage": stage}, language=language)


def test_no_rendered_message_contains_a_pin_an_amount_or_the_employer():
    for message in all_messages():
        text = f"{message.subject}\n{message.body}"
        assert not PIN_LIKE.search(text), text
        assert not MONEY.search(text), text
        assert "Acme" not in text


def test_the_workers_notice_names_neither_the_case_nor_the_employer():
    message = render(template="status_notice", context={"stage": Stage.EVIDENCE}, language="en")

    assert message.body == "Redress: We are gathering the evidence for your claim."


def test_staff_reminders_name_the_case_and_the_date():
    message = render(template="deadline", context=NOISY_CONTEXT, language="en", case_reference="K7M4-Q9XP-3")

    assert message.subject == "Case K7M4-Q9XP-3: filing due in 7 days"
    assert "K7M4-Q9XP-3" in message.body
    assert "2025" in message.body


def test_an_unknown_template_is_refused():
    with pytest.raises(UnknownTemplate):
        render(template="nope", context={}, language="en")
