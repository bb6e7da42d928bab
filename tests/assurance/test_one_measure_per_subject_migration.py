"""The migration that keeps one measure per training subject moves every stored reference from the
per-subject key to the kept one, and drops a per-subject copy of something already held."""

from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps
from django.utils import timezone

from candour.assurance.models import (
    LimitRecalculation,
    MeasureBinding,
    MeasureSnapshot,
    MonitoringTheme,
    QualityStatement,
    ThemeMeasure,
)
from candour.people.roles import Role
from tests.support.factories import TrustFactory

migration = importlib.import_module("candour.assurance.migrations.0005_one_measure_per_training_subject")
OLD = "learning.compliance.sg-children-3"
KEPT = "learning.safeguarding_children_l3_compliance"
GOVERNANCE = "learning.compliance.cstf-information-governance"


def _snapshot(key, unit, month, value):
    return MeasureSnapshot.objects.create(
        measure_key=key, unit=unit, month=month, value=value, computed_at=timezone.now()
    )


def test_stored_references_move_to_the_kept_key_without_duplicates(db, make_user):
    trust = TrustFactory()
    lead = make_user(Role.QUALITY_LEAD, trust)
    january, february = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    _snapshot(OLD, trust, january, 80)
    _snapshot(KEPT, trust, january, 80)
    _snapshot(OLD, trust, february, 82)
    _snapshot(GOVERNANCE, trust, february, 91)
    safe, other = QualityStatement.objects.all()[:2]
    for statement in (safe, other):
        MeasureBinding.objects.create(
            quality_statement=statement,
            measure_key=OLD,
            score_2_from=1,
            score_3_from=2,
            score_4_from=3,
            bound_by=lead,
        )
    MeasureBinding.objects.create(
        quality_statement=safe,
        measure_key=KEPT,
        score_2_from=60,
        score_3_from=85,
        score_4_from=95,
        bound_by=lead,
    )
    theme = MonitoringTheme.objects.first()
    ThemeMeasure.objects.create(theme=theme, measure_key=OLD)
    LimitRecalculation.objects.create(
        measure_key=OLD, unit=trust, from_month=january, reason="x", recorded_by=lead
    )

    migration.move_to_kept_keys(apps, None)

    assert sorted(MeasureSnapshot.objects.values_list("measure_key", "month", "value")) == [
        ("learning.information_governance_compliance", february, 91),
        (KEPT, january, 80),
        (KEPT, february, 82),
    ]
    bindings = MeasureBinding.objects.order_by("quality_statement_id")
    assert {(binding.quality_statement_id, binding.measure_key) for binding in bindings} == {
        (safe.pk, KEPT),
        (other.pk, KEPT),
    }
    assert MeasureBinding.objects.get(quality_statement=safe).score_4_from == 95, "the kept binding stays"
    assert ThemeMeasure.objects.get().measure_key == KEPT
    assert LimitRecalculation.objects.get().measure_key == KEPT
