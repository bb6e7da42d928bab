"""What most assurance tests stand on: a trust, its quality lead, and emergency and urgent care."""

import pytest

from candour.people.models import CoreService
from candour.people.roles import Role
from tests.support.factories import TrustFactory


@pytest.fixture
def trust(db):
    return TrustFactory()


@pytest.fixture
def lead(make_user, trust):
    return make_user(Role.QUALITY_LEAD, trust)


@pytest.fixture
def euc(db):
    return CoreService.objects.get(slug="emergency-urgent-care")
