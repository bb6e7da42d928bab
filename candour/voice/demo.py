"""Staff voice in the demo trust: three pulses and two "you said, we did" posts.

- A year ago, the quality lead asked all staff whether they are kept informed and whether senior leaders
  listen. Fewer than half felt informed; about one in five felt listened to: the front line and the board
  are far apart.
- After the "we did" (directors out with crews, a handover summary), the same questions again this month:
  a little better informed, still not heard. Both pulses continue the same series.
- The education lead's apprentice pulse on feeling safe and sexual safety, open for the last few months:
  most apprentices feel safe, but markedly fewer in Harrowby Coast, and an area post says what was done.

Answers go through `services.record_answers_in_bulk`, which keeps `answer_pulse`'s guarantees (a token per
person, nothing joining it to the response, no time finer than the month). The demo's sign-ins have not
answered the open pulses, so each can try. Closed pulses' tokens are forgotten, as the scheduler does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from candour.core import audit
from candour.core.demo import DemoContext
from candour.people.demo import DEMO_USERS, demo_email
from candour.people.models import OrgUnit, Person, User
from candour.voice import services
from candour.voice.models import Agreement, Pulse, QuestionKind, YesNo
from candour.voice.pulse_templates import TEMPLATES

HARROWBY = "Harrowby Coast"

STAFF_COMMENTS = [
    "Changes to rotas are announced at the last minute, usually in a group chat.",
    "Our station manager keeps us informed, but no one above them ever comes to the station.",
    "The weekly bulletin is too long. A short summary at handover would help.",
    "I have raised hospital handover delays three times and never heard what happened.",
    "Senior leaders should ride out with crews, not just visit the control room.",
    "It would help to know what happened after last year's staff survey.",
    "I heard about the new shift pattern from the local news before I heard from the trust.",
    "Our team leader is good at passing things on.",
    "Please put changes to clinical guidelines in one place.",
    "A director spent a night shift with us after winter. More of that, please.",
]
APPRENTICE_COMMENTS = [
    "A patient's relative made comments about me on a job and my crewmate said nothing.",
    "I feel safe with my mentor, but not always on overtime shifts with crews I do not know.",
    "I did not know there was a Freedom to Speak Up guardian until this pulse.",
    "Remarks in the crew room get brushed off as banter.",
    "I would report harassment, but I worry it would affect my placement sign-off.",
    "The sexual safety session at induction was really helpful.",
    "Night shifts at the station feel isolated.",
    "My tutor checks in every week, which helps.",
    "I know how to report it, but I am not sure anything would happen.",
    "Most crews are supportive, but a few make it clear apprentices are not welcome.",
]


@dataclass(frozen=True)
class DemoPulse:
    template: str
    lead: str
    title: str
    opens_days_ago: int
    open_days: int
    answer_share: float
    # Chance of a favourable answer per measure key, and in Harrowby Coast where it differs.
    favourable: dict[str, float]
    favourable_in_harrowby: dict[str, float]
    comment_share: float
    comments: list[str]


PULSES = [
    DemoPulse(
        "staff_informed",
        "quality.lead",
        "Kept informed and heard",
        opens_days_ago=395,
        open_days=41,
        answer_share=0.38,
        favourable={"voice.kept_informed": 0.42, "voice.leaders_listen": 0.19},
        favourable_in_harrowby={},
        comment_share=0.12,
        comments=STAFF_COMMENTS,
    ),
    DemoPulse(
        "staff_informed",
        "quality.lead",
        "Kept informed and heard: a year on",
        opens_days_ago=34,
        open_days=54,
        answer_share=0.31,
        favourable={"voice.kept_informed": 0.53, "voice.leaders_listen": 0.24},
        favourable_in_harrowby={},
        comment_share=0.1,
        comments=STAFF_COMMENTS,
    ),
    DemoPulse(
        "apprentice_safety",
        "education.lead",
        "Feeling safe at work",
        opens_days_ago=75,
        open_days=85,
        answer_share=0.62,
        favourable={
            "voice.feel_safe": 0.86,
            "voice.no_unwanted_sexual_behaviour": 0.8,
            "voice.can_report_sexual_harassment": 0.63,
        },
        favourable_in_harrowby={
            "voice.feel_safe": 0.55,
            "voice.no_unwanted_sexual_behaviour": 0.58,
            "voice.can_report_sexual_harassment": 0.45,
        },
        comment_share=0.2,
        comments=APPRENTICE_COMMENTS,
    ),
]


def _choice(rng, kind: str, favourable: bool) -> int:
    if kind == QuestionKind.YES_NO:
        return YesNo.YES if favourable else YesNo.NO
    if favourable:
        return Agreement.STRONGLY_AGREE if rng.random() < 0.3 else Agreement.AGREE
    return rng.choices([Agreement.NEITHER, Agreement.DISAGREE, Agreement.STRONGLY_DISAGREE], [4, 4, 2])[0]


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _pulse(context: DemoContext, spec: DemoPulse, trust: OrgUnit) -> Pulse:
    template = TEMPLATES[spec.template]
    lead = User.objects.get(email=demo_email(spec.lead))
    opens_on = context.today - dt.timedelta(days=spec.opens_days_ago)
    pulse = Pulse.objects.create(
        title=spec.title,
        introduction=template.introduction,
        template=template.key,
        unit=trust,
        audience_roles=list(template.roles),
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=spec.open_days),
        created_by=lead,
    )
    services.write_questions(pulse, [services.QuestionDraft(q.kind, q.text) for q in template.questions])
    audit.record(
        action="created_pulse",
        actor=lead,
        target=pulse,
        summary=pulse.title,
        changes=services.describe_pulse(pulse),
        occurred_at=_moment(opens_on - dt.timedelta(days=3)),
    )
    return pulse


def _answers(context: DemoContext, rng, spec: DemoPulse, pulse: Pulse, harrowby_id: int | None) -> None:
    last_day = min(pulse.closes_on, context.today)
    people = (
        Person.objects.employed_on(last_day)
        .filter(start_date__lte=pulse.opens_on, station__parent__parent=pulse.unit)
        .exclude(user__email__in=[demo_email(slug) for _, slug, _, _ in DEMO_USERS])
        .order_by("staff_number")
        .values_list("public_id", "user__public_id", "is_apprentice", "station__parent_id")
    )
    apprentices_only = bool(pulse.audience_roles)
    questions = list(pulse.questions.all())
    span = (last_day - pulse.opens_on).days
    given = []
    for person_id, user_id, is_apprentice, area_id in people:
        if (apprentices_only and not is_apprentice) or rng.random() >= spec.answer_share:
            continue
        # Most people answer in the first days; a tail after reminders.
        day = pulse.opens_on + dt.timedelta(days=int(span * rng.random() ** 1.5))
        odds = (
            spec.favourable_in_harrowby
            if area_id == harrowby_id and spec.favourable_in_harrowby
            else spec.favourable
        )
        choices = {
            q.pk: _choice(rng, q.kind, rng.random() < odds[q.measure_key])
            for q in questions
            if q.kind != QuestionKind.FREE_TEXT
        }
        text = rng.choice(spec.comments) if rng.random() < spec.comment_share else ""
        given.append(services.GivenAnswers(user_id or person_id, area_id, day, choices, text))
    services.record_answers_in_bulk(pulse=pulse, given=given)


def build(context: DemoContext) -> None:
    rng = context.rng_for("voice")
    trust = context.shared["trust"]
    harrowby = next((area for area in context.shared["areas"] if area.name == HARROWBY), None)
    pulses = []
    for spec in PULSES:
        pulse = _pulse(context, spec, trust)
        _answers(context, rng, spec, pulse, harrowby.pk if harrowby else None)
        pulses.append(pulse)
    first_staff, follow_up, apprentices = pulses
    services.publish_change(
        by=User.objects.get(email=demo_email("quality.lead")),
        unit=trust,
        pulse=first_staff,
        published_on=follow_up.opens_on - dt.timedelta(days=10),
        you_said="In last year's pulse, fewer than half of you said you are kept informed about changes that "
        "affect you, and only about one in five said senior leaders listen to staff.",
        we_did="Executive directors now spend a shift with a crew or in a control room every month, and "
        "write up what they heard for the board.\n"
        "A two-minute summary of what is changing is read out at every shift handover, and rotas are "
        "published at least four weeks ahead.\n"
        "We are asking the same questions again this month, to see whether it has made a difference.",
    )
    services.publish_change(
        by=User.objects.get(email=demo_email("education.lead")),
        unit=harrowby or trust,
        pulse=apprentices,
        published_on=context.today - dt.timedelta(days=12),
        you_said="Fewer apprentices in Harrowby Coast than elsewhere told us they feel safe at work, and "
        "some told us remarks in crew rooms are brushed off as banter.",
        we_did="Every station in Harrowby Coast now has a named sexual safety lead, on the noticeboard and "
        "in Candour.\n"
        "Clinical team leaders have had a half-day session on challenging unwanted behaviour, and crew rooms "
        "are part of the monthly leadership walk-round.\n"
        "Each apprentice has a buddy outside their line management, and can raise a concern anonymously "
        "through Speak up.",
    )
    services.forget_tokens(today=context.today)
