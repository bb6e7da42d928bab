"""Learning demo: three safeguarding briefings from recent weeks, part-acknowledged.

Written in bulk in the shape `services.briefings.publish_briefing` writes them: the audience fixed on the
day of publication (people employed that day in the roles, with their station), then acknowledgements
spread as they come in practice: most within days, a tail after reminders, some never. The oldest
is past its deadline. The demo paramedic has the two newest still to read; the demo apprentice the newest.
Chasers are replayed day by day through the service, as the scheduler would have sent them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils import timezone

from candour.core import audit
from candour.core.demo import DemoContext
from candour.learning.models import Briefing, BriefingAudience
from candour.learning.services import briefings as services
from candour.people.demo import demo_email
from candour.people.models import Person, User

ROAD_CLINICIANS = [
    "paramedic",
    "specialist-paramedic",
    "advanced-paramedic",
    "clinical-team-leader",
    "emt",
    "aap",
    "eca",
    "apprentice-aap",
    "apprentice-ecsw",
]
LEARNERS_AND_MENTORS = [
    "apprentice-aap",
    "apprentice-ecsw",
    "paramedic",
    "specialist-paramedic",
    "clinical-team-leader",
    "station-manager",
]


@dataclass(frozen=True)
class DemoBriefing:
    title: str
    publisher: str
    roles: list[str]
    published_days_ago: int
    days_to_acknowledge: int
    read_share: float
    body: str


BRIEFINGS = [
    DemoBriefing(
        "Recognising child exploitation on scene",
        "safeguarding.lead",
        ROAD_CLINICIANS,
        published_days_ago=38,
        days_to_acknowledge=28,
        read_share=0.82,
        body="Crews often see child criminal and sexual exploitation before anyone else: a young person "
        "found far from home, at an address with adults they cannot name, or with money, phones or gifts "
        "they cannot explain.\n"
        "Look for a child who often goes missing, older 'friends' or partners, several phones, travel "
        "tickets or cash, fear of a particular person, and an adult who answers for them.\n"
        "Speak to the young person on their own where you can, and record what they say in their own "
        "words.\n"
        "If a child is in immediate danger, call the police on 999. Otherwise raise a safeguarding "
        "referral before the end of your shift, and tell the receiving clinician.\n"
        "Exploitation is abuse even when the young person says they agreed to it. They are a victim.",
    ),
    DemoBriefing(
        "Domestic abuse: routine enquiry in the home",
        "safeguarding.lead",
        [*ROAD_CLINICIANS, "pts-driver"],
        published_days_ago=17,
        days_to_acknowledge=21,
        read_share=0.68,
        body="From this month, ask every patient aged 16 or over about domestic abuse when it is safe to do "
        "so, not only when you suspect it.\n"
        "Ask only when you are alone with the patient: never in front of a partner, a relative or a child "
        "old enough to repeat it. Ask simply, for example: 'Does anyone at home hurt you or make you feel "
        "afraid?'\n"
        "If the answer is yes, believe them, check their safety now, and offer a referral to the local "
        "domestic abuse service. Record the question and the answer on the patient record.\n"
        "If you cannot ask safely, record that you could not, and why.\n"
        "Where there is a risk of serious harm, raise a safeguarding referral and tell the police. Think "
        "about any children and adults at risk in the household.",
    ),
    DemoBriefing(
        "Sexual safety on placement: what apprentices can expect",
        "education.lead",
        LEARNERS_AND_MENTORS,
        published_days_ago=6,
        days_to_acknowledge=21,
        read_share=0.52,
        body="Every apprentice and student on placement with us should feel safe. This sets out what they "
        "can expect from crews, mentors and managers, and what to do when that is not so.\n"
        "Unwanted sexual comments, jokes, touching, messages or attention are never part of the job, and "
        "never 'banter': on shift, in the crew room, online or at social events.\n"
        "Mentors and practice educators are responsible for a learner's safety as well as their learning. "
        "Do not arrange one-to-one contact outside work, and do not message learners from personal "
        "accounts.\n"
        "If an apprentice tells you about sexual misconduct, listen, thank them, and do not promise to "
        "keep it secret. Raise a concern the same day; you can do so confidentially.\n"
        "Apprentices can raise a concern themselves, with their name, confidentially or anonymously. "
        "The education lead and the safeguarding team will support them.",
    ),
]
# Days from publication to reading, for those who read it: log-normal, as reading times are, with a
# median of four days and a tail that reminders bring in.
MEDIAN_DAYS_TO_READ = 4
SPREAD = 1.1


def build(context: DemoContext) -> None:
    rng = context.rng_for("learning.briefings")
    today = context.today
    trust = context.shared["trust"]
    roles = context.shared["job_roles"]
    publishers = {
        slug: User.objects.get(email=demo_email(slug)) for slug in ("safeguarding.lead", "education.lead")
    }
    # The demo paramedic and apprentice have the newer briefings still to read.
    unread_by = {
        User.objects.get(email=demo_email("staff")).person_id: 2,
        User.objects.get(email=demo_email("apprentice")).person_id: 1,
    }

    rows, reads = [], []
    for index, spec in enumerate(BRIEFINGS):
        published_on = today - dt.timedelta(days=spec.published_days_ago)
        briefing = Briefing.objects.create(
            title=spec.title,
            body=spec.body,
            acknowledge_by=published_on + dt.timedelta(days=spec.days_to_acknowledge),
            published_by=publishers[spec.publisher],
            published_on=published_on,
        )
        briefing.audience_roles.set([roles[code] for code in spec.roles])
        briefing.audience_units.set([trust])
        audience = (
            Person.objects.employed_on(published_on)
            .filter(job_role__code__in=spec.roles)
            .order_by("staff_number")
            .values_list("pk", "station_id")
        )
        for person_id, station_id in audience:
            row = BriefingAudience(
                briefing=briefing,
                person_id=person_id,
                station_id=station_id,
                joined_on=published_on,
                due_on=briefing.acknowledge_by,
            )
            rows.append(row)
            keep_unread = index >= len(BRIEFINGS) - unread_by.get(person_id, 0)
            if not keep_unread and rng.random() < spec.read_share:
                reads.append((row, _read_at(rng, published_on, spec.published_days_ago)))
    BriefingAudience.objects.bulk_create(rows, batch_size=2000)
    first_day = today - dt.timedelta(days=max(spec.published_days_ago for spec in BRIEFINGS))
    _replay(reads, first_day, today)
    audit.record(
        action="seeded_demo",
        system="seed_demo",
        target=trust,
        summary=f"Briefings: {len(BRIEFINGS)}, sent to {len(rows)} people in all",
    )


def _replay(reads: list[tuple[BriefingAudience, dt.datetime]], first_day: dt.date, today: dt.date) -> None:
    """Each day up to today: the chasers through the service, in the morning, after the earlier days'
    acknowledgements. So the figures show who was chased, including those who read it after a reminder,
    and today's chasers are already recorded: starting the demo does not email everyone at once."""
    reads = sorted(reads, key=lambda read: read[1])
    position = 0

    def acknowledge_before(day: dt.date) -> None:
        nonlocal position
        done = []
        while position < len(reads) and timezone.localtime(reads[position][1]).date() < day:
            row, at = reads[position]
            row.acknowledged_at = at
            done.append(row)
            position += 1
        BriefingAudience.objects.bulk_update(done, ["acknowledged_at"], batch_size=1000)

    for offset in range((today - first_day).days + 1):
        day = first_day + dt.timedelta(days=offset)
        acknowledge_before(day)
        services.chase_unread_briefings(today=day)


def _read_at(rng, published_on: dt.date, days_since: int) -> dt.datetime:
    """When a reader acknowledged it: before today, on a day drawn from the reading times, between 7am
    and 10pm."""
    days = rng.lognormvariate(math.log(MEDIAN_DAYS_TO_READ), SPREAD)
    while days >= days_since:
        days = rng.lognormvariate(math.log(MEDIAN_DAYS_TO_READ), SPREAD)
    moment = dt.datetime.combine(published_on + dt.timedelta(days=int(days)), dt.time(7))
    return timezone.make_aware(moment + dt.timedelta(minutes=rng.randrange(15 * 60)))
