"""Fixtures the operations tests share: the stations and the hospital the CAD rows of
test_cad_incidents_import name."""

import pytest

from candour.operations.models import Hospital
from tests.support.factories import StationFactory


@pytest.fixture
def hospital(db):
    """The hospital the rows convey to, named as the CAD names it."""
    return Hospital.objects.create(code="NMG", name="Northmoor General", acute_trust="Northmoor Hospitals")


@pytest.fixture
def stations(hospital):
    StationFactory(code="S-NORTH")
    StationFactory(code="S-SOUTH")
