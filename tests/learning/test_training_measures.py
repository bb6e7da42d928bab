"""Training measures on a hand-built set: compliance at a period's last day from the records, by unit."""

import datetime as dt

import pytest
import time_machine

from candour.core import measures
from candour.core.measures import Direction, Period
from candour.learning.models import ComplianceItem, TrainingRecord
from candour.learning.services import training

MARCH_2026 = Period.month(2026, 3)
APRIL_2026 = Period.month(2026, 4)


@pytest.fixture
def on_1_june_2026():
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def value(key, unit, period):
    return measures.get(key).value_for(unit, period)


def test_training_measures_are_registered_for_every_subject_and_level(db):
    keys = {measure.key for measure in measures.all_measures()}

    assert {"learning.compliance.cstf-fire", "learning.compliance.sg-adults-3"} <= keys
    assert {f"learning.safeguarding_children_l{level}_compliance" for level in range(1, 6)} <= keys
    level_3 = measures.get("learning.safeguarding_children_l3_compliance")
    assert level_3.title == "Safeguarding children training compliance at level 3"
    assert level_3.direction == Direction.HIGHER_IS_BETTER and level_3.unit == "%"
    governance = measures.get("learning.information_governance_compliance")
    assert "95%" in governance.description


def test_each_subject_is_measured_once_in_the_catalogue(db):
    """Safeguarding children at each level and information governance were published twice, under their
    own names and again per subject: the catalogue showed two cards for the same figure."""
    keys = {measure.key for measure in measures.all_measures()}
    assert not {f"learning.compliance.sg-children-{level}" for level in range(1, 6)} & keys
    assert "learning.compliance.cstf-information-governance" not in keys
    assert "learning.information_governance_compliance" in keys
    titles = [measure.title.casefold() for measure in measures.all_measures()]
    for level in range(1, 6):
        assert sum("safeguarding children" in t and f"level {level}" in t for t in titles) == 1, level
    assert sum("information governance" in title for title in titles) == 1


def test_training_compliance_measure_counts_completions_at_the_last_day(
    training_trust, training_person, on_1_june_2026
):
    subject = training_trust.subject("cstf-fire")
    on_time, lapses_in_april = training_person(), training_person()
    training_person()  # never trained
    training_person(start_date=dt.date(2026, 4, 10))  # not yet employed at the end of March
    training_person(station=training_trust.b1)  # another area
    training_person(job_role=training_trust.dispatcher, station=training_trust.a2)
    TrainingRecord.objects.create(person=on_time, subject=subject, completed_on=dt.date(2025, 5, 1))
    # Fire safety lasts 24 months: completed 31 March 2024, it counts to 31 March 2026 and not a day more.
    TrainingRecord.objects.create(person=lapses_in_april, subject=subject, completed_on=dt.date(2024, 3, 31))

    march = value("learning.compliance.cstf-fire", training_trust.area_a, MARCH_2026)
    april = value("learning.compliance.cstf-fire", training_trust.area_a, APRIL_2026)

    assert (march.numerator, march.denominator) == (2, 4)  # the three paramedics and the dispatcher
    assert (april.numerator, april.denominator) == (1, 5)  # the April starter now counts, untrained
    assert april.value == 20


def test_training_compliance_measure_counts_hours_in_the_window(
    training_trust, training_person, on_1_june_2026
):
    subject = training_trust.subject("sg-children-3")
    enough, short = training_person(), training_person()
    for person, sessions in (
        (enough, [(2024, 1, 5, "7.5"), (2025, 9, 1, "4.5")]),
        (short, [(2022, 1, 5, "7.5")]),
    ):
        for year, month, day, hours in sessions:
            TrainingRecord.objects.create(
                person=person, subject=subject, completed_on=dt.date(year, month, day), hours=hours
            )
    TrainingRecord.objects.create(
        person=short, subject=subject, completed_on=dt.date(2026, 4, 1), hours="4.5"
    )

    march = value("learning.safeguarding_children_l3_compliance", training_trust.trust, MARCH_2026)

    assert (march.numerator, march.denominator, march.value) == (1, 2, 50)


def test_training_compliance_measure_agrees_with_todays_items(
    training_trust, training_person, training_record
):
    people = [training_person() for _ in range(3)]
    training_record(people[0], "cstf-fire", training_trust.today - dt.timedelta(days=5))
    training_record(people[1], "cstf-fire", dt.date(2020, 1, 1))
    training.refresh_compliance([p.pk for p in people])
    this_month = Period.month(training_trust.today.year, training_trust.today.month)

    measured = value("learning.compliance.cstf-fire", training_trust.a1, this_month)

    held_today = ComplianceItem.objects.filter(
        subject__code="cstf-fire", station=training_trust.a1, expires_on__gt=training_trust.today
    ).count()
    assert (measured.numerator, measured.denominator) == (held_today, 3) == (1, 3)


def test_training_compliance_measure_with_nobody_required_has_no_value(training_trust):
    assert value("learning.information_governance_compliance", training_trust.a1, MARCH_2026).value is None


def test_training_compliance_measure_is_a_few_queries(
    training_trust, training_person, django_assert_max_num_queries
):
    training_person()

    with django_assert_max_num_queries(3):
        value("learning.safeguarding_children_l3_compliance", training_trust.trust, MARCH_2026)
