"""Sensitive text is ciphertext in the database, readable with any configured key, and rotatable."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, transaction

from candour.core.encryption import MisplacedCiphertext, keyring, parse_keys
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
    assert stored.startswith("enc2:")
    assert TwoFactorDevice.objects.get(pk=device.pk).secret == device.secret


def test_the_same_text_encrypts_differently_each_time():
    ring = keyring()

    assert ring.seal("same words", bound_to="here") != ring.seal("same words", bound_to="here")


def test_a_tampered_ciphertext_is_refused():
    token = keyring().seal("a narrative", bound_to="here")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    with pytest.raises(MisplacedCiphertext):
        keyring().open(tampered, bound_to="here")


def test_keys_must_be_256_bits():
    with pytest.raises(ImproperlyConfigured, match="32 bytes"):
        parse_keys(["k1:c2hvcnQ="])


def test_rotation_moves_every_value_to_the_new_key(make_user, settings):
    old_entry = settings.CANDOUR_ENCRYPTION_KEYS[0]
    device = start_two_factor_enrolment(user=make_user())
    settings.CANDOUR_ENCRYPTION_KEYS = [new_key("k2"), old_entry]

    call_command("rotate_encryption_keys")

    assert _stored(device).startswith("enc2:k2:")
    settings.CANDOUR_ENCRYPTION_KEYS = settings.CANDOUR_ENCRYPTION_KEYS[:1]
    assert TwoFactorDevice.objects.get(pk=device.pk).secret == device.secret


def test_reading_with_a_missing_key_fails_loudly(make_user, settings):
    device = start_two_factor_enrolment(user=make_user())
    settings.CANDOUR_ENCRYPTION_KEYS = [new_key("other")]

    with pytest.raises(ImproperlyConfigured, match="is not configured"):
        TwoFactorDevice.objects.get(pk=device.pk).secret  # noqa: B018 - reading it is the test


def _concern_fields(user) -> dict:
    return {
        "kind": "low_level",
        "identity": "open",
        "route": "safeguarding",
        "raised_by": user,
        "subject_type": "process",
        "narrative": "The rota leaves one crew alone at night",
        "subject_description": "The night rota",
        "received_on": dt.date(2026, 5, 1),
        "triage_due_on": dt.date(2026, 5, 5),
    }


def _concern(user, **fields):
    from candour.speakup.models import Concern

    reference = f"C-{Concern.objects.count() + 1:04d}"
    return Concern.objects.create(**(_concern_fields(user) | {"reference": reference} | fields))


def _copy_column(table: str, source: str, target: str, *, from_pk, to_pk) -> None:
    """Put one row's stored ciphertext into another row or column, as someone with database access could."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {source} FROM {table} WHERE id = %s", [from_pk])
        cursor.execute(f"UPDATE {table} SET {target} = %s WHERE id = %s", [cursor.fetchone()[0], to_pk])


def test_ciphertext_moved_to_another_row_does_not_open(make_user):
    first = start_two_factor_enrolment(user=make_user())
    second = start_two_factor_enrolment(user=make_user())

    _copy_column("people_twofactordevice", "secret", "secret", from_pk=first.pk, to_pk=second.pk)

    with pytest.raises(MisplacedCiphertext, match=r"people\.TwoFactorDevice\.secret"):
        TwoFactorDevice.objects.get(pk=second.pk).secret  # noqa: B018 - reading it is the test


def test_ciphertext_moved_to_another_column_of_its_row_does_not_open(make_user):
    from candour.speakup.models import Concern

    concern = _concern(make_user())
    concern_id = concern.pk.hex if connection.vendor == "sqlite" else concern.pk

    _copy_column("speakup_concern", "narrative", "subject_description", from_pk=concern_id, to_pk=concern_id)

    reread = Concern.objects.get(pk=concern.pk)
    assert reread.narrative == "The rota leaves one crew alone at night"
    with pytest.raises(MisplacedCiphertext, match=r"speakup\.Concern\.subject_description"):
        reread.subject_description  # noqa: B018 - reading it is the test


def test_plain_text_given_to_a_bulk_update_is_refused_rather_than_stored_unbound(make_user):
    from candour.speakup.models import Concern

    concern = _concern(make_user())

    with pytest.raises(ValueError, match="save it through its instance"), transaction.atomic():
        Concern.objects.filter(pk=concern.pk).update(narrative="written around the model")

    assert Concern.objects.get(pk=concern.pk).narrative == "The rota leaves one crew alone at night"


def test_values_made_in_bulk_are_bound_to_their_own_rows(make_user):
    from candour.speakup.models import Concern

    user = make_user()
    made = Concern.objects.bulk_create(
        [
            Concern(**(_concern_fields(user) | {"reference": f"B-{n}", "narrative": f"narrative {n}"}))
            for n in range(3)
        ]
    )

    assert [Concern.objects.get(pk=c.pk).narrative for c in made] == [
        "narrative 0",
        "narrative 1",
        "narrative 2",
    ]


def test_a_model_with_no_id_before_it_is_saved_cannot_hold_encrypted_text():
    from django.db import models
    from django.test.utils import isolate_apps

    from candour.core.encryption import EncryptedTextField

    with isolate_apps("candour.core"):

        class Counted(models.Model):  # noqa: DJ008 - never shown
            note = EncryptedTextField()

            class Meta:
                app_label = "core"

        class Identified(models.Model):  # noqa: DJ008 - never shown
            public_id = models.UUIDField()
            note = EncryptedTextField()

            class Meta:
                app_label = "core"

    assert [error.id for error in Counted._meta.get_field("note").check()] == ["candour.E001"]
    assert Identified._meta.get_field("note").check() == []


def test_rotation_keeps_each_value_bound_to_its_own_row_and_field(make_user, settings):
    from candour.speakup.models import Concern

    old_entry = settings.CANDOUR_ENCRYPTION_KEYS[0]
    user = make_user()
    concerns = [
        _concern(user, narrative=f"narrative {n}", subject_description=f"about {n}") for n in range(3)
    ]
    settings.CANDOUR_ENCRYPTION_KEYS = [new_key("k2"), old_entry]

    call_command("rotate_encryption_keys")

    settings.CANDOUR_ENCRYPTION_KEYS = settings.CANDOUR_ENCRYPTION_KEYS[:1]
    reread = {c.pk: c for c in Concern.objects.all()}
    assert [(reread[c.pk].narrative, reread[c.pk].subject_description) for c in concerns] == [
        (f"narrative {n}", f"about {n}") for n in range(3)
    ]
