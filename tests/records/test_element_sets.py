"""Mandatory element sets are versioned reference data: each change is a new version in force from a day,
and the old versions stay as they were."""

import datetime as dt

import pytest

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.people.roles import Role
from candour.records.models import ElementSet
from candour.records.services import element_set_on, publish_element_set
from tests.support.factories import StationFactory, make_user

NEW = [{"code": "news2", "label": "NEWS2 score"}, {"code": "frailty_score", "label": "Frailty score"}]


def test_the_default_set_holds_the_issues_elements(db):
    default = element_set_on("patient_care_record", dt.date(2026, 1, 1))
    assert default.version == 1 and len(default.codes) == 9
    assert {"news2", "safeguarding_question", "nhs_number_or_reason"} <= set(default.codes)


def test_a_new_version_is_in_force_from_its_day_and_the_old_one_before_it(db):
    lead = make_user(Role.CLINICAL_AUDIT_LEAD, StationFactory().trust)

    made = publish_element_set(
        by=lead, record_type="patient_care_record", elements=NEW, effective_from=dt.date(2027, 1, 1)
    )

    assert made.version == 2 and made.published_by == lead
    assert element_set_on("patient_care_record", dt.date(2026, 12, 31)).version == 1
    assert element_set_on("patient_care_record", dt.date(2027, 1, 1)).codes == ["news2", "frailty_score"]
    assert AuditEvent.objects.filter(action="published_element_set", actor=lead).exists()


@pytest.mark.parametrize(
    ("elements", "effective_from", "message"),
    [
        ([], dt.date(2027, 1, 1), "at least one"),
        ([{"code": "News 2"}], dt.date(2027, 1, 1), "lower-case"),
        ([{"code": "news2"}, {"code": "news2"}], dt.date(2027, 1, 1), "once"),
        (NEW, dt.date(1999, 1, 1), "starts on or after"),
    ],
)
def test_a_set_that_cannot_be_published_is_refused_and_nothing_is_written(
    db, elements, effective_from, message
):
    with pytest.raises(Refused, match=message):
        publish_element_set(
            by=None, record_type="patient_care_record", elements=elements, effective_from=effective_from
        )
    assert ElementSet.objects.count() == 1
