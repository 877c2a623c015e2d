"""The Twilio-compatible HTTP backend, against a local fake provider."""

import pytest

from cases.deadlines.reminders.channels import ChannelError, Message, ProviderBackend

from .fake_provider import fake_provider


@pytest.fixture
def provider(settings):
    with fake_provider() as provider:
        settings.SMS_PROVIDER_URL = provider.url
        settings.SMS_PROVIDER_ACCOUNT = "AC123"
        settings.SMS_PROVIDER_TOKEN = "secret-token"
        settings.SMS_FROM = "+15550001111"
        settings.WHATSAPP_FROM = "+15550002222"
        settings.REMINDER_SEND_TIMEOUT = 1
        yield provider


def message(body="Redress: news", key="key-1"):
    return Message(channel="sms", to="+60123456789", subject="Subject", body=body, idempotency_key=key)


def test_an_sms_is_posted_as_a_form_with_basic_auth_and_the_sid_is_the_reference(provider):
    reference = ProviderBackend(channel="sms").send(message())

    [request] = provider.requests
    assert request["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    assert request["auth"] == ("AC123", "secret-token")
    assert request["form"] == {"To": "+60123456789", "From": "+15550001111", "Body": "Redress: news"}
    assert request["idempotency_key"] == "key-1"
    assert reference == provider.delivered["key-1"]["sid"]
    assert reference.startswith("SM")


def test_whatsapp_addresses_carry_the_whatsapp_prefix(provider):
    ProviderBackend(channel="whatsapp").send(message())

    [request] = provider.requests
    assert request["form"]["To"] == "whatsapp:+60123456789"
    assert request["form"]["From"] == "whatsapp:+15550002222"


def test_a_4xx_answer_is_a_permanent_error(provider):
    provider.status_for["bad number"] = 400

    with pytest.raises(ChannelError) as raised:
        ProviderBackend(channel="sms").send(message("bad number"))

    assert raised.value.transient is False
    assert "400" in str(raised.value)


def test_a_5xx_answer_is_a_transient_error(provider):
    provider.status_for["busy"] = 503

    with pytest.raises(ChannelError) as raised:
        ProviderBackend(channel="sms").send(message("busy"))

    assert raised.value.transient is True


def test_a_provider_that_does_not_answer_in_time_is_a_transient_error(provider):
    provider.delay_for["slow"] = 2

    with pytest.raises(ChannelError) as raised:
        ProviderBackend(channel="sms").send(message("slow"))

    assert raised.value.transient is True


def test_an_unreachable_provider_is_a_transient_error(settings):
    settings.SMS_PROVIDER_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.SMS_PROVIDER_ACCOUNT = "AC123"

    with pytest.raises(ChannelError) as raised:
        ProviderBackend(channel="sms").send(message())

    assert raised.value.transient is True


def test_an_unconfigured_provider_is_a_permanent_error(settings):
    settings.SMS_PROVIDER_URL = ""

    with pytest.raises(ChannelError) as raised:
        ProviderBackend(channel="sms").send(message())

    assert raised.value.transient is False


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://provider.example/"])
def test_a_provider_url_that_is_not_http_is_refused(settings, url):
    settings.SMS_PROVIDER_URL = url
    settings.SMS_PROVIDER_ACCOUNT = "AC123"

    with pytest.raises(ChannelError, match="SMS_PROVIDER_URL") as raised:
        ProviderBackend(channel="sms").send(message())

    assert raised.value.transient is False
