"""What the receiving provider matches records on: the apprentice's unique learner number (checked by its
check digit), date of birth (personal: encrypted at rest) and the standard's code, kept on the
apprenticeship and carried in every transfer pack."""

# ruff: noqa: F811 - the fixtures imported from apprentice_fixtures are asked for by name as parameters

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.learning import transfer
from candour.learning.models import Apprenticeship
from candour.learning.services import apprenticeships as services
from tests.learning.apprentice_fixtures import fellbridge  # noqa: F401

VALID_ULN = "9276308686"  # the Learning Records Service's own worked example
BORN = dt.date(2001, 5, 17)


def _update(world, **fields):
    apprenticeship = world.apprenticeship
    values = {
        "station": apprenticeship.station,
        "mentor": apprenticeship.mentor,
        "provider": apprenticeship.provider,
        "planned_end_date": apprenticeship.planned_end_date,
        "contracted_hours_per_week": apprenticeship.contracted_hours_per_week,
        "unique_learner_number": VALID_ULN,
        "date_of_birth": BORN,
        "standard_code": "ST0627",
        **fields,
    }
    return services.update_apprenticeship(by=world.lead, apprenticeship=apprenticeship, **values)


def test_identifiers_are_kept_and_the_date_of_birth_is_encrypted_at_rest(fellbridge):
    _update(fellbridge)

    kept = Apprenticeship.objects.get(pk=fellbridge.apprenticeship.pk)
    assert (kept.unique_learner_number, kept.birth_date, kept.standard_code) == (VALID_ULN, BORN, "ST0627")
    with connection.cursor() as cursor:
        cursor.execute("SELECT date_of_birth FROM learning_apprenticeship WHERE id = %s", [kept.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc2:") and BORN.isoformat() not in stored
    changes = AuditEvent.objects.get(action="updated_apprenticeship").changes
    assert changes["date_of_birth"] == "[changed]"
    assert changes["unique_learner_number"] == ["", VALID_ULN]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"unique_learner_number": "9276308687"}, "check digit"),
        ({"unique_learner_number": "0276308686"}, "cannot start with 0"),
        ({"unique_learner_number": "92763086"}, "10 digits"),
        ({"date_of_birth": dt.date.today()}, "date of birth"),
        ({"date_of_birth": dt.date(1900, 1, 1)}, "date of birth"),
        ({"standard_code": "0627"}, "like ST0627"),
    ],
)
def test_identifiers_that_cannot_be_right_are_refused(fellbridge, fields, reason):
    with pytest.raises(Refused, match=reason):
        _update(fellbridge, **fields)

    assert Apprenticeship.objects.get(pk=fellbridge.apprenticeship.pk).unique_learner_number == ""


def test_identifiers_travel_in_the_transfer_pack(fellbridge):
    _update(fellbridge)

    pack = transfer.build_pack(Apprenticeship.objects.get(pk=fellbridge.apprenticeship.pk))
    files = transfer.bundle_files(pack)

    learner = next(csv.DictReader(io.StringIO(files["learner.csv"].decode())))
    assert (learner["unique_learner_number"], learner["date_of_birth"], learner["standard_code"]) == (
        VALID_ULN,
        "2001-05-17",
        "ST0627",
    )
    assert json.loads(files["bundle.json"])["learner"]["unique_learner_number"] == VALID_ULN
    html = transfer.pack_html(pack)
    assert VALID_ULN in html and "2001-05-17" in html and "ST0627" in html


def test_identifiers_are_entered_on_the_apprenticeship_form(fellbridge, client_for):
    apprenticeship = fellbridge.apprenticeship
    url = reverse("learning:edit_apprenticeship", kwargs={"apprenticeship_id": apprenticeship.public_id})
    end = apprenticeship.planned_end_date

    response = client_for(fellbridge.lead).post(
        url,
        {
            "station": str(apprenticeship.station.public_id),
            "mentor": "",
            "provider": str(apprenticeship.provider.public_id),
            "planned_end_date_day": end.day,
            "planned_end_date_month": end.month,
            "planned_end_date_year": end.year,
            "contracted_hours_per_week": "37.5",
            "unique_learner_number": VALID_ULN,
            "date_of_birth_day": "17",
            "date_of_birth_month": "5",
            "date_of_birth_year": "2001",
            "standard_code": "st0627",
        },
    )

    assert response.status_code == 302
    kept = Apprenticeship.objects.get(pk=apprenticeship.pk)
    assert (kept.unique_learner_number, kept.birth_date, kept.standard_code) == (VALID_ULN, BORN, "ST0627")
