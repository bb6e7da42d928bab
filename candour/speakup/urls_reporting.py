"""Speak-up URLs: raising a concern and following it up."""

from django.urls import path, register_converter

from candour.speakup.models import Kind
from candour.speakup.views import reporting


class KindConverter:
    """Matches only the kinds of concern, so a page mounted beside them (such as /speak-up/reports/) is
    never mistaken for one, and an unknown kind is a 404."""

    regex = "|".join(Kind.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(KindConverter, "concern_kind")

urlpatterns = [
    path("", reporting.start_concern, name="start_concern"),
    # The link a trust publishes: anyone may raise a concern here without their name, signed in or not.
    path("anonymous/", reporting.start_anonymous_concern, name="start_anonymous_concern"),
    path("anonymous/<concern_kind:kind>/", reporting.raise_anonymous_concern, name="raise_anonymous_concern"),
    path("receipt/", reporting.show_receipt, name="show_receipt"),
    path("follow-up/", reporting.follow_up, name="follow_up"),
    path("mine/", reporting.list_my_concerns, name="list_my_concerns"),
    path("mine/<uuid:concern_id>/", reporting.show_my_concern, name="show_my_concern"),
    path("mine/<uuid:concern_id>/sent/", reporting.show_sent_concern, name="show_sent_concern"),
    path("<concern_kind:kind>/", reporting.raise_concern, name="raise_concern"),
]
