"""The demo trust: deterministic, complete, and at trust scale the size of a real ambulance trust."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from candour.core.audit import verify_chain
from candour.core.demo import build_demo
from candour.people.models import Membership, OrgUnit, Person
from candour.people.roles import Role

TODAY = dt.date(2026, 11, 22)
# This test needs only these parts of the demo trust (the others take time to build).
PARTS = ("people",)


def _fingerprint():
    return list(
        Person.objects.order_by("staff_number").values_list("staff_number", "family_name", "station__code")
    )


def test_the_same_seed_builds_the_same_trust(db):
    with transaction.atomic():
        build_demo(seed=7, scale="demo", today=TODAY, parts=PARTS)
        first = _fingerprint()
        transaction.set_rollback(True)
    assert not Person.objects.exists()

    build_demo(seed=7, scale="demo", today=TODAY, parts=PARTS)

    assert _fingerprint() == first


def test_every_role_has_a_demo_sign_in(db):
    context = build_demo(seed=1, scale="demo", today=TODAY, parts=PARTS)

    assert len(context.sign_ins) == len(Role)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert verify_chain().intact


@pytest.mark.django_db
def test_trust_scale_matches_northmoor():
    build_demo(seed=2026, scale="trust", today=TODAY, parts=PARTS)

    people = Person.objects.employed_on(TODAY)
    assert OrgUnit.objects.filter(kind="area").count() == 5
    assert 60 <= OrgUnit.objects.filter(kind="station").count() <= 65
    assert 4400 <= people.count() <= 4600
    assert Person.objects.filter(is_apprentice=True).count() == 662  # 661 learners and the demo apprentice
    assert {"apprentice-aap", "apprentice-ecsw"} == set(
        Person.objects.filter(is_apprentice=True).values_list("job_role__code", flat=True)
    )


def test_seed_refuses_a_database_that_has_a_trust_unless_told(db, capsys):
    call_command("seed_demo", seed=1, snapshot_months=1)

    with pytest.raises(CommandError, match="already has a trust"):
        call_command("seed_demo", seed=1)
    call_command("seed_demo", seed=1, if_empty=True)
    assert "system.admin@northmoor.example" in capsys.readouterr().out


def test_seed_keeps_the_measure_snapshots_it_is_asked_for(db):
    from candour.assurance.models import MeasureSnapshot

    call_command("seed_demo", seed=1, snapshot_months=1)

    assert MeasureSnapshot.objects.values("month").distinct().count() == 1
    assert MeasureSnapshot.objects.filter(measure_key="people.headcount", value__gt=0).exists()
