"""A key's life: issued and shown once, used, rotated with both keys live for a while, revoked, expired."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from candour.api import services, tokens
from candour.api.authentication import live_key_for
from candour.api.models import ApiKey
from candour.api.scopes import KeyScope
from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from tests.api.support import integration, issued_key
from tests.support.factories import StationFactory


def test_an_issued_key_is_kept_only_as_its_hash_and_opens_the_api(db):
    text, key = issued_key()

    assert text.startswith(f"cnd_{key.prefix}_")
    stored = ApiKey.objects.get(pk=key.pk)
    assert text not in str(stored.__dict__.values())
    assert stored.hashed == tokens.hash_of(text)
    assert live_key_for(text) == key


def test_a_key_with_one_character_wrong_is_no_key(db):
    text, _ = issued_key()
    wrong = text[:-1] + ("A" if text[-1] != "A" else "B")

    assert live_key_for(wrong) is None
    assert live_key_for("cnd_000000000000_" + "A" * 43) is None
    assert live_key_for("") is None


def test_a_revoked_key_stops_at_once(db):
    text, key = issued_key()

    services.revoke_key(by=key.issued_by, key=key)

    assert live_key_for(text) is None
    with pytest.raises(Refused):
        services.revoke_key(by=key.issued_by, key=key)


def test_a_key_works_all_of_its_expiry_day_and_not_after(db):
    today = timezone.localdate()
    text, _ = issued_key(expires_on=today)

    assert live_key_for(text) is not None
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        assert live_key_for(text) is None


def test_rotating_keeps_both_keys_live_until_the_old_one_runs_out(db, settings):
    settings.CANDOUR_API_KEY_ROTATION_DAYS = 7
    old_text, old = issued_key()

    new = services.rotate_key(by=old.issued_by, key=old)

    assert new.key.scopes == old.scopes and new.key.replaces == old
    assert list(new.key.units.all()) == list(old.units.all())
    assert live_key_for(old_text) == old and live_key_for(new.text) == new.key
    with time_machine.travel(timezone.now() + dt.timedelta(days=8), tick=False):
        assert live_key_for(old_text) is None
        assert live_key_for(new.text) == new.key


def test_a_revoked_key_cannot_be_rotated(db):
    _, key = issued_key()
    services.revoke_key(by=key.issued_by, key=key)

    with pytest.raises(Refused):
        services.rotate_key(by=key.issued_by, key=key)


def test_a_key_must_be_allowed_something_and_read_only_its_own_trusts_units(db):
    made = integration()

    with pytest.raises(Refused, match="at least one"):
        services.issue_key(by=made.created_by, integration=made, scopes=[])
    with pytest.raises(Refused, match="units"):
        services.issue_key(by=made.created_by, integration=made, scopes=[KeyScope.READ_MEASURES])
    with pytest.raises(Refused, match="own trust"):
        services.issue_key(
            by=made.created_by,
            integration=made,
            scopes=[KeyScope.READ_MEASURES],
            units=[StationFactory().trust],
        )


def test_an_expiry_past_the_longest_a_key_may_last_is_refused(db, settings):
    settings.CANDOUR_API_KEY_MAX_DAYS = 30
    with pytest.raises(Refused, match="at most 30 days"):
        issued_key(expires_on=timezone.localdate() + dt.timedelta(days=31))


def test_the_life_of_a_key_is_in_the_audit_log_without_its_text(db):
    text, key = issued_key()
    rotated = services.rotate_key(by=key.issued_by, key=key)
    services.revoke_key(by=key.issued_by, key=rotated.key)

    events = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert events == ["created", "issued_key", "issued_key", "shortened_key", "revoked_key"]
    logged = str(list(AuditEvent.objects.values_list("changes", "summary")))
    assert text not in logged and rotated.text not in logged
    assert key.prefix in logged


def test_two_integrations_of_a_trust_may_not_share_a_name(db):
    made = integration()
    with pytest.raises(Refused, match="already called"):
        integration(made.trust, name="learning hub", by=made.created_by)
