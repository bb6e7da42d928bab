"""Sensitive text is ciphertext in the database, readable with any configured key, and rotatable."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from candour.core.encryption import keyring, parse_keys
from candour.core.keys import new_key
from candour.people.models import TwoFactorDevice
from candour.people.services import start_two_factor_enrolment


def _stored(device) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM people_twofactordevice WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


def test_the_database_holds_no_plaintext(make_user):
    device = start_two_factor_enrolment(user=make_user())

    stored = _stored(device)

    assert device.secret not in stored
    assert stored.startswith("enc1:")
    assert TwoFactorDevice.objects.get(pk=device.pk).secret == device.secret


def test_the_same_text_encrypts_differently_each_time():
    ring = keyring()

    assert ring.encrypt("same words") != ring.encrypt("same words")


def test_a_tampered_ciphertext_is_refused():
    token = keyring().encrypt("a narrative")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    with pytest.raises(Exception):  # noqa: B017 - cryptography raises InvalidTag or a decoding error
        keyring().decrypt(tampered)


def test_keys_must_be_256_bits():
    with pytest.raises(ImproperlyConfigured, match="32 bytes"):
        parse_keys(["k1:c2hvcnQ="])


def test_rotation_moves_every_value_to_the_new_key(make_user, settings):
    old_entry = settings.CANDOUR_ENCRYPTION_KEYS[0]
    device = start_two_factor_enrolment(user=make_user())
    settings.CANDOUR_ENCRYPTION_KEYS = [new_key("k2"), old_entry]

    call_command("rotate_encryption_keys")

    assert _stored(device).startswith("enc1:k2:")
    settings.CANDOUR_ENCRYPTION_KEYS = settings.CANDOUR_ENCRYPTION_KEYS[:1]
    assert TwoFactorDevice.objects.get(pk=device.pk).secret == device.secret


def test_reading_with_a_missing_key_fails_loudly(make_user, settings):
    device = start_two_factor_enrolment(user=make_user())
    settings.CANDOUR_ENCRYPTION_KEYS = [new_key("other")]

    with pytest.raises(ImproperlyConfigured, match="is not configured"):
        TwoFactorDevice.objects.get(pk=device.pk)
