"""FIELD_ENCRYPTION_KEYS entries carry key ids; ciphertext names the key that decrypts it; BLIND_INDEX_KEY keys the
blind indexes on its own; the system checks refuse malformed keys and repeated ids."""

import pytest
from cryptography.fernet import Fernet
from django.core.checks import Error, Warning

from claimants.fields import InvalidKey, blind_index, decrypt, derived_key_id, encrypt, keyring, parse_key
from claimants.models import ChannelKind, ContactChannel
from config.checks import encryption_keys


def new_key() -> str:
    return Fernet.generate_key().decode()


def test_an_entry_names_its_key_id_or_gets_one_derived_from_the_key():
    key = new_key()

    assert parse_key(f"2026-12:{key}").id == "2026-12"
    assert parse_key(key).id == derived_key_id(key) and len(derived_key_id(key)) == 8
    assert parse_key(f" spare:{key} ").secret == key


# A fixed key: parametrised ids must be the same in every pytest-xdist worker.
VALID_KEY = "ChOJKF4LgOjSyzmDscRAVVdRkiCsURrARPX4jCstHv0="


@pytest.mark.parametrize(
    "entry",
    ["not-a-key", "id:not-a-key", "bad$id:" + VALID_KEY, ":" + VALID_KEY],
    ids=["not a key", "an id with no key", "a dollar in the id", "an empty id"],
)
def test_a_malformed_entry_is_refused(entry):
    with pytest.raises(InvalidKey):
        parse_key(entry)


def test_values_are_encrypted_with_the_newest_key_and_decrypted_with_the_key_their_id_names(settings):
    old, new = new_key(), new_key()
    settings.FIELD_ENCRYPTION_KEYS = [f"old:{old}"]
    written_before = encrypt("+60 12 345 6789")

    settings.FIELD_ENCRYPTION_KEYS = [f"new:{new}", f"old:{old}"]
    written_after = encrypt("+60 12 345 6789")

    assert written_before.startswith("old$") and written_after.startswith("new$")
    assert decrypt(written_before) == decrypt(written_after) == "+60 12 345 6789"
    assert Fernet(new.encode()).decrypt(written_after.removeprefix("new$").encode()) == b"+60 12 345 6789"


def test_a_legacy_token_without_a_key_id_is_tried_against_every_key(settings):
    old, new = new_key(), new_key()
    legacy = Fernet(old.encode()).encrypt(b"AB1234567").decode()

    settings.FIELD_ENCRYPTION_KEYS = [new, old]

    assert decrypt(legacy) == "AB1234567"


def test_a_value_naming_a_removed_key_says_which_id_is_missing(settings):
    settings.FIELD_ENCRYPTION_KEYS = [f"gone:{new_key()}"]
    stored = encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = [f"kept:{new_key()}"]

    with pytest.raises(ValueError, match="'gone'"):
        decrypt(stored)


def test_blind_indexes_default_to_the_oldest_key_and_keep_their_value_when_keys_are_added(settings):
    old = new_key()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    before = (blind_index("AB1234567"), ContactChannel.lookup_for(ChannelKind.PHONE, "+60 12 345 6789"))

    settings.FIELD_ENCRYPTION_KEYS = [f"new:{new_key()}", old]
    assert (blind_index("AB1234567"), ContactChannel.lookup_for(ChannelKind.PHONE, "60123456789")) == before

    # Setting BLIND_INDEX_KEY to the oldest key keeps them when that key is finally removed.
    settings.FIELD_ENCRYPTION_KEYS, settings.BLIND_INDEX_KEY = [f"new:{new_key()}"], old
    assert (blind_index("AB1234567"), ContactChannel.lookup_for(ChannelKind.PHONE, "60123456789")) == before

    settings.BLIND_INDEX_KEY = "another secret"
    assert blind_index("AB1234567") != before[0]


def test_the_keyring_is_newest_first(settings):
    settings.FIELD_ENCRYPTION_KEYS = [f"b:{new_key()}", f"a:{new_key()}"]

    assert [key.id for key in keyring()] == ["b", "a"]


def test_the_check_refuses_a_malformed_key_and_a_repeated_id(settings):
    settings.BLIND_INDEX_KEY = "a long random secret"
    settings.FIELD_ENCRYPTION_KEYS = [f"k1:{new_key()}", "k2:nonsense", f"K1:{new_key()}"]

    found = encryption_keys(None)

    assert [(type(m), m.id) for m in found] == [(Error, "redress.E010"), (Error, "redress.E011")]
    assert "nonsense" not in found[0].msg  # a key, even a broken one, is never printed


def test_the_check_warns_in_production_when_blind_indexes_hang_on_the_oldest_encryption_key(settings):
    settings.DEBUG, settings.FIELD_ENCRYPTION_KEYS, settings.BLIND_INDEX_KEY = False, [new_key()], ""

    assert [(type(m), m.id) for m in encryption_keys(None)] == [(Warning, "redress.W010")]

    settings.BLIND_INDEX_KEY = "a long random secret"
    assert encryption_keys(None) == []
