"""Every named page, as every role and signed out: never a 500, and never an object outside the user's scope.

New pages are walked automatically. A page whose URL takes an object needs a sample in `SAMPLES`
(an object inside the walking users' trust, and one outside it), or this test says which is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from candour.core.models import ImportJob, OutboxMessage
from candour.learning.models import (
    Apprenticeship,
    Briefing,
    CohortPack,
    LearningProvider,
    ProgressReview,
)
from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Category, Entry, Identity, Kind, Referral, Subject, Threshold
from tests.fleet import walk as fleet_walk
from tests.medicines import walk as medicines_walk
from tests.operations import walk as operations_walk
from tests.records import walk as records_walk
from tests.support.factories import AreaFactory, PersonFactory, StationFactory, make_user
from tests.support.writers import writes_watched

WALKED_NAMESPACES = {
    "core",
    "people",
    "speakup",
    "learning",
    "voice",
    "assurance",
    "api",
    "operations",
    "medicines",
    "records",
    "fleet",
}
TRUST_ROLES = {Role.STAFF: "station", Role.APPRENTICE: "station", Role.LINE_MANAGER: "station"}
TRUST_ROLES |= {Role.OPERATIONS_MANAGER: "area"}
PUBLIC = {"core:health", "core:accessibility", "core:privacy", "people:sign_in", "speakup:follow_up"}
PUBLIC |= {"speakup:start_anonymous_concern", "speakup:raise_anonymous_concern", "speakup:show_receipt"}
PUBLIC |= {"people:forgot_password", "people:password_reset_sent", "people:open_password_reset"}
PUBLIC |= {"people:choose_new_password", "api:show_api_docs"}


def _named_patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _named_patterns(entry, entry.namespace or namespace)
        elif entry.name and namespace in WALKED_NAMESPACES:
            found.append((f"{namespace}:{entry.name}", entry))
    return found


class World:
    """One trust the walking users belong to, and a second trust none of them can see, each with a
    worked case (triaged, with a note, a task and a referral) so that every case page has something."""

    def __init__(self):
        self.area = AreaFactory()
        self.station = StationFactory(parent=self.area)
        self.other_trust_station = StationFactory()
        self.case = _worked_case(self.station)
        self.other_case = _worked_case(self.other_trust_station)
        self.learning = _learning_records(self.station)
        self.other_learning = _learning_records(self.other_trust_station)
        self.failed_email = _failed_email()

    def unit_for(self, role: str):
        reach = TRUST_ROLES.get(role, "trust")
        return {"station": self.station, "area": self.area, "trust": self.area.parent}[reach]


def _worked_case(station):
    lead = make_user(Role.SAFEGUARDING_LEAD, station.parent.parent)
    raised = services.raise_concern(
        by=make_user(Role.STAFF, station),
        kind=Kind.LOW_LEVEL,
        identity=Identity.OPEN,
        narrative="Remarks in the crew room",
        subject_type=Subject.COLLEAGUE,
        subject_person=PersonFactory(station=station),
        station=station,
    )
    concern = services.triage(
        by=lead,
        concern=raised.concern,
        primary_category=Category.CONDUCT,
        secondary_categories=[],
        threshold=Threshold.LOW_LEVEL,
        owner=lead,
        team=[],
    )
    services.add_entry(by=lead, concern=concern, type=Entry.Type.NOTE, body="Spoke to the manager")
    services.add_task(by=lead, concern=concern, title="Check rota", owner=lead, due_on=dt.date.today())
    services.refer(by=lead, concern=concern, agency=Referral.Agency.LADO, referred_on=dt.date.today())
    return concern


def _failed_email() -> OutboxMessage:
    """An email the mail server would not take, so the administrators' page has one to send again."""
    now = timezone.now()
    return OutboxMessage.objects.create(
        to="gone@test.example",
        from_email="no-reply@candour.invalid",
        subject="Candour: walk",
        body="Walk",
        status=OutboxMessage.Status.FAILED,
        queued_at=now,
        attempts=6,
        next_attempt_at=now,
        last_attempt_at=now,
        last_error="550 5.1.1 No such mailbox here",
    )


def _learning_records(station) -> dict:
    """A briefing, an import job, an apprenticeship with a review, and a zip of transfer packs, at this
    station."""
    lead = make_user(Role.EDUCATION_LEAD, station.parent.parent)
    today = dt.date.today()
    briefing = Briefing.objects.create(
        title="Walk", body="Text", acknowledge_by=today, published_by=lead, published_on=today
    )
    briefing.audience_units.add(station)
    job = ImportJob.objects.create(
        feed="training_records", uploaded_by=lead, file_name="a.csv", stored_path="", size_bytes=1
    )
    apprenticeship = Apprenticeship.objects.create(
        person=PersonFactory(station=station, is_apprentice=True),
        standard="Associate ambulance practitioner",
        level=4,
        start_date=today - dt.timedelta(days=100),
        planned_end_date=today + dt.timedelta(days=400),
        station=station,
        provider=LearningProvider.objects.get_or_create(name="Walk College")[0],
    )
    review = ProgressReview.objects.create(apprenticeship=apprenticeship, due_on=today)
    pack = CohortPack.objects.create(
        requested_by=lead, provider=apprenticeship.provider, transferred_on=today
    )
    return {
        "briefing": briefing,
        "job": job,
        "apprenticeship": apprenticeship,
        "review": review,
        "pack": pack,
    }


def _framework_object(kind: str, world: World) -> str:
    """A CQC framework object (the trust's own, with no unit) for the framework's URLs."""
    from candour.assurance.models import (
        MeasureBinding,
        MonitoringTheme,
        QualityStatement,
        RegulatoryBreach,
        ThemeMeasure,
    )

    lead = make_user(Role.QUALITY_LEAD, world.area.parent)
    if kind == "binding":
        statement = QualityStatement.objects.get(code="safe-safeguarding")
        made = MeasureBinding.objects.create(
            quality_statement=statement,
            measure_key="learning.safeguarding_children_l3_compliance",
            score_2_from=60,
            score_3_from=85,
            score_4_from=95,
            bound_by=lead,
        )
    elif kind == "breach":
        made = RegulatoryBreach.objects.create(
            key_question="safe",
            regulation="Regulation 13",
            description="Walk",
            found_on=dt.date.today(),
            recorded_by=lead,
        )
    else:
        theme = MonitoringTheme.objects.get(code="safeguarding")
        made = ThemeMeasure.objects.create(
            theme=theme, measure_key="learning.safeguarding_children_l3_compliance"
        )
    return str(made.public_id)


def _pulse(station) -> str:
    """An open staff voice pulse for everyone in the station's trust, with one answer."""
    from candour.voice import services as voice

    lead = make_user(Role.QUALITY_LEAD, station.parent.parent)
    today = dt.date.today()
    question = voice.QuestionDraft("agreement", "Senior leaders listen to staff")
    draft = voice.PulseDraft(
        title="Walk", introduction="", questions=[question], opens_on=today, closes_on=today
    )
    pulse = voice.create_pulse(by=lead, draft=draft)
    voice.answer_pulse(by=lead, pulse=pulse, choices={pulse.questions.get().pk: 4})
    return str(pulse.public_id)


def _report_run(station) -> str:
    """A board report that failed, in the station's trust: its page offers "Try again"."""
    from candour.assurance.models import ReportKind, ReportRun, ReportStatus

    trust = station.parent.parent
    run = ReportRun.objects.create(
        kind=ReportKind.BOARD,
        unit=trust,
        requested_by=make_user(Role.EXECUTIVE, trust),
        status=ReportStatus.FAILED,
        stage="Making the PDF",
        error="Walk",
    )
    return str(run.public_id)


def _plan_objects(world: World, *, inside: bool) -> dict:
    """An action plan with an action and a milestone, and a risk, in the walking users' trust or the other
    one; made once per world, whichever URL asks first."""
    from candour.assurance.models import FindingSource, QualityStatement
    from candour.assurance.services import plans as plans_services
    from candour.assurance.services import risks as risks_services

    key = "_plans_inside" if inside else "_plans_outside"
    if key not in world.__dict__:
        trust = (world.station if inside else world.other_trust_station).parent.parent
        lead = make_user(Role.QUALITY_LEAD, trust)
        today = dt.date.today()
        plan = plans_services.create_plan(
            by=lead,
            title="Walk plan",
            finding="Walk",
            source=FindingSource.INSPECTION,
            quality_statement=QualityStatement.objects.get(code="safe-safeguarding"),
            unit=trust,
            owner=lead,
        )
        action = plans_services.add_action(
            by=lead,
            plan=plan,
            title="Walk action",
            owner=lead,
            starts_on=today - dt.timedelta(days=30),
            due_on=today + dt.timedelta(days=60),
            measure_key="learning.safeguarding_children_l3_compliance",
            target=90,
            baseline=60,
        )
        milestone = plans_services.add_milestone(by=lead, action=action, title="Walk milestone", due_on=today)
        risk = risks_services.create_risk(
            by=lead,
            title="Walk risk",
            description="Walk",
            controls="Walk",
            unit=trust,
            owner=lead,
            review_due_on=today,
            inherent_likelihood=4,
            inherent_consequence=4,
            current_likelihood=3,
            current_consequence=4,
            target_likelihood=2,
            target_consequence=3,
            linked_actions=[action],
        )
        world.__dict__[key] = {"plan": plan, "action": action, "milestone": milestone, "risk": risk}
    return world.__dict__[key]


def _plan_sample(name: str) -> Callable[[World], tuple[str, str]]:
    return lambda world: (
        str(_plan_objects(world, inside=True)[name].public_id),
        str(_plan_objects(world, inside=False)[name].public_id),
    )


def _integration_objects(world: World, *, inside: bool) -> dict:
    """An integration with a live key, in the walking users' trust or the other one; made once per world."""
    from candour.api import services as api_services
    from candour.api.scopes import KeyScope

    key = "_integration_inside" if inside else "_integration_outside"
    if key not in world.__dict__:
        trust = (world.station if inside else world.other_trust_station).parent.parent
        admin = make_user(Role.SYSTEM_ADMIN, trust)
        integration = api_services.create_integration(
            by=admin, trust=trust, name="Walk system", owner="Walk team", contact="walk@test.example"
        )
        issued = api_services.issue_key(
            by=admin, integration=integration, scopes=[KeyScope.SEND_TRAINING_RECORDS]
        )
        world.__dict__[key] = {"integration": integration, "key": issued.key}
    return world.__dict__[key]


def _integration_sample(name: str) -> Callable[[World], tuple[str, str]]:
    return lambda world: (
        str(_integration_objects(world, inside=True)[name].public_id),
        str(_integration_objects(world, inside=False)[name].public_id),
    )


# kwarg name -> (world -> (value inside the users' trust, value outside it)) for URLs.
SAMPLES: dict[str, Callable[[World], tuple[str, str | None]]] = {
    "person_id": lambda world: (
        str(PersonFactory(station=world.station).public_id),
        str(PersonFactory(station=world.other_trust_station).public_id),
    ),
    # A password reset link: its token is the only authority, so there is no scope to step outside, and
    # a link that is not good answers the same page for anyone's account.
    "user_id": lambda world: (str(make_user(Role.STAFF, world.station).public_id), None),
    "token": lambda world: ("cxyz-0123456789abcdef", None),
    "concern_id": lambda world: (str(world.case.pk), str(world.other_case.pk)),
    "sequence": lambda world: ("1", "1"),
    "briefing_id": lambda world: (
        str(world.learning["briefing"].public_id),
        str(world.other_learning["briefing"].public_id),
    ),
    "job_id": lambda world: (
        str(world.learning["job"].public_id),
        str(world.other_learning["job"].public_id),
    ),
    "apprenticeship_id": lambda world: (
        str(world.learning["apprenticeship"].public_id),
        str(world.other_learning["apprenticeship"].public_id),
    ),
    "review_id": lambda world: (
        str(world.learning["review"].public_id),
        str(world.other_learning["review"].public_id),
    ),
    "pack_id": lambda world: (
        str(world.learning["pack"].public_id),
        str(world.other_learning["pack"].public_id),
    ),
    # A kind is not an object: there is nothing outside scope to try.
    "kind": lambda world: ("low_level", None),
    # A measure is not an object: every registered one is open to all who may see measures.
    "measure_key": lambda world: ("people.headcount", None),
    "task_id": lambda world: (
        str(world.case.tasks.get().public_id),
        str(world.other_case.tasks.get().public_id),
    ),
    "referral_id": lambda world: (
        str(world.case.referrals.get().public_id),
        str(world.other_case.referrals.get().public_id),
    ),
    # The CQC framework and Ofsted monitoring are the trust's own: reference data and objects with no unit.
    "service_slug": lambda world: ("emergency-urgent-care", None),
    "key_question": lambda world: ("safe", None),
    "statement_code": lambda world: ("safe-safeguarding", None),
    "theme_code": lambda world: ("safeguarding", None),
    "binding_id": lambda world: (_framework_object("binding", world), None),
    "breach_id": lambda world: (_framework_object("breach", world), None),
    "theme_measure_id": lambda world: (_framework_object("theme_measure", world), None),
    "pulse_id": lambda world: (_pulse(world.station), _pulse(world.other_trust_station)),
    "plan_id": _plan_sample("plan"),
    "action_id": _plan_sample("action"),
    "milestone_id": _plan_sample("milestone"),
    "risk_id": _plan_sample("risk"),
    "run_id": lambda world: (_report_run(world.station), _report_run(world.other_trust_station)),
    "integration_id": _integration_sample("integration"),
    "key_id": _integration_sample("key"),
    "premises_id": medicines_walk.sample("premises"),
    "register_part_id": medicines_walk.sample("part"),
    "register_entry_id": medicines_walk.sample("entry"),
    "record_id": records_walk.paper_records,
    "alert_id": records_walk.access_alerts,
    "exception_id": operations_walk.recording_exceptions,
    "harm_review_id": operations_walk.harm_reviews,
    "record_review_id": records_walk.record_reviews,
    # Fleet: a vehicle past its MOT and the equipment on it.
    "vehicle_id": lambda world: fleet_walk.sample(world, "vehicle"),
    "asset_id": lambda world: fleet_walk.sample(world, "asset"),
    "defect_id": lambda world: fleet_walk.sample(world, "defect"),
    "notice_id": lambda world: fleet_walk.sample(world, "notice"),
    "affected_id": lambda world: fleet_walk.sample(world, "affected"),
    "bariatric_request_id": lambda world: fleet_walk.sample(world, "bariatric_request"),
    "stock_check_id": medicines_walk.sample("check"),
    "discrepancy_id": medicines_walk.sample("discrepancy"),
    "onward_report_id": medicines_walk.sample("onward_report"),
    "clinician_id": medicines_walk.sample("clinician"),
    "element_set_id": records_walk.element_sets,
    # A feed is not an object: whoever holds its permission uploads for it (the import pages).
    "feed": lambda world: ("cad-incidents", None),
}


def _urls(world: World) -> list[tuple[str, str, str | None]]:
    """(name, URL inside scope, URL outside scope or None) for every walked page."""
    urls = []
    for name, pattern in _named_patterns(get_resolver()):
        params = list(pattern.pattern.converters)
        missing = [param for param in params if param not in SAMPLES]
        assert not missing, f"{name} takes {missing}: add a sample to SAMPLES in {__file__}"
        if not params:
            urls.append((name, reverse(name), None))
            continue
        inside, outside = {}, {}
        for param in params:
            inside[param], outside[param] = SAMPLES[param](world)
        outside_url = None if None in outside.values() else reverse(name, kwargs=outside)
        urls.append((name, reverse(name, kwargs=inside), outside_url))
    # Signing out is walked last: the pages after it would otherwise be walked signed out.
    return sorted(urls, key=lambda url: url[0] == "people:sign_out")


def _visit(client: Client, url: str):
    """GET the page; a POST-only action is tried with an empty POST instead."""
    response = client.get(url)
    return client.post(url, {}) if response.status_code == 405 else response


@pytest.mark.parametrize("role", [None, *Role.values])
def test_every_page_as_every_role(db, role):
    world = World()
    client = Client()
    if role:
        client.force_login(make_user(role, world.unit_for(role)))
    failures = []
    with writes_watched() as writes:
        failures += _walk(client, world, role)
    assert not failures, "\n".join(failures)
    assert not writes.outside_writers, "Only services write; these pages wrote:\n" + writes.report()


def _walk(client: Client, world: World, role: str | None) -> list[str]:
    failures = []
    for name, inside, outside in _urls(world):
        response = _visit(client, inside)
        if response.status_code >= 500:
            failures.append(f"{name} {inside}: {response.status_code}")
        if role is None and name not in PUBLIC and response.status_code not in (302, 405):
            failures.append(f"{name} {inside}: signed out but answered {response.status_code}")
        if outside:
            response = _visit(client, outside)
            if response.status_code not in (302, 403, 404):
                failures.append(f"{name} {outside}: outside scope but answered {response.status_code}")
    return failures


def test_admin_is_for_system_administrators_only(db):
    world = World()
    for role in Role.values:
        client = Client()
        client.force_login(make_user(role, world.unit_for(role)))
        expected = 200 if role == Role.SYSTEM_ADMIN else 302
        assert client.get("/admin/").status_code == expected, role
