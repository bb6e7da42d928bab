from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from candour.api.endpoints import urls as api_urls

urlpatterns = [
    path("", include("candour.core.urls")),
    path("", include("candour.people.urls")),
    path("", include("candour.speakup.urls")),
    path("", include("candour.learning.urls")),
    path("voice/", include("candour.voice.urls")),
    path("assurance/", include("candour.assurance.urls")),
    path("operations/", include("candour.operations.urls")),
    path("medicines/", include("candour.medicines.urls")),
    path("records/", include("candour.records.urls")),
    path("fleet/", include("candour.fleet.urls")),
    path("", include("candour.api.urls")),
    path("api/v1/", api_urls()),
    # Admin signs in through Candour's own sign-in, with its lockout and second factor.
    path("admin/login/", RedirectView.as_view(url=reverse_lazy("people:sign_in"), query_string=True)),
    path("admin/", admin.site.urls),
]

handler400 = "candour.core.views.bad_request"
handler403 = "candour.core.views.forbidden"
handler404 = "candour.core.views.not_found"
handler500 = "candour.core.views.server_error"
