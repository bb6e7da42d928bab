"""Ready-made pulses. Their questions carry stable measure keys, so every pulse started from a template (and
any pulse asking the same question in the same way) adds to one series over time."""

from __future__ import annotations

from dataclasses import dataclass

from candour.people.roles import Role
from candour.voice.models import QuestionKind


@dataclass(frozen=True)
class TemplateQuestion:
    kind: str
    text: str
    measure_key: str = ""


@dataclass(frozen=True)
class PulseTemplate:
    key: str
    name: str
    description: str
    title: str
    introduction: str
    roles: tuple[str, ...]
    questions: tuple[TemplateQuestion, ...]

    @property
    def choice_questions(self) -> list[TemplateQuestion]:
        return [q for q in self.questions if q.kind != QuestionKind.FREE_TEXT]

    @property
    def free_text(self) -> TemplateQuestion | None:
        return next((q for q in self.questions if q.kind == QuestionKind.FREE_TEXT), None)


TEMPLATES: dict[str, PulseTemplate] = {
    template.key: template
    for template in (
        PulseTemplate(
            key="apprentice_safety",
            name="Apprentices: feeling safe, and sexual safety",
            description="For apprentices: whether they feel safe at work, whether they have experienced "
            "unwanted sexual behaviour, and whether they know how to report it.",
            title="Feeling safe at work",
            introduction="Three quick questions about how safe you feel at work. Your answers are anonymous: "
            "no one can see who gave them, and results are shown only for groups big enough that no one can "
            "be picked out.",
            roles=(Role.APPRENTICE,),
            questions=(
                TemplateQuestion(QuestionKind.YES_NO, "I feel safe at work", "voice.feel_safe"),
                TemplateQuestion(
                    QuestionKind.YES_NO,
                    "In the last 3 months I have not experienced unwanted sexual behaviour at work",
                    "voice.no_unwanted_sexual_behaviour",
                ),
                TemplateQuestion(
                    QuestionKind.AGREEMENT,
                    "I know how to report sexual harassment and believe it would be acted on",
                    "voice.can_report_sexual_harassment",
                ),
                TemplateQuestion(
                    QuestionKind.FREE_TEXT,
                    "Is there anything you would like to tell us about feeling safe at work?",
                ),
            ),
        ),
        PulseTemplate(
            key="staff_informed",
            name="Staff: kept informed, and heard by senior leaders",
            description="For all staff: whether they are kept informed about changes, and whether senior "
            "leaders listen.",
            title="Kept informed and heard",
            introduction="Two quick questions about how well you are kept informed and listened to. Your "
            "answers are anonymous: no one can see who gave them, and results are shown only for groups big "
            "enough that no one can be picked out.",
            roles=(),
            questions=(
                TemplateQuestion(
                    QuestionKind.AGREEMENT,
                    "I am kept informed about changes that affect me",
                    "voice.kept_informed",
                ),
                TemplateQuestion(
                    QuestionKind.AGREEMENT, "Senior leaders listen to staff", "voice.leaders_listen"
                ),
                TemplateQuestion(
                    QuestionKind.FREE_TEXT,
                    "What one thing would help you feel better informed or listened to?",
                ),
            ),
        ),
    )
}


def template_key_for(kind: str, text: str) -> str:
    """The template measure key of a question asked exactly as a template asks it, else ''."""
    wanted = " ".join(text.split()).casefold()
    for template in TEMPLATES.values():
        for question in template.questions:
            if question.measure_key and question.kind == kind and question.text.casefold() == wanted:
                return question.measure_key
    return ""
