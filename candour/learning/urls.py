"""Learning pages in three parts, each with its own module, all in the `learning` namespace."""

from django.urls import include, path

app_name = "learning"
urlpatterns = [
    path("training/", include("candour.learning.urls_training")),
    path("briefings/", include("candour.learning.urls_briefings")),
    path("apprentices/", include("candour.learning.urls_apprenticeships")),
]
