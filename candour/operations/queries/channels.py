"""Access channels and equity: how long patients who reached the service by text relay or emergency SMS,
by 999 BSL video, or through an interpreter waited, beside those who called by voice.

For a month and the stations in scope: per channel, the incidents, the C1 and C2 responses and how long
calls took to answer; per interpreter language, how long the interpreter took to join and how often none
could be found (a language recorded with no time an interpreter joined). A count from 1 to below the
small-number threshold is not shown (core.suppression) and there is no total to take the shown ones from;
a mean or 90th centile is shown only from at least that many.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from candour.core import suppression
from candour.core.measures import Period
from candour.operations.arp.categories import Category
from candour.operations.arp.figures import Figures, figures_of
from candour.operations.models import CadCall, CadIncident, Channel
from candour.operations.queries.response_times import centile_method

# The categories whose responses are compared between channels: the urgent ones, where a wait matters most.
COMPARED = (Category.C1, Category.C2)


@dataclass(frozen=True)
class Count:
    """A count and whether it is too small to show."""

    value: int

    @property
    def hidden(self) -> bool:
        return suppression.is_small(self.value)


@dataclass(frozen=True)
class ChannelRow:
    channel: Channel
    incidents: Count
    responses: dict[Category, Figures | None]
    calls: Count
    answer: Figures | None


@dataclass(frozen=True)
class LanguageRow:
    language: str
    incidents: Count
    joined: Figures | None
    not_found: Count


@dataclass(frozen=True)
class Channels:
    month: Period
    method_label: str
    channels: list[ChannelRow]
    languages: list[LanguageRow]


def channels_for(scope, month: Period) -> Channels:
    incidents = CadIncident.objects.for_scope(scope).filter(month=month.start)
    method = centile_method()
    return Channels(
        month,
        method.description,
        _by_channel(scope, incidents, month, method),
        _by_language(incidents, method),
    )


def incidents_for(scope, month: Period, *, channel: str = "", language: str = ""):
    """The incidents behind a count: those of the month at the scope's stations by the channel, or with an
    interpreter in the language."""
    incidents = CadIncident.objects.for_scope(scope).filter(month=month.start).select_related("station")
    if channel:
        incidents = incidents.filter(channel=channel)
    if language:
        incidents = incidents.filter(interpreter_language=language)
    return incidents.order_by("call_connected", "pk")


def _judged(seconds: list[int], method) -> Figures | None:
    return figures_of(seconds, method) if len(seconds) >= suppression.threshold() else None


def _by_channel(scope, incidents, month: Period, method) -> list[ChannelRow]:
    counts: dict[str, int] = defaultdict(int)
    responses: dict[tuple[str, Category], list[int]] = defaultdict(list)
    rows = incidents.values_list("channel", "counted_category", "response_seconds")
    for channel, category, seconds in rows.iterator(chunk_size=5_000):
        counts[channel] += 1
        if seconds is not None:
            responses[channel, Category(category)].append(seconds)
    answers = _answer_seconds(scope, month)
    return [
        ChannelRow(
            channel=channel,
            incidents=Count(counts[channel.value]),
            responses={
                category: _judged(responses[channel.value, category], method) for category in COMPARED
            },
            calls=Count(len(answers[channel.value])),
            answer=_judged(answers[channel.value], method),
        )
        for channel in Channel
    ]


def _answer_seconds(scope, month: Period) -> dict[str, list[int]]:
    calls = CadCall.objects.for_scope(scope).filter(month=month.start, answered__isnull=False)
    seconds: dict[str, list[int]] = defaultdict(list)
    for channel, connected, answered in calls.values_list("channel", "connected", "answered").iterator(
        chunk_size=5_000
    ):
        seconds[channel].append(int((answered - connected).total_seconds()))
    return seconds


def _by_language(incidents, method) -> list[LanguageRow]:
    joined: dict[str, list[int]] = defaultdict(list)
    not_found: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    rows = incidents.exclude(interpreter_language="").values_list(
        "interpreter_language", "call_connected", "interpreter_joined"
    )
    for language, connected, arrived in rows.iterator(chunk_size=5_000):
        counts[language] += 1
        if arrived is None:
            not_found[language] += 1
        else:
            joined[language].append(max(0, int((arrived - connected).total_seconds())))
    return [
        LanguageRow(
            language, Count(counts[language]), _judged(joined[language], method), Count(not_found[language])
        )
        for language in sorted(counts)
    ]
