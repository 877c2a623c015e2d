"""Contact values, the home-country address and the alternate contact are encrypted at rest; duplicate checks still
work through blind indexes."""

import pytest
from django.db import IntegrityError, connection, transaction

from cases.core.services.intake import find_claimant_matches
from cases.portal.models import PhoneChangeRequest
from cases.portal.services import phone_change_request
from claimants.fields import decrypt, newest_key_id
from claimants.models import ChannelKind, Claimant, ContactChannel
from tests.core.test_intake_service import submit
from tests.factories import ClaimantFactory

PHONE = "+60 12-345 6789"
DETAILS = {
    "home_country_address": "House 12, Ward 4, Osh 723500",
    "alternate_contact_name": "Cholpon Asanova",
    "alternate_contact_relationship": "sister",
    "alternate_contact_phone": "+996 555 987 654",
    "id_document_number": "AC7654321",
}


def raw(model, pk: int, field_name: str) -> str:
    """The column as stored, read past the ORM."""
    table, column = model._meta.db_table, model._meta.get_field(field_name).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (names from _meta)
        return cursor.fetchone()[0]


def test_every_personal_field_of_an_intake_is_stored_as_ciphertext_with_the_key_id(paralegal_a):
    channels = [
        {"kind": ChannelKind.PHONE, "value": PHONE, "consent": True, "safe_to_contact": True},
        {"kind": ChannelKind.WHATSAPP, "value": "+60 19-000 0000"},
        {"kind": ChannelKind.EMAIL, "value": "Aibek.T@example.org"},
    ]
    case = submit(paralegal_a, claimant_data=DETAILS, channels=channels).case
    claimant = case.claimant
    request = phone_change_request(case_id=case.pk, phone="+60 11-222 3333")

    stored = {name: raw(Claimant, claimant.pk, name) for name in DETAILS}
    stored |= {channel.kind: raw(ContactChannel, channel.pk, "value") for channel in claimant.channels.all()}
    stored["new_phone"] = raw(PhoneChangeRequest, request.pk, "new_phone")
    clear = {**DETAILS, **{c["kind"]: c["value"] for c in channels}, "new_phone": "+60 11-222 3333"}
    for name, value in stored.items():
        assert value.startswith(f"{newest_key_id()}$gAAAAA"), name
        assert decrypt(value) == clear[name]
        for fragment in (clear[name], "Osh", "Cholpon", "sister", "6789", "987", "3333", "aibek"):
            assert fragment.lower() not in value.lower(), (name, fragment)
    # And the ORM reads them back in clear.
    claimant = Claimant.objects.get(pk=claimant.pk)
    assert {name: getattr(claimant, name) for name in DETAILS} == DETAILS
    assert {c.kind: c.value for c in claimant.channels.all()} == {c["kind"]: c["value"] for c in channels}


def test_the_lookup_value_is_a_keyed_digest_not_the_number(paralegal_a):
    claimant = submit(paralegal_a).case.claimant

    [channel] = claimant.channels.all()
    lookup = raw(ContactChannel, channel.pk, "lookup_value")
    assert len(lookup) == 64 and "60123456789" not in lookup
    assert lookup == ContactChannel.lookup_for(ChannelKind.PHONE, "+60 (12) 345-6789")
    # Phone and WhatsApp numbers with the same digits agree (intake matches either kind).
    assert lookup == ContactChannel.lookup_for(ChannelKind.WHATSAPP, "60123456789")
    assert lookup != ContactChannel.lookup_for(ChannelKind.PHONE, "60123456780")


def test_intake_still_finds_the_returning_worker_by_phone(paralegal_a):
    returning = submit(paralegal_a).case.claimant
    other = {"full_name": "Someone Else", "id_document_number": "ZZ1"}
    submit(paralegal_a, claimant_data=other, channels=[{"kind": ChannelKind.PHONE, "value": "+60 19 999 9999"}])

    matches = find_claimant_matches(actor=paralegal_a, phone="+60-12 345 6789")

    assert [(match.claimant, match.same_phone) for match in matches] == [(returning, True)]
    assert find_claimant_matches(actor=paralegal_a, whatsapp="60123456789")[0].claimant == returning
    assert find_claimant_matches(actor=paralegal_a, phone="+60 12 345 6780") == []


def test_a_returning_workers_known_number_typed_differently_adds_no_second_channel(paralegal_a):
    claimant = submit(paralegal_a).case.claimant

    again = {"kind": ChannelKind.PHONE, "value": "60 123 456 789", "consent": True, "safe_to_contact": True}
    submit(paralegal_a, claimant=claimant, channels=[again])

    assert claimant.channels.count() == 1


def test_the_unique_constraint_still_refuses_the_same_number_twice(db):
    claimant = ClaimantFactory()
    ContactChannel.objects.create(claimant=claimant, kind=ChannelKind.PHONE, value=PHONE)

    with pytest.raises(IntegrityError), transaction.atomic():
        ContactChannel.objects.create(claimant=claimant, kind=ChannelKind.PHONE, value="60123456789")
    # The same number as another kind, or for another worker, is allowed.
    ContactChannel.objects.create(claimant=claimant, kind=ChannelKind.WHATSAPP, value=PHONE)
    ContactChannel.objects.create(claimant=ClaimantFactory(), kind=ChannelKind.PHONE, value=PHONE)


def test_changing_only_the_value_updates_the_lookup_value_too(db):
    channel = ContactChannel.objects.create(claimant=ClaimantFactory(), kind=ChannelKind.PHONE, value=PHONE)

    channel.value = "+60 11 111 1111"
    channel.save(update_fields=["value"])

    assert raw(ContactChannel, channel.pk, "lookup_value") == ContactChannel.lookup_for("phone", "60111111111")


@pytest.mark.parametrize(
    "model, field",
    [
        (Claimant, "home_country_address"),
        (Claimant, "alternate_contact_name"),
        (Claimant, "alternate_contact_phone"),
        (ContactChannel, "value"),
    ],
)
def test_filtering_on_an_encrypted_column_is_refused_not_silently_empty(db, model, field):
    with pytest.raises(NotImplementedError):
        model.objects.filter(**{f"{field}__icontains": "Osh"})


def test_short_encrypted_fields_keep_a_one_line_input_and_their_length_limit():
    form_field = ContactChannel._meta.get_field("value").formfield()
    assert form_field.max_length == 200 and form_field.widget.input_type == "text"
    assert Claimant._meta.get_field("alternate_contact_phone").formfield().max_length == 40
    assert Claimant._meta.get_field("home_country_address").formfield().widget.__class__.__name__ == "Textarea"
