"""Staff voice pages, mounted at /voice/."""

from django.urls import path

from candour.voice import views

app_name = "voice"
urlpatterns = [
    path("", views.list_my_pulses, name="list_my_pulses"),
    path("you-said-we-did/", views.list_changes, name="list_changes"),
    path("you-said-we-did/new/", views.publish_change, name="publish_change"),
    path("pulses/", views.list_pulses, name="list_pulses"),
    path("pulses/start/", views.start_pulse, name="start_pulse"),
    path("pulses/new/", views.create_pulse, name="create_pulse"),
    path("pulses/<uuid:pulse_id>/", views.show_pulse, name="show_pulse"),
    path("pulses/<uuid:pulse_id>/edit/", views.edit_pulse, name="edit_pulse"),
    path("pulses/<uuid:pulse_id>/closing-date/", views.change_close_date, name="change_close_date"),
    path("pulses/<uuid:pulse_id>/close/", views.close_pulse, name="close_pulse"),
    path("pulses/<uuid:pulse_id>/results/", views.show_results, name="show_results"),
    path("pulses/<uuid:pulse_id>/answer/", views.answer_pulse, name="answer_pulse"),
    path("pulses/<uuid:pulse_id>/thank-you/", views.show_thanks, name="show_thanks"),
]
