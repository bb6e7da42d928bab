"""How dates, numbers and durations read on screen: Europe/London, GOV.UK style."""

import datetime as dt

from django.utils import timezone


def local_date(value: dt.date | dt.datetime | None, empty: str = "Not recorded") -> str:
    if value is None:
        return empty
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def local_datetime(value: dt.datetime | None, empty: str = "Not recorded") -> str:
    if value is None:
        return empty
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "Not recorded"
    seconds = round(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    if not words or (not days and not hours and secs):
        words.append(f"{secs} second{'' if secs == 1 else 's'}")
    return " ".join(words[:2])


def number(value: float | int | None, places: int = 0) -> str:
    if value is None:
        return "Not available"
    return f"{value:,.{places}f}"


def percent(value: float | None, places: int = 1) -> str:
    if value is None:
        return "Not available"
    return f"{value:.{places}f}%"
