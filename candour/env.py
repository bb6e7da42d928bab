"""Typed readers for settings from the environment. A value that cannot be read stops start-up, loudly."""

import os
from collections.abc import Callable


class ImproperEnvironment(Exception):
    """An environment variable is missing or does not parse."""


_MISSING = object()


def _read(name: str, default, parse: Callable[[str], object]):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        if default is _MISSING:
            raise ImproperEnvironment(f"Set the environment variable {name}: it is required here.")
        return default
    try:
        return parse(raw)
    except ValueError as error:
        raise ImproperEnvironment(f"{name}={raw!r} is not valid: {error}") from error


def env_str(name: str, default=_MISSING) -> str:
    return _read(name, default, str)


def env_int(name: str, default=_MISSING) -> int:
    return _read(name, default, int)


def env_bool(name: str, default=_MISSING) -> bool:
    def parse(raw: str) -> bool:
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ValueError("use true or false")

    return _read(name, default, parse)


def env_list(name: str, default=_MISSING) -> list[str]:
    return _read(name, default, lambda raw: [item.strip() for item in raw.split(",") if item.strip()])


def env_choice(name: str, choices: tuple[str, ...], default=_MISSING) -> str:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(f"choose one of {', '.join(choices)}")
        return raw

    return _read(name, default, parse)
