"""Binding encrypted text to its place re-encrypts every value sealed before, and values from before cannot be
put back: an unbound value copied in from an old backup does not open."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from candour.core.encryption import MisplacedCiphertext
from candour.people.models import TwoFactorDevice
from candour.people.services import start_two_factor_enrolment

BEFORE_BINDING = [("core", "0009_outbox")]


def _migrate(targets=None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def _stored(device) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM people_twofactordevice WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_migrating_binds_every_value_sealed_before_to_its_place(make_user):
    device = start_two_factor_enrolment(user=make_user())
    _migrate(BEFORE_BINDING)
    unbound = _stored(device)
    assert unbound.startswith("enc1:")

    _migrate()

    assert _stored(device).startswith("enc2:")
    assert TwoFactorDevice.objects.get(pk=device.pk).secret == device.secret
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_twofactordevice SET secret = %s WHERE id = %s", [unbound, device.pk])
    with pytest.raises(MisplacedCiphertext):
        TwoFactorDevice.objects.get(pk=device.pk).secret  # noqa: B018 - reading it is the test
