"""The Jinja2 environment: NHS.UK design-system macros, and the few helpers every template needs."""

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from candour.core import formatting
from candour.core.forms_rendering import error_summary_items, field_params
from candour.core.navigation import items_for as navigation_for
from candour.core.tags import tag_for


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    # The design-system macros read nested parameters that may be absent.
    options["undefined"] = ChainableUndefined
    options.setdefault("extensions", []).append("jinja2.ext.do")
    env = Environment(**options)  # noqa: S701 - Django's backend turns autoescape on
    env.globals.update(
        url=url,
        static=static,
        settings=settings,
        now=timezone.now,
        navigation_for=navigation_for,
        get_messages=messages.get_messages,
        field_params=field_params,
        error_summary_items=error_summary_items,
        tag_for=tag_for,
    )
    env.filters.update(
        local_date=formatting.local_date,
        local_datetime=formatting.local_datetime,
        duration=formatting.duration,
        number=formatting.number,
        percent=formatting.percent,
    )
    return env
