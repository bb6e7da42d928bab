"""What learning's emails say: training digests, managers' notices and reminders asked for on the
compliance pages. Each is (subject, body, from, recipients), as the outbox takes them."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from candour.core.formatting import local_date
from candour.learning.compliance import Status

if TYPE_CHECKING:
    from candour.learning.services.training import Digest, DueItem, ManagerNotice, TrainingChaser


def _link(name: str, query: dict | None = None) -> str:
    return settings.CANDOUR_BASE_URL.rstrip("/") + reverse(name) + (f"?{urlencode(query)}" if query else "")


def _when(item: DueItem) -> str:
    if item.expires_on is None:
        return "not yet done"
    if item.expires_on <= timezone.localdate():
        return f"expired on {local_date(item.expires_on)}"
    return f"valid until {local_date(item.valid_until)}"


def digest_message(digest: Digest) -> tuple[str, str, str, list[str]]:
    count = len(digest.items)
    lines = [
        f"Hello {digest.given_name},",
        "",
        f"Your role needs {'this training' if count == 1 else f'these {count} subjects'} soon, or now:",
        "",
        *(f"- {item.subject_name}: {_when(item)}" for item in digest.items),
        "",
        f"See your training in Candour: {_link('learning:show_my_training')}",
        "",
        "Book it through the learning system. You get this email at most once a week while anything is due.",
    ]
    return "Candour: training due", "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [digest.email]


def manager_message(notice: ManagerNotice) -> tuple[str, str, str, list[str]]:
    lines = [
        "Training has run out for people you manage:",
        "",
        *(
            f"- {item.full_name} ({item.staff_number}): {item.subject_name}, "
            f"expired on {local_date(item.expired_on)}"
            for item in notice.items
        ),
        "",
        f"See your team's training: {_link('learning:list_compliance_people', {'status': Status.EXPIRED})}",
        "",
        "You are told once when each subject runs out.",
    ]
    return (
        "Candour: training expired in your team",
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [notice.email],
    )


def chaser_message(chaser: TrainingChaser) -> tuple[str, str, str, list[str]]:
    lines = [
        f"Hello {chaser.given_name},",
        "",
        f"{chaser.asked_by} asks you to bring your training up to date:",
        "",
        *(f"- {item.subject_name}: {_when(item)}" for item in chaser.items),
        "",
        f"See your training in Candour: {_link('learning:show_my_training')}",
        "",
        "Book it through the learning system.",
    ]
    return (
        "Candour: please bring your training up to date",
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [chaser.email],
    )
