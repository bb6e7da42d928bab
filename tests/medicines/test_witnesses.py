"""A witness confirms by signing in themselves, through the same sign-in (and lockout) as anywhere else."""

from __future__ import annotations

import pytest

from candour.core.refusals import Refused
from candour.medicines import services
from candour.people.models import User
from tests.support.factories import user_password


def test_a_witness_who_signs_in_is_confirmed(station):
    witness = services.confirm_witness(
        email=station.colleague.email, password=user_password(), client="192.0.2.1"
    )
    assert witness == station.colleague


def test_a_witness_with_the_wrong_password_is_refused_and_the_failure_counts_towards_their_lockout(station):
    with pytest.raises(Refused) as caught:
        services.confirm_witness(email=station.colleague.email, password="not it", client="192.0.2.1")
    assert caught.value.field == "witness_email" and "must sign in" in caught.value.message
    assert User.objects.get(pk=station.colleague.pk).failed_sign_ins == 1


def test_no_witness_given_is_no_witness(station):
    assert services.confirm_witness(email=" ", password="", client="192.0.2.1") is None


def test_a_witness_whose_role_needs_a_second_factor_must_give_their_code(station, settings):
    settings.CANDOUR_REQUIRE_2FA = True
    with pytest.raises(Refused) as caught:
        services.confirm_witness(
            email=station.officer.email, password=user_password(), code="000000", client="192.0.2.1"
        )
    assert caught.value.field == "witness_code"
